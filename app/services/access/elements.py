"""Page elements (buttons a group may see) and their deployment to groups."""

from sqlalchemy import delete, insert, select

from app.core.exceptions import (
    ElementNotFound,
)
from app.extensions import db
from app.models import Element, Group, User, group_2_element
from app.models.base import assign
from app.services.access.guards import valid_id
from app.services.access.routes import get_route
from app.services.unique import ensure_free


def get_element(element_id: int) -> Element:
    element = db.session.get(Element, element_id) if valid_id(element_id) else None
    if element is None:
        raise ElementNotFound()
    return element


def own_signs(user: User) -> list[str]:
    statement = select(Element.sign)
    if not user.is_super:
        if user.group_id is None:
            return []
        statement = statement.join(
            group_2_element, group_2_element.c.element_id == Element.id
        ).where(group_2_element.c.group_id == user.group_id)
    return sorted(db.session.scalars(statement))


def group_elements(group_id: int) -> list[Element]:
    return list(
        db.session.scalars(
            select(Element)
            .join(group_2_element, group_2_element.c.element_id == Element.id)
            .where(group_2_element.c.group_id == group_id)
            .order_by(Element.id)
        )
    )


def elements_statement(route_id: int | None):
    statement = select(Element).order_by(Element.id)
    if route_id is not None:
        get_route(route_id)
        statement = statement.where(Element.route_id == route_id)
    return statement


def _ensure_sign_free(sign: str, element_id: int | None = None) -> None:
    ensure_free(Element, Element.sign == sign, "An element with this sign exists", element_id)


def create_element(name: str, sign: str, route_id: int) -> Element:
    get_route(route_id)
    _ensure_sign_free(sign)
    element = Element(name=name, sign=sign, route_id=route_id)
    db.session.add(element)
    db.session.commit()
    return element


def update_element(element: Element, changes: dict) -> Element:
    if "sign" in changes:
        _ensure_sign_free(changes["sign"], element.id)
    if "route_id" in changes:
        get_route(changes["route_id"])
    assign(element, changes, ("name", "sign", "route_id"))
    db.session.commit()
    return element


def deploy_elements(group: Group, element_ids: list[int]) -> dict:
    """Replace the group's element grants."""
    found = (
        sorted(db.session.scalars(select(Element.id).where(Element.id.in_(element_ids))))
        if element_ids
        else []
    )
    if element_ids and not found:
        raise ElementNotFound()
    db.session.execute(delete(group_2_element).where(group_2_element.c.group_id == group.id))
    if found:
        db.session.execute(
            insert(group_2_element), [{"group_id": group.id, "element_id": eid} for eid in found]
        )
    db.session.commit()
    return {"group_id": group.id, "element_ids": found}


def delete_elements(element_ids: list[int]) -> list[int]:
    found = sorted(db.session.scalars(select(Element.id).where(Element.id.in_(element_ids))))
    if not found:
        raise ElementNotFound()
    db.session.execute(delete(group_2_element).where(group_2_element.c.element_id.in_(found)))
    db.session.execute(delete(Element).where(Element.id.in_(found)))
    db.session.commit()
    return found
