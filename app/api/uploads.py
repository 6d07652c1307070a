"""Serving uploaded files at /uploads/<key>."""

from flask import Blueprint, abort, redirect, send_file
from sqlalchemy import select

from app.extensions import db
from app.models import File
from app.services.storage import LocalStorage, S3Storage, get_storage, is_valid_key
from app.services.uploads import IMAGE_EXTENSIONS, MIME_TYPES, split_extension

bp = Blueprint("uploads", __name__)

# Stored keys never change content, so browsers and CDNs may keep them.
_MAX_AGE = 365 * 24 * 3600


def _download_name(key: str) -> str:
    name = db.session.scalar(
        select(File.name).where(File.storage_key == key, File.is_folder.is_(False)).limit(1)
    )
    return name or key.rsplit("/", 1)[-1]


@bp.get("/uploads/<path:key>")
def get_upload(key: str):
    """Serve a stored file: images inline, everything else as an attachment."""
    if not is_valid_key(key):
        abort(404)
    extension = split_extension(key)[1]
    inline = extension in IMAGE_EXTENSIONS
    storage = get_storage()
    if isinstance(storage, S3Storage):
        return redirect(storage.download_url(key, inline=inline), code=302)
    if not isinstance(storage, LocalStorage) or not storage.exists(key):
        abort(404)
    mimetype = MIME_TYPES.get(extension, "application/octet-stream")
    response = send_file(
        storage.path(key),
        mimetype=mimetype,
        as_attachment=not inline,
        download_name=None if inline else _download_name(key),
        conditional=True,
        max_age=_MAX_AGE,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
