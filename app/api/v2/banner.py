"""Admin banner routes."""

from flask import Blueprint

bp = Blueprint("banner", __name__, url_prefix="/banner")
