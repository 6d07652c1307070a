"""WeChat mini-program login: jscode2session error mapping, user creation, the first-login race."""

import pytest
import requests
import responses
from responses import matchers
from sqlalchemy import func, select

from app.core.exceptions import (
    AccountDisabled,
    TooManyRequests,
    WeChatCodeInvalid,
    WeChatNotConfigured,
    WeChatUnavailable,
)
from app.extensions import db
from app.models import Identity, LoginLog, User
from app.services import wechat
from tests.factories import JSCODE2SESSION_URL, make_wechat_user, wechat_configured


@pytest.fixture
def wx(app):
    with app.test_request_context("/v1/token", method="POST"), wechat_configured(app) as mock:
        yield mock


def answer(mock, body=None, status=200, **kwargs):
    mock.add(responses.GET, JSCODE2SESSION_URL, json=body, status=status, **kwargs)


def identities():
    return db.session.execute(
        select(Identity.type, Identity.identifier, Identity.user_id).order_by(Identity.type)
    ).all()


def test_login_with_code_sends_app_credentials_and_code(wx, app):
    wx.add(
        responses.GET,
        JSCODE2SESSION_URL,
        json={"openid": "o-1", "session_key": "secret-session"},
        match=[
            matchers.query_param_matcher(
                {
                    "appid": "wx-test-app",
                    "secret": "wx-test-secret",
                    "js_code": "the-code",
                    "grant_type": "authorization_code",
                }
            )
        ],
    )
    user = wechat.login_with_code("the-code")
    assert user.id is not None
    assert len(wx.calls) == 1


def test_login_with_code_creates_user_and_identity_on_first_login(wx):
    answer(wx, {"openid": "o-new", "session_key": "sk"})
    user = wechat.login_with_code("code")
    row = db.session.get(User, user.id)
    assert (row.auth, row.group_id, row.password_hash, row.nickname) == (1, None, None, None)
    assert row.username is None and row.email is None and row.mobile is None
    assert identities() == [(200, "o-new", user.id)]


def test_login_with_code_existing_user_logs_into_it(wx):
    existing = make_wechat_user("o-known", nickname="Known")
    answer(wx, {"openid": "o-known", "session_key": "sk"})
    assert wechat.login_with_code("code").id == existing.id
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_login_with_code_stores_unionid(wx):
    answer(wx, {"openid": "o-2", "unionid": "u-2", "session_key": "sk"})
    user = wechat.login_with_code("code")
    assert identities() == [(200, "o-2", user.id), (201, "u-2", user.id)]


def test_login_with_code_remembers_unionid_sent_later(wx):
    existing = make_wechat_user("o-3")
    answer(wx, {"openid": "o-3", "unionid": "u-3"})
    wechat.login_with_code("code")
    assert identities() == [(200, "o-3", existing.id), (201, "u-3", existing.id)]


def test_login_with_code_never_stores_session_key(wx):
    answer(wx, {"openid": "o-4", "session_key": "sk-must-not-leak"})
    wechat.login_with_code("code")
    stored = [str(value) for row in identities() for value in row]
    stored += [str(log.message) for log in db.session.scalars(select(LoginLog))]
    assert not any("sk-must-not-leak" in value for value in stored)


@pytest.mark.parametrize("errcode", [40029, 40163, 40226])
def test_login_with_code_invalid_code_raises_11020(wx, errcode):
    answer(wx, {"errcode": errcode, "errmsg": "invalid code"})
    with pytest.raises(WeChatCodeInvalid) as error:
        wechat.login_with_code("bad-code")
    assert (error.value.code, error.value.error_code) == (400, 11020)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_with_code_rate_limited_raises_1008(wx):
    answer(wx, {"errcode": 45011, "errmsg": "api minute-quota reach limit"})
    with pytest.raises(TooManyRequests) as error:
        wechat.login_with_code("code")
    assert (error.value.code, error.value.error_code) == (429, 1008)
    assert error.value.extra_headers == {"Retry-After": "60"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"errcode": -1, "errmsg": "system busy"}},
        {"json": {"errcode": 40013, "errmsg": "invalid appid"}},
        {"json": {"session_key": "sk"}},
        {"json": {"openid": ""}},
        {"json": ["not", "an", "object"]},
        {"body": "<html>gateway</html>"},
        {"json": {"openid": "o"}, "status": 500},
        {"body": requests.exceptions.ReadTimeout("slow")},
        {"body": requests.exceptions.ConnectionError("down")},
    ],
    ids=[
        "busy",
        "other-errcode",
        "no-openid",
        "empty-openid",
        "not-object",
        "not-json",
        "http-500",
        "timeout",
        "connection-error",
    ],
)
def test_login_with_code_unusable_answer_raises_11030(wx, kwargs):
    wx.add(responses.GET, JSCODE2SESSION_URL, **kwargs)
    with pytest.raises(WeChatUnavailable) as error:
        wechat.login_with_code("code")
    assert (error.value.code, error.value.error_code) == (502, 11030)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_with_code_not_configured_raises_11040_without_calling(app, wx):
    app.config["WX_APP_SECRET"] = ""
    with pytest.raises(WeChatNotConfigured) as error:
        wechat.login_with_code("code")
    assert (error.value.code, error.value.error_code) == (503, 11040)
    assert len(wx.calls) == 0


def test_login_with_code_failure_writes_login_log_without_code(wx):
    answer(wx, {"errcode": 40029})
    with pytest.raises(WeChatCodeInvalid):
        wechat.login_with_code("secret-code-123")
    log = db.session.scalars(select(LoginLog)).one()
    assert (log.user_id, log.user_name, log.client_type, log.status) == (None, "", 200, False)
    assert "secret-code-123" not in log.message


def test_login_with_code_disabled_user_raises_20020_and_logs(wx):
    user = make_wechat_user("o-off", nickname="Off", active=False)
    answer(wx, {"openid": "o-off"})
    with pytest.raises(AccountDisabled):
        wechat.login_with_code("code")
    log = db.session.scalars(select(LoginLog)).one()
    assert (log.user_id, log.user_name, log.status) == (user.id, "Off", False)


def test_login_with_code_race_on_first_login_logs_into_winner(wx, monkeypatch):
    winner = make_wechat_user("o-race")
    answer(wx, {"openid": "o-race"})
    real_find = wechat.find_user_by_openid
    calls = []

    def find_after_losing(openid):
        # The first look-up happens before the other request committed its user.
        calls.append(openid)
        return None if len(calls) == 1 else real_find(openid)

    monkeypatch.setattr(wechat, "find_user_by_openid", find_after_losing)
    assert wechat.login_with_code("code").id == winner.id
    assert len(calls) == 2
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert identities() == [(200, "o-race", winner.id)]
