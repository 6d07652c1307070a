"""The outbox runner: due rows sent once, back-off while WeChat is down, dead after N error
answers and retried by an admin, declined answers final, claims safe with several runners."""

import json
import threading
from pathlib import Path

import pytest
import requests
import responses
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services.wechat_platform import outbox, run_outbox
from tests.factories import (
    SHIPPING_UPLOAD_URL,
    SUBSCRIBE_SEND_URL,
    answer_stable_token,
    make_outbox_message,
)
from tests.helpers import needs_mariadb, run_parallel

T0 = 1_800_000_000

OK = {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def wx(wx):
    answer_stable_token(wx, "ACCESS-1")
    return wx


def _sent_bodies(mock, url=SHIPPING_UPLOAD_URL) -> list[dict]:
    return [
        json.loads(call.request.body)
        for call in mock.calls
        if call.request.url.split("?")[0] == url
    ]


def _row(row_id) -> OutboxMessage:
    db.session.rollback()
    return db.session.get(OutboxMessage, row_id, populate_existing=True)


def _report(**counts) -> dict:
    return {"sent": 0, "skipped": 0, "retried": 0, "dead": 0, "lost": 0, **counts}


def test_run_sends_a_due_row_once_and_marks_it_sent(wx):
    row = make_outbox_message(body={"order_key": {"out_trade_no": "N1"}}, next_attempt_time=T0)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    assert run_outbox(at=T0) == _report(sent=1)
    assert _sent_bodies(wx) == [{"order_key": {"out_trade_no": "N1"}}]
    assert wx.calls[-1].request.params == {"access_token": "ACCESS-1"}
    sent = _row(row.id)
    assert (sent.state, sent.attempts, sent.sent_time, sent.claim_token) == ("sent", 1, T0, None)
    assert run_outbox(at=T0 + 86400) == _report()
    assert len(_sent_bodies(wx)) == 1


def test_run_leaves_rows_that_are_not_due(wx):
    make_outbox_message(next_attempt_time=T0 + 10)
    assert run_outbox(at=T0) == _report()
    assert _sent_bodies(wx) == []


@pytest.mark.parametrize(
    "outage",
    [
        {"body": requests.ConnectionError("refused")},
        {"body": requests.Timeout("slow")},
        {"status": 503, "body": "busy"},
        {"json": {"errcode": -1, "errmsg": "system error"}},
    ],
    ids=["connection", "timeout", "http-503", "errcode-1"],
)
def test_wechat_down_for_a_while_retries_with_backoff_then_sends_once(wx, app, outage):
    row = make_outbox_message(next_attempt_time=T0)
    for _ in range(3):
        wx.add(responses.POST, SHIPPING_UPLOAD_URL, **outage)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    # tries at T0, +60, +180 (+60 +120) fail; the one at +420 (+240 more) succeeds
    schedule = [(T0, "retried", 60), (T0 + 60, "retried", 120), (T0 + 180, "retried", 240)]
    for at, outcome, wait in schedule:
        assert run_outbox(at=at) == _report(**{outcome: 1})
        assert run_outbox(at=at + wait - 1) == _report()  # not due during the back-off
        pending = _row(row.id)
        assert (pending.state, pending.next_attempt_time) == ("pending", at + wait)
        assert pending.last_error
    assert run_outbox(at=T0 + 420) == _report(sent=1)
    assert run_outbox(at=T0 + 100000) == _report()
    assert len(_sent_bodies(wx)) == 4
    sent = _row(row.id)
    assert (sent.state, sent.attempts, sent.last_error, sent.last_errcode) == ("sent", 4, "", None)


def test_backoff_doubles_up_to_its_ceiling(app):
    app.config.update(OUTBOX_BACKOFF_SECONDS=60, OUTBOX_BACKOFF_MAX_SECONDS=3600)
    assert [outbox.backoff(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_outage_never_makes_a_row_dead(wx, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    row = make_outbox_message(next_attempt_time=T0)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, body=requests.ConnectionError("refused"))
    for hour in range(5):
        run_outbox(at=T0 + hour * 3600)
    assert (_row(row.id).state, _row(row.id).attempts) == ("pending", 5)


def test_error_answer_is_dead_after_max_attempts_and_an_admin_retry_sends_it(wx, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    row = make_outbox_message(next_attempt_time=T0)
    refused = wx.add(
        responses.POST, SHIPPING_UPLOAD_URL, json={"errcode": 10060001, "errmsg": "支付单不存在"}
    )
    assert run_outbox(at=T0) == _report(retried=1)
    assert run_outbox(at=T0 + 60) == _report(retried=1)
    assert run_outbox(at=T0 + 180) == _report(dead=1)
    dead = _row(row.id)
    assert (dead.state, dead.attempts, dead.last_errcode) == ("dead", 3, 10060001)
    assert dead.last_error == "10060001 支付单不存在"
    assert run_outbox(at=T0 + 100000) == _report()  # a dead row is not tried again
    assert len(_sent_bodies(wx)) == 3

    wx.remove(refused)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    retried = outbox.retry_dead(row.id)
    assert (retried.state, retried.attempts) == ("pending", 0)
    assert run_outbox() == _report(sent=1)
    assert _row(row.id).state == "sent"
    assert len(_sent_bodies(wx)) == 4


def test_retry_refuses_rows_that_are_not_dead(app):
    from app.core.exceptions import OutboxMessageNotFound, OutboxNotRetryable

    for state in ("pending", "sending", "sent", "skipped"):
        row = make_outbox_message(state=state)
        with pytest.raises(OutboxNotRetryable):
            outbox.retry_dead(row.id)
        assert _row(row.id).state == state
    with pytest.raises(OutboxMessageNotFound):
        outbox.retry_dead(987654)


def test_declined_message_43101_is_final_and_not_an_error(wx):
    row = make_outbox_message(
        kind="message", path="/cgi-bin/message/subscribe/send", next_attempt_time=T0
    )
    wx.add(
        responses.POST,
        SUBSCRIBE_SEND_URL,
        json={"errcode": 43101, "errmsg": "user refuse to accept the msg"},
    )
    assert run_outbox(at=T0) == _report(skipped=1)
    skipped = _row(row.id)
    assert (skipped.state, skipped.attempts, skipped.last_errcode) == ("skipped", 1, 43101)
    assert run_outbox(at=T0 + 100000) == _report()
    assert len(_sent_bodies(wx, SUBSCRIBE_SEND_URL)) == 1


def test_43101_on_a_shipping_upload_is_an_ordinary_failure(wx):
    row = make_outbox_message(next_attempt_time=T0)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json={"errcode": 43101, "errmsg": "refused"})
    assert run_outbox(at=T0) == _report(retried=1)
    assert _row(row.id).state == "pending"


def test_row_of_a_runner_that_stopped_is_claimed_again_after_its_lease(wx):
    stuck = make_outbox_message(
        state="sending", attempts=1, lease_expire_time=T0, claim_token="gone", next_attempt_time=0
    )
    live = make_outbox_message(
        state="sending", attempts=1, lease_expire_time=T0 + 1, claim_token="busy"
    )
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    assert run_outbox(at=T0) == _report(sent=1)
    assert (_row(stuck.id).state, _row(stuck.id).attempts) == ("sent", 2)
    assert (_row(live.id).state, _row(live.id).claim_token) == ("sending", "busy")


def test_run_sends_at_most_the_batch_size(wx, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 3)
    for _ in range(5):
        make_outbox_message(next_attempt_time=T0)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    assert run_outbox(at=T0) == _report(sent=3)
    assert run_outbox(at=T0) == _report(sent=2)


def test_run_without_wechat_credentials_sends_nothing(app):
    row = make_outbox_message(next_attempt_time=T0)
    assert run_outbox(at=T0) == {**_report(), "not_configured": 1}
    assert (_row(row.id).state, _row(row.id).attempts) == ("pending", 0)


def test_token_refused_by_wechat_counts_as_an_error_answer(app, monkeypatch):
    from tests.factories import STABLE_TOKEN_URL, wechat_configured

    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 1)
    row = make_outbox_message(next_attempt_time=T0)
    with wechat_configured(app) as mock:
        mock.add(responses.POST, STABLE_TOKEN_URL, json={"errcode": 40125, "errmsg": "bad secret"})
        assert run_outbox(at=T0) == _report(dead=1)
    assert _row(row.id).last_error == "40125 bad secret"


@needs_mariadb
def test_two_runners_at_once_never_send_a_row_twice(app, wx):
    ids = [make_outbox_message(body={"n": n}, next_attempt_time=T0).id for n in range(40)]
    lock = threading.Lock()
    seen = []

    def accept(request):
        with lock:
            seen.append(json.loads(request.body)["n"])
        return 200, {}, json.dumps(OK)

    wx.add_callback(responses.POST, SHIPPING_UPLOAD_URL, callback=accept)
    reports = run_parallel(app, [lambda: run_outbox(at=T0)] * 4, timeout=120)
    assert all(isinstance(report, dict) for report in reports), reports
    assert sorted(seen) == list(range(40))  # every row sent, none twice
    assert sum(report["sent"] for report in reports) == 40
    assert sum(report["lost"] for report in reports) == 0
    db.session.rollback()
    states = db.session.execute(
        select(OutboxMessage.state, OutboxMessage.attempts).where(OutboxMessage.id.in_(ids))
    ).all()
    assert set(states) == {("sent", 1)}
    print(f"claims per runner: {[report['sent'] for report in reports]}")


def test_outbox_run_command_prints_the_report(app, wx):
    make_outbox_message()
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    result = app.test_cli_runner().invoke(args=["outbox", "run"])
    assert result.exit_code == 0, result.output
    assert result.output == "sent=1 skipped=0 retried=0 dead=0 lost=0\n"


def test_outbox_run_command_without_wechat_says_so(app):
    result = app.test_cli_runner().invoke(args=["outbox", "run"])
    assert result.exit_code == 0
    assert "not configured" in result.output


def test_deploy_runs_the_outbox_every_minute():
    deploy = Path(__file__).resolve().parents[3] / "deploy"
    service = (deploy / "mini-shop-outbox.service").read_text()
    assert "flask --app server outbox run" in service
    assert "OnCalendar=*-*-* *:*:00" in (deploy / "mini-shop-outbox.timer").read_text()
    crontab = (deploy / "crontab").read_text()
    assert "* * * * * mini-shop" in crontab and "flask --app server outbox run" in crontab


def test_sending_costs_four_statements_a_row(wx):
    from tests.helpers import count_statements

    wx.add(responses.POST, SHIPPING_UPLOAD_URL, json=OK)
    make_outbox_message()
    run_outbox()  # stores the access token
    for _ in range(20):
        make_outbox_message()
    db.session.remove()
    with count_statements() as log:
        assert run_outbox()["sent"] == 20
    # per row: claim UPDATE, row SELECT, token SELECT, result UPDATE; twice the due-row SELECT
    print(f"outbox run of 20 rows: {log.count} statements")
    assert log.count <= 4 * 20 + 2


def test_unexpected_fault_while_sending_is_recorded_not_left_claimed(wx, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    row = make_outbox_message(next_attempt_time=T0)
    wx.add(responses.POST, SHIPPING_UPLOAD_URL, body=ValueError("a bug of ours"))
    assert run_outbox(at=T0) == _report(retried=1)
    assert (_row(row.id).state, _row(row.id).last_error) == ("pending", "ValueError while sending")
    assert run_outbox(at=T0 + 60) == _report(dead=1)
    assert (_row(row.id).state, _row(row.id).claim_token) == ("dead", None)
