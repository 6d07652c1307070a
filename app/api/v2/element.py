"""Admin element routes."""

from flask import Blueprint

bp = Blueprint("element", __name__, url_prefix="/element")
