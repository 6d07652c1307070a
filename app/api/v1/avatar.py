"""Avatar: upload the caller's avatar image."""

from flask import Blueprint

from app.api.resource import Resource
from app.core.auth import current_user, login_required
from app.core.docs import answer
from app.core.exceptions import TooManyRequests
from app.schemas.user import Me
from app.services import uploads

bp = Blueprint("avatar", __name__, url_prefix="/user/avatar")


def _store():
    user = current_user()
    uploads.set_avatar(user, uploads.image_from_request("AVATAR_MAX_SIZE"))
    return answer(user, msg="Avatar updated")


Resource(bp, shape=Me).upload(
    "",
    "upload_avatar",
    login_required,
    "Upload my avatar",
    "Store the uploaded image as the caller's avatar.",
    _store,
    errors=[TooManyRequests],
)
