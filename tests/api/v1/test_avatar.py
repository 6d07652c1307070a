"""POST /v1/user/avatar: upload my avatar."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import File, User
from tests.factories import png_bytes


def _upload(client, headers, name="me.png", content=None):
    return client.post(
        "/v1/user/avatar",
        data={"file": (io.BytesIO(png_bytes() if content is None else content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _user(user_id) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


@pytest.fixture
def avatar_limit(app):
    saved = app.config["AVATAR_MAX_SIZE"]
    yield lambda value: app.config.update(AVATAR_MAX_SIZE=value)
    app.config["AVATAR_MAX_SIZE"] = saved


def test_upload_avatar_sets_avatar_and_answers_me(app, client, customer, customer_headers):
    content = png_bytes(color=(10, 20, 30))
    response = _upload(client, customer_headers, content=content)
    assert response.status_code == 201
    body = response.get_json()
    assert body["error_code"] == 1
    me = body["data"]
    assert me["id"] == customer.id
    key = _user(customer.id).avatar
    assert me["avatar"] == f"http://localhost/uploads/{key}"
    assert isinstance(me["create_time"], int)
    assert (Path(app.config["UPLOAD_FOLDER"]) / key).read_bytes() == content
    row = db.session.scalar(select(File).where(File.storage_key == key))
    assert row.parent_id is None and row.owner_id == customer.id and not row.is_folder


def test_upload_avatar_is_outside_file_tree(client, customer_headers, super_headers):
    _upload(client, customer_headers, name="secret-face.png")
    items = client.get("/v2/file/name/secret-face.png", headers=super_headers).get_json()
    assert items["data"]["items"] == []
    listing = client.get("/v2/file/list?size=100", headers=super_headers).get_json()["data"]
    assert all(item["name"] != "secret-face.png" for item in listing["items"])


def test_replacing_avatar_removes_old_object(app, client, customer, customer_headers):
    _upload(client, customer_headers, content=png_bytes(color=(1, 0, 0)))
    old_key = _user(customer.id).avatar
    _upload(client, customer_headers, content=png_bytes(color=(0, 1, 0)))
    new_key = _user(customer.id).avatar
    assert new_key != old_key
    assert not (Path(app.config["UPLOAD_FOLDER"]) / old_key).exists()
    assert (Path(app.config["UPLOAD_FOLDER"]) / new_key).exists()


def test_same_avatar_twice_keeps_object(app, client, customer, customer_headers):
    content = png_bytes(color=(3, 3, 3))
    _upload(client, customer_headers, content=content)
    _upload(client, customer_headers, content=content)
    key = _user(customer.id).avatar
    assert (Path(app.config["UPLOAD_FOLDER"]) / key).exists()
    rows = db.session.scalars(select(File).where(File.storage_key == key)).all()
    assert len(rows) == 1


def test_upload_avatar_fake_image_is_refused(client, customer, customer_headers):
    response = _upload(client, customer_headers, name="me.png", content=b"<html>not</html>")
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10340
    assert _user(customer.id).avatar == ""


def test_upload_avatar_wrong_type_is_refused(client, customer_headers):
    response = _upload(client, customer_headers, name="me.txt", content=b"text")
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10330


def test_upload_avatar_too_large_is_refused(client, customer, customer_headers, avatar_limit):
    content = png_bytes(size=(32, 32))
    avatar_limit(len(content) - 1)
    response = _upload(client, customer_headers, content=content)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10310
    assert _user(customer.id).avatar == ""


def test_upload_avatar_without_file_is_refused(client, customer_headers):
    response = client.post(
        "/v1/user/avatar", data={}, headers=customer_headers, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 10300


def test_upload_avatar_needs_login(client):
    response = _upload(client, {})
    assert response.status_code == 401
    assert response.get_json()["error_code"] == 1002


def _stored_image(app, customer_id):
    from PIL import Image as PILImage

    key = _user(customer_id).avatar
    return PILImage.open(Path(app.config["UPLOAD_FOLDER"]) / key)


def test_upload_avatar_is_stored_scaled_down_to_avatar_max_side(
    app, client, customer, customer_headers
):
    response = _upload(client, customer_headers, content=png_bytes(size=(1200, 800)))
    assert response.status_code == 201
    with _stored_image(app, customer.id) as stored:
        assert (stored.format, stored.size) == ("PNG", (512, 341))
    row = db.session.scalar(select(File).where(File.storage_key == _user(customer.id).avatar))
    stored_bytes = (Path(app.config["UPLOAD_FOLDER"]) / row.storage_key).read_bytes()
    assert row.size == len(stored_bytes)


def test_upload_avatar_is_re_encoded_without_metadata(app, client, customer, customer_headers):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a phone also writes the GPS position here
    PILImage.new("RGB", (40, 30), (9, 9, 9)).save(buffer, format="JPEG", exif=exif)
    response = _upload(client, customer_headers, name="me.jpg", content=buffer.getvalue())
    assert response.status_code == 201
    with _stored_image(app, customer.id) as stored:
        assert (stored.format, stored.size) == ("JPEG", (40, 30))
        assert dict(stored.getexif()) == {}
