"""Catalog images: /v2/image (also /cms/image)."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import File, Image
from tests.factories import (
    auth_headers,
    jpeg_bytes,
    make_banner,
    make_banner_item,
    make_category,
    make_image,
    make_product,
    make_product_image,
    make_staff,
    make_theme,
    png_bytes,
)


def _upload(client, headers, name="p.png", content=None, prefix="/v2"):
    content = png_bytes() if content is None else content
    return client.post(
        f"{prefix}/image",
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _row(image_id):
    db.session.expire_all()
    return db.session.scalar(
        select(Image).where(Image.id == image_id).execution_options(include_deleted=True)
    )


@pytest.fixture
def image_limit(app):
    saved = app.config["IMAGE_MAX_SIZE"]
    yield lambda value: app.config.update(IMAGE_MAX_SIZE=value)
    app.config["IMAGE_MAX_SIZE"] = saved


def test_upload_image_creates_row(app, client, super_headers):
    content = jpeg_bytes()
    response = _upload(client, super_headers, "pic.jpg", content)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["source"] == 3
    assert data["url"].startswith("http://localhost/uploads/") and data["url"].endswith(".jpg")
    assert isinstance(data["create_time"], str)
    row = _row(data["id"])
    assert row.source == 3 and data["url"].endswith(row.url)
    assert (Path(app.config["UPLOAD_FOLDER"]) / row.url).read_bytes() == content


def test_upload_identical_images_share_object(client, super_headers):
    content = png_bytes(color=(5, 6, 7))
    first = _upload(client, super_headers, "a.png", content).get_json()["data"]
    second = _upload(client, super_headers, "b.png", content).get_json()["data"]
    assert first["id"] != second["id"]
    assert first["url"] == second["url"]


def test_upload_fake_image_is_refused(client, super_headers):
    response = _upload(client, super_headers, "fake.png", b"hello, I am text")
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10340
    assert db.session.scalar(select(Image)) is None


def test_upload_jpeg_named_png_is_refused(client, super_headers):
    response = _upload(client, super_headers, "photo.png", jpeg_bytes())
    assert response.get_json()["error_code"] == 10340


def test_upload_non_image_type_is_refused(client, super_headers):
    response = _upload(client, super_headers, "doc.pdf", b"%PDF-1.4")
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10330


def test_upload_too_large_is_refused(client, super_headers, image_limit):
    content = png_bytes(size=(64, 64))
    image_limit(len(content) - 1)
    response = _upload(client, super_headers, "big.png", content)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10310


def test_upload_two_parts_is_refused(client, super_headers):
    response = client.post(
        "/v2/image",
        data={"file": [(io.BytesIO(png_bytes()), "a.png"), (io.BytesIO(png_bytes()), "b.png")]},
        headers=super_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10320


def test_upload_empty_multipart_is_refused(client, super_headers):
    response = client.post(
        "/v2/image", data={}, headers=super_headers, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 10300


def test_network_image_is_stored_as_given(client, super_headers):
    url = "https://cdn.example.com/a/b.png?x=1"
    response = client.post("/cms/image", json={"url": url}, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["url"] == url and data["source"] == 2
    assert _row(data["id"]).url == url


def test_network_image_rejects_bad_urls(client, super_headers):
    for url in ("ftp://x/y.png", "/relative.png", "https://" + "a" * 250, "javascript:alert(1)"):
        response = client.post("/v2/image", json={"url": url}, headers=super_headers)
        assert response.status_code == 400, url
        assert response.get_json()["error_code"] == 1000
    assert db.session.scalar(select(Image)) is None


def test_list_images_newest_first(client, super_headers):
    old, new = make_image(), make_image(url="https://x.example/y.png", source=2)
    data = client.get("/v2/image/list", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    assert data["items"][0]["url"] == "https://x.example/y.png"
    assert data["items"][1]["url"] == "http://localhost/static/images" + old.url
    assert data["total"] == 2


def test_get_image_and_missing(client, super_headers):
    image = make_image()
    assert client.get(f"/v2/image/{image.id}", headers=super_headers).get_json()["data"]["id"] == (
        image.id
    )
    response = client.get("/v2/image/9999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 10380


def test_delete_unused_image(client, super_headers):
    image = make_image()
    response = client.delete(f"/v2/image/{image.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": image.id}
    assert _row(image.id).delete_time is not None
    assert client.get(f"/v2/image/{image.id}", headers=super_headers).status_code == 404


def test_delete_image_in_use_is_409(client, super_headers):
    used = {
        "category": make_image(),
        "product": make_image(),
        "product_image": make_image(),
        "banner_item": make_image(),
        "theme": make_image(),
    }
    make_category(topic_img_id=used["category"].id)
    make_product(main_img_id=used["product"].id)
    make_product_image(make_product(), image=used["product_image"])
    make_banner_item(make_banner(), image=used["banner_item"])
    make_theme(head_img_id=used["theme"].id)
    for kind, image in used.items():
        response = client.delete(f"/v2/image/{image.id}", headers=super_headers)
        assert response.status_code == 409, kind
        assert response.get_json()["error_code"] == 10390
        assert _row(image.id).delete_time is None


def test_delete_image_of_deleted_category_is_allowed(client, super_headers):
    image = make_image()
    category = make_category(topic_img_id=image.id)
    category.soft_delete()
    db.session.commit()
    assert client.delete(f"/v2/image/{image.id}", headers=super_headers).status_code == 202


def test_delete_uploaded_image_removes_object_when_last(app, client, super_headers):
    content = png_bytes(color=(1, 1, 1))
    first = _upload(client, super_headers, "a.png", content).get_json()["data"]
    second = _upload(client, super_headers, "b.png", content).get_json()["data"]
    path = Path(app.config["UPLOAD_FOLDER"]) / _row(first["id"]).url
    client.delete(f"/v2/image/{first['id']}", headers=super_headers)
    assert path.exists()
    client.delete(f"/v2/image/{second['id']}", headers=super_headers)
    assert not path.exists()
    backing = db.session.scalars(select(File).where(File.storage_key == _row(first["id"]).url))
    assert backing.all() == []


def test_delete_uploaded_image_keeps_object_used_by_file_manager(app, client, super_headers):
    content = png_bytes(color=(2, 2, 2))
    client.post(
        "/v2/file/68",
        data={"file": (io.BytesIO(content), "same.png")},
        headers=super_headers,
        content_type="multipart/form-data",
    )
    image = _upload(client, super_headers, "a.png", content).get_json()["data"]
    path = Path(app.config["UPLOAD_FOLDER"]) / _row(image["id"]).url
    client.delete(f"/v2/image/{image['id']}", headers=super_headers)
    assert path.exists()


def test_image_routes_need_permissions(client):
    reader = make_staff(("图片", "查询图片"))
    headers = auth_headers(reader)
    assert client.get("/v2/image/list", headers=headers).status_code == 200
    assert _upload(client, headers).status_code == 403
    image = make_image()
    assert client.delete(f"/v2/image/{image.id}", headers=headers).status_code == 403
