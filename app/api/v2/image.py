"""Admin image routes: the catalog's image rows."""

from flask import Blueprint, request
from sqlalchemy import select

from app.api.resource import Resource
from app.core.exceptions import ImageInUse, ImageNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Image
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


images = Resource(bp, MODULE, shape=AdminImage, missing=[ImageNotFound], key="image_id")
images.list(
    "list_images",
    "查询图片",
    "List images",
    "List images, newest first.",
    lambda form: paginate(select(Image).order_by(Image.id.desc()), form),
)
images.get("get_image", "查询图片", "Get an image", "Answer one image.", _image)


def _create():
    if request.mimetype.startswith("multipart/"):
        return uploads.upload_image(uploads.image_from_request())
    form = NetworkImageForm().validate_or_raise()
    return uploads.add_network_image(form.url.data)


images.upload(
    "",
    "create_image",
    "上传图片",
    "Upload an image, or add a network image with JSON {url}",
    "Upload an image (multipart `file`), or record a network image URL (JSON `url`).",
    _create,
)
images.delete(
    "delete_image",
    "删除图片",
    "Delete an image",
    "Delete an image the catalog no longer uses.",
    lambda image_id: uploads.delete_image(_image(image_id)),
    errors=[ImageNotFound, ImageInUse],
)
