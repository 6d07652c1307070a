"""/v2/banner: admin banner management."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Banner, BannerItem
from tests.factories import auth_headers, make_banner, make_banner_item, make_staff
from tests.helpers import error

ROUTES = [
    ("get", "/v2/banner/list"),
    ("get", "/v2/banner/1"),
    ("post", "/v2/banner"),
    ("put", "/v2/banner/1"),
    ("delete", "/v2/banner/1"),
    ("delete", "/cms/banner/1"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_banner_routes_refuse_customers_with_403(client, customer_headers, method, path):
    error(getattr(client, method)(path, headers=customer_headers, json={}), 403, 1004)


def test_list_banners_compat_fields(client):
    staff = make_staff(("轮播图", "查询轮播图列表"))
    one, two = make_banner(name="首页置顶", description="首页轮播图"), make_banner()
    response = client.get("/cms/banner/list?page=1&size=10", headers=auth_headers(staff))
    data = response.get_json()["data"]
    assert data["current_page"] == 1
    assert data["total"] == 2
    assert [b["id"] for b in data["items"]] == [one.id, two.id]
    assert {"id", "name", "description"} <= set(data["items"][0])
    assert data["items"][0]["description"] == "首页轮播图"


def test_get_banner_with_items(client, super_headers):
    banner = make_banner()
    second = make_banner_item(banner, order=2)
    first = make_banner_item(banner, order=1)
    data = client.get(f"/v2/banner/{banner.id}", headers=super_headers).get_json()["data"]
    assert [i["id"] for i in data["items"]] == [first.id, second.id]
    assert data["items"][0]["banner_id"] == banner.id
    missing = client.get("/v2/banner/999", headers=super_headers)
    assert (missing.status_code, missing.get_json()["error_code"]) == (404, 40010)


def test_create_banner(client, super_headers):
    response = client.post(
        "/v2/banner", json={"name": " 首页 ", "id": 50, "items": []}, headers=super_headers
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["description"]) == ("首页", "")
    row = db.session.scalars(select(Banner)).one()
    assert row.name == "首页"
    assert row.id != 50


def test_update_banner_accepts_the_edited_row(client, super_headers):
    banner = make_banner(name="old", description="keep")
    row = client.get(f"/v2/banner/{banner.id}", headers=super_headers).get_json()["data"]
    row["name"] = "new"
    response = client.put(f"/cms/banner/{banner.id}", json=row, headers=super_headers)
    assert response.status_code == 201
    assert (response.get_json()["data"]["name"], response.get_json()["data"]["description"]) == (
        "new",
        "keep",
    )
    db.session.expire_all()
    assert db.session.get(Banner, banner.id).name == "new"
    missing = client.put("/v2/banner/999", json={"name": "x"}, headers=super_headers)
    assert missing.get_json()["error_code"] == 40010


def test_delete_banner_soft_deletes_its_items(client, super_headers):
    banner = make_banner()
    item = make_banner_item(banner)
    assert client.get(f"/v1/banner/{banner.id}").status_code == 200
    response = client.delete(f"/cms/banner/{banner.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": banner.id}
    assert client.get(f"/v1/banner/{banner.id}").status_code == 404
    deleted_item = db.session.scalar(
        select(BannerItem).where(BannerItem.id == item.id).execution_options(include_deleted=True)
    )
    db.session.refresh(deleted_item)
    assert deleted_item.delete_time is not None
    again = client.delete(f"/v2/banner/{banner.id}", headers=super_headers)
    assert again.get_json()["error_code"] == 40010
