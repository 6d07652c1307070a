"""Admin notice routes."""

from flask import Blueprint

bp = Blueprint("notice", __name__, url_prefix="/notice")
