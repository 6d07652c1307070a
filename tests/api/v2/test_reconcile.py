"""GET /v2/pay/reconcile, /v2/pay/reconcile/{id} and /v2/pay/reconcile/{id}/items."""

from datetime import date

import pytest

from app.extensions import db
from app.models.reconcile import ReconcileDay, ReconcileItem
from tests.factories import auth_headers, make_staff

READ = ("支付对账", "查询对账报告")


def make_report(day: date, items=(), **counts) -> ReconcileDay:
    report = ReconcileDay(bill_date=day, bill_rows=len(items), **counts)
    db.session.add(report)
    db.session.flush()
    for category, kind, no, bill_amount, local_amount in items:
        db.session.add(
            ReconcileItem(
                day_id=report.id,
                category=category,
                kind=kind,
                transaction_id=f"42{no}",
                out_trade_no=no,
                bill_amount=bill_amount,
                local_amount=local_amount,
                repair="paid" if category == "missing_local" else "",
            )
        )
    db.session.commit()
    return report


@pytest.fixture
def reader():
    return auth_headers(make_staff(READ))


def test_list_reports_newest_day_first_with_counts(client, reader):
    make_report(date(2026, 1, 1), matched=3)
    make_report(
        date(2026, 1, 3),
        matched=1,
        missing_local=1,
        missing_wechat=2,
        amount_mismatch=1,
        repaired=1,
        bill_order_total=1250,
        bill_refund_total=50,
    )
    make_report(date(2026, 1, 2))
    response = client.get("/v2/pay/reconcile?size=2", headers=reader)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert (data["total"], data["total_page"], data["current_page"]) == (3, 2, 1)
    first = data["items"][0]
    assert [item["bill_date"] for item in data["items"]] == ["2026-01-03", "2026-01-02"]
    assert {key: first[key] for key in ("matched", "missing_local", "missing_wechat")} == {
        "matched": 1,
        "missing_local": 1,
        "missing_wechat": 2,
    }
    assert (first["problems"], first["repaired"], first["runs"]) == (4, 1, 1)
    assert (first["bill_order_total"], first["bill_refund_total"]) == ("12.50", "0.50")
    assert len(first["create_time"]) == 19  # admin times are local text


def test_list_reports_filters_by_day(client, reader):
    make_report(date(2026, 1, 1))
    wanted = make_report(date(2026, 1, 2))
    response = client.get("/v2/pay/reconcile?bill_date=2026-01-02", headers=reader)
    assert [item["id"] for item in response.get_json()["data"]["items"]] == [wanted.id]


@pytest.mark.parametrize("value", ["2026-13-01", "2026-1-1", "yesterday", "2026-02-30"])
def test_list_reports_refuses_a_bad_day(client, reader, value):
    response = client.get(f"/v2/pay/reconcile?bill_date={value}", headers=reader)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error_code"] == 1000 and "bill_date" in body["errors"]


def test_get_report(client, reader):
    report = make_report(date(2026, 1, 5), matched=2, order_mismatch=1, hash_value="ab" * 20)
    data = client.get(f"/v2/pay/reconcile/{report.id}", headers=reader).get_json()["data"]
    assert (data["id"], data["bill_date"], data["matched"], data["order_mismatch"]) == (
        report.id,
        "2026-01-05",
        2,
        1,
    )
    assert data["hash_value"] == "ab" * 20 and data["problems"] == 1


def test_unknown_report_answers_72010(client, reader):
    for path in ("/v2/pay/reconcile/999", "/v2/pay/reconcile/999/items"):
        response = client.get(path, headers=reader)
        assert response.status_code == 404
        assert response.get_json()["error_code"] == 72010


def test_list_report_items_in_order_with_filters(client, reader):
    report = make_report(
        date(2026, 1, 5),
        items=[
            ("matched", "payment", "NO1", 800, 800),
            ("missing_local", "payment", "NO2", 1250, 1250),
            ("missing_wechat", "refund", "NO3", None, 300),
            ("matched", "refund", "NO1", 800, 800),
        ],
    )
    other = make_report(date(2026, 1, 6), items=[("matched", "payment", "NO9", 1, 1)])
    path = f"/v2/pay/reconcile/{report.id}/items"
    data = client.get(path, headers=reader).get_json()["data"]
    assert [(i["out_trade_no"], i["category"], i["kind"]) for i in data["items"]] == [
        ("NO1", "matched", "payment"),
        ("NO2", "missing_local", "payment"),
        ("NO3", "missing_wechat", "refund"),
        ("NO1", "matched", "refund"),
    ]
    missing = data["items"][2]
    assert (missing["bill_amount"], missing["local_amount"]) == (None, "3.00")
    assert data["items"][1]["repair"] == "paid" and data["items"][1]["transaction_id"] == "42NO2"
    matched = client.get(f"{path}?category=matched&kind=refund", headers=reader).get_json()
    assert [i["out_trade_no"] for i in matched["data"]["items"]] == ["NO1"]
    paged = client.get(f"{path}?size=1&page=2", headers=reader).get_json()["data"]
    assert (paged["total"], [i["out_trade_no"] for i in paged["items"]]) == (4, ["NO2"])
    assert other.id != report.id


@pytest.mark.parametrize("query", ["category=lost", "kind=transfer", "size=0", "page=x"])
def test_list_report_items_refuses_bad_filters(client, reader, query):
    report = make_report(date(2026, 1, 5))
    response = client.get(f"/v2/pay/reconcile/{report.id}/items?{query}", headers=reader)
    assert response.status_code == 400 and response.get_json()["error_code"] == 1000


def test_reports_need_their_permission(client, customer_headers):
    report = make_report(date(2026, 1, 5))
    other = auth_headers(make_staff(("订单", "查询订单列表")))
    for path in ("/v2/pay/reconcile", f"/v2/pay/reconcile/{report.id}", "/cms/pay/reconcile"):
        for headers in (other, customer_headers):
            response = client.get(path, headers=headers)
            assert response.status_code == 403 and response.get_json()["error_code"] == 1004
        assert client.get(path).status_code == 401
