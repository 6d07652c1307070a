"""The operation log, and the queries of the three log tables.

`record_operation` is an after_request hook of the admin blueprint: one row per staff write
(POST, PUT, DELETE under /v2 and /cms by a staff member or super admin). It runs once the
response is built, successful or not, and never fails the request it logs. Anonymous callers
and customers (refused with 401 / 403) write no row: the table records what staff did, and
nobody outside the staff can grow it. Deleting log rows is logged too, after the deletion.
"""

import logging

from flask import current_app, request
from sqlalchemy import delete, select

from app.core.auth import current_user
from app.core.exceptions import LogNotFound
from app.core.filters import keyword_filter
from app.core.http import client_ip
from app.core.redact import redacted_params
from app.extensions import db
from app.models import ErrorLog, LoginLog, OperLog
from app.models.base import now

logger = logging.getLogger(__name__)

OTHER, CREATE, UPDATE, DELETE, GRANT, EXPORT, IMPORT, FORCE_LOGOUT, GENERATE, CLEAR = range(10)
LOGGED_METHODS = {"POST": CREATE, "PUT": UPDATE, "DELETE": DELETE}

# Views whose type is not simply their method's, by endpoint without the mount prefix.
TYPE_BY_ENDPOINT = {
    "auth.append_permissions": GRANT,
    "auth.remove_permissions": GRANT,
    "menu.update_menu": GRANT,
    "element.deploy_elements": GRANT,
    "admin.disable_admin": FORCE_LOGOUT,
    "admin.reset_admin_password": FORCE_LOGOUT,
    "user.disable_user": FORCE_LOGOUT,
    "user.reset_user_password": FORCE_LOGOUT,
    "log.clear_login_logs": CLEAR,
    "log.clear_oper_logs": CLEAR,
    "log.clear_error_logs": CLEAR,
    "order_export.export_orders": EXPORT,
    "product_import.import_products": IMPORT,
}


def operation_type(method: str, endpoint: str) -> int:
    local = endpoint.split(".", 1)[1] if "." in endpoint else endpoint
    return TYPE_BY_ENDPOINT.get(local, LOGGED_METHODS.get(method, OTHER))


def operation_message(view, path_args: dict) -> str:
    """The permission name (or else the view's one-line docstring) plus the path ids."""
    access = getattr(view, "access", None)
    text = access.name if access is not None and access.name else ""
    if not text:
        text = ((view.__doc__ or "").strip().splitlines() or [""])[0].rstrip(".")
    ids = " ".join(f"{key}={value}" for key, value in path_args.items())
    return f"{text} {ids}".strip()


def record_operation(response):
    """after_request: write the operation log row of a staff write."""
    endpoint = request.endpoint or ""
    if request.method not in LOGGED_METHODS and operation_type("", endpoint) != EXPORT:
        return response
    user = current_user()
    if user is None or not user.is_staff:
        return response
    try:
        if response.status_code >= 400:
            db.session.rollback()  # never commit what a failed view left behind
        view = current_app.view_functions.get(request.endpoint or "")
        access = getattr(view, "access", None)
        db.session.add(
            OperLog(
                user_id=user.id,
                user_name=user.display_name,
                module=access.module if access is not None else "",
                auth=access.name if access is not None else "",
                type=operation_type(request.method, request.endpoint or ""),
                path=request.path,
                endpoint=request.endpoint or "",
                request_method=request.method,
                request_param=redacted_params(),
                message=operation_message(view, dict(request.view_args or {})),
                status_code=response.status_code,
                ip_addr=client_ip(),
            )
        )
        db.session.commit()
    except Exception:
        try:
            db.session.rollback()
        except Exception:
            logger.debug("rollback failed", exc_info=True)
        logger.warning("could not write the operation log", exc_info=True)
    return response


# ------------------------------------------------------------------ retention

KEEP_DAYS = {
    ErrorLog: "ERROR_LOG_KEEP_DAYS",
    OperLog: "OPER_LOG_KEEP_DAYS",
    LoginLog: "LOGIN_LOG_KEEP_DAYS",
}
PURGE_BATCH = 5000  # rows per delete: short transactions, however large the backlog


def purge_old_logs() -> dict[str, int]:
    """Delete the rows of each log table older than its *_KEEP_DAYS setting (0 keeps them);
    answers how many went per table."""
    report = {}
    for model, setting in KEEP_DAYS.items():
        days = current_app.config[setting]
        report[model.__tablename__] = _purge(model, now() - days * 86400) if days > 0 else 0
    return report


def _purge(model, cutoff: int) -> int:
    deleted = 0
    while True:
        ids = db.session.scalars(
            select(model.id).where(model.create_time < cutoff).order_by(model.id).limit(PURGE_BATCH)
        ).all()
        if ids:
            db.session.execute(delete(model).where(model.id.in_(ids)))
            db.session.commit()
            deleted += len(ids)
        if len(ids) < PURGE_BATCH:
            return deleted


def clear(model) -> int:
    """Delete every row of a log table; answers how many went."""
    count = db.session.execute(delete(model)).rowcount
    db.session.commit()
    return count or 0


def _time_range(statement, model, start: int | None, end: int | None):
    if start is not None:
        statement = statement.where(model.create_time >= start)
    if end is not None:
        statement = statement.where(model.create_time <= end)
    return statement


def login_log_statement(*, start=None, end=None, username=None, status=None):
    statement = _time_range(select(LoginLog), LoginLog, start, end)
    if username:
        statement = statement.where(LoginLog.user_name == username)
    if status is not None:
        statement = statement.where(LoginLog.status.is_(status))
    return statement.order_by(LoginLog.create_time.desc(), LoginLog.id.desc())


def oper_log_statement(*, start=None, end=None, username=None, keyword=None, method=None):
    statement = _time_range(select(OperLog), OperLog, start, end)
    if username:
        statement = statement.where(OperLog.user_name == username)
    statement = keyword_filter(statement, keyword, OperLog.message, OperLog.path)
    if method:
        statement = statement.where(OperLog.request_method == method.upper())
    return statement.order_by(OperLog.create_time.desc(), OperLog.id.desc())


def oper_user_names_statement():
    return select(OperLog.user_name).distinct().order_by(OperLog.user_name)


def error_log_statement(*, start=None, end=None, keyword=None):
    statement = _time_range(select(ErrorLog), ErrorLog, start, end)
    statement = keyword_filter(statement, keyword, ErrorLog.exception, ErrorLog.message)
    return statement.order_by(ErrorLog.create_time.desc(), ErrorLog.id.desc())


def get_log(model, log_id: int):
    row = db.session.get(model, log_id) if 0 < log_id < 2**63 else None
    if row is None:
        raise LogNotFound()
    return row


def delete_log(model, log_id: int) -> int:
    db.session.delete(get_log(model, log_id))
    db.session.commit()
    return log_id


def delete_logs(model, ids: list[int]) -> list[int]:
    found = sorted(db.session.scalars(select(model.id).where(model.id.in_(ids))))
    if not found:
        raise LogNotFound()
    db.session.execute(delete(model).where(model.id.in_(found)))
    db.session.commit()
    return found
