"""/v2/outbox (and /cms/outbox): queued WeChat calls by state, paginated; retry of a dead one."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OperLog, OutboxMessage
from tests.factories import auth_headers, make_outbox_message, make_staff

MODULE = "微信平台"


@pytest.fixture
def reader():
    return auth_headers(make_staff((MODULE, "查询外发消息")))


@pytest.fixture
def retrier():
    return auth_headers(make_staff((MODULE, "重试外发消息")))


def test_list_outbox_messages_by_state_newest_first_paginated(client, reader):
    dead = [make_outbox_message(state="dead", last_errcode=47003) for _ in range(3)]
    make_outbox_message(state="sent", sent_time=1767240000)
    for prefix in ("/v2", "/cms"):
        response = client.get(f"{prefix}/outbox/list?state=dead&size=2", headers=reader)
        assert response.status_code == 200
        data = response.get_json()["data"]
        assert (data["total"], data["total_page"], data["current_page"]) == (3, 2, 1)
        assert [item["id"] for item in data["items"]] == [dead[2].id, dead[1].id]
    page2 = client.get("/v2/outbox/list?state=dead&size=2&page=2", headers=reader).get_json()
    assert [item["id"] for item in page2["data"]["items"]] == [dead[0].id]
    everything = client.get("/v2/outbox/list", headers=reader).get_json()["data"]
    assert everything["total"] == 4


def test_list_item_shape_shows_state_and_wechats_answer_but_never_the_body(client, reader):
    row = make_outbox_message(
        state="dead",
        attempts=8,
        last_errcode=47003,
        last_error="47003 argument invalid",
        body={"payer": {"openid": "o-secret-openid"}},
        next_attempt_time=1767240000,
    )
    response = client.get("/v2/outbox/list", headers=reader)
    [item] = response.get_json()["data"]["items"]
    assert item == {
        "id": row.id,
        "kind": "shipping",
        "path": "/wxa/sec/order/upload_shipping_info",
        "order_id": None,
        "state": "dead",
        "attempts": 8,
        "next_attempt_time": "2026-01-01 12:00:00",
        "last_errcode": 47003,
        "last_error": "47003 argument invalid",
        "sent_time": None,
        "create_time": item["create_time"],
        "update_time": item["update_time"],
    }
    assert "o-secret-openid" not in response.get_data(as_text=True)


def test_list_filters_by_kind_and_order(client, reader):
    from tests.factories import make_wechat_paid_order

    order = make_wechat_paid_order()
    shipping = make_outbox_message(order_id=order.id)
    make_outbox_message(kind="message", path="/cgi-bin/message/subscribe/send")
    data = client.get(f"/v2/outbox/list?kind=shipping&order_id={order.id}", headers=reader)
    assert [item["id"] for item in data.get_json()["data"]["items"]] == [shipping.id]


@pytest.mark.parametrize("query", ["state=lost", "kind=mail", "order_id=0", "size=101"])
def test_list_bad_filters_answer_400(client, reader, query):
    response = client.get(f"/v2/outbox/list?{query}", headers=reader)
    assert response.status_code == 400 and response.get_json()["error_code"] == 1000


def test_retry_a_dead_message_makes_it_due_with_fresh_tries(client, retrier, super_admin):
    row = make_outbox_message(state="dead", attempts=8, last_error="47003 argument invalid")
    response = client.put(f"/v2/outbox/{row.id}/retry", headers=retrier)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["id"], data["state"], data["attempts"]) == (row.id, "pending", 0)
    assert data["last_error"] == "47003 argument invalid"  # kept until the next try
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, row.id)
    assert (stored.state, stored.attempts) == ("pending", 0)
    log = db.session.scalar(select(OperLog).order_by(OperLog.id.desc()))
    assert log.path == f"/v2/outbox/{row.id}/retry" and log.status_code == 201


@pytest.mark.parametrize("state", ["pending", "sending", "sent", "skipped"])
def test_retry_of_a_message_that_is_not_dead_answers_409(client, retrier, state):
    row = make_outbox_message(state=state)
    response = client.put(f"/v2/outbox/{row.id}/retry", headers=retrier)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 71030)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).state == state


def test_retry_of_a_missing_message_answers_404(client, retrier):
    response = client.put("/v2/outbox/987654/retry", headers=retrier)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 71020)


def test_outbox_routes_need_their_permission(client, reader, retrier, customer_headers):
    row = make_outbox_message(state="dead")
    assert client.get("/v2/outbox/list", headers=retrier).status_code == 403
    assert client.put(f"/v2/outbox/{row.id}/retry", headers=reader).status_code == 403
    assert client.get("/v2/outbox/list", headers=customer_headers).status_code == 403
    assert client.put(f"/v2/outbox/{row.id}/retry", headers=customer_headers).status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).state == "dead"


def test_dead_upload_is_listed_for_admins_and_their_retry_sends_it(
    app, client, super_headers, monkeypatch
):
    import responses

    from app.services.wechat_platform import run_outbox
    from tests.factories import SHIPPING_UPLOAD_URL, answer_stable_token, wechat_configured

    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    row = make_outbox_message(next_attempt_time=1)
    with wechat_configured(app) as mock:
        answer_stable_token(mock, "ACCESS-1")
        refusal = mock.add(
            responses.POST, SHIPPING_UPLOAD_URL, json={"errcode": 47003, "errmsg": "bad"}
        )
        run_outbox(at=1000)
        run_outbox(at=2000)
        listed = client.get("/v2/outbox/list?state=dead", headers=super_headers).get_json()
        assert [(i["id"], i["attempts"], i["last_error"]) for i in listed["data"]["items"]] == [
            (row.id, 2, "47003 bad")
        ]
        response = client.put(f"/cms/outbox/{row.id}/retry", headers=super_headers)
        assert response.status_code == 201
        mock.remove(refusal)
        mock.add(responses.POST, SHIPPING_UPLOAD_URL, json={"errcode": 0})
        assert run_outbox()["sent"] == 1
    sent = client.get("/v2/outbox/list?state=sent", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in sent["items"]] == [row.id]
