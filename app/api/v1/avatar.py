"""Avatar: upload the caller's avatar image."""

from flask import Blueprint

bp = Blueprint("avatar", __name__, url_prefix="/user/avatar")
