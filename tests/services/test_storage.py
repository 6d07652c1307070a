"""Storage backends: the local folder and S3 (with a stubbed botocore client, no network)."""

import io
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from app.core.exceptions import StorageError
from app.extensions import db
from app.models import File
from app.services.storage import (
    LocalStorage,
    S3Storage,
    build_storage,
    get_storage,
    is_valid_key,
    set_storage,
)
from tests.factories import png_bytes

KEY = "2026/01/02/" + "0123456789abcdef" * 2 + ".png"


@pytest.fixture
def s3_client():
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="test-access",
        aws_secret_access_key="test-secret",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def use_s3(app, s3_client):
    client, stubber = s3_client
    storage = S3Storage("shop-bucket", client)
    set_storage(app, storage)
    yield storage, stubber
    set_storage(app, None)


def test_key_validation():
    assert is_valid_key(KEY)
    assert is_valid_key("2026/01/02/" + "a" * 32)
    for bad in ("", "../x.png", "2026/01/02/../../x.png", "/2026/01/02/" + "a" * 32, "x.png"):
        assert not is_valid_key(bad)


def test_local_save_read_delete(tmp_path):
    storage = LocalStorage(tmp_path)
    storage.save(KEY, b"bytes", "image/png", inline=True)
    assert storage.exists(KEY)
    assert storage.path(KEY).read_bytes() == b"bytes"
    assert storage.path(KEY).is_relative_to(tmp_path.resolve())
    storage.delete(KEY)
    assert not storage.exists(KEY)
    storage.delete(KEY)  # deleting twice is fine


def test_local_refuses_keys_outside_root(tmp_path):
    storage = LocalStorage(tmp_path)
    with pytest.raises(StorageError):
        storage.path("../outside.png")
    with pytest.raises(StorageError):
        storage.save("/etc/passwd", b"x", "text/plain", inline=False)


def test_local_write_failure_is_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    storage = LocalStorage(blocker)
    with pytest.raises(StorageError):
        storage.save(KEY, b"x", "image/png", inline=True)


def test_build_storage_from_config(tmp_path):
    local = build_storage({"STORAGE_BACKEND": "local", "UPLOAD_FOLDER": str(tmp_path)})
    assert isinstance(local, LocalStorage) and local.root == tmp_path.resolve()
    s3 = build_storage(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "b",
            "S3_REGION": "us-east-1",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "S3_ACCESS_KEY_ID": "a",
            "S3_SECRET_ACCESS_KEY": "s",
            "S3_PUBLIC_BASE_URL": "https://cdn.example.com/",
        }
    )
    assert isinstance(s3, S3Storage) and s3.bucket == "b"
    assert s3.public_base_url == "https://cdn.example.com"
    with pytest.raises(StorageError):
        build_storage({"STORAGE_BACKEND": "s3", "S3_BUCKET": ""})
    with pytest.raises(StorageError):
        build_storage({"STORAGE_BACKEND": "ftp"})
    inside_code = str(Path(__file__).resolve().parents[2] / "app" / "static" / "uploads")
    with pytest.raises(StorageError):
        build_storage({"STORAGE_BACKEND": "local", "UPLOAD_FOLDER": inside_code})


def test_app_storage_is_local_upload_folder(app):
    storage = get_storage()
    assert isinstance(storage, LocalStorage)
    assert str(storage.root) == str(app.config["UPLOAD_FOLDER"])


def test_s3_save_sets_type_and_disposition(s3_client):
    client, stubber = s3_client
    storage = S3Storage("shop-bucket", client)
    stubber.add_response(
        "put_object",
        {},
        {"Bucket": "shop-bucket", "Key": KEY, "Body": b"img", "ContentType": "image/png"},
    )
    storage.save(KEY, b"img", "image/png", inline=True)
    text_key = KEY.replace(".png", ".txt")
    stubber.add_response(
        "put_object",
        {},
        {
            "Bucket": "shop-bucket",
            "Key": text_key,
            "Body": b"txt",
            "ContentType": "text/plain",
            "ContentDisposition": "attachment",
        },
    )
    storage.save(text_key, b"txt", "text/plain", inline=False)


def test_s3_save_failure_is_storage_error(s3_client):
    client, stubber = s3_client
    stubber.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
    with pytest.raises(StorageError):
        S3Storage("shop-bucket", client).save(KEY, b"x", "image/png", inline=True)


def test_s3_exists_and_delete(s3_client):
    client, stubber = s3_client
    storage = S3Storage("shop-bucket", client)
    stubber.add_response("head_object", {}, {"Bucket": "shop-bucket", "Key": KEY})
    stubber.add_client_error("head_object", service_error_code="404", http_status_code=404)
    stubber.add_response("delete_object", {}, {"Bucket": "shop-bucket", "Key": KEY})
    assert storage.exists(KEY) is True
    assert storage.exists(KEY) is False
    storage.delete(KEY)


def test_s3_download_url(s3_client):
    client, _ = s3_client
    assert (
        S3Storage("b", client, "https://cdn.example.com").download_url(KEY, inline=True)
        == f"https://cdn.example.com/{KEY}"
    )
    signed = S3Storage("b", client).download_url(KEY.replace(".png", ".pdf"), inline=False)
    assert "Signature=" in signed and "response-content-disposition=attachment" in signed


def test_upload_through_s3_backend(client, super_headers, use_s3):
    _, stubber = use_s3
    stubber.add_response(
        "put_object",
        {},
        {"Bucket": "shop-bucket", "Key": ANY, "Body": ANY, "ContentType": "image/png"},
    )
    response = client.post(
        "/v2/file/68",
        data={"file": (io.BytesIO(png_bytes()), "s3.png")},
        headers=super_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    row = db.session.get(File, response.get_json()["data"][0]["id"])
    assert row.storage == "s3" and is_valid_key(row.storage_key)


def test_serving_with_s3_redirects(client, use_s3):
    storage, _ = use_s3
    storage.public_base_url = "https://cdn.example.com"
    response = client.get(f"/uploads/{KEY}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"https://cdn.example.com/{KEY}"
