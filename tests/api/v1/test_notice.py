"""Public notices: only published ones, newest first."""

from app.extensions import db
from tests.factories import make_notice


def test_list_notices_only_published_newest_first(client):
    old = make_notice(title="old", create_time=1000, type=1)
    new = make_notice(title="new", create_time=2000, type=2)
    make_notice(title="draft", status=False)
    response = client.get("/v1/notice/list")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    assert data["total"] == 2
    item = data["items"][1]
    assert item == {
        "id": old.id,
        "type": 1,
        "title": "old",
        "content": "<p>notice</p>",
        "create_time": 1000,
        "update_time": item["update_time"],
    }


def test_list_notices_by_type(client):
    make_notice(title="a", type=1)
    make_notice(title="b", type=2)
    items = client.get("/v1/notice/list?type=2").get_json()["data"]["items"]
    assert [item["title"] for item in items] == ["b"]
    response = client.get("/v1/notice/list?type=3")
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_get_notice_published(client, customer_headers):
    notice = make_notice(title="t", remark="internal")
    response = client.get(f"/v1/notice/{notice.id}", headers=customer_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["title"], data["content"]) == ("t", "<p>notice</p>")
    assert "remark" not in data and "create_by" not in data


def test_get_notice_draft_or_deleted_answers_82010(client):
    draft = make_notice(status=False)
    gone = make_notice()
    gone.soft_delete()
    db.session.commit()
    for notice in (draft, gone):
        response = client.get(f"/v1/notice/{notice.id}")
        assert (response.status_code, response.get_json()["error_code"]) == (404, 82010)
    assert client.get("/v1/notice/999").get_json()["error_code"] == 82010
