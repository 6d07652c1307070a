"""/v2/order delivery and WeChat: today's CMS body still ships, the carrier is checked against
WeChat's company list, the new optional fields, and the upload state on the admin detail."""

import pytest
import responses
from sqlalchemy import func, select

from app.extensions import db
from app.models import Order, OrderStatus, OutboxMessage
from app.services.wechat_platform import run_outbox
from tests.factories import (
    SHIPPING_UPLOAD_URL,
    answer_stable_token,
    auth_headers,
    make_order,
    make_product,
    make_staff,
    make_user,
    make_wechat_paid_order,
    pay_order,
    wechat_configured,
)

CMS_BODY = {"carrier": "顺丰速运", "tracking_no": "SF-001"}  # what the CMS sends today


@pytest.fixture
def shipper():
    return auth_headers(make_staff(("订单", "订单发货"), ("订单", "查询订单列表")))


def _upload_of(order_id) -> OutboxMessage | None:
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.order_id == order_id))


@pytest.mark.parametrize("prefix", ["/v2", "/cms"])
def test_cms_delivery_body_ships_and_queues_the_upload(client, shipper, prefix):
    order = make_wechat_paid_order()
    response = client.put(f"{prefix}/order/{order.id}/delivery", json=CMS_BODY, headers=shipper)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["order_status"], data["carrier"], data["tracking_no"]) == (3, "顺丰速运", "SF-001")
    assert data["shipping_upload"]["state"] == "queued"
    assert data["shipping_upload"]["message"] == "" and data["shipping_upload"]["attempts"] == 0
    assert data["shipping_upload"]["update_time"].count(":") == 2  # admin time text
    upload = _upload_of(order.id)
    assert upload.body["shipping_list"][0]["express_company"] == "SF"
    assert "o-payer" not in response.get_data(as_text=True)  # the openid never answers


def test_delivery_by_body_with_the_order_in_the_query_still_works(client, shipper):
    order = make_wechat_paid_order()
    response = client.put(f"/v2/order/delivery?order_id={order.id}", json=CMS_BODY, headers=shipper)
    assert response.status_code == 201
    assert _upload_of(order.id) is not None


def test_unknown_carrier_answers_400_and_changes_nothing(client, shipper):
    order = make_wechat_paid_order()
    body = {"carrier": "神秘快递", "tracking_no": "X-1"}
    response = client.put(f"/v2/order/{order.id}/delivery", json=body, headers=shipper)
    assert response.status_code == 400
    payload = response.get_json()
    assert payload["error_code"] == 1000 and list(payload["errors"]) == ["carrier"]
    db.session.expire_all()
    assert db.session.get(Order, order.id).order_status == OrderStatus.PAID
    assert _upload_of(order.id) is None


def test_carrier_may_be_the_wechat_id(client, shipper):
    order = make_wechat_paid_order()
    body = {"carrier": "zto", "tracking_no": "ZT-1"}
    assert (
        client.put(f"/v2/order/{order.id}/delivery", json=body, headers=shipper).status_code == 201
    )
    assert _upload_of(order.id).body["shipping_list"][0]["express_company"] == "ZTO"


def test_express_delivery_needs_carrier_and_tracking_no(client, shipper):
    order = make_wechat_paid_order()
    response = client.put(f"/v2/order/{order.id}/delivery", json={}, headers=shipper)
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"carrier", "tracking_no"}


def test_new_optional_fields_pick_logistics_type_and_item_description(client, shipper):
    order = make_wechat_paid_order()
    body = {"logistics_type": 3, "item_desc": "电子兑换码"}
    response = client.put(f"/v2/order/{order.id}/delivery", json=body, headers=shipper)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["carrier"] is None
    upload = _upload_of(order.id)
    assert upload.body["logistics_type"] == 3
    assert upload.body["shipping_list"] == [{"item_desc": "电子兑换码"}]
    bad = client.put(f"/v2/order/{order.id}/delivery", json={"logistics_type": 5}, headers=shipper)
    assert bad.status_code == 400 and "logistics_type" in bad.get_json()["errors"]


def test_order_not_paid_through_wechat_has_no_upload_state(client, shipper):
    order = make_order(make_user(), (make_product(stock=5), 1))
    db.session.query(Order).filter_by(id=order.id).update({"order_status": OrderStatus.PAID})
    db.session.commit()
    response = client.put(f"/v2/order/{order.id}/delivery", json=CMS_BODY, headers=shipper)
    assert response.status_code == 201
    assert response.get_json()["data"]["shipping_upload"] is None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_upload_state_reads_done_after_sending_and_failed_with_wechats_message(
    app, client, shipper, monkeypatch
):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 1)
    done, failed = make_wechat_paid_order(openid="o-1"), make_wechat_paid_order(openid="o-2")
    for order in (done, failed):
        client.put(f"/v2/order/{order.id}/delivery", json=CMS_BODY, headers=shipper)

    def answer(request):
        if f'"{failed.order_no}"' in request.body.decode():
            return 200, {}, '{"errcode": 10060001, "errmsg": "支付单不存在"}'
        return 200, {}, '{"errcode": 0, "errmsg": "ok"}'

    with wechat_configured(app) as mock:
        answer_stable_token(mock, "ACCESS-1")
        mock.add_callback(responses.POST, SHIPPING_UPLOAD_URL, callback=answer)
        report = run_outbox()
    assert (report["sent"], report["dead"]) == (1, 1)
    first = client.get(f"/v2/order/{done.id}", headers=shipper).get_json()["data"]
    assert first["shipping_upload"]["state"] == "done"
    second = client.get(f"/v2/order/{failed.id}", headers=shipper).get_json()["data"]
    assert second["shipping_upload"]["state"] == "failed"
    assert second["shipping_upload"]["message"] == "10060001 支付单不存在"
    assert second["shipping_upload"]["attempts"] == 1


def test_order_detail_without_delivery_has_null_upload(client, shipper):
    order = make_order(make_user(), (make_product(stock=5), 1))
    pay_order(order)
    data = client.get(f"/v2/order/{order.id}", headers=shipper).get_json()["data"]
    assert data["shipping_upload"] is None


def test_delivery_with_wechat_configured_checks_the_fetched_list_in_the_request(
    app, client, shipper
):
    from tests.factories import DELIVERY_LIST_URL

    order, other = make_wechat_paid_order(openid="o-1"), make_wechat_paid_order(openid="o-2")
    with wechat_configured(app) as mock:
        answer_stable_token(mock, "ACCESS-1")
        mock.add(
            responses.POST,
            DELIVERY_LIST_URL,
            json={
                "errcode": 0,
                "delivery_list": [{"delivery_id": "SF", "delivery_name": "顺丰速运"}],
            },
        )
        response = client.put(f"/v2/order/{order.id}/delivery", json=CMS_BODY, headers=shipper)
        refused = client.put(
            f"/v2/order/{other.id}/delivery",
            json={"carrier": "圆通速递", "tracking_no": "YT-1"},
            headers=shipper,
        )
    assert response.status_code == 201, response.get_json()
    assert refused.status_code == 400  # in the bundled list, not in WeChat's answer
    assert _upload_of(order.id).body["shipping_list"][0]["express_company"] == "SF"
