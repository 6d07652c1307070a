"""The error envelope, code.md kept in step with the exception classes, /error_code."""

import re
from pathlib import Path

import pytest

from app.core.exceptions import all_exceptions
from tests.helpers import client_with_routes

CODE_MD = Path(__file__).resolve().parents[2] / "code.md"


def _code_table() -> dict[int, tuple[str, str]]:
    rows = {}
    for line in CODE_MD.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*(\d+)\s*\|\s*(\w+)\s*\|\s*(\w+)\s*\|", line)
        if match:
            rows[int(match.group(1))] = (match.group(2), match.group(3))
    return rows


def test_code_md_lists_every_exception_and_nothing_else():
    table = _code_table()
    documented = {code for code in table if code not in (0, 1, 2)}
    defined = {cls.error_code for cls in all_exceptions()}
    assert documented == defined
    for cls in all_exceptions():
        http, name = table[cls.error_code]
        assert name == cls.__name__
        assert http == ("4xx" if name == "HTTPError" else str(cls.code))


def test_error_codes_are_unique():
    codes = [cls.error_code for cls in all_exceptions()]
    assert len(codes) == len(set(codes))


def test_error_code_page_renders_the_table(client):
    response = client.get("/error_code")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<table>" in html
    for code in (999, 1000, 50020, 85010):
        assert f"<td>{code}</td>" in html


def test_unknown_url_answers_404_1007(client):
    response = client.get("/v1/no/such/thing")
    assert response.status_code == 404
    assert response.get_json() == {
        "error_code": 1007,
        "msg": "Not Found",
        "request_url": "GET /v1/no/such/thing",
    }


def test_trailing_slash_answers_404(client):
    response = client.get("/v1/user/")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 1007


def test_wrong_method_answers_405_1007(client):
    response = client.put("/v1/token/verify")
    assert response.status_code == 405
    assert response.get_json()["error_code"] == 1007


def test_malformed_json_answers_400_1000(client):
    response = client.post("/v1/token", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000
    assert "JSON" in response.get_json()["msg"]


def test_non_object_json_answers_400(client):
    response = client.post("/v1/token", json=[1, 2, 3])
    assert response.status_code == 400
    assert response.get_json()["msg"] == "The request body must be a JSON object"


def test_wrong_content_type_answers_400(client):
    response = client.post(
        "/v1/token", data="account=a&type=101", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


def test_oversized_json_body_answers_413_1007(client):
    body = '{"account": "' + "a" * (1024 * 1024 + 10) + '", "type": 101}'
    response = client.post("/v1/token", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 1007


@pytest.fixture
def crashing_client(make_app):
    """A client of an app with one extra route that raises an unexpected error."""

    def crash():
        raise RuntimeError("secret internal detail SELECT * FROM user")

    return client_with_routes(make_app(), {"GET /__test/crash": crash})


def test_unexpected_error_answers_500_without_internals_and_is_logged(crashing_client):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import ErrorLog

    response = crashing_client.get("/__test/crash", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    body = response.get_json()
    assert body == {
        "error_code": 999,
        "msg": "Internal server error",
        "request_url": "GET /__test/crash",
    }
    assert "secret" not in response.get_data(as_text=True)
    row = db.session.scalars(select(ErrorLog)).one()
    assert row.exception == "RuntimeError"
    assert row.request_id == "req-123"
    assert "Traceback" in row.traceback
    assert row.path == "/__test/crash"


def test_request_id_is_echoed_or_generated(client):
    assert (
        client.get("/health", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    )
    generated = client.get("/health", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]
    assert generated != "bad id!" and len(generated) == 32


def test_path_id_beyond_integer_columns_answers_the_domain_404(client, super_headers):
    for huge in ("99999999999999999999999", "2147483648", "9" * 5000):
        response = client.get(f"/v1/product/{huge}")
        assert response.status_code == 404
        assert response.get_json()["error_code"] == 30010
    response = client.delete("/v2/product/99999999999999999999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 30010)


# ------------------------------------------------- database values out of range


@pytest.fixture
def data_error_client(make_app):
    """A client of an app whose extra routes hit a value the database refuses."""
    import pymysql
    from sqlalchemy import update
    from sqlalchemy.exc import DataError

    from app.extensions import db
    from app.models import Product

    def data_error():
        raise DataError(
            "UPDATE product SET price=%s",
            {},
            pymysql.err.DataError(1264, "Out of range value for column 'price' at row 1"),
        )

    def overflow(product_id):
        db.session.execute(
            update(Product).where(Product.id == product_id).values(price="1000000000.00")
        )
        db.session.commit()
        return {"stored": True}

    return client_with_routes(
        make_app(),
        {"GET /__test/data-error": data_error, "GET /__test/overflow/<int:product_id>": overflow},
    )


def test_database_data_error_answers_400_1015_and_no_error_row(data_error_client):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import ErrorLog

    response = data_error_client.get("/__test/data-error")
    assert response.status_code == 400
    assert response.get_json() == {
        "error_code": 1015,
        "msg": "A value is too large or too long to be stored",
        "request_url": "GET /__test/data-error",
    }
    assert db.session.scalar(select(func.count()).select_from(ErrorLog)) == 0


def test_decimal_overflow_on_mariadb_answers_400_1015(app, data_error_client):
    from tests.factories import make_product

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite does not enforce DECIMAL(10,2)")
    product = make_product(price="1.00")
    response = data_error_client.get(f"/__test/overflow/{product.id}")
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1015)


# --------------------------------------------------------------- 405 and 413


def test_wrong_method_answers_405_with_allow_header(client):
    response = client.put("/v1/token/verify")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


def _too_large(app, client, caplog, **limits):
    import io
    import logging

    from tests.factories import auth_headers, make_user

    headers = auth_headers(make_user(auth=2))
    saved = {key: app.config[key] for key in limits}
    app.config.update(limits)
    caplog.set_level(logging.DEBUG)
    try:
        answers = [
            client.put("/v2/config/1", json={"name": "n" * 3000}, headers=headers),
            client.post(
                "/v2/file/0",
                data={"file": (io.BytesIO(b"a" * 3000), "big.txt")},
                headers=headers,
                content_type="multipart/form-data",
            ),
        ]
    finally:
        app.config.update(saved)
    return [(r.status_code, r.get_json()) for r in answers]


@pytest.mark.parametrize(
    "limits", [{"MAX_CONTENT_LENGTH": 1000}, {"JSON_MAX_LENGTH": 1000}], ids=["content", "json"]
)
def test_body_over_a_limit_answers_one_413_envelope_and_logs_no_traceback(
    app, client, caplog, limits
):
    answers = _too_large(app, client, caplog, **limits)
    expected = {"error_code": 1007, "msg": "Request body is too large"}
    json_answer = answers[0]
    assert json_answer[0] == 413
    assert {k: json_answer[1][k] for k in expected} == expected
    if "MAX_CONTENT_LENGTH" in limits:  # a multipart body only meets the request-wide limit
        assert answers[1][0] == 413
        assert {k: answers[1][1][k] for k in expected} == expected
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
