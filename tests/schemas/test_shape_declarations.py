"""How a shape declares what it answers: `answers` order, fields typed by their model columns,
FieldGroup mixins, and the errors a wrong declaration raises at import time."""

from decimal import Decimal

import pytest

from app import models
from app.schemas.base import ADMIN, Bool, FieldGroup, Int, Money, Shape, Str, Time, column_field


def test_column_fields_follow_the_column_type_and_nullability():
    kinds = {
        name: type(column_field(models.Product, name))
        for name in ("name", "stock", "price", "on_sale", "create_time")
    }
    assert kinds == {
        "name": Str,
        "stock": Int,
        "price": Money,
        "on_sale": Bool,
        "create_time": Time,
    }
    assert column_field(models.Product, "category_id").allow_none is True
    assert column_field(models.Product, "name").allow_none is False


def test_a_shape_answers_its_names_in_order_typed_by_the_model(app):
    class Line(Shape):
        model = models.Product
        answers = "stock id label price"
        label = Str(attribute="name")

    class AdminLine(Line):
        audience = ADMIN
        answers = "create_time"

    product = models.Product(id=7, name="Tea", stock=3, price=Decimal("1.50"), create_time=0)
    with app.test_request_context():
        assert list(Line.serialize(product)) == ["stock", "id", "label", "price"]
        answered = AdminLine.serialize(product)
    assert answered == {
        "stock": 3,
        "id": 7,
        "label": "Tea",
        "price": "1.50",
        "create_time": answered["create_time"],
    }
    assert isinstance(answered["create_time"], str)  # the admin audience formats times


def test_a_field_group_is_answered_where_the_shape_names_it(app):
    class Counted(FieldGroup):
        count = Int(attribute="stock")

    class Line(Counted, Shape):
        model = models.Product
        answers = "count id"

    with app.test_request_context():
        assert Line.serialize(models.Product(id=1, stock=4)) == {"count": 4, "id": 1}


@pytest.mark.parametrize(
    "declare, message",
    [
        (lambda: type("Bad", (Shape,), {"model": models.Product, "answers": "nope"}), "no column"),
        (lambda: type("Bad", (Shape,), {"answers": "id"}), "give the shape a model"),
        (
            lambda: type("Bad", (Shape,), {"model": models.Product, "answers": "id", "x": Int()}),
            "does not answer",
        ),
    ],
)
def test_a_wrong_declaration_fails_at_definition(declare, message):
    with pytest.raises(TypeError, match=message):
        declare()
