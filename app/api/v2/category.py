"""Admin category routes."""

from flask import Blueprint

bp = Blueprint("category", __name__, url_prefix="/category")
