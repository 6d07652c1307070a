"""Routes outside the API blueprints: the root pointer, health check and the error code page."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import literal, select, table, text
from sqlalchemy.exc import DBAPIError

from app.core.exceptions import ServiceUnavailable
from app.core.response import ok
from app.extensions import db

bp = Blueprint("misc", __name__)


@bp.get("/")
def index():
    """Point to the API documentation and the health check."""
    links = {"health": "/health"}
    if current_app.config["SWAGGER_ENABLED"]:
        links["docs"] = "/apidocs/"
    return ok({"name": "mini-shop-server", **links})


# The schema is there when its first table is: a plain read of no rows, far cheaper than
# asking the catalog (information_schema) on every probe of a load balancer.
_SCHEMA_PROBE = select(literal(1)).select_from(table("user")).limit(0)


@bp.get("/health")
def health():
    """Check that the app and its database answer, and that the schema is there."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        raise ServiceUnavailable() from None
    try:
        db.session.execute(_SCHEMA_PROBE)
    except DBAPIError as error:
        db.session.rollback()
        if error.connection_invalidated:
            raise ServiceUnavailable() from None
        raise ServiceUnavailable(
            "The database has no schema: run `flask --app server db upgrade`",
            detail={"status": "unavailable", "database": "ok", "schema": "missing"},
        ) from None
    return ok({"status": "ok", "database": "ok"})


def _code_rows() -> list[list[str]]:
    rows = []
    path = Path(current_app.root_path).parent / "code.md"
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells and cells[0].isdigit():
            rows.append(cells)
    return rows


@bp.get("/error_code")
def error_code():
    """Render code.md as an HTML table."""
    if not current_app.config["ERROR_CODE_PAGE_ENABLED"]:
        abort(404)
    return render_template("error_code.html", rows=_code_rows())
