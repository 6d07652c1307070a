"""Logs: /v2/log (login, operation, error)."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import ErrorLog, LoginLog, OperLog
from tests.factories import auth_headers, make_staff

LOGIN_READ = ("登录日志", "查询登录日志列表")
OPER_READ = ("操作日志", "搜索操作日志")
ERROR_READ = ("错误日志", "查询错误日志列表")


def _login_log(name="Boss", status=True, create_time=1_700_000_000):
    row = LoginLog(
        user_id=None,
        user_name=name,
        client_type=101,
        ip_addr="127.0.0.1",
        location="内网IP",
        browser="Chrome 1",
        os="Linux",
        status=status,
        message="Login succeeded" if status else "Wrong account or password",
        create_time=create_time,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _oper_log(name="Boss", message="更新用户分组 uid=7", path="/v2/user/7", method="PUT", ts=1):
    row = OperLog(
        user_id=1,
        user_name=name,
        module="用户",
        auth="更新用户分组",
        type=2,
        path=path,
        endpoint="v2.user.update_user",
        request_method=method,
        request_param={"path": {"uid": 7}, "query": {}, "body": {"group_id": 1}},
        message=message,
        status_code=201,
        ip_addr="127.0.0.1",
        create_time=ts,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _error_log(exception="KeyError", message="boom", ts=1):
    row = ErrorLog(
        request_id="r1",
        user_id=None,
        method="GET",
        path="/v1/x",
        endpoint="v1.x",
        exception=exception,
        message=message,
        traceback="Traceback ...",
        request_param={"path": {}, "query": {}, "body": {}},
        create_time=ts,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# ------------------------------------------------------------------ login log


def test_list_login_logs_compat_newest_first(client):
    old = _login_log(create_time=100)
    new = _login_log(create_time=200)
    headers = auth_headers(make_staff(LOGIN_READ))
    response = client.get("/cms/log/login/list?page=1&size=10", headers=headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    item = data["items"][0]
    for key in ("id", "user_name", "ip_addr", "location", "browser", "os", "status", "message"):
        assert key in item
    assert item["status"] is True and isinstance(item["create_time"], str)


def test_list_login_logs_filters(client, super_headers):
    _login_log(name="a", status=True, create_time=100)
    match = _login_log(name="a", status=False, create_time=200)
    _login_log(name="b", status=False, create_time=300)
    query = "username=a&status=false&start=150&end=250"
    items = client.get(f"/v2/log/login/list?{query}", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in items["items"]] == [match.id]
    items = client.get("/v2/log/login/list?end=200", headers=super_headers).get_json()["data"]
    assert items["total"] == 2


def test_list_login_logs_bad_start_answers_400(client, super_headers):
    response = client.get("/v2/log/login/list?start=yesterday", headers=super_headers)
    assert response.status_code == 400


def test_get_login_log(client, super_headers):
    row = _login_log()
    response = client.get(f"/v2/log/login/{row.id}", headers=super_headers)
    assert response.get_json()["data"]["user_name"] == "Boss"
    response = client.get("/v2/log/login/999", headers=super_headers)
    assert response.get_json()["error_code"] == 85010


def test_delete_login_log_writes_oper_log(client, super_headers):
    row = _login_log()
    response = client.delete(f"/cms/log/login/{row.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": row.id}
    assert _count(LoginLog) == 0
    logged = db.session.scalars(select(OperLog)).one()
    assert logged.request_method == "DELETE" and logged.type == 3
    assert logged.path == f"/cms/log/login/{row.id}"


def test_delete_login_log_missing_answers_85010(client, super_headers):
    response = client.delete("/v2/log/login/999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 85010


def test_clear_login_logs(client, super_headers):
    _login_log()
    _login_log()
    response = client.delete("/v2/log/login/all", headers=super_headers)
    assert response.get_json()["data"] == {"count": 2}
    assert _count(LoginLog) == 0
    assert db.session.scalars(select(OperLog.type)).all() == [9]


# -------------------------------------------------------------- operation log


def test_search_oper_logs_compat(client):
    first = _oper_log(ts=100)
    second = _oper_log(ts=200)
    headers = auth_headers(make_staff(OPER_READ))
    response = client.get("/cms/log/oper/list/search?page=1&size=10", headers=headers)
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [second.id, first.id]
    item = data["items"][0]
    assert item["type"] == "修改" and item["type_code"] == 2
    assert item["request_method"] == "PUT" and item["path"] == "/v2/user/7"
    assert item["request_param"]["body"] == {"group_id": 1}


def test_search_oper_logs_filters(client, super_headers):
    _oper_log(name="a", message="删除用户 uid=1", method="DELETE", ts=100)
    match = _oper_log(name="a", message="更新用户分组 uid=7", ts=200)
    _oper_log(name="b", ts=300)
    query = "username=a&keyword=分组&method=put&start=150&end=250"
    response = client.get(f"/v2/log/oper/list/search?{query}", headers=super_headers)
    assert [item["id"] for item in response.get_json()["data"]["items"]] == [match.id]
    response = client.get("/v2/log/oper/list/search?keyword=/v2/user", headers=super_headers)
    assert response.get_json()["data"]["total"] == 3


def test_list_oper_users_distinct_sorted(client, super_headers):
    for name in ("b", "a", "b", "c"):
        _oper_log(name=name)
    response = client.get("/v2/log/oper/user/list?size=2", headers=super_headers)
    data = response.get_json()["data"]
    assert data["items"] == ["a", "b"] and data["total"] == 3 and data["total_page"] == 2


def test_get_oper_log(client, super_headers):
    row = _oper_log()
    data = client.get(f"/v2/log/oper/{row.id}", headers=super_headers).get_json()["data"]
    assert data["message"] == "更新用户分组 uid=7" and data["module"] == "用户"


def test_delete_oper_log_then_logged(client, super_headers):
    row = _oper_log()
    response = client.delete(f"/cms/log/oper/{row.id}", headers=super_headers)
    assert response.status_code == 202
    rows = db.session.scalars(select(OperLog)).all()
    assert [(r.request_method, r.path) for r in rows] == [("DELETE", f"/cms/log/oper/{row.id}")]


def test_clear_oper_logs_leaves_only_its_own_row(client, super_headers):
    _oper_log()
    _oper_log()
    response = client.delete("/v2/log/oper/all", headers=super_headers)
    assert response.get_json()["data"] == {"count": 2}
    rows = db.session.scalars(select(OperLog)).all()
    assert [(r.type, r.path) for r in rows] == [(9, "/v2/log/oper/all")]


# ------------------------------------------------------------------ error log


def test_list_error_logs(client):
    _error_log(exception="KeyError", ts=100)
    new = _error_log(exception="ValueError", message="bad value", ts=200)
    headers = auth_headers(make_staff(ERROR_READ))
    data = client.get("/v2/log/error/list", headers=headers).get_json()["data"]
    assert data["items"][0]["id"] == new.id and "traceback" not in data["items"][0]
    data = client.get("/v2/log/error/list?keyword=bad", headers=headers).get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id]


def test_get_error_log_detail(client, super_headers):
    row = _error_log()
    data = client.get(f"/v2/log/error/{row.id}", headers=super_headers).get_json()["data"]
    assert data["traceback"] == "Traceback ..." and data["request_param"]["path"] == {}


def test_delete_error_logs_ids(client, super_headers):
    a, b, c = _error_log(), _error_log(), _error_log()
    response = client.delete(f"/v2/log/error/{a.id},{b.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"ids": [a.id, b.id]}
    assert db.session.scalars(select(ErrorLog.id)).all() == [c.id]


def test_delete_error_logs_none_found_answers_85010(client, super_headers):
    response = client.delete("/v2/log/error/999", headers=super_headers)
    assert response.get_json()["error_code"] == 85010


def test_delete_error_logs_bad_ids_answers_400(client, super_headers):
    response = client.delete("/v2/log/error/1,x", headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000
    assert response.get_json()["msg"].startswith("ids: ")


def test_clear_error_logs(client, super_headers):
    _error_log()
    response = client.delete("/v2/log/error/all", headers=super_headers)
    assert response.get_json()["data"] == {"count": 1}
    assert _count(ErrorLog) == 0


def test_log_reads_refuse_staff_without_permission(client):
    headers = auth_headers(make_staff(LOGIN_READ))
    assert client.get("/v2/log/oper/list/search", headers=headers).status_code == 403
    assert client.delete("/v2/log/login/all", headers=headers).status_code == 403
