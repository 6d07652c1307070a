"""Admin articles: CRUD, list filters, summaries, sanitizing, no view counting."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from tests.factories import auth_headers, make_article, make_staff

MODULE = "文章"


def staff(*names, **fields):
    return make_staff(*[(MODULE, name) for name in names], **fields)


def saved_articles():
    db.session.expire_all()
    return db.session.scalars(
        select(Article).execution_options(include_deleted=True).order_by(Article.id)
    ).all()


def test_list_articles_newest_first_with_compat_fields(client, super_admin, super_headers):
    old = make_article(super_admin, title="old", create_time=1000, views=4, img="https://x/a.png")
    new = make_article(super_admin, title="new", create_time=2000, type=2)
    response = client.get("/cms/article/list?page=1&size=10&type=0", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [new.id, old.id]
    item = data["items"][1]
    assert (item["title"], item["type"], item["img"], item["author"], item["views"]) == (
        "old",
        1,
        "https://x/a.png",
        "Root",
        4,
    )
    assert item["create_time"] == "1970-01-01 08:16:40"
    assert "content" not in item


def test_list_articles_filters_by_type_and_keyword(client, super_admin, super_headers):
    make_article(super_admin, title="公司新闻一", type=1)
    make_article(super_admin, title="行业新闻", type=2)
    make_article(super_admin, title="公司新闻二", type=1)

    def titles(query):
        response = client.get(f"/v2/article/list?{query}", headers=super_headers)
        return sorted(item["title"] for item in response.get_json()["data"]["items"])

    assert titles("type=2") == ["行业新闻"]
    assert titles("type=1&keyword=二") == ["公司新闻二"]
    assert len(titles("")) == 3


@pytest.mark.parametrize("query", ["type=3", "type=-1", "size=101"])
def test_list_articles_invalid_query_answers_400(client, super_headers, query):
    response = client.get(f"/v2/article/list?{query}", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_list_articles_permissions(client, customer_headers):
    assert client.get("/v2/article/list").status_code == 401
    assert client.get("/v2/article/list", headers=customer_headers).status_code == 403
    assert (
        client.get("/v2/article/list", headers=auth_headers(staff("新增文章"))).status_code == 403
    )
    assert (
        client.get("/v2/article/list", headers=auth_headers(staff("查询文章"))).status_code == 200
    )


def test_get_article_does_not_count_a_view(client, super_admin, super_headers):
    article = make_article(super_admin, title="t", summary="s", views=3)
    response = client.get(f"/cms/article/{article.id}", headers=super_headers)
    data = response.get_json()["data"]
    assert (data["title"], data["summary"], data["content"], data["views"]) == (
        "t",
        "s",
        "<p>text</p>",
        3,
    )
    assert saved_articles()[0].views == 3


def test_get_article_unknown_answers_81010(client, super_headers):
    response = client.get("/v2/article/999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 81010)


def test_create_article_by_caller_with_summary_from_content(client):
    author = staff("新增文章", nickname="写手")
    text = "一" * 70
    body = {"title": "标题", "type": 2, "img": "", "summary": "", "content": f"<p>{text}</p>"}
    response = client.post("/cms/article", json=body, headers=auth_headers(author))
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["author"], data["author_id"], data["views"], data["theme"]) == (
        "写手",
        author.id,
        0,
        None,
    )
    (saved,) = saved_articles()
    assert saved.summary == "一" * 60 + "..."
    assert (saved.author_id, saved.type, saved.content) == (author.id, 2, f"<p>{text}</p>")


def test_create_article_sanitizes_content(client, super_headers):
    content = (
        '<p onmouseover="steal()">hi <a href="javascript:alert(1)">x</a></p>'
        '<script>alert(1)</script><img src="https://cdn/x.png" onerror="y"><iframe src=a></iframe>'
    )
    body = {"title": "t", "content": content, "summary": "given"}
    response = client.post("/v2/article", json=body, headers=super_headers)
    assert response.status_code == 201
    (saved,) = saved_articles()
    assert saved.content == (
        '<p>hi <a rel="noopener noreferrer">x</a></p><img src="https://cdn/x.png">'
    )
    assert response.get_json()["data"]["content"] == saved.content
    assert (saved.summary, saved.type, saved.img) == ("given", 1, "")


def test_create_article_link_with_target_gets_noopener(client, super_headers):
    content = (
        '<p><a href="https://example.com" target="_blank" rel="opener">a</a>'
        '<span style="color:#f00;position:fixed">b</span></p>'
    )
    response = client.post(
        "/v2/article", json={"title": "t", "content": content}, headers=super_headers
    )
    assert response.status_code == 201
    (saved,) = saved_articles()
    assert saved.content == (
        '<p><a href="https://example.com" target="_blank" rel="noopener noreferrer">a</a>'
        '<span style="color:#f00">b</span></p>'
    )
    assert response.get_json()["data"]["content"] == saved.content


def test_create_article_summary_of_escaped_markup_is_plain_text(client, super_headers):
    content = "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"
    body = {"title": "t", "content": content, "summary": ""}
    response = client.post("/v2/article", json=body, headers=super_headers)
    assert response.status_code == 201
    (saved,) = saved_articles()
    assert saved.content == content
    assert saved.summary == "＜script＞alert(1)＜/script＞ & more..."
    assert response.get_json()["data"]["summary"] == saved.summary
    listed = client.get("/v1/article/list").get_json()["data"]
    assert [item["summary"] for item in listed["items"]] == [saved.summary]


def test_create_article_ignores_server_fields(client, super_admin, super_headers):
    body = {"title": "t", "views": 99, "author_id": 12345, "author": "x", "id": 77}
    response = client.post("/v2/article", json=body, headers=super_headers)
    assert response.status_code == 201
    (saved,) = saved_articles()
    assert (saved.views, saved.author_id) == (0, super_admin.id)
    assert response.get_json()["data"]["views"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"type": 1},
        {"title": ""},
        {"title": "t", "type": 3},
        {"title": "t", "img": "javascript:alert(1)"},
        {"title": "t", "summary": "s" * 501},
        {"title": "t", "theme": "x"},
        {"title": 5},
    ],
)
def test_create_article_invalid_answers_400(client, super_headers, body):
    response = client.post("/v2/article", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert saved_articles() == []


def test_update_article_whole_fetched_object(client, super_admin, super_headers):
    article = make_article(super_admin, title="t", summary="s", views=5)
    fetched = client.get(f"/cms/article/{article.id}", headers=super_headers).get_json()["data"]
    fetched.update(title="新标题", content="<p>新内容</p>", views=1000, author_id=999)
    response = client.put(f"/cms/article/{article.id}", json=fetched, headers=super_headers)
    assert response.status_code == 201
    (saved,) = saved_articles()
    assert (saved.title, saved.content, saved.summary, saved.views, saved.theme) == (
        "新标题",
        "<p>新内容</p>",
        "s",
        5,
        None,
    )
    assert saved.author_id == super_admin.id


def test_update_article_emptied_summary_is_refilled(client, super_admin, super_headers):
    article = make_article(super_admin, summary="old", content="<p>短文</p>")
    response = client.put(f"/v2/article/{article.id}", json={"summary": ""}, headers=super_headers)
    assert response.get_json()["data"]["summary"] == "短文..."
    assert saved_articles()[0].summary == "短文..."


def test_update_article_theme_nullable(client, super_admin, super_headers):
    article = make_article(super_admin, theme=1)
    client.put(f"/v2/article/{article.id}", json={"theme": None}, headers=super_headers)
    assert saved_articles()[0].theme is None
    client.put(f"/v2/article/{article.id}", json={"theme": 2}, headers=super_headers)
    assert saved_articles()[0].theme == 2


def test_update_article_unknown_and_permission(client, super_admin, super_headers):
    response = client.put("/v2/article/999", json={"title": "x"}, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 81010)
    article = make_article(super_admin, title="t")
    denied = auth_headers(staff("新增文章"))
    assert (
        client.put(f"/v2/article/{article.id}", json={"title": "x"}, headers=denied).status_code
        == 403
    )
    assert saved_articles()[0].title == "t"


def test_delete_article_soft_deletes(client, super_admin, super_headers):
    article = make_article(super_admin)
    response = client.delete(f"/cms/article/{article.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": article.id}
    assert saved_articles()[0].delete_time is not None
    assert client.get(f"/v2/article/{article.id}", headers=super_headers).status_code == 404
    again = client.delete(f"/v2/article/{article.id}", headers=super_headers)
    assert again.get_json()["error_code"] == 81010


def test_delete_article_permission(client, super_admin, customer_headers):
    article = make_article(super_admin)
    assert client.delete(f"/v2/article/{article.id}", headers=customer_headers).status_code == 403
    denied = auth_headers(staff("更新文章"))
    assert client.delete(f"/v2/article/{article.id}", headers=denied).status_code == 403
    allowed = auth_headers(staff("删除文章"))
    assert client.delete(f"/v2/article/{article.id}", headers=allowed).status_code == 202


def test_create_article_long_content_fits_the_column(client, super_headers):
    content = "<p>" + "字" * 99993 + "</p>"
    response = client.post(
        "/v2/article", json={"title": "t", "content": content}, headers=super_headers
    )
    assert response.status_code == 201
    assert saved_articles()[0].content == content
    too_long = client.post(
        "/v2/article", json={"title": "t2", "content": content + "x"}, headers=super_headers
    )
    assert (too_long.status_code, too_long.get_json()["error_code"]) == (400, 1000)
