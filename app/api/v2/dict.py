"""Admin dict routes."""

from flask import Blueprint

bp = Blueprint("dict", __name__, url_prefix="/dict")
