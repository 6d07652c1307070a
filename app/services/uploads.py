"""Checking uploaded files and keeping their bytes: validation, dedupe, storage keys, release.

Every upload is read whole (within its size limit), its type proved from the content (images
decoded with Pillow, other types by signature, text refused when it is HTML or script), and its
bytes stored once per content under a generated key. Client file names are display names only.
"""

import hashlib
import io
import logging
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, request
from PIL import Image as PILImage
from PIL import ImageOps
from sqlalchemy import null, select

from app.core.exceptions import (
    FileContentMismatch,
    FileException,
    FileTooLarge,
    FileTooMany,
    FileTypeNotAllowed,
    ImageInUse,
    ParameterException,
)
from app.core.urls import upload_url
from app.extensions import db
from app.models import (
    BannerItem,
    Category,
    File,
    Image,
    Product,
    ProductImage,
    ReviewImage,
    Theme,
)
from app.models.catalog import IMAGE_NETWORK, IMAGE_UPLOADED
from app.services.storage import get_storage

logger = logging.getLogger("mini_shop.uploads")

FIELD = "file"
NAME_MAX = 100
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
_IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}

# Magic numbers of the non-image types we accept; a file of one of these types must start so.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".ppt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".wmv": (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c",),
}
MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".wmv": "video/x-ms-wmv",
    ".txt": "text/plain",
    ".md": "text/markdown",
}
TEXT_EXTENSIONS = (".txt", ".md", ".csv")

# Content a browser would run if it ever rendered the file: markup that starts a document, or
# script-bearing tags anywhere in a text file.
_ACTIVE_START = re.compile(
    rb"\s*(<!doctype|<html|<head|<body|<script|<svg|<\?xml|<\?php|<iframe|<meta|<!--|#!)",
    re.IGNORECASE,
)
_ACTIVE_TAG = re.compile(rb"<\s*/?\s*(script|iframe|object|embed|html|body|svg)\b", re.IGNORECASE)


@dataclass
class Upload:
    """One validated file: display name, lower-case extension, bytes and what they are."""

    name: str
    extension: str
    data: bytes
    mime_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.extension in IMAGE_EXTENSIONS


@dataclass(frozen=True)
class StoredObject:
    storage: str
    key: str


# ------------------------------------------------------------------ names


def split_extension(name: str) -> tuple[str, str]:
    """("photo", ".png") from "photo.PNG"; no extension gives ("name", "")."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext or len(ext) > 15 or not ext.isalnum():
        return name, ""
    return stem, "." + ext.lower()


def clean_display_name(raw: str | None) -> str:
    """A client file name reduced to a display name: no folders, no control characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        return ""
    if len(name) > NAME_MAX:
        stem, ext = split_extension(name)
        name = stem[: NAME_MAX - len(ext)] + ext
    return name


def generate_key(extension: str) -> str:
    """`<yyyy>/<mm>/<dd>/<uuid><.ext>` (UTC date, random uuid)."""
    today = datetime.now(UTC)
    return f"{today:%Y/%m/%d}/{uuid.uuid4().hex}{extension}"


# What generate_key makes for an image.
IMAGE_KEY_PATTERN = (
    r"[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9a-f]{32}\.(?:"
    + "|".join(ext.lstrip(".") for ext in IMAGE_EXTENSIONS)
    + ")"
)


# ---------------------------------------------------------------- checking


def allowed_extensions() -> list[str]:
    raw = current_app.config["FILE_ALLOWED_EXTENSIONS"]
    found = {"." + part.strip().lower().lstrip(".") for part in raw}
    return sorted(ext for ext in found if ext != ".")


def image_limits() -> tuple[int, int]:
    """(IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS): the largest image any upload path decodes."""
    config = current_app.config
    return int(config["IMAGE_MAX_SIDE"]), int(config["IMAGE_MAX_PIXELS"])


def _image_too_large(what: str) -> FileTooLarge:
    max_side, max_pixels = image_limits()
    return FileTooLarge(f"{what}; at most {max_side} pixels a side and {max_pixels} pixels in all")


def _check_dimensions(image) -> None:
    # Image.open reads only the header, so this runs before any pixel is decoded.
    max_side, max_pixels = image_limits()
    width, height = image.size
    if width > max_side or height > max_side or width * height > max_pixels:
        raise _image_too_large(f"Image is {width}x{height} pixels")


def _image_mime(data: bytes, extension: str) -> str:
    expected = _IMAGE_FORMATS[extension]
    # Pillow's own bomb guard (a warning past this many pixels, made an error below) refuses
    # the largest images while opening, and covers what the header check cannot see.
    PILImage.MAX_IMAGE_PIXELS = image_limits()[1]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=[expected]) as image:
                _check_dimensions(image)
                image.verify()
            with PILImage.open(io.BytesIO(data), formats=[expected]) as image:
                image.load()
                return PILImage.MIME.get(image.format, "application/octet-stream")
    except FileTooLarge:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise _image_too_large("Image dimensions are too large") from None
    except Exception:  # Pillow raises many types for undecodable data
        raise FileContentMismatch(f"The content is not a {expected} image") from None


def _utf8_view(data: bytes) -> bytes:
    """The bytes as UTF-8 without a byte order mark (UTF-16 with a BOM is converted)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data[2:]
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def is_active_content(data: bytes) -> bool:
    """True for HTML, SVG/XML documents and scripts (which a browser or shell would run)."""
    body = _utf8_view(data)
    if _ACTIVE_START.match(body[:4096]):
        return True
    if body[:2] in (b"<\x00", b"\x00<"):
        return True  # UTF-16 markup without a byte order mark
    return bool(_ACTIVE_TAG.search(body))


def _is_text(data: bytes) -> bool:
    body = _utf8_view(data)
    if b"\x00" in body:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            body.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _has_signature(data: bytes, extension: str) -> bool:
    if extension == ".mp3":
        return data.startswith(b"ID3") or (
            len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0
        )
    if extension == ".mp4":
        return data[4:8] == b"ftyp"
    return data.startswith(_SIGNATURES[extension])


def detect_mime(data: bytes, extension: str) -> str:
    """The MIME type proved from the content, or FileContentMismatch (415 / 10340)."""
    if extension in _IMAGE_FORMATS:
        return _image_mime(data, extension)
    if extension in _SIGNATURES or extension in (".mp3", ".mp4"):
        if not _has_signature(data, extension):
            raise FileContentMismatch(f"The content is not a {extension} file")
        return MIME_TYPES[extension]
    if is_active_content(data):
        raise FileContentMismatch("HTML or script content is not accepted")
    if extension in TEXT_EXTENSIONS:
        if not _is_text(data):
            raise FileContentMismatch("The content is not text")
        return MIME_TYPES.get(extension, "text/plain")
    return "application/octet-stream"


def validate(
    name: str, data: bytes, *, extensions: list[str] | tuple[str, ...], max_size: int
) -> Upload:
    """Check one file and answer it as an Upload (raises the 10300 block)."""
    display = clean_display_name(name)
    _, extension = split_extension(display)
    if not display or extension not in extensions:
        raise FileTypeNotAllowed(
            f"File type {extension or '(none)'} is not allowed; use one of " + ", ".join(extensions)
        )
    if not data:
        raise FileException(f"File {display} is empty")
    if len(data) > max_size:
        raise FileTooLarge(f"File {display} is larger than {max_size} bytes")
    mime = detect_mime(data, extension)
    return Upload(display, extension, data, mime, hashlib.sha256(data).hexdigest())


def _parts(max_count: int):
    if not request.mimetype.startswith("multipart/"):
        raise FileException()
    parts = [part for part in request.files.getlist(FIELD) if part.filename or part.content_length]
    if not parts:
        raise FileException()
    if len(parts) > max_count:
        raise FileTooMany(f"At most {max_count} files per request")
    return parts


def _read(part, max_size: int) -> bytes:
    data = part.stream.read(max_size + 1)
    if len(data) > max_size:
        raise FileTooLarge(
            f"File {clean_display_name(part.filename)} is larger than {max_size} bytes"
        )
    return data


def files_from_request() -> list[Upload]:
    """The `file` parts of a file-manager upload, validated against the FILE_* limits."""
    config = current_app.config
    max_size, total_max = int(config["FILE_MAX_SIZE"]), int(config["FILE_MAX_TOTAL"])
    extensions = allowed_extensions()
    uploads, total = [], 0
    for part in _parts(int(config["FILE_MAX_COUNT"])):
        data = _read(part, max_size)
        total += len(data)
        if total > total_max:
            raise FileTooLarge(f"The files together are larger than {total_max} bytes")
        uploads.append(validate(part.filename, data, extensions=extensions, max_size=max_size))
    return uploads


def image_from_request(max_size_key: str = "IMAGE_MAX_SIZE") -> Upload:
    """The single `file` part of an image or avatar upload, decoded to prove it is an image."""
    max_size = int(current_app.config[max_size_key])
    (part,) = _parts(1)
    data = _read(part, max_size)
    return validate(part.filename, data, extensions=IMAGE_EXTENSIONS, max_size=max_size)


# ---------------------------------------------------------------- storing


def _live_key_for(sha256: str, storage_name: str) -> str | None:

    return db.session.scalar(
        select(File.storage_key)
        .where(File.sha256 == sha256, File.storage == storage_name, File.storage_key != "")
        .order_by(File.id)
        .limit(1)
    )


def store(upload: Upload) -> StoredObject:
    """Keep the bytes, once per content: identical content reuses the live object."""
    storage = get_storage()
    key = _live_key_for(upload.sha256, storage.name)
    if key and storage.exists(key):
        return StoredObject(storage.name, key)
    key = generate_key(upload.extension)
    storage.save(key, upload.data, upload.mime_type, inline=upload.is_image)
    return StoredObject(storage.name, key)


def is_referenced(key: str) -> bool:
    """True while a live file row, a live uploaded image row or a review image uses the
    object."""

    if db.session.scalar(select(File.id).where(File.storage_key == key).limit(1)):
        return True
    # A review keeps its images even when the author's private row of one goes (an avatar of
    # the same content replaced, for instance).
    if db.session.scalar(select(ReviewImage.id).where(ReviewImage.key == key).limit(1)):
        return True
    return bool(
        db.session.scalar(
            select(Image.id).where(Image.source == IMAGE_UPLOADED, Image.url == key).limit(1)
        )
    )


def release(objects) -> list[str]:
    """Remove stored objects nothing live refers to any more; call after the commit."""
    storage = get_storage()
    removed = []
    for storage_name, key in {(o.storage, o.key) for o in objects if o.key}:
        if storage_name != storage.name or is_referenced(key):
            continue
        storage.delete(key)
        removed.append(key)
    return removed


# ------------------------------------------------------ images and avatars


def file_row(upload: Upload, stored: StoredObject, *, parent_id, name: str, owner_id) -> File:
    """A (not yet added) file row recording an upload's stored content."""
    return File(
        parent_id=parent_id,
        name=name,
        is_folder=False,
        extension=upload.extension,
        size=upload.size,
        mime_type=upload.mime_type,
        storage=stored.storage,
        storage_key=stored.key,
        sha256=upload.sha256,
        owner_id=owner_id,
    )


def _private_row(upload: Upload, stored: StoredObject, owner_id: int | None):
    """A file row outside the tree (parent NULL) that records a stored object's content."""

    existing = db.session.scalar(
        select(File).where(
            File.parent_id.is_(None),
            File.owner_id.is_(None) if owner_id is None else File.owner_id == owner_id,
            File.storage_key == stored.key,
        )
    )
    if existing is not None:
        return existing
    # parent NULL: plain None would let the column default (0, the root) win
    row = file_row(upload, stored, parent_id=null(), name=upload.name, owner_id=owner_id)
    db.session.add(row)
    return row


def upload_image(upload: Upload):
    """An uploaded catalog image (source 3); a private file row without owner records its
    content, so identical images share one stored object too."""

    stored = store(upload)
    _private_row(upload, stored, None)
    image = Image(url=stored.key, source=IMAGE_UPLOADED)
    db.session.add(image)
    db.session.commit()
    return image


def add_network_image(url: str):
    """A network image (source 2): the URL is stored as given and never fetched."""

    image = Image(url=url, source=IMAGE_NETWORK)
    db.session.add(image)
    db.session.commit()
    return image


def image_in_use(image_id: int) -> bool:
    """True while a live category, product, product image, theme or banner item uses it."""

    checks = (
        select(Category.id).where(Category.topic_img_id == image_id),
        select(Product.id).where(Product.main_img_id == image_id),
        select(ProductImage.id)
        .join(Product, Product.id == ProductImage.product_id)
        .where(ProductImage.img_id == image_id, Product.delete_time.is_(None)),
        select(Theme.id).where((Theme.topic_img_id == image_id) | (Theme.head_img_id == image_id)),
        select(BannerItem.id).where(BannerItem.img_id == image_id),
    )
    return any(db.session.scalar(check.limit(1)) is not None for check in checks)


def delete_image(image) -> None:
    """Soft-delete an image row; its stored object goes when nothing live uses it."""

    if image_in_use(image.id):
        raise ImageInUse()
    image.soft_delete()
    objects = []
    if image.source == IMAGE_UPLOADED and image.url:
        db.session.flush()
        still_used = db.session.scalar(
            select(Image.id).where(Image.source == IMAGE_UPLOADED, Image.url == image.url).limit(1)
        )
        if still_used is None:
            for row in db.session.scalars(
                select(File).where(
                    File.parent_id.is_(None), File.owner_id.is_(None), File.storage_key == image.url
                )
            ):
                row.soft_delete()
                objects.append(StoredObject(row.storage, row.storage_key))
            objects.append(StoredObject(get_storage().name, image.url))
    db.session.commit()
    release(objects)


def discard_avatar(user) -> list[StoredObject]:
    """Soft-delete the private rows of the user's uploaded avatar, before it is replaced or
    cleared; pass the answer to `release` after the commit."""
    if not user.avatar or user.avatar.startswith(("http://", "https://")):
        return []
    objects = []
    for row in db.session.scalars(
        select(File).where(
            File.parent_id.is_(None), File.owner_id == user.id, File.storage_key == user.avatar
        )
    ):
        row.soft_delete()
        objects.append(StoredObject(row.storage, row.storage_key))
    return objects


def reencoded(upload: Upload, max_side: int) -> Upload:
    """The image re-encoded in its own format, at most `max_side` pixels a side, first frame
    only, without metadata (a phone photo's EXIF holds its location)."""
    image_format = _IMAGE_FORMATS[upload.extension]
    with PILImage.open(io.BytesIO(upload.data), formats=[image_format]) as source:
        image = ImageOps.exif_transpose(source)  # keep the orientation the EXIF tag gave
    image.thumbnail((max_side, max_side))
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    data = buffer.getvalue()
    return Upload(
        upload.name, upload.extension, data, upload.mime_type, hashlib.sha256(data).hexdigest()
    )


def avatar_image(upload: Upload) -> Upload:
    """The avatar as stored: re-encoded, at most AVATAR_MAX_SIDE pixels a side."""
    return reencoded(upload, int(current_app.config["AVATAR_MAX_SIDE"]))


def set_avatar(user, upload: Upload) -> None:
    """Store an avatar owned by the user, outside the file tree, and drop the previous one."""
    upload = avatar_image(upload)
    stored = store(upload)
    objects = [] if user.avatar == stored.key else discard_avatar(user)
    _private_row(upload, stored, user.id)
    user.avatar = stored.key
    db.session.commit()
    release(objects)


def set_avatar_url(user, value: str) -> None:
    """Point the avatar at an https URL (checked by the form), or keep it on the storage key of
    the user's own uploaded avatar; a replaced uploaded avatar is removed."""
    if not value.startswith("https://"):
        own = db.session.scalar(
            select(File.id)
            .where(File.parent_id.is_(None), File.owner_id == user.id, File.storage_key == value)
            .limit(1)
        )
        if own is None:
            message = "Not the storage key of your uploaded avatar."
            raise ParameterException(f"avatar: {message}", errors={"avatar": [message]})
    objects = [] if user.avatar == value else discard_avatar(user)
    user.avatar = value
    db.session.commit()
    release(objects)


def not_uploaded_by(user_id: int, keys: list[str]) -> list[str]:
    """The keys that are not live private files the user uploaded (review and after-sale
    images: only their uploader may attach them)."""
    if not keys:
        return []
    found = set(
        db.session.scalars(
            select(File.storage_key).where(
                File.parent_id.is_(None),
                File.owner_id == user_id,
                File.is_folder.is_(False),
                File.storage_key.in_(keys),
            )
        )
    )
    return [key for key in keys if key not in found]


def store_review_image(user, upload: Upload) -> dict:
    """Keep an image the user uploads for a review (re-encoded, at most REVIEW_IMAGE_MAX_SIDE
    pixels a side) as a private file row of theirs; answers its storage `key`, which only they
    can attach to a review (app/services/review.py), and its `url`."""
    upload = reencoded(upload, int(current_app.config["REVIEW_IMAGE_MAX_SIDE"]))
    stored = store(upload)
    _private_row(upload, stored, user.id)
    db.session.commit()
    return {"key": stored.key, "url": upload_url(stored.key)}
