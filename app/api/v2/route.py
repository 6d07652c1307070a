"""Admin route routes."""

from flask import Blueprint

bp = Blueprint("route", __name__, url_prefix="/route")
