"""Admin log routes."""

from flask import Blueprint

bp = Blueprint("log", __name__, url_prefix="/log")
