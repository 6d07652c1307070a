"""Route tree shapes: the CMS sidebar and pages, as nested nodes."""

from marshmallow import fields

from app import models
from app.schemas.base import Computed, List, Nested, Shape, Str
from app.schemas.element import Element


class Children(fields.Field):
    """A node's children, each written with the shape of the node itself (a recursive tree)."""

    def _bind_to_schema(self, field_name, parent):
        super()._bind_to_schema(field_name, parent)
        self.node_shape = type(parent)

    def _serialize(self, value, attr, obj, **kwargs):
        return self.node_shape.serialize_many(value or [])

    def json_schema(self, shape=None) -> dict:
        return {"type": "array", "items": {"$ref": f"#/definitions/{shape.definition_name()}"}}


class RouteMeta(Shape):
    """What the CMS shows for a route: its title and icon."""

    title = Str()
    icon = Str()


class RouteNode(Shape):
    """A route placed in the tree, with the routes below it (`[]` for a leaf)."""

    model = models.Route
    answers = "id parent_id order name path component hidden meta children"
    meta = Computed(lambda node: node, Nested(RouteMeta))
    children = Children()


class RouteNodeWithElements(RouteNode):
    """A route node with the page elements of the route."""

    elements = List(Nested(Element))
