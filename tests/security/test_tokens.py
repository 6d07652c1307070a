"""Token abuse: expired, forged, tampered, other secret or salt, revoked, refresh-token reuse."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.core.auth import ACCESS_TOKEN_SALT
from app.extensions import db
from tests import factories
from tests.security.helpers import routes

PROBE_V1 = "/v1/user"  # a login route every client calls


def _sign(app, payload, *, secret=None, salt=ACCESS_TOKEN_SALT, age=0):
    class Backdated(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - age

    serializer = URLSafeTimedSerializer(
        secret or app.config["SECRET_KEY"], salt=salt, signer=Backdated
    )
    return serializer.dumps(payload)


def _payload(user, **changes):
    payload = {"uid": user.id, "type": 101, "scope": user.scope, "ver": user.token_version or 0}
    payload.update(changes)
    return payload


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _admin_probe(app, prefix):
    for route in routes(app, prefix):
        if route.method == "GET" and route.kind == "super" and not route.int_params:
            return route.rule
    pytest.skip(f"no super GET route under {prefix} yet")


def _assert_401(response, code, msg=None):
    body = response.get_json()
    assert response.status_code == 401, body
    assert body["error_code"] == code, body
    if msg:
        assert body["msg"] == msg


def test_signed_token_is_accepted_so_the_probes_are_meaningful(app, client, customer):
    response = client.get(PROBE_V1, headers=_bearer(_sign(app, _payload(customer))))
    assert response.status_code == 200
    assert response.get_json()["data"]["id"] == customer.id


def test_expired_token_is_1003_on_v1_and_v2(app, client, super_admin):
    lifetime = app.config["TOKEN_EXPIRES_IN"]
    token = _sign(app, _payload(super_admin), age=lifetime + 5)
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1003, "Token expired")
    _assert_401(client.get(_admin_probe(app, "/v2/"), headers=_bearer(token)), 1003)


def test_expired_token_is_1002_on_cms(app, client, super_admin):
    token = _sign(app, _payload(super_admin), age=app.config["TOKEN_EXPIRES_IN"] + 5)
    response = client.get(_admin_probe(app, "/cms/"), headers=_bearer(token))
    _assert_401(response, 1002, "Token expired")


def test_token_just_inside_its_lifetime_still_works(app, client, customer):
    token = _sign(app, _payload(customer), age=app.config["TOKEN_EXPIRES_IN"] - 30)
    assert client.get(PROBE_V1, headers=_bearer(token)).status_code == 200


def test_shorter_configured_lifetime_expires_tokens(app, client, customer):
    token = _sign(app, _payload(customer), age=100)
    saved = app.config["TOKEN_EXPIRES_IN"]
    app.config["TOKEN_EXPIRES_IN"] = 60
    try:
        _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1003)
    finally:
        app.config["TOKEN_EXPIRES_IN"] = saved


@pytest.mark.parametrize(
    "token",
    ["forged", "a.b.c", "eyJ1aWQiOjF9.AAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBB", "x" * 5000, "é"],
    ids=["word", "dots", "shaped", "long", "non-ascii"],
)
def test_forged_token_is_1002(client, token):
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002)


def test_tampered_payload_is_1002(app, client, customer, super_admin):
    token = _sign(app, _payload(customer))
    other = _sign(app, _payload(super_admin))
    # the super admin's payload with the customer's timestamp and signature
    tampered = ".".join([other.split(".")[0], *token.split(".")[1:]])
    _assert_401(client.get(PROBE_V1, headers=_bearer(tampered)), 1002)
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    _assert_401(client.get(PROBE_V1, headers=_bearer(flipped)), 1002)


def test_token_signed_with_another_secret_is_1002(app, client, customer):
    token = _sign(app, _payload(customer), secret="another-secret-" + "x" * 30)
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002)


def test_token_signed_with_another_salt_is_1002(app, client, customer):
    token = _sign(app, _payload(customer), salt="itsdangerous")
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002)


@pytest.mark.parametrize(
    "payload",
    [{"uid": "1"}, {"uid": None}, ["uid", 1], "1", {"type": 101}, {"uid": 987654, "ver": 0}],
    ids=["uid-text", "uid-null", "list", "string", "no-uid", "unknown-user"],
)
def test_well_signed_nonsense_payload_is_1002(app, client, payload):
    _assert_401(client.get(PROBE_V1, headers=_bearer(_sign(app, payload))), 1002)


def test_token_of_a_deleted_user_is_1002(app, client, customer):
    token = _sign(app, _payload(customer))
    customer.soft_delete()
    db.session.commit()
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002)


def test_token_of_a_disabled_user_is_1002(app, client, customer):
    token = _sign(app, _payload(customer))
    customer.active = False
    db.session.commit()
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002)


def test_token_revoked_by_version_bump_is_1002(app, client, customer):
    token = _sign(app, _payload(customer))
    customer.revoke_tokens()
    db.session.commit()
    _assert_401(client.get(PROBE_V1, headers=_bearer(token)), 1002, "Token revoked")


def test_old_version_claim_is_refused(app, client, customer):
    customer.revoke_tokens()
    db.session.commit()
    stale = _sign(app, _payload(customer, ver=(customer.token_version or 0) - 1))
    _assert_401(client.get(PROBE_V1, headers=_bearer(stale)), 1002)


def test_scope_claim_grants_nothing(app, client, customer):
    token = _sign(app, _payload(customer, scope="super"))
    response = client.get(_admin_probe(app, "/v2/"), headers=_bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == 1004


def _login(client, user):
    response = client.post(
        "/v1/token", json={"type": 101, "account": user.email, "secret": factories.PASSWORD}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _refresh(client, refresh_token):
    return client.post("/v1/token/refresh", json={"refresh_token": refresh_token})


def test_refresh_token_reuse_revokes_the_family(client, customer):
    pair = _login(client, customer)
    first = _refresh(client, pair["refresh_token"])
    assert first.status_code == 200
    rotated = first.get_json()["data"]
    assert rotated["refresh_token"] != pair["refresh_token"]
    reused = _refresh(client, pair["refresh_token"])
    _assert_401(reused, 11060)
    # the whole family is dead, including the descendant the thief may hold
    _assert_401(_refresh(client, rotated["refresh_token"]), 11050)


def test_refresh_token_after_version_bump_is_11050(client, customer):
    pair = _login(client, customer)
    customer.revoke_tokens()
    db.session.commit()
    _assert_401(_refresh(client, pair["refresh_token"]), 11050)
    _assert_401(client.get(PROBE_V1, headers=_bearer(pair["token"])), 1002)


@pytest.mark.parametrize("value", ["forged", "", "x" * 300])
def test_unknown_refresh_token_is_refused(client, value):
    response = _refresh(client, value)
    assert response.status_code in (400, 401)
    assert response.get_json()["error_code"] in (1000, 11050)


def test_access_token_is_not_a_refresh_token(client, customer):
    pair = _login(client, customer)
    _assert_401(_refresh(client, pair["token"]), 11050)


def test_refresh_token_is_not_an_access_token(client, customer):
    pair = _login(client, customer)
    _assert_401(client.get(PROBE_V1, headers=_bearer(pair["refresh_token"])), 1002)


def test_logout_everywhere_kills_access_and_refresh_tokens(client, customer):
    pair = _login(client, customer)
    response = client.delete("/v1/token", headers=_bearer(pair["token"]))
    assert response.status_code == 202
    _assert_401(client.get(PROBE_V1, headers=_bearer(pair["token"])), 1002)
    _assert_401(_refresh(client, pair["refresh_token"]), 11050)


def _public_gets(app):
    return [
        r
        for r in routes(app, "/v1/")
        if r.kind == "public" and r.method == "GET" and not (r.int_params or r.other_params)
    ]


@pytest.mark.parametrize(
    "header",
    [
        "undefined",
        "Bearer forged",
        "Basic !!!not-base64",
        "Token abc",
        "Bearer",
        "null",
    ],
)
def test_bad_credentials_on_public_routes_are_anonymous(app, client, header):
    checked = _public_gets(app)
    for route in checked:
        response = client.get(route.rule, headers={"Authorization": header})
        assert response.status_code not in (401, 403), (str(route), response.get_json())
        assert response.status_code < 500, str(route)
    print(f"public routes checked with bad credentials: {len(checked)}")


def test_expired_token_on_public_route_is_anonymous(app, client, customer):
    token = _sign(app, _payload(customer), age=app.config["TOKEN_EXPIRES_IN"] + 5)
    for route in _public_gets(app):
        response = client.get(route.rule, headers=_bearer(token))
        assert response.status_code not in (401, 403), str(route)


def test_basic_scheme_carries_the_token(app, client, customer):
    import base64

    token = _sign(app, _payload(customer))
    for password in ("$", ""):
        raw = base64.b64encode(f"{token}:{password}".encode()).decode()
        assert client.get(PROBE_V1, headers={"Authorization": f"basic {raw}"}).status_code == 200
