"""Page element shapes: named buttons or features the CMS shows per group."""

from app import models
from app.schemas.base import ADMIN, Int, List, Shape, Str


class Element(Shape):
    """A page element of a route."""

    audience = ADMIN
    model = models.Element
    answers = "id name sign route_id create_time"


class Signs(Shape):
    """The signs of the elements the caller may use, sorted."""

    items = List(Str())


class ElementDeployment(Shape):
    """The elements a group is now granted."""

    group_id = Int()
    element_ids = List(Int())
