"""Address: the caller's own address book."""

from flask import Blueprint

bp = Blueprint("address", __name__, url_prefix="/address")
