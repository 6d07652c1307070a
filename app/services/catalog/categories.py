"""Admin category workflows."""

from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.core.exceptions import CategoryInUse, CategoryNotFound
from app.core.filters import keyword_filter
from app.core.pagination import paginate
from app.extensions import db
from app.models import Category, Product
from app.models.base import now
from app.services.catalog.cache import commit
from app.services.catalog.lookups import by_id, one, require_image
from app.services.unique import ensure_free


def _with_product_count():
    return select(Category).options(undefer(Category.product_count))


def admin_category_page(form, keyword: str | None = None) -> dict:
    statement = _with_product_count().order_by(Category.id)
    statement = keyword_filter(statement, keyword, Category.name)
    return paginate(statement, form)


def admin_category(category_id: int) -> Category:
    return one(_with_product_count().where(Category.id == category_id), CategoryNotFound)


def _check_category_name(name: str, own_id: int | None = None) -> None:
    ensure_free(Category, Category.name == name, "A category with this name already exists", own_id)


def create_category(name: str, description: str = "", topic_img_id: int | None = None) -> Category:
    _check_category_name(name)
    require_image(topic_img_id)
    category = Category(name=name, description=description, topic_img_id=topic_img_id)
    db.session.add(category)
    commit()
    return admin_category(category.id)


def update_category(category_id: int, fields: dict) -> Category:
    category = by_id(Category, category_id, CategoryNotFound)
    if "name" in fields:
        _check_category_name(fields["name"], category.id)
        category.name = fields["name"]
    if "description" in fields:
        category.description = fields["description"]
    if "topic_img_id" in fields:
        require_image(fields["topic_img_id"])
        category.topic_img_id = fields["topic_img_id"]
    category.update_time = now()
    commit()
    return admin_category(category_id)


def delete_category(category_id: int) -> None:
    category = by_id(Category, category_id, CategoryNotFound)
    in_use = db.session.scalar(select(Product.id).where(Product.category_id == category_id))
    if in_use is not None:
        raise CategoryInUse()
    category.soft_delete()
    commit()
