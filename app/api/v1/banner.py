"""Banner: public reads."""

from flask import Blueprint

bp = Blueprint("banner", __name__, url_prefix="/banner")
