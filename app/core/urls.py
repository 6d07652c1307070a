"""Absolute URLs for images and uploaded files, from configurable bases (CDN-ready).

Nothing here reads the request: these URLs are stored (order snapshots) and cached, so a
forged Host header must never reach them. The base is IMAGE_BASE_URL / FILE_BASE_URL when set,
else PUBLIC_BASE_URL (required in production), else the development server's address.
"""

from flask import current_app

DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def public_base_url() -> str:
    """The site's public origin, e.g. https://shop.example.com (no trailing slash)."""
    configured = current_app.config["PUBLIC_BASE_URL"]
    return (configured or DEVELOPMENT_BASE_URL).rstrip("/")


def _base(key: str, default_path: str) -> str:
    configured = current_app.config[key]
    if configured:
        return configured.rstrip("/")
    return public_base_url() + default_path


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
