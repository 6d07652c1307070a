"""Logs: login attempts, admin operations and unexpected errors."""

from flask import Blueprint

from app.api.resource import Resource, values_of
from app.core.auth import super_required
from app.core.exceptions import LogNotFound
from app.core.forms import PageForm
from app.core.pagination import paginate
from app.models import ErrorLog, LoginLog, OperLog
from app.schemas import log as shapes
from app.schemas.base import Page
from app.schemas.common import Id
from app.services import oper_log
from app.services.oper_log import record_operation  # the admin blueprint's after_request hook
from app.validators.admin import ErrorLogListForm, LoginLogListForm, OperLogListForm

bp = Blueprint("log", __name__, url_prefix="/log")

__all__ = ["bp", "record_operation"]

LOGIN_READ = ("查询登录日志列表", "登录日志")
OPER_READ = ("搜索操作日志", "操作日志")
ERROR_READ = ("查询错误日志列表", "错误日志")


# Every log table has the same views to show a row, delete a row and clear the table; they
# differ only in the model, the permission to read and the words of the spec.


def _log_table(model, prefix: str, table: str, read: tuple[str, str], shape):
    """The resource of one log table, under `prefix`."""
    rows = Resource(bp, shape=shape, missing=[LogNotFound], prefix=prefix)
    rows.model, rows.read, rows.table = model, read, table
    return rows


def _show(rows, endpoint: str, summary: str, description: str) -> None:
    model = rows.model
    rows.get(endpoint, rows.read, summary, description, lambda id: oper_log.get_log(model, id))


def _delete(rows, endpoint: str, summary: str) -> None:
    model = rows.model
    rows.view(
        "DELETE",
        rows.one,
        endpoint,
        super_required,
        summary,
        f"Delete one {rows.table} row.",
        lambda id: {"id": oper_log.delete_log(model, id)},
        data=Id,
        errors=[LogNotFound],
    )


def _clear(rows, endpoint: str) -> None:
    model = rows.model
    rows.view(
        "DELETE",
        "/all",
        endpoint,
        super_required,
        f"Clear the {rows.table}",
        f"Delete every {rows.table} row.",
        lambda: {"count": oper_log.clear(model)},
        data=shapes.Cleared,
    )


# ------------------------------------------------------------------ login log


LOGIN_FILTERS = ("start", "end", "username", "status")

logins = _log_table(LoginLog, "/login", "login log", LOGIN_READ, shapes.LoginLog)
logins.list(
    "list_login_logs",
    LOGIN_READ,
    "List login attempts",
    "List login attempts, newest first.",
    lambda form: paginate(oper_log.login_log_statement(**values_of(form, LOGIN_FILTERS)), form),
    form=LoginLogListForm,
)
_show(logins, "get_login_log", "Get a login attempt", "Show one login attempt.")
_delete(logins, "delete_login_log", "Delete a login log row")
_clear(logins, "clear_login_logs")


# -------------------------------------------------------------- operation log


OPER_FILTERS = ("start", "end", "username", "keyword", "method")

opers = _log_table(OperLog, "/oper", "operation log", OPER_READ, shapes.OperLog)
opers.view(
    "GET",
    "/list/search",
    "list_oper_logs",
    OPER_READ,
    "Search the operation log",
    "Search admin operations, newest first.",
    lambda form: paginate(oper_log.oper_log_statement(**values_of(form, OPER_FILTERS)), form),
    query=OperLogListForm,
    data=Page(shapes.OperLog),
)
opers.view(
    "GET",
    "/user/list",
    "list_oper_users",
    OPER_READ,
    "Names of users in the operation log",
    "List the distinct user names of the operation log, sorted.",
    lambda form: paginate(oper_log.oper_user_names_statement(), form),
    query=PageForm,
    data=shapes.UserNamePage,
)
_show(opers, "get_oper_log", "Get an operation log row", "Show one admin operation.")
_delete(opers, "delete_oper_log", "Delete an operation log row")
_clear(opers, "clear_oper_logs")


# ------------------------------------------------------------------ error log


ERROR_FILTERS = ("start", "end", "keyword")
errors = _log_table(ErrorLog, "/error", "error log", ERROR_READ, shapes.ErrorLogDetail)
errors.list(
    "list_error_logs",
    ERROR_READ,
    "List unexpected errors",
    "List unexpected errors, newest first.",
    lambda form: paginate(oper_log.error_log_statement(**values_of(form, ERROR_FILTERS)), form),
    form=ErrorLogListForm,
    data=Page(shapes.ErrorLog),
)
_show(
    errors, "get_error_log", "Get an error with its traceback", "Show one error with its traceback."
)
_clear(errors, "clear_error_logs")


errors.delete_many(
    "delete_error_logs",
    super_required,
    "Delete error log rows",
    "Delete one error log row or a comma list.",
    lambda ids: oper_log.delete_logs(ErrorLog, ids),
)
