"""Admin group routes."""

from flask import Blueprint

bp = Blueprint("group", __name__, url_prefix="/group")
