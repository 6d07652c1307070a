"""Routes outside the API blueprints: the root pointer, health check and the error code page."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import inspect, text

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


@bp.get("/health")
def health():
    """Check that the app and its database answer, and that the schema is there."""
    try:
        db.session.execute(text("SELECT 1"))
        schema = inspect(db.session.connection()).has_table("user")
    except Exception:
        db.session.rollback()
        raise ServiceUnavailable() from None
    if not schema:
        raise ServiceUnavailable(
            "The database has no schema: run `flask --app server db upgrade`",
            detail={"status": "unavailable", "database": "ok", "schema": "missing"},
        )
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
