"""The one interface a product search backend implements, and what it is asked."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class SearchQuery:
    """A product search, already validated: `text` trimmed ("" matches every product)."""

    text: str = ""
    category_id: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = "default"  # default | price | sales | new
    order: str | None = None  # asc | desc; None: the sort's usual direction
    page: int = 1
    size: int = 10


class SearchBackend(Protocol):
    """Finds on-sale, live products for a query.

    `search` answers one page as app/core/pagination.page_dict builds it: `items` (Product rows,
    in answer order, with `main_img` loaded), `total`, `current_page`, `total_page`. The answer
    must hold only on-sale products that are not deleted, whatever the backend's index says.
    """

    def search(self, query: SearchQuery) -> dict: ...
