"""Public articles: list by type, detail counting views atomically."""

import threading

from sqlalchemy import select

from app.extensions import db
from app.models import Article
from tests.factories import make_article


def views_of(article_id):
    db.session.rollback()  # a new transaction sees writes committed by other threads
    statement = select(Article.views).where(Article.id == article_id)
    return db.session.scalar(statement.execution_options(include_deleted=True))


def test_list_articles_newest_first_with_summary_fields(client, super_admin):
    old = make_article(super_admin, title="old", create_time=1000, summary="s")
    new = make_article(super_admin, title="new", create_time=2000, type=2)
    response = client.get("/v1/article/list")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    item = data["items"][1]
    assert item == {
        "id": old.id,
        "type": 1,
        "title": "old",
        "summary": "s",
        "img": "",
        "author": "Root",
        "views": 0,
        "create_time": 1000,
        "update_time": item["update_time"],
    }
    assert isinstance(item["update_time"], int)


def test_list_articles_by_type_and_hides_deleted(client, super_admin):
    make_article(super_admin, title="a", type=1)
    make_article(super_admin, title="b", type=2)
    gone = make_article(super_admin, title="c", type=2)
    gone.soft_delete()
    db.session.commit()
    items = client.get("/v1/article/list?type=2").get_json()["data"]["items"]
    assert [item["title"] for item in items] == ["b"]
    assert client.get("/v1/article/list?type=0").get_json()["data"]["total"] == 2


def test_list_articles_invalid_type_answers_400(client):
    response = client.get("/v1/article/list?type=5")
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_list_articles_page_size_defaults_to_config(client, super_admin):
    for _ in range(12):
        make_article(super_admin)
    data = client.get("/v1/article/list?page=2").get_json()["data"]
    assert (len(data["items"]), data["total"], data["total_page"]) == (2, 12, 2)


def test_get_article_counts_a_view(client, super_admin, customer_headers):
    article = make_article(super_admin, views=7, content="<p>body</p>")
    response = client.get(f"/v1/article/{article.id}")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["views"], data["content"], data["author"]) == (8, "<p>body</p>", "Root")
    client.get(f"/v1/article/{article.id}", headers=customer_headers)
    assert views_of(article.id) == 9


def test_get_article_unknown_or_deleted_answers_81010(client, super_admin):
    for missing in (999, 2**64):
        response = client.get(f"/v1/article/{missing}")
        assert (response.status_code, response.get_json()["error_code"]) == (404, 81010)
    article = make_article(super_admin, views=1)
    article.soft_delete()
    db.session.commit()
    response = client.get(f"/v1/article/{article.id}")
    assert response.get_json()["error_code"] == 81010
    assert views_of(article.id) == 1


def test_get_article_concurrent_views_are_all_counted(app, super_admin):
    article = make_article(super_admin)
    article_id = article.id
    errors = []

    def read():
        try:
            with app.test_client() as local:
                for _ in range(5):
                    assert local.get(f"/v1/article/{article_id}").status_code == 200
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert views_of(article_id) == 20
