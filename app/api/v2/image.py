"""Admin image routes: the catalog's image rows."""

from flask import Blueprint, request
from sqlalchemy import select

from app.core.auth import permission
from app.core.docs import doc, path_ids, upload_doc
from app.core.exceptions import ImageInUse, ImageNotFound
from app.core.forms import PageForm
from app.core.limits import limit_upload
from app.core.pagination import paginate
from app.extensions import db
from app.models import Image
from app.schemas.base import Page
from app.schemas.common import Id
from app.schemas.image import AdminImage
from app.services import uploads
from app.validators.file import NetworkImageForm

bp = Blueprint("image", __name__, url_prefix="/image")

MODULE = "图片"


def _image(image_id: int) -> Image:
    image = db.session.get(Image, image_id)
    if image is None or image.delete_time is not None:
        raise ImageNotFound()
    return image


@bp.get("/list")
@permission("查询图片", MODULE)
@doc("List images", query=PageForm, data=Page(AdminImage))
def list_images():
    """List images, newest first."""
    form = PageForm().validate_or_raise()
    return paginate(select(Image).order_by(Image.id.desc()), form)


@bp.get("/<int:image_id>")
@permission("查询图片", MODULE)
@doc("Get an image", data=AdminImage, path=path_ids("image_id"), errors=[ImageNotFound])
def get_image(image_id: int):
    """Answer one image."""
    return _image(image_id)


@bp.post("")
@permission("上传图片", MODULE)
@limit_upload
@upload_doc("Upload an image, or add a network image with JSON {url}", data=AdminImage)
def create_image():
    """Upload an image (multipart `file`), or record a network image URL (JSON `url`)."""
    if request.mimetype.startswith("multipart/"):
        image = uploads.upload_image(uploads.image_from_request())
    else:
        form = NetworkImageForm().validate_or_raise()
        image = uploads.add_network_image(form.url.data)
    return image


@bp.delete("/<int:image_id>")
@permission("删除图片", MODULE)
@doc(
    "Delete an image",
    data=Id,
    status=202,
    path=path_ids("image_id"),
    errors=[ImageNotFound, ImageInUse],
)
def delete_image(image_id: int):
    """Delete an image the catalog no longer uses."""
    uploads.delete_image(_image(image_id))
    return {"id": image_id}
