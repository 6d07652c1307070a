"""Hardening: security headers, framing, CORS allow-list, production switches and refusals."""

import io

import pytest

from app import create_app
from app.config import ConfigError
from tests import factories
from tests.helpers import skip_unless_route
from tests.security.helpers import extra_app, routes

PRODUCTION_SECRET = "p" * 40
PUBLIC_BASE_URL = "https://shop.example.com"
CMS_ORIGIN = "https://cms.example.com"


def _production(app, **overrides):
    return extra_app(
        app,
        env_mode="production",
        SECRET_KEY=PRODUCTION_SECRET,
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        **overrides,
    )


# ------------------------------------------------------------ security headers


@pytest.mark.parametrize(
    "path", ["/health", "/v1/category/all", "/v1/user", "/v2/user/list", "/nope", "/v1/token"]
)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Request-ID"]


def test_error_answers_are_json_envelopes(client):
    response = client.get("/v1/definitely-not-here")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error_code"] == 1007


@pytest.mark.parametrize("path", ["/apidocs/", "/error_code"])
def test_docs_and_error_page_are_frameable_by_self_and_cms_origins(app, path):
    with extra_app(app, CORS_ORIGINS=f"{CMS_ORIGIN}, https://other.example.com") as configured:
        response = configured.test_client().get(path)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert policy == f"frame-ancestors 'self' {CMS_ORIGIN} https://other.example.com"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_wildcard_origin_never_reaches_frame_ancestors(client):
    response = client.get("/error_code")
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_request_id_is_echoed_or_replaced(client):
    assert client.get("/health", headers={"X-Request-ID": "abc-1.2_3"}).headers["X-Request-ID"] == (
        "abc-1.2_3"
    )
    replaced = client.get("/health", headers={"X-Request-ID": "bad id <script>"})
    assert replaced.headers["X-Request-ID"] != "bad id <script>"
    assert len(replaced.headers["X-Request-ID"]) <= 64


# --------------------------------------------------------------------- CORS


def test_development_allows_any_origin(app):
    with extra_app(app, env_mode="development") as dev:
        response = dev.test_client().get(
            "/v1/category/all", headers={"Origin": "https://anywhere.example"}
        )
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", "https://anywhere.example")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_preflight_needs_no_token_and_allows_the_headers(client, method):
    admin_route = next(r for r in routes(client.application, "/v2/") if r.kind != "public")
    response = client.options(
        admin_route.path(1),
        headers={
            "Origin": "https://cms.example.com",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.status_code in (200, 204)
    allowed = response.headers.get("Access-Control-Allow-Headers", "").lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    assert method in response.headers.get("Access-Control-Allow-Methods", "")


def test_production_allows_no_origin_until_configured(app):
    with _production(app) as prod:
        client = prod.test_client()
        response = client.get("/v1/category/all", headers={"Origin": CMS_ORIGIN})
        assert "Access-Control-Allow-Origin" not in response.headers
        preflight = client.options(
            "/v1/token",
            headers={"Origin": CMS_ORIGIN, "Access-Control-Request-Method": "POST"},
        )
        assert "Access-Control-Allow-Origin" not in preflight.headers


def test_production_allows_only_the_listed_origins(app):
    with _production(app, CORS_ORIGINS=CMS_ORIGIN) as prod:
        client = prod.test_client()
        listed = client.get("/v1/category/all", headers={"Origin": CMS_ORIGIN})
        assert listed.headers["Access-Control-Allow-Origin"] == CMS_ORIGIN
        other = client.get("/v1/category/all", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
        assert "Access-Control-Allow-Credentials" not in listed.headers


# ------------------------------------------------------- production switches


def test_production_switches_off_swagger_and_error_code_page(app):
    with _production(app) as prod:
        client = prod.test_client()
        for path in ("/apidocs/", "/apispec_1.json", "/error_code"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.get_json()["error_code"] == 1007
        assert client.get("/health").status_code == 200
        assert prod.debug is False


def test_production_can_switch_swagger_back_on(app):
    with _production(app, SWAGGER_ENABLED=True, ERROR_CODE_PAGE_ENABLED=True) as prod:
        client = prod.test_client()
        assert client.get("/apispec_1.json").status_code == 200
        assert client.get("/error_code").status_code == 200


def test_development_serves_swagger_and_error_code_page(client):
    assert client.get("/apispec_1.json").status_code == 200
    assert client.get("/apidocs/").status_code == 200
    assert client.get("/error_code").status_code == 200


@pytest.mark.parametrize("debug", [True, "true", 1])
def test_production_refuses_debug(app, debug):
    with pytest.raises(ConfigError) as refused:
        create_app({"SECRET_KEY": PRODUCTION_SECRET, "DEBUG": debug}, env_mode="production")
    assert "DEBUG" in str(refused.value)


def _refused_or_not_debug(app):
    try:
        with _production(app) as prod:
            return prod.debug is False
    except ConfigError:
        return True


def test_debug_from_the_environment_never_reaches_production(app, monkeypatch):
    monkeypatch.setenv("DEBUG", "true")
    assert _refused_or_not_debug(app)


def test_flask_debug_variable_never_reaches_production(app, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert _refused_or_not_debug(app)


@pytest.mark.parametrize(
    "secret", ["", "dev-secret-change-me", "testing-secret-not-for-production", "short"]
)
def test_production_refuses_a_default_or_weak_secret_key(secret):
    with pytest.raises(ConfigError) as refused:
        create_app({"SECRET_KEY": secret}, env_mode="production")
    message = str(refused.value)
    assert "\n" not in message
    assert "SECRET_KEY" in message


def test_production_secret_from_the_environment_is_used(app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET)
    with extra_app(app, env_mode="production", PUBLIC_BASE_URL=PUBLIC_BASE_URL) as prod:
        assert prod.config["SECRET_KEY"] == PRODUCTION_SECRET


# ------------------------------------------------------------- served uploads


def _upload(client, headers, name, content):
    data = {"file": (io.BytesIO(content), name)}
    return client.post("/v2/file", data=data, headers=headers, content_type="multipart/form-data")


def test_uploaded_non_image_files_are_served_as_attachments(app, client, super_admin):
    skip_unless_route(app, "POST", "/v2/file")
    headers = factories.auth_headers(super_admin)
    response = _upload(client, headers, "notes.txt", b"plain notes")
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["data"][0]["url"]
    path = url[url.index("/uploads/") :]
    served = client.get(path)
    assert served.status_code == 200
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()


def test_html_disguised_as_text_is_refused(app, client, super_admin):
    skip_unless_route(app, "POST", "/v2/file")
    headers = factories.auth_headers(super_admin)
    response = _upload(client, headers, "page.txt", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 415, response.get_json()
    assert response.get_json()["error_code"] == 10340
