"""Logs: login attempts, admin operations and unexpected errors."""

from flask import Blueprint

from app.core.auth import permission, super_required
from app.core.docs import doc, path_id_list, path_ids
from app.core.exceptions import LogNotFound, ParameterException
from app.core.forms import PageForm, parse_id_list
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


@bp.get("/login/<int:id>")
@permission(*LOGIN_READ)
@doc("Get a login attempt", data=shapes.LoginLog, path=path_ids("id"), errors=[LogNotFound])
def get_login_log(id):
    """Show one login attempt."""
    return oper_log.get_log(LoginLog, id)


@bp.delete("/login/<int:id>")
@super_required
@doc("Delete a login log row", data=Id, status=202, path=path_ids("id"), errors=[LogNotFound])
def delete_login_log(id):
    """Delete one login log row."""
    return {"id": oper_log.delete_log(LoginLog, id)}


@bp.delete("/login/all")
@super_required
@doc("Clear the login log", data=shapes.Cleared, status=202)
def clear_login_logs():
    """Delete every login log row."""
    return {"count": oper_log.clear(LoginLog)}


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


@bp.get("/oper/<int:id>")
@permission(*OPER_READ)
@doc("Get an operation log row", data=shapes.OperLog, path=path_ids("id"), errors=[LogNotFound])
def get_oper_log(id):
    """Show one admin operation."""
    return oper_log.get_log(OperLog, id)


@bp.delete("/oper/<int:id>")
@super_required
@doc("Delete an operation log row", data=Id, status=202, path=path_ids("id"), errors=[LogNotFound])
def delete_oper_log(id):
    """Delete one operation log row."""
    return {"id": oper_log.delete_log(OperLog, id)}


@bp.delete("/oper/all")
@super_required
@doc("Clear the operation log", data=shapes.Cleared, status=202)
def clear_oper_logs():
    """Delete every operation log row."""
    return {"count": oper_log.clear(OperLog)}


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


@bp.get("/error/<int:id>")
@permission(*ERROR_READ)
@doc(
    "Get an error with its traceback",
    data=shapes.ErrorLogDetail,
    path=path_ids("id"),
    errors=[LogNotFound],
)
def get_error_log(id):
    """Show one error with its traceback."""
    return oper_log.get_log(ErrorLog, id)


@bp.delete("/error/all")
@super_required
@doc("Clear the error log", data=shapes.Cleared, status=202)
def clear_error_logs():
    """Delete every error log row."""
    return {"count": oper_log.clear(ErrorLog)}


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
    try:
        log_ids = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}") from None
    return {"ids": oper_log.delete_logs(ErrorLog, log_ids)}
