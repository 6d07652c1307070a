"""Admin menu routes."""

from flask import Blueprint

bp = Blueprint("menu", __name__, url_prefix="/menu")
