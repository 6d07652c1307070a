"""Shapes of the product import (POST /v2/product/import)."""

from app.schemas.base import Int, List, Nested, Shape, Str


class ImportedProduct(Shape):
    """A product the import created or updated: the file row it starts on, and its id."""

    row = Int()
    id = Int()


class ProductImportResult(Shape):
    """What the import did (nothing else changed)."""

    created = List(Nested(ImportedProduct))
    updated = List(Nested(ImportedProduct))


class ImportRowError(Shape):
    """One problem of the file: the spreadsheet row (header = 1), the column and why."""

    row = Int()
    field = Str()
    message = Str()
