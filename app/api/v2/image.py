"""Admin image routes."""

from flask import Blueprint

bp = Blueprint("image", __name__, url_prefix="/image")
