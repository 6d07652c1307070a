"""Notice: public reads."""

from flask import Blueprint

bp = Blueprint("notice", __name__, url_prefix="/notice")
