"""Pay: WeChat Pay pre-order, query and notifications."""

from flask import Blueprint

bp = Blueprint("pay", __name__, url_prefix="/pay")
