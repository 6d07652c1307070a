"""Admin article routes."""

from flask import Blueprint

bp = Blueprint("article", __name__, url_prefix="/article")
