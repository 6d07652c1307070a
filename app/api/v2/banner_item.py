"""Admin banner item routes."""

from flask import Blueprint

bp = Blueprint("banner_item", __name__, url_prefix="/banner_item")
