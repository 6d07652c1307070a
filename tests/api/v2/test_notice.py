"""Admin notices: CRUD, filters, comma-list delete, editor names, sanitized content."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notice
from tests.factories import auth_headers, make_notice, make_staff

MODULE = "通知(公告)"


def staff(*names, **fields):
    return make_staff(*[(MODULE, name) for name in names], **fields)


def all_notices():
    db.session.expire_all()
    return db.session.scalars(
        select(Notice).execution_options(include_deleted=True).order_by(Notice.id)
    ).all()


def test_list_notices_newest_first_with_compat_fields(client, super_headers):
    old = make_notice(title="old", create_time=1000, create_by="Boss")
    new = make_notice(title="new", create_time=2000, type=2)
    response = client.get("/cms/notice/list?page=1&size=10", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    assert data["total"] == 2
    item = data["items"][1]
    assert (item["title"], item["type"], item["create_by"], item["status"]) == (
        "old",
        1,
        "Boss",
        True,
    )
    assert item["create_time"] == "1970-01-01 08:16:40"


def test_list_notices_filters(client, super_headers):
    make_notice(title="维护通知", type=1, status=True)
    make_notice(title="版本公告", type=2, status=False)
    make_notice(title="其他通知", type=1, status=False)

    def titles(query):
        response = client.get(f"/v2/notice/list?{query}", headers=super_headers)
        return sorted(item["title"] for item in response.get_json()["data"]["items"])

    assert titles("type=2") == ["版本公告"]
    assert titles("status=false") == ["其他通知", "版本公告"]
    assert titles("status=1&type=1") == ["维护通知"]
    assert titles("keyword=通知") == ["其他通知", "维护通知"]
    assert len(titles("type=&keyword=")) == 3


@pytest.mark.parametrize("query", ["type=3", "status=maybe", "size=0", "page=x"])
def test_list_notices_invalid_query_answers_400(client, super_headers, query):
    response = client.get(f"/v2/notice/list?{query}", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_list_notices_permissions(client, customer_headers):
    assert client.get("/v2/notice/list").status_code == 401
    assert client.get("/v2/notice/list", headers=customer_headers).status_code == 403
    denied = auth_headers(staff("新建通知"))
    assert client.get("/v2/notice/list", headers=denied).status_code == 403
    allowed = auth_headers(staff("查询通知列表"))
    assert client.get("/v2/notice/list", headers=allowed).status_code == 200


def test_get_notice_and_unknown(client, super_headers):
    notice = make_notice(title="t", remark="r", status=False)
    data = client.get(f"/cms/notice/{notice.id}", headers=super_headers).get_json()["data"]
    assert (data["title"], data["type"], data["status"], data["content"], data["remark"]) == (
        "t",
        1,
        False,
        "<p>notice</p>",
        "r",
    )
    response = client.get("/cms/notice/999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 82010)


def test_create_notice_records_caller_and_sanitizes(client):
    editor = staff("新建通知", nickname="小编")
    body = {
        "title": "  维护  ",
        "type": 1,
        "status": True,
        "content": '<p onclick="x()">停机<script>alert(1)</script></p>',
        "remark": "",
    }
    response = client.post("/cms/notice", json=body, headers=auth_headers(editor))
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["title"], data["create_by"], data["update_by"]) == ("维护", "小编", "小编")
    (saved,) = all_notices()
    assert saved.content == "<p>停机</p>"
    assert (saved.create_by, saved.status, saved.type) == ("小编", True, 1)


def test_create_notice_caller_without_nickname_uses_email(client):
    editor = staff("新建通知", email="editor@example.com")
    editor.nickname = None
    db.session.commit()
    body = {"title": "t", "type": 2, "content": "<p>x</p>"}
    response = client.post("/v2/notice", json=body, headers=auth_headers(editor))
    assert response.get_json()["data"]["create_by"] == "editor@example.com"
    assert all_notices()[0].status is True


@pytest.mark.parametrize(
    "body",
    [
        {"title": "t", "content": "<p>x</p>"},
        {"title": "", "type": 1, "content": "<p>x</p>"},
        {"title": "t" * 65, "type": 1, "content": "<p>x</p>"},
        {"title": "t", "type": 3, "content": "<p>x</p>"},
        {"title": "t", "type": 1},
        {"title": "t", "type": 1, "content": "<p>x</p>", "status": None},
    ],
)
def test_create_notice_invalid_answers_400(client, super_headers, body):
    response = client.post("/v2/notice", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert all_notices() == []


def test_update_notice_partial_and_update_by(client):
    notice = make_notice(title="t", status=False, create_by="Boss", update_by="Boss")
    editor = staff("更新通知", nickname="改者")
    body = {"title": "新标题", "id": 999, "create_by": "hacker"}
    response = client.put(f"/cms/notice/{notice.id}", json=body, headers=auth_headers(editor))
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["id"], data["title"], data["status"]) == (notice.id, "新标题", False)
    (saved,) = all_notices()
    assert (saved.title, saved.create_by, saved.update_by, saved.status) == (
        "新标题",
        "Boss",
        "改者",
        False,
    )


def test_update_notice_unknown_and_permission(client, super_headers):
    response = client.put("/v2/notice/999", json={"title": "x"}, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 82010)
    notice = make_notice(title="t")
    denied = auth_headers(staff("新建通知"))
    assert (
        client.put(f"/v2/notice/{notice.id}", json={"title": "x"}, headers=denied).status_code
        == 403
    )
    assert all_notices()[0].title == "t"


def test_delete_notice_single(client, super_headers):
    notice = make_notice()
    response = client.delete(f"/cms/notice/{notice.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"ids": [notice.id]}
    assert all_notices()[0].delete_time is not None
    assert client.get(f"/v2/notice/{notice.id}", headers=super_headers).status_code == 404


def test_delete_notices_comma_list(client, super_headers):
    first, second, third = make_notice(), make_notice(), make_notice()
    response = client.delete(f"/cms/notice/{first.id},{third.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"ids": [first.id, third.id]}
    assert [n.delete_time is not None for n in all_notices()] == [True, False, True]
    listed = client.get("/v2/notice/list", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in listed["items"]] == [second.id]


def test_delete_notices_one_missing_deletes_nothing(client, super_headers):
    first = make_notice()
    response = client.delete(f"/v2/notice/{first.id},999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 82010)
    assert all_notices()[0].delete_time is None


def test_delete_notices_already_deleted_counts_as_missing(client, super_headers):
    first, second = make_notice(), make_notice()
    client.delete(f"/v2/notice/{first.id}", headers=super_headers)
    response = client.delete(f"/v2/notice/{first.id},{second.id}", headers=super_headers)
    assert response.get_json()["error_code"] == 82010
    assert all_notices()[1].delete_time is None


@pytest.mark.parametrize("ids", ["abc", "1,,2", "0", "-1"])
def test_delete_notices_malformed_ids_answer_400(client, super_headers, ids):
    make_notice()
    response = client.delete(f"/v2/notice/{ids}", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert all_notices()[0].delete_time is None


def test_delete_notices_permission(client, customer_headers):
    notice = make_notice()
    assert client.delete(f"/v2/notice/{notice.id}", headers=customer_headers).status_code == 403
    denied = auth_headers(staff("更新通知"))
    assert client.delete(f"/v2/notice/{notice.id}", headers=denied).status_code == 403
    allowed = auth_headers(staff("删除通知"))
    assert client.delete(f"/v2/notice/{notice.id}", headers=allowed).status_code == 202
    assert all_notices()[0].delete_time is not None


def test_create_notice_long_content_fits_the_column(client, super_headers):
    content = "<p>" + "字" * 19993 + "</p>"
    body = {"title": "t", "type": 1, "content": content}
    response = client.post("/v2/notice", json=body, headers=super_headers)
    assert response.status_code == 201
    assert all_notices()[0].content == content
