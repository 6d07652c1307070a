"""The CMS route tree: /v2/route."""
# ruff: noqa: E501  (the seed table reads best one route per line)

from sqlalchemy import select

from app.extensions import db
from app.models import Element, Route, group_2_element, menu
from tests.factories import auth_headers, make_group, make_staff

# The route tree of the original seed, which the CMS front end relies on:
# id, parent, order, name, title, path, component, icon, hidden
SEED_ROUTES = [
    (1, 0, 0, "Main", "首页", "/main", None, "fa fa-th-large", False),
    (3, 1, 0, "Home", "主页面", "/home", "home/index", "fa fa-align-justify", False),
    (4, 1, 1, "Guide", "规范指南", "/guide", "guide/index", "fa fa-align-justify", False),
    (5, 0, 1, "About", "关于", "/about", None, "fa fa-info", False),
    (6, 5, 0, "AboutIndex", "关于", "/about/index", "about/index", "fa fa-align-justify", False),
    (7, 0, 4, "Admin", "系统管理", "/admin", None, "fa fa-cog", False),
    (8, 7, 0, "AdminUser", "用户管理", "/admin/user", "admin/user/index", "fa fa-align-justify", False),
    (9, 7, 1, "AdminApi", "权限管理", "/admin/auth", "admin/auth/index", "fa fa-align-justify", False),
    (10, 7, 2, "AdminMenu", "菜单管理", "/admin/menu", "admin/menu/index", "fa fa-align-justify", False),
    (23, 7, 3, "AdminDict", "字典管理", "/admin/dict", "admin/dict/index", "fa fa-align-justify", False),
    (24, 7, 4, "AdminDictData", "字典数据", "/admin/dict/data/:id", "admin/dict/dict-data", "fa fa-align-justify", True),
    (30, 7, 5, "AdminConfig", "参数管理", "/admin/config", "admin/config/index", "fa fa-list-ol", False),
    (28, 7, 6, "Notice", "通知管理", "/admin/notice", "admin/notice/index", "fa fa-align-justify", False),
    (25, 7, 7, "AdminLog", "日志管理", "/admin/log", None, "fa fa-pencil-square-o", False),
    (27, 25, 0, "OperLog", "操作日志", "/admin/log/oper-log", "admin/log/oper-log", "fa fa-keyboard-o", False),
    (26, 25, 1, "LoginLog", "登录日志", "/admin/log/login-log", "admin/log/login-log", "fa fa-sign-in", False),
    (11, 0, 7, "File", "文件管理", "/file", None, "fa fa-folder-o", False),
    (12, 11, 0, "FileIndex", "文件管理", "/file/index", "file/index", "fa fa-align-justify", False),
    (13, 0, 5, "Tool", "系统工具", "/tool", None, "fa fa-wrench", False),
    (15, 13, 0, "FormBuilder", "表单构建", "/tool/build", "tools/build/index", "fa fa-list-ul", False),
    (17, 13, 1, "ErrorCode", "错误码", "/tool/error-code", "tools/error-code/index", "fa fa-file-word-o", False),
    (18, 13, 2, "Swagger", "接口文档", "/tool/swagger", "tools/swagger/index", "fa fa-book", False),
    (16, 0, 6, "ComponentLib", "组件管理", "/component", "", "fa fa-cogs", False),
    (14, 16, 0, "JsonView", "Json格式化", "/component/json-view", "components/json-view", "fa fa-edit", False),
    (36, 16, 0, "Ueditor", "Ueditor", "/component/Ueditor", "components/ueditor/index", "fa fa-edit", False),
    (29, 16, 1, "Tinymce", "富文本", "/component/tinymce", "components/tinymce/index", "fa fa-edit", False),
    (19, 0, 8, "Article", "文章管理", "/article", None, "fa fa-file-text-o", False),
    (20, 19, 0, "ArticleAdd", "新增文章", "/article/add", "article/add", "fa fa-align-justify", False),
    (21, 19, 1, "ArticleList", "文章列表", "/article/list", "article/index", "fa fa-align-justify", False),
    (22, 19, 2, "ArticleEdit", "编辑文章", "/article/edit/:id", "article/edit", "fa fa-align-justify", True),
    (31, 0, 3, "Category", "类别管理", "/category", "", "fa fa-table", False),
    (32, 31, 0, "CategoryIndex", "类别列表", "/category/index", "category/index", "fa fa-align-justify", False),
    (33, 0, 2, "Banner", "Banner管理", "/banner", None, "fa fa-ellipsis-h", False),
    (34, 33, 0, "BannerIndex", "Banner列表", "/banner/index", "banner/index", "fa fa-ellipsis-h", False),
]  # fmt: skip


def seed_tree(only=None) -> list[dict]:
    """The expected RouteNode tree of the seed (restricted to the ids in `only`)."""
    rows = [row for row in SEED_ROUTES if only is None or row[0] in only]

    def children(parent):
        nodes = []
        for rid, pid, order, name, title, path, component, icon, hidden in sorted(
            (r for r in rows if r[1] == parent), key=lambda r: (r[2], r[0])
        ):
            nodes.append(
                {
                    "id": rid,
                    "parent_id": pid,
                    "order": order,
                    "name": name,
                    "path": path,
                    "component": component,
                    "hidden": hidden,
                    "meta": {"title": title, "icon": icon},
                    "children": children(rid),
                }
            )
        return nodes

    return children(0)


def _ids(tree):
    out = []
    for node in tree:
        out.append(node["id"])
        out.extend(_ids(node["children"]))
    return out


def test_route_tree_matches_seed(client, super_headers):
    response = client.get("/cms/route/tree", headers=super_headers)
    assert response.status_code == 200
    tree = response.get_json()["data"]
    assert tree == seed_tree()
    assert [node["name"] for node in tree] == [
        "Main",
        "About",
        "Banner",
        "Category",
        "Admin",
        "Tool",
        "ComponentLib",
        "File",
        "Article",
    ]
    assert len(_ids(tree)) == 34


def test_route_tree_for_staff(client):
    response = client.get("/v2/route/tree", headers=auth_headers(make_staff()))
    assert response.status_code == 200
    assert len(_ids(response.get_json()["data"])) == 34


def test_route_tree_empty_is_list(client, super_headers):
    db.session.execute(menu.delete())
    db.session.execute(Route.__table__.delete())
    db.session.commit()
    response = client.get("/cms/route/tree", headers=super_headers)
    assert response.get_json()["data"] == []


def test_get_route_with_subtree(client, super_headers):
    response = client.get("/v2/route/25", headers=super_headers)
    data = response.get_json()["data"]
    assert data["parent_id"] == 7 and data["name"] == "AdminLog"
    assert [child["id"] for child in data["children"]] == [27, 26]


def test_get_route_missing_answers_80040(client, super_headers):
    response = client.get("/v2/route/2", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80040


def test_create_route_compat_body(client, super_headers):
    body = {
        "parent_id": 7,
        "name": "AdminShop",
        "title": "商店",
        "path": "/admin/shop",
        "icon": "fa fa-shop",
        "hidden": False,
    }
    response = client.post("/cms/route", json=body, headers=super_headers)
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["order"] == 8 and data["component"] is None and data["children"] == []
    route = db.session.get(Route, data["id"])
    assert (route.parent_id, route.title, route.icon) == (7, "商店", "fa fa-shop")


def test_create_route_top_level_defaults(client, super_headers):
    body = {"name": "Top", "title": "顶", "path": "/top", "component": "top/index"}
    data = client.post("/v2/route", json=body, headers=super_headers).get_json()["data"]
    assert (data["parent_id"], data["order"], data["meta"]["icon"]) == (0, 9, "")


def test_create_route_duplicate_name_answers_2001(client, super_headers):
    body = {"name": "Main", "title": "x", "path": "/x"}
    response = client.post("/v2/route", json=body, headers=super_headers)
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 2001


def test_create_route_unknown_parent_answers_80040(client, super_headers):
    body = {"name": "New", "title": "x", "path": "/x", "parent_id": 2}
    response = client.post("/v2/route", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80040


def test_update_route_ignores_id_children_meta(client, super_headers):
    body = {
        "id": 99,
        "parent_id": 1,
        "name": "Guide",
        "title": "指南",
        "path": "/guide",
        "icon": "fa fa-book",
        "component": "guide/index",
        "hidden": True,
        "order": 3,
        "children": [{"id": 1}],
        "meta": {"title": "ignored"},
    }
    response = client.put("/cms/route/4", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    route = db.session.get(Route, 4)
    assert (route.title, route.icon, route.hidden, route.order) == ("指南", "fa fa-book", True, 3)
    assert db.session.get(Route, 99) is None


def test_update_route_under_own_descendant_answers_80060(client, super_headers):
    response = client.put("/v2/route/7", json={"parent_id": 25}, headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 80060
    response = client.put("/v2/route/7", json={"parent_id": 7}, headers=super_headers)
    assert response.get_json()["error_code"] == 80060


def test_update_route_duplicate_name_answers_2001(client, super_headers):
    response = client.put("/v2/route/4", json={"name": "Home"}, headers=super_headers)
    assert response.status_code == 409


def test_update_route_tree_reparents_and_orders(client, super_headers):
    body = [{"id": 5, "title": "x", "children": [{"id": 3}, {"id": 4, "children": []}]}, {"id": 1}]
    response = client.put("/cms/route/tree", json=body, headers=super_headers)
    assert response.status_code == 201
    db.session.expire_all()
    got = {
        rid: (r.parent_id, r.order) for rid in (5, 3, 4, 1) for r in [db.session.get(Route, rid)]
    }
    assert got == {5: (0, 0), 3: (5, 0), 4: (5, 1), 1: (0, 1)}
    assert db.session.get(Route, 6).parent_id == 5  # not listed: unchanged
    tree = response.get_json()["data"]
    assert [node["id"] for node in tree][:2] == [5, 1]


def test_update_route_tree_repeated_id_answers_80060(client, super_headers):
    body = [{"id": 5, "children": [{"id": 5}]}]
    response = client.put("/v2/route/tree", json=body, headers=super_headers)
    assert response.get_json()["error_code"] == 80060
    assert db.session.get(Route, 5).parent_id == 0


def test_update_route_tree_unknown_id_answers_80040(client, super_headers):
    response = client.put("/v2/route/tree", json=[{"id": 2}], headers=super_headers)
    assert response.get_json()["error_code"] == 80040


def test_update_route_tree_object_body_answers_400(client, super_headers):
    response = client.put("/v2/route/tree", json={"id": 1}, headers=super_headers)
    assert response.status_code == 400


def test_delete_route_with_descendants(client, super_headers):
    group = make_group()
    db.session.execute(menu.insert(), [{"group_id": group.id, "route_id": r} for r in (7, 26)])
    element = Element(name="clear", sign="log.clear", route_id=27)
    db.session.add(element)
    db.session.flush()
    db.session.execute(group_2_element.insert().values(group_id=group.id, element_id=element.id))
    db.session.commit()
    element_id = element.id
    response = client.delete("/cms/route/25", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"ids": [25, 26, 27]}
    assert db.session.scalars(select(Route.id).where(Route.id.in_([25, 26, 27]))).all() == []
    assert db.session.scalar(select(Element.id).where(Element.id == element_id)) is None
    rows = db.session.execute(select(menu.c.route_id).where(menu.c.group_id == group.id))
    assert [row[0] for row in rows] == [7]


def test_tree_with_elements(client, super_headers):
    db.session.add(Element(name="add", sign="notice.add", route_id=28))
    db.session.commit()
    tree = client.get("/v2/route/tree/with_element", headers=super_headers).get_json()["data"]
    admin = next(node for node in tree if node["id"] == 7)
    notice = next(node for node in admin["children"] if node["id"] == 28)
    assert [e["sign"] for e in notice["elements"]] == ["notice.add"]
    assert admin["elements"] == []


def test_route_writes_refuse_staff(client):
    response = client.delete("/v2/route/1", headers=auth_headers(make_staff()))
    assert response.status_code == 403
    assert db.session.get(Route, 1) is not None


def test_update_route_tree_huge_id_answers_80040(client, super_headers):
    response = client.put("/v2/route/tree", json=[{"id": 10**20}], headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 80040
