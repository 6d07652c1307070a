"""The search service: constant statements per request, the backend seam, history races."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SearchHistory
from app.services import search
from app.services.search import SearchQuery
from app.services.search.database import DatabaseSearch
from tests.factories import (
    auth_headers,
    make_category,
    make_image,
    make_product,
    make_search_history,
    make_user,
)
from tests.helpers import race, statements_of


def _with_image(name, category=None, **fields):
    return make_product(name=name, category=category, main_img_id=make_image().id, **fields)


def _products(n: int) -> int:
    """n matching products with images in a new category; answers the category id."""
    category = make_category()
    for i in range(n):
        _with_image(f"搜索 {i}", category)
    return category.id


@pytest.mark.parametrize("sort", ["default", "price", "sales", "new"])
def test_search_statement_count_does_not_grow_with_rows(client, sort):
    counts = []
    for n in (2, 20):
        category_id = _products(n)
        path = f"/v1/product/search?q=搜索&category_id={category_id}&sort={sort}&size=100"
        count, data = statements_of(client, path)
        assert len(data["items"]) == data["total"] == n
        assert all(item["main_image"].endswith(".png") for item in data["items"])
        counts.append(count)
    assert counts[0] == counts[1]
    assert counts[0] <= 2  # the count and the page


def test_search_statement_count_with_history_does_not_grow_with_rows(client):
    user = make_user()
    headers = auth_headers(user)
    for i in range(search.HISTORY_MAX):
        make_search_history(user, f"old{i}")  # full: every search also trims one
    counts = []
    for n in (2, 20):
        category_id = _products(n)
        path = f"/v1/product/search?q=搜索&category_id={category_id}&size=100&page=1"
        count, data = statements_of(client, path, headers)
        assert len(data["items"]) == n
        counts.append(count)
    assert counts[0] == counts[1]
    assert counts[0] <= 7  # the user, four for the history, the count and the page
    keywords = db.session.scalars(select(SearchHistory.keyword).order_by(SearchHistory.id.desc()))
    assert list(keywords)[:2] == ["搜索", "old19"]


def test_search_products_goes_through_the_configured_backend(app, client, monkeypatch):
    asked = []

    class FakeEngine:
        def search(self, query: SearchQuery) -> dict:
            asked.append(query)
            return {"items": [], "total": 0, "current_page": query.page, "total_page": 0}

    monkeypatch.setitem(search.BACKENDS, "fake", FakeEngine)
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", "fake")
    response = client.get("/v1/product/search?q= 芒果 &min_price=1.5&sort=price&order=desc&page=2")
    assert response.get_json()["data"] == {
        "items": [],
        "total": 0,
        "current_page": 2,
        "total_page": 0,
    }
    (query,) = asked
    assert (query.text, str(query.min_price), query.max_price) == ("芒果", "1.50", None)
    assert (query.sort, query.order, query.page, query.size) == ("price", "desc", 2, 10)


def test_the_default_backend_is_the_database(app):
    assert app.config["SEARCH_BACKEND"] == "database"
    assert isinstance(search.backend(), DatabaseSearch)


def test_search_query_defaults_answer_every_on_sale_product(app):
    category_id = _products(3)
    _with_image("off", on_sale=False)
    page = DatabaseSearch().search(SearchQuery(category_id=category_id))
    assert page["total"] == 3
    assert {p.name for p in page["items"]} == {"搜索 0", "搜索 1", "搜索 2"}


def test_record_search_collision_keeps_the_search_and_one_row(app, monkeypatch):
    user = make_user()
    make_search_history(user, "芒果")
    real_execute = db.session.execute
    calls = []

    def execute_skipping_the_first_delete(statement, *args, **kwargs):
        # As if another request inserted the same keyword after our delete.
        calls.append(statement)
        if len(calls) == 1:
            return None
        return real_execute(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "execute", execute_skipping_the_first_delete)
    search.record_search(user.id, "芒果")
    monkeypatch.undo()
    rows = db.session.scalars(select(SearchHistory.keyword)).all()
    assert rows == ["芒果"]


@race()
def test_racing_searches_of_one_user_answer_and_keep_one_row_a_keyword(app, runner):
    user = make_user()
    headers = auth_headers(user)
    _products(1)

    def job(q):
        def call():
            return app.test_client().get(f"/v1/product/search?q={q}", headers=headers).status_code

        return call

    jobs = [job(q) for q in ["搜索"] * 6 + ["搜"] * 4]
    results = runner(app, jobs)
    assert results == [200] * len(jobs)
    db.session.rollback()
    keywords = db.session.scalars(
        select(SearchHistory.keyword).where(SearchHistory.user_id == user.id)
    ).all()
    assert sorted(keywords) == ["搜", "搜索"]
