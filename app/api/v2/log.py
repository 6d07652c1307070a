"""Logs: login attempts, admin operations and unexpected errors."""

from flask import Blueprint

from app.core.auth import permission, super_required
from app.core.docs import doc, path_id_list, path_ids
from app.core.exceptions import LogNotFound
from app.core.forms import PageForm, ids_in_path
from app.core.pagination import paginate
from app.models import ErrorLog, LoginLog, OperLog
from app.schemas import log as shapes
from app.schemas.base import Page
from app.schemas.common import Id, Ids
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


def _named(view, name: str, description: str):
    """`view` as the endpoint `name`, described (in the spec too) by `description`."""
    view.__name__ = view.__qualname__ = name
    view.__doc__ = description
    return view


def _show_view(model, read: tuple[str, str], shape, name: str, summary: str, description: str):
    def view(id):
        return oper_log.get_log(model, id)

    view = _named(view, name, description)
    return permission(*read)(
        doc(summary, data=shape, path=path_ids("id"), errors=[LogNotFound])(view)
    )


def _delete_view(model, name: str, summary: str, table: str):
    def view(id):
        return {"id": oper_log.delete_log(model, id)}

    view = _named(view, name, f"Delete one {table} row.")
    return super_required(
        doc(summary, data=Id, status=202, path=path_ids("id"), errors=[LogNotFound])(view)
    )


def _clear_view(model, name: str, table: str):
    def view():
        return {"count": oper_log.clear(model)}

    view = _named(view, name, f"Delete every {table} row.")
    return super_required(doc(f"Clear the {table}", data=shapes.Cleared, status=202)(view))


# ------------------------------------------------------------------ login log


@bp.get("/login/list")
@permission(*LOGIN_READ)
@doc("List login attempts", query=LoginLogListForm, data=Page(shapes.LoginLog))
def list_login_logs():
    """List login attempts, newest first."""
    form = LoginLogListForm().validate_or_raise()
    statement = oper_log.login_log_statement(
        start=form.start.data,
        end=form.end.data,
        username=form.username.data,
        status=form.status.data,
    )
    return paginate(statement, form)


get_login_log = bp.get("/login/<int:id>")(
    _show_view(
        LoginLog,
        LOGIN_READ,
        shapes.LoginLog,
        "get_login_log",
        "Get a login attempt",
        "Show one login attempt.",
    )
)
delete_login_log = bp.delete("/login/<int:id>")(
    _delete_view(LoginLog, "delete_login_log", "Delete a login log row", "login log")
)
clear_login_logs = bp.delete("/login/all")(_clear_view(LoginLog, "clear_login_logs", "login log"))


# -------------------------------------------------------------- operation log


@bp.get("/oper/list/search")
@permission(*OPER_READ)
@doc("Search the operation log", query=OperLogListForm, data=Page(shapes.OperLog))
def list_oper_logs():
    """Search admin operations, newest first."""
    form = OperLogListForm().validate_or_raise()
    statement = oper_log.oper_log_statement(
        start=form.start.data,
        end=form.end.data,
        username=form.username.data,
        keyword=form.keyword.data,
        method=form.method.data,
    )
    return paginate(statement, form)


@bp.get("/oper/user/list")
@permission(*OPER_READ)
@doc("Names of users in the operation log", query=PageForm, data=shapes.UserNamePage)
def list_oper_users():
    """List the distinct user names of the operation log, sorted."""
    form = PageForm().validate_or_raise()
    return paginate(oper_log.oper_user_names_statement(), form)


get_oper_log = bp.get("/oper/<int:id>")(
    _show_view(
        OperLog,
        OPER_READ,
        shapes.OperLog,
        "get_oper_log",
        "Get an operation log row",
        "Show one admin operation.",
    )
)
delete_oper_log = bp.delete("/oper/<int:id>")(
    _delete_view(OperLog, "delete_oper_log", "Delete an operation log row", "operation log")
)
clear_oper_logs = bp.delete("/oper/all")(_clear_view(OperLog, "clear_oper_logs", "operation log"))


# ------------------------------------------------------------------ error log


@bp.get("/error/list")
@permission(*ERROR_READ)
@doc("List unexpected errors", query=ErrorLogListForm, data=Page(shapes.ErrorLog))
def list_error_logs():
    """List unexpected errors, newest first."""
    form = ErrorLogListForm().validate_or_raise()
    statement = oper_log.error_log_statement(
        start=form.start.data, end=form.end.data, keyword=form.keyword.data
    )
    return paginate(statement, form)


get_error_log = bp.get("/error/<int:id>")(
    _show_view(
        ErrorLog,
        ERROR_READ,
        shapes.ErrorLogDetail,
        "get_error_log",
        "Get an error with its traceback",
        "Show one error with its traceback.",
    )
)
clear_error_logs = bp.delete("/error/all")(_clear_view(ErrorLog, "clear_error_logs", "error log"))


@bp.delete("/error/<ids>")
@super_required
@doc(
    "Delete error log rows",
    data=Ids,
    status=202,
    path=path_id_list("ids"),
    errors=[LogNotFound],
)
def delete_error_logs(ids):
    """Delete one error log row or a comma list."""
    log_ids = ids_in_path(ids)
    return {"ids": oper_log.delete_logs(ErrorLog, log_ids)}
