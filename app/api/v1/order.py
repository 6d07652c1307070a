"""Order: the caller's own orders."""

from flask import Blueprint

bp = Blueprint("order", __name__, url_prefix="/order")
