"""The shared access token: fetched once and shared (database or Redis), one refresher at a
time, and one forced refresh plus one retry when WeChat refuses the token."""

import json
import os
import time

import pytest
import requests
import responses
from responses import matchers
from sqlalchemy import select

from app.core.exceptions import WeChatNotConfigured
from app.extensions import db
from app.models import WeChatAccessToken
from app.models.base import now
from app.services.wechat_platform import token
from app.services.wechat_platform.http import WeChatError, WeChatUnreachable
from tests.factories import (
    STABLE_TOKEN_URL,
    SUBSCRIBE_SEND_URL,
    WX_TEST_BASE_URL,
    answer_stable_token,
    wechat_configured,
)
from tests.helpers import run_parallel

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
API_URL = SUBSCRIBE_SEND_URL


def _token_calls(mock) -> list[dict]:
    return [
        json.loads(call.request.body) for call in mock.calls if call.request.url == STABLE_TOKEN_URL
    ]


def _api_tokens(mock) -> list[str]:
    """The access_token query parameter of every call to the API (not to stable_token)."""
    return [
        call.request.params["access_token"]
        for call in mock.calls
        if call.request.url.split("?")[0] == API_URL
    ]


def _stored() -> tuple | None:
    db.session.rollback()
    row = db.session.scalar(select(WeChatAccessToken))
    return None if row is None else (row.app_id, row.token, row.lock_owner)


def test_access_token_sends_the_stable_token_body(wx):
    answer_stable_token(wx, "ACCESS-1")
    assert token.access_token() == "ACCESS-1"
    assert _token_calls(wx) == [
        {
            "grant_type": "client_credential",
            "appid": "wx-test-app",
            "secret": "wx-test-secret",
            "force_refresh": False,
        }
    ]
    assert wx.calls[0].request.headers["Content-Type"] == "application/json; charset=utf-8"


def test_access_token_is_fetched_once_for_many_uses_and_shared_with_other_apps(wx, app, make_app):
    answer_stable_token(wx, "ACCESS-1")
    assert {token.access_token() for _ in range(20)} == {"ACCESS-1"}
    other = make_app(WX_APP_ID="wx-test-app", WX_APP_SECRET="wx-test-secret")
    other.config["WECHAT_API_BASE"] = WX_TEST_BASE_URL
    with other.app_context():
        assert token.access_token() == "ACCESS-1"  # another worker reads the stored token
    assert len(_token_calls(wx)) == 1
    assert _stored() == ("wx-test-app", "ACCESS-1", None)  # the lock was released


def test_access_token_close_to_expiry_is_refreshed(wx):
    answer_stable_token(wx, "OLD", expires_in=token.REFRESH_MARGIN + 5)
    answer_stable_token(wx, "NEW")
    assert token.access_token() == "OLD"
    db.session.execute(
        WeChatAccessToken.__table__.update().values(expire_time=now() + token.REFRESH_MARGIN)
    )
    db.session.commit()
    assert token.access_token() == "NEW"
    assert [body["force_refresh"] for body in _token_calls(wx)] == [False, False]


def test_call_refused_token_refreshes_once_with_force_refresh_and_retries_once(wx):
    answer_stable_token(wx, "ACCESS-1")
    answer_stable_token(wx, "ACCESS-2")
    wx.add(responses.POST, API_URL, json={"errcode": 40001, "errmsg": "invalid credential"})
    wx.add(responses.POST, API_URL, json={"errcode": 0, "errmsg": "ok"})
    assert token.call("/cgi-bin/message/subscribe/send", {"touser": "o"}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    assert [body["force_refresh"] for body in _token_calls(wx)] == [False, True]
    assert _api_tokens(wx) == ["ACCESS-1", "ACCESS-2"]
    assert token.access_token() == "ACCESS-2"  # the refreshed token is the shared one now


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_call_refused_again_after_the_refresh_stops_there(wx, errcode):
    answer_stable_token(wx, "ACCESS-1")
    answer_stable_token(wx, "ACCESS-2")
    wx.add(responses.POST, API_URL, json={"errcode": errcode, "errmsg": "token refused"})
    with pytest.raises(WeChatError) as raised:
        token.call("/cgi-bin/message/subscribe/send", {})
    assert raised.value.errcode == errcode
    assert len(_token_calls(wx)) == 2 and len(_api_tokens(wx)) == 2  # one refresh, one retry


def test_call_other_errcode_is_not_a_token_problem(wx):
    answer_stable_token(wx, "ACCESS-1")
    wx.add(responses.POST, API_URL, json={"errcode": 47003, "errmsg": "argument invalid"})
    with pytest.raises(WeChatError, match="47003 argument invalid"):
        token.call("/cgi-bin/message/subscribe/send", {})
    assert len(_token_calls(wx)) == 1 and len(_api_tokens(wx)) == 1


def test_forced_refresh_takes_the_token_another_worker_already_refreshed(wx):
    answer_stable_token(wx, "ACCESS-2")
    assert token.access_token() == "ACCESS-2"
    # A worker still holding ACCESS-1 was refused: the stored token is already newer.
    assert token.access_token(force_refresh=True, stale="ACCESS-1") == "ACCESS-2"
    assert len(_token_calls(wx)) == 1


def test_stable_token_error_is_raised_and_the_lock_released(wx):
    wx.add(responses.POST, STABLE_TOKEN_URL, json={"errcode": 40125, "errmsg": "invalid secret"})
    with pytest.raises(WeChatError) as raised:
        token.access_token()
    assert raised.value.errcode == 40125
    assert _stored() == ("wx-test-app", None, None)
    answer_stable_token(wx, "ACCESS-1")
    assert token.access_token() == "ACCESS-1"


def test_stable_token_unreachable_raises_unreachable(wx):
    wx.add(responses.POST, STABLE_TOKEN_URL, body=requests.ConnectionError("down"))
    with pytest.raises(WeChatUnreachable):
        token.access_token()
    wx.add(responses.POST, STABLE_TOKEN_URL, status=502)
    with pytest.raises(WeChatUnreachable, match="HTTP 502"):
        token.access_token()


def test_access_token_without_credentials_is_not_configured(app):
    with pytest.raises(WeChatNotConfigured):
        token.access_token()


def _refresh_race(app, mock, workers: int) -> list:
    """`workers` threads ask for the token at once while WeChat takes 0.3 s to answer."""

    def slow_token(request):
        time.sleep(0.3)
        return 200, {}, json.dumps({"access_token": "SHARED", "expires_in": 7200})

    mock.add_callback(responses.POST, STABLE_TOKEN_URL, callback=slow_token)
    return run_parallel(app, [token.access_token] * workers)


def test_concurrent_callers_make_one_refresh_through_the_database_lock(app, wx):
    results = _refresh_race(app, wx, 8)
    assert results == ["SHARED"] * 8
    assert len(_token_calls(wx)) == 1


@pytest.fixture
def redis_app(make_app):
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)

    def clean():
        keys = client.keys("mini_shop:wechat:*")
        if keys:
            client.delete(*keys)

    clean()
    yield make_app(CACHE_REDIS_URL=TEST_REDIS_URL), client
    clean()


def test_redis_store_shares_the_token_and_one_caller_refreshes(redis_app):
    app, client = redis_app
    with app.app_context(), wechat_configured(app) as mock:
        results = _refresh_race(app, mock, 8)
        assert results == ["SHARED"] * 8
        assert len(_token_calls(mock)) == 1
        assert token.access_token() == "SHARED"
        stored = json.loads(client.get("mini_shop:wechat:wx-test-app:access_token"))
        assert stored["token"] == "SHARED" and stored["expire_time"] > now() + 7000
        assert client.get("mini_shop:wechat:wx-test-app:access_token:lock") is None
        assert db.session.scalar(select(WeChatAccessToken)) is None  # not in the database


def test_redis_that_does_not_answer_falls_back_to_the_database(make_app):
    app = make_app(CACHE_REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens on port 9
    with app.app_context(), wechat_configured(app) as mock:
        answer_stable_token(mock, "ACCESS-DB")
        assert token.access_token() == "ACCESS-DB"
        assert token.access_token() == "ACCESS-DB"
        assert len(_token_calls(mock)) == 1
        assert db.session.scalar(select(WeChatAccessToken.token)) == "ACCESS-DB"


def test_call_sends_the_token_as_query_parameter(wx):
    answer_stable_token(wx, "ACCESS-1")
    wx.add(
        responses.POST,
        API_URL,
        json={"errcode": 0},
        match=[
            matchers.query_param_matcher({"access_token": "ACCESS-1"}),
            matchers.json_params_matcher({"touser": "o", "data": {"thing1": {"value": "中文"}}}),
        ],
    )
    token.call(
        "/cgi-bin/message/subscribe/send", {"touser": "o", "data": {"thing1": {"value": "中文"}}}
    )
    assert "中文".encode() in wx.calls[-1].request.body  # UTF-8, not \\u escapes
