"""Logs: login attempts, admin operations and unexpected errors."""

from flask import Blueprint

from app.core.auth import permission, super_required
from app.core.docs import (
    ANY,
    BOOL,
    ID,
    IDS,
    INT,
    STR,
    TIME,
    doc,
    nullable,
    obj,
    page_of,
    path_id_list,
    path_ids,
)
from app.core.exceptions import ParameterException
from app.core.forms import PageForm, parse_id_list
from app.core.pagination import paginate
from app.core.response import deleted, ok
from app.models import ErrorLog, LoginLog, OperLog
from app.services import oper_log
from app.services.oper_log import record_operation  # the admin blueprint's after_request hook
from app.validators.admin import ErrorLogListForm, LoginLogListForm, OperLogListForm

bp = Blueprint("log", __name__, url_prefix="/log")

__all__ = ["bp", "record_operation"]

LOGIN_LOG = obj(
    ["id", "user_id", "user_name", "ip_addr", "location", "browser", "os", "status", "message"],
    id=INT,
    user_id=nullable(INT),
    user_name=STR,
    ip_addr=STR,
    location=STR,
    browser=STR,
    os=STR,
    client_type=INT,
    status=BOOL,
    message=STR,
    create_time=TIME,
)
OPER_LOG = obj(
    ["id", "user_id", "user_name", "module", "auth", "type", "type_code", "path", "message"],
    id=INT,
    user_id=INT,
    user_name=STR,
    module=STR,
    auth=STR,
    type=STR,
    type_code=INT,
    path=STR,
    endpoint=STR,
    request_method=STR,
    request_param=obj(["path", "query", "body"], path=ANY, query=ANY, body=ANY),
    message=STR,
    status_code=INT,
    ip_addr=STR,
    create_time=TIME,
)
ERROR_LOG = obj(
    ["id", "request_id", "user_id", "method", "path", "endpoint", "exception", "message"],
    id=INT,
    request_id=STR,
    user_id=nullable(INT),
    method=STR,
    path=STR,
    endpoint=STR,
    exception=STR,
    message=STR,
    create_time=TIME,
)
ERROR_LOG_DETAIL = {
    **ERROR_LOG,
    "properties": {**ERROR_LOG["properties"], "traceback": STR, "request_param": ANY},
}
COUNT = obj(["count"], count=INT)

LOGIN_READ = ("查询登录日志列表", "登录日志")
OPER_READ = ("搜索操作日志", "操作日志")
ERROR_READ = ("查询错误日志列表", "错误日志")


# ------------------------------------------------------------------ login log


@bp.get("/login/list")
@permission(*LOGIN_READ)
@doc("List login attempts", query=LoginLogListForm, data=page_of(LOGIN_LOG))
def list_login_logs():
    """List login attempts, newest first."""
    form = LoginLogListForm().validate_or_raise()
    statement = oper_log.login_log_statement(
        start=form.start.data,
        end=form.end.data,
        username=form.username.data,
        status=form.status.data,
    )
    return ok(paginate(statement, form, lambda row: row.to_dict()))


@bp.get("/login/<int:id>")
@permission(*LOGIN_READ)
@doc("Get a login attempt", data=LOGIN_LOG, path=path_ids("id"))
def get_login_log(id):
    """Show one login attempt."""
    return ok(oper_log.get_log(LoginLog, id).to_dict())


@bp.delete("/login/<int:id>")
@super_required
@doc("Delete a login log row", data=ID, status=202, path=path_ids("id"))
def delete_login_log(id):
    """Delete one login log row."""
    return deleted({"id": oper_log.delete_log(LoginLog, id)})


@bp.delete("/login/all")
@super_required
@doc("Clear the login log", data=COUNT, status=202)
def clear_login_logs():
    """Delete every login log row."""
    return deleted({"count": oper_log.clear(LoginLog)})


# -------------------------------------------------------------- operation log


@bp.get("/oper/list/search")
@permission(*OPER_READ)
@doc("Search the operation log", query=OperLogListForm, data=page_of(OPER_LOG))
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
    return ok(paginate(statement, form, lambda row: row.to_dict()))


@bp.get("/oper/user/list")
@permission(*OPER_READ)
@doc("Names of users in the operation log", query=PageForm, data=page_of(STR))
def list_oper_users():
    """List the distinct user names of the operation log, sorted."""
    form = PageForm().validate_or_raise()
    return ok(paginate(oper_log.oper_user_names_statement(), form, str))


@bp.get("/oper/<int:id>")
@permission(*OPER_READ)
@doc("Get an operation log row", data=OPER_LOG, path=path_ids("id"))
def get_oper_log(id):
    """Show one admin operation."""
    return ok(oper_log.get_log(OperLog, id).to_dict())


@bp.delete("/oper/<int:id>")
@super_required
@doc("Delete an operation log row", data=ID, status=202, path=path_ids("id"))
def delete_oper_log(id):
    """Delete one operation log row."""
    return deleted({"id": oper_log.delete_log(OperLog, id)})


@bp.delete("/oper/all")
@super_required
@doc("Clear the operation log", data=COUNT, status=202)
def clear_oper_logs():
    """Delete every operation log row."""
    return deleted({"count": oper_log.clear(OperLog)})


# ------------------------------------------------------------------ error log


@bp.get("/error/list")
@permission(*ERROR_READ)
@doc("List unexpected errors", query=ErrorLogListForm, data=page_of(ERROR_LOG))
def list_error_logs():
    """List unexpected errors, newest first."""
    form = ErrorLogListForm().validate_or_raise()
    statement = oper_log.error_log_statement(
        start=form.start.data, end=form.end.data, keyword=form.keyword.data
    )
    return ok(paginate(statement, form, lambda row: row.to_dict()))


@bp.get("/error/<int:id>")
@permission(*ERROR_READ)
@doc("Get an error with its traceback", data=ERROR_LOG_DETAIL, path=path_ids("id"))
def get_error_log(id):
    """Show one error with its traceback."""
    return ok(oper_log.get_log(ErrorLog, id).to_dict(detail=True))


@bp.delete("/error/all")
@super_required
@doc("Clear the error log", data=COUNT, status=202)
def clear_error_logs():
    """Delete every error log row."""
    return deleted({"count": oper_log.clear(ErrorLog)})


@bp.delete("/error/<ids>")
@super_required
@doc("Delete error log rows", data=IDS, status=202, path=path_id_list("ids"))
def delete_error_logs(ids):
    """Delete one error log row or a comma list."""
    try:
        log_ids = parse_id_list(ids, min_count=1)
    except ValueError as error:
        raise ParameterException(f"ids: {error}") from None
    return deleted({"ids": oper_log.delete_logs(ErrorLog, log_ids)})
