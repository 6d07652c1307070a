"""Page element shapes: named buttons or features the CMS shows per group."""

from app.schemas.base import ADMIN, Int, List, Shape, Str, Time


class Element(Shape):
    """A page element of a route."""

    audience = ADMIN
    id = Int()
    name = Str()
    sign = Str()
    route_id = Int()
    create_time = Time()


class Signs(Shape):
    """The signs of the elements the caller may use, sorted."""

    items = List(Str())


class ElementDeployment(Shape):
    """The elements a group is now granted."""

    group_id = Int()
    element_ids = List(Int())
