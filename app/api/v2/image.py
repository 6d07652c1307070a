"""Admin image routes: the catalog's image rows."""

from flask import Blueprint, request
from sqlalchemy import select

from app.api.uploads import upload_doc
from app.core.auth import permission
from app.core.docs import ID, INT, STR, TIME, doc, obj, page_of, path_ids
from app.core.exceptions import ImageNotFound
from app.core.forms import PageForm
from app.core.limits import limit_upload
from app.core.pagination import paginate
from app.core.response import created, deleted, ok
from app.core.timefmt import render_time
from app.extensions import db
from app.models import Image
from app.services import uploads
from app.validators.file import NetworkImageForm

bp = Blueprint("image", __name__, url_prefix="/image")

MODULE = "图片"

IMAGE = obj(["id", "url", "source"], id=INT, url=STR, source=INT, create_time=TIME)


def image_dict(image: Image) -> dict:
    return {
        "id": image.id,
        "url": image.absolute_url,
        "source": image.source,
        "create_time": render_time(image.create_time),
    }


def _image(image_id: int) -> Image:
    image = db.session.get(Image, image_id)
    if image is None or image.delete_time is not None:
        raise ImageNotFound()
    return image


@bp.get("/list")
@permission("查询图片", MODULE)
@doc("List images", query=PageForm, data=page_of(IMAGE))
def list_images():
    """List images, newest first."""
    form = PageForm().validate_or_raise()
    return ok(paginate(select(Image).order_by(Image.id.desc()), form, image_dict))


@bp.get("/<int:image_id>")
@permission("查询图片", MODULE)
@doc("Get an image", data=IMAGE, path=path_ids("image_id"))
def get_image(image_id: int):
    """Answer one image."""
    return ok(image_dict(_image(image_id)))


@bp.post("")
@permission("上传图片", MODULE)
@limit_upload
@upload_doc("Upload an image, or add a network image with JSON {url}", data=IMAGE)
def create_image():
    """Upload an image (multipart `file`), or record a network image URL (JSON `url`)."""
    if request.mimetype.startswith("multipart/"):
        image = uploads.upload_image(uploads.image_from_request())
    else:
        form = NetworkImageForm().validate_or_raise()
        image = uploads.add_network_image(form.url.data)
    return created(image_dict(image))


@bp.delete("/<int:image_id>")
@permission("删除图片", MODULE)
@doc("Delete an image", data=ID, status=202, path=path_ids("image_id"))
def delete_image(image_id: int):
    """Delete an image the catalog no longer uses."""
    uploads.delete_image(_image(image_id))
    return deleted({"id": image_id})
