"""Category: public reads."""

from flask import Blueprint

bp = Blueprint("category", __name__, url_prefix="/category")
