"""Absolute URLs for images and uploaded files, from configurable bases (CDN-ready)."""

from flask import current_app, has_request_context, request


def _base(key: str, default_path: str) -> str:
    configured = current_app.config[key]
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return f"{request.scheme}://{request.host}{default_path}"
    return default_path


def static_image_url(path: str) -> str:
    return _base("IMAGE_BASE_URL", "/static/images") + "/" + path.lstrip("/")


def upload_url(storage_key: str) -> str:
    return _base("FILE_BASE_URL", "/uploads") + "/" + storage_key.lstrip("/")


def stored_image_url(url: str, source: int) -> str:
    """URL of an image row: 1 app static path, 2 absolute network URL, 3 storage key."""
    if not url:
        return ""
    if source == 2:
        return url
    if source == 3:
        return upload_url(url)
    return static_image_url(url)
