"""Shapes shared by many resources: what a delete answers."""

from app.schemas.base import Int, List, Shape


class Id(Shape):
    """The id of the row acted on."""

    id = Int()


class Ids(Shape):
    """The ids of the rows acted on."""

    ids = List(Int())
