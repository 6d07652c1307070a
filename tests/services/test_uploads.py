"""Upload checks: names, keys, content proof, dedupe and release (no HTTP)."""

import re

import pytest

from app.core.exceptions import (
    FileContentMismatch,
    FileException,
    FileTooLarge,
    FileTypeNotAllowed,
)
from app.extensions import db
from app.models import File
from app.services import files, uploads
from app.services.storage import get_storage
from tests.factories import jpeg_bytes, png_bytes

ALL = uploads.allowed_extensions


def _validate(name, data, max_size=1_000_000):
    return uploads.validate(name, data, extensions=ALL(), max_size=max_size)


def test_generate_key_format():
    key = uploads.generate_key(".png")
    assert re.fullmatch(r"[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9a-f]{32}\.png", key)
    assert uploads.generate_key(".png") != key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("photo.png", "photo.png"),
        ("C:\\Users\\me\\photo.png", "photo.png"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("a\x00b\x1f.txt", "ab.txt"),
        ("  spaced.txt  ", "spaced.txt"),
        ("..", ""),
        ("", ""),
        ("x" * 200 + ".png", "x" * 96 + ".png"),
    ],
)
def test_clean_display_name(raw, expected):
    assert uploads.clean_display_name(raw) == expected


def test_split_extension_lowercases():
    assert uploads.split_extension("A.PNG") == ("A", ".png")
    assert uploads.split_extension("archive.tar.gz") == ("archive.tar", ".gz")
    assert uploads.split_extension("README") == ("README", "")


def test_free_name_suffixes():
    taken = {"a.png", "a (1).png"}
    assert files.free_name("a.png", taken) == "a (2).png"
    assert files.free_name("b.png", taken) == "b.png"
    assert files.free_name("a (1).png", taken) == "a (2).png"
    assert files.free_name("dir.v2", {"dir.v2"}, is_folder=True) == "dir.v2 (1)"


def test_allowed_extensions_from_config(app):
    assert ALL() == sorted(ALL())
    assert ".png" in ALL() and ".zip" in ALL()


def test_images_are_decoded():
    upload = _validate("a.jpeg", jpeg_bytes())
    assert upload.mime_type == "image/jpeg" and upload.is_image
    assert len(upload.sha256) == 64
    with pytest.raises(FileContentMismatch):
        _validate("a.png", png_bytes()[:20])  # truncated
    with pytest.raises(FileContentMismatch):
        _validate("a.gif", png_bytes())


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("a.zip", b"PK\x03\x04rest", "application/zip"),
        ("a.docx", b"PK\x03\x04rest", uploads.MIME_TYPES[".docx"]),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "application/msword"),
        ("a.mp3", b"ID3\x03\x00", "audio/mpeg"),
        ("a.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("a.md", "# 标题\n\ntext".encode(), "text/markdown"),
        ("a.txt", "中文".encode("gb18030"), "text/plain"),
        ("a.txt", "\ufeffnotepad 记事本".encode("utf-16-le"), "text/plain"),
    ],
)
def test_signatures_accept_real_content(name, data, mime):
    assert _validate(name, data).mime_type == mime


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", b"not a pdf"),
        ("a.zip", b"not a zip"),
        ("a.doc", b"<html>"),
        ("a.mp4", b"\x00\x00\x00\x18abcd"),
        ("a.txt", b"\x00\x01binary\x00"),
        ("a.txt", b"  <!DOCTYPE html><p>x"),
        ("a.txt", b"\xef\xbb\xbf<html><body>x</body></html>"),
        ("a.md", b"text\n<iframe src=x></iframe>"),
        ("a.txt", b"<svg onload=alert(1)>"),
        ("a.txt", b"#!/bin/sh\nrm -rf /"),
        ("a.txt", b"<?php echo 1; ?>"),
        ("a.txt", "\ufeff<html><body>x".encode("utf-16-le")),
        ("a.txt", "<html>".encode("utf-16-le")),
    ],
)
def test_mismatched_or_active_content_is_refused(name, data):
    with pytest.raises(FileContentMismatch):
        _validate(name, data)


def test_type_size_and_empty_checks():
    with pytest.raises(FileTypeNotAllowed):
        _validate("a.html", b"x")
    with pytest.raises(FileTypeNotAllowed):
        _validate("noextension", b"x")
    with pytest.raises(FileException):
        _validate("a.txt", b"")
    with pytest.raises(FileTooLarge):
        _validate("a.txt", b"x" * 11, max_size=10)


def test_store_dedupes_on_live_rows(app):
    upload = _validate("a.png", png_bytes(color=(4, 4, 4)))
    first = uploads.store(upload)
    db.session.add(
        File(
            parent_id=0,
            name="a.png",
            storage=first.storage,
            storage_key=first.key,
            sha256=upload.sha256,
            extension=".png",
        )
    )
    db.session.commit()
    assert uploads.store(upload) == first
    row = db.session.query(File).filter_by(storage_key=first.key).one()
    row.soft_delete()
    db.session.commit()
    assert uploads.release([first]) == [first.key]
    assert not get_storage().exists(first.key)
    assert uploads.store(upload).key != first.key


# ------------------------------------------------------------- image bombs


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    """A real, complete 9400x9400 PNG of a few hundred KB that decodes to ~88 Mpx."""
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("1", (9400, 9400)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/v1/user/avatar", "customer_headers"),
        ("/v2/image", "super_headers"),
        ("/v2/file/0", "super_headers"),
    ],
)
def test_upload_image_over_the_dimension_cap_answers_413_on_every_path(
    client, request, bomb_png, path, headers
):
    import io

    before = db.session.query(File).count()
    response = client.post(
        path,
        data={"file": (io.BytesIO(bomb_png), "bomb.png")},
        headers=request.getfixturevalue(headers),
        content_type="multipart/form-data",
    )
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (413, 10310)
    assert body["msg"].endswith("; at most 4096 pixels a side and 16000000 pixels in all")
    assert db.session.query(File).count() == before


@pytest.mark.parametrize(
    ("limits", "size"),
    [({"IMAGE_MAX_SIDE": 16}, (17, 2)), ({"IMAGE_MAX_PIXELS": 100}, (11, 10))],
)
def test_validate_image_dimension_caps_come_from_config(app, limits, size):
    saved = {key: app.config[key] for key in limits}
    app.config.update(limits)
    try:
        with pytest.raises(FileTooLarge):
            _validate("a.png", png_bytes(size=size))
        smaller = (size[0] - 1, size[1])
        assert _validate("a.png", png_bytes(size=smaller)).mime_type == "image/png"
    finally:
        app.config.update(saved)


def test_validate_image_checks_the_header_before_decoding(app, monkeypatch):
    from PIL import ImageFile

    def no_decoding(self):
        raise AssertionError("decoded a refused image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "verify", no_decoding)
    app.config["IMAGE_MAX_SIDE"], saved = 8, app.config["IMAGE_MAX_SIDE"]
    try:
        with pytest.raises(FileTooLarge):
            _validate("a.png", png_bytes(size=(9, 9)))
    finally:
        app.config["IMAGE_MAX_SIDE"] = saved
