"""Avatar: upload the caller's avatar image."""

from flask import Blueprint

from app.core.auth import current_user, login_required
from app.core.docs import answer, upload_doc
from app.core.exceptions import TooManyRequests
from app.core.limits import limit_upload
from app.schemas.user import Me
from app.services import uploads

bp = Blueprint("avatar", __name__, url_prefix="/user/avatar")


@bp.post("")
@login_required
@limit_upload
@upload_doc("Upload my avatar", data=Me, errors=[TooManyRequests])
def upload_avatar():
    """Store the uploaded image as the caller's avatar."""
    user = current_user()
    uploads.set_avatar(user, uploads.image_from_request("AVATAR_MAX_SIZE"))
    return answer(user, msg="Avatar updated")
