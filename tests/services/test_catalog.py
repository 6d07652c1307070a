"""The catalog service: constant statement counts, the server-side cache, image positions."""

from pathlib import Path

import pytest
from PIL import Image as PILImage
from sqlalchemy import func, select

from app.core.exceptions import ImageReorderError, ProductNotFound
from app.extensions import cache, db
from app.models import (
    Banner,
    BannerItem,
    Category,
    Image,
    Product,
    ProductImage,
    Theme,
    theme_product,
)
from app.seed.catalog import IMAGES, seed_catalog
from app.seed.make_images import OUTPUT, size_for
from app.services import catalog
from tests.factories import (
    make_banner,
    make_banner_item,
    make_category,
    make_image,
    make_product,
    make_product_image,
    make_property,
    make_sku_product,
    make_theme,
    skus_of,
)
from tests.helpers import count_statements, statements_of

# ------------------------------------------------------------ statement counts


def _product(**fields):
    return make_product(main_img_id=make_image().id, **fields)


def _banner(n):
    banner = make_banner()
    for _ in range(n):
        make_banner_item(banner)
    return f"/v1/banner/{banner.id}"


def _themes(n):
    themes = [
        make_theme(topic_img_id=make_image().id, head_img_id=make_image().id) for _ in range(n)
    ]
    return "/v1/theme?ids=" + ",".join(str(t.id) for t in themes)


def _theme_list(n):
    _themes(n)
    return "/v1/theme/list?size=100"


def _theme(n):
    theme = make_theme(products=[_product() for _ in range(n)], topic_img_id=make_image().id)
    return f"/v1/theme/{theme.id}"


def _categories(n):
    for _ in range(n):
        make_category(topic_img_id=make_image().id)
    return "/v1/category/all"


def _category_list(n):
    _categories(n)
    return "/v1/category/list?size=100"


def _recent(n):
    for _ in range(n):
        _product()
    return "/v1/product/recent"


def _by_category(path):
    def build(n):
        category = make_category()
        for _ in range(n):
            _product(category=category)
        return f"{path}?category_id={category.id}&size=100"

    return build


def _product_detail(prefix):
    def build(n):
        product = _product()
        for i in range(n):
            make_product_image(product, order=i + 1)
            make_property(product, order=i)
        return f"{prefix}/{product.id}"

    return build


def _sku_detail(prefix):
    def build(n):
        colors = [f"色{i}" for i in range((n + 1) // 2)]
        product = make_sku_product(
            specs={"颜色": colors, "尺码": ["M", "L"]},
            skus=[
                ({"颜色": color, "尺码": size}, "10.00", 3)
                for color in colors
                for size in ("M", "L")
            ][:n],
            main_img_id=make_image().id,
        )
        for sku in skus_of(product):
            sku.img_id = make_image().id
        db.session.commit()
        return f"{prefix}/{product.id}"

    return build


def _admin_categories(n):
    for _ in range(n):
        category = make_category(topic_img_id=make_image().id)
        _product(category=category)
    return "/v2/category/list?size=100"


def _admin_products(n):
    for _ in range(n):
        _product(category=make_category())
    return "/v2/product/list?size=100"


def _admin_theme(n):
    theme = make_theme(products=[_product(on_sale=False) for _ in range(n)])
    return f"/v2/theme/{theme.id}"


def _admin_themes(n):
    _themes(n)
    return "/v2/theme/list?size=100"


def _admin_banner(n):
    return _banner(n).replace("/v1/", "/v2/")


def _admin_banners(n):
    for _ in range(n):
        _banner(1)
    return "/v2/banner/list?size=100"


PUBLIC_CASES = {
    "banner": (_banner, 20),
    "themes_by_ids": (_themes, 18),
    "theme_list": (_theme_list, 20),
    "theme": (_theme, 20),
    "category_all": (_categories, 20),
    "category_list": (_category_list, 20),
    "recent": (_recent, 15),
    "by_category": (_by_category("/v1/product/by_category"), 20),
    "list_by_category": (_by_category("/v1/product/list/by_category"), 20),
    "all_by_category": (_by_category("/v1/product/all/by_category"), 20),
    "product": (_product_detail("/v1/product"), 20),
    "product_skus": (_sku_detail("/v1/product"), 20),
}
ADMIN_CASES = {
    "category_list": (_admin_categories, 20),
    "product_list": (_admin_products, 20),
    "product": (_product_detail("/v2/product"), 20),
    "product_skus": (_sku_detail("/v2/product"), 20),
    "theme": (_admin_theme, 20),
    "theme_list": (_admin_themes, 20),
    "banner": (_admin_banner, 20),
    "banner_list": (_admin_banners, 20),
}


@pytest.mark.parametrize("case", PUBLIC_CASES)
def test_public_read_statement_count_does_not_grow_with_rows(client, case):
    build, many = PUBLIC_CASES[case]
    few_count, _ = statements_of(client, build(2))
    many_count, data = statements_of(client, build(many))
    assert few_count == many_count
    assert few_count <= 3
    assert str(data)  # the answer is real data, not an error


@pytest.mark.parametrize("case", ADMIN_CASES)
def test_admin_read_statement_count_does_not_grow_with_rows(client, super_headers, case):
    build, many = ADMIN_CASES[case]
    few_count, _ = statements_of(client, build(2), super_headers)
    many_count, _ = statements_of(client, build(many), super_headers)
    assert few_count == many_count
    assert few_count <= 5


def test_product_detail_rows_are_really_there_with_twenty(client):
    path = _product_detail("/v1/product")(20)
    _, data = statements_of(client, path)
    assert len(data["images"]) == 20
    assert len(data["properties"]) == 20


def test_product_detail_skus_are_really_there_with_twenty(client):
    path = _sku_detail("/v1/product")(20)
    _, data = statements_of(client, path)
    assert len(data["skus"]) == 20
    assert data["specs"][1] == {"name": "尺码", "values": ["M", "L"]}
    assert all(sku["image"].startswith("http://localhost/") for sku in data["skus"])


# ------------------------------------------------------------------- caching


def test_cached_read_runs_no_statement_the_second_time(client):
    product = _product()
    path = f"/v1/product/{product.id}"
    first = client.get(path)
    with count_statements() as log:
        second = client.get(path)
    assert log.count == 0
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]


def test_invalidate_catalog_replaces_the_version():
    before = catalog.catalog_version()
    catalog.invalidate_catalog()
    after = catalog.catalog_version()
    assert after != before
    assert catalog.catalog_version() == after


def test_catalog_version_is_regenerated_when_the_cache_loses_it():
    before = catalog.catalog_version()
    cache.clear()
    assert catalog.catalog_version() not in (None, before)


def test_service_write_invalidates_the_cached_answer(client):
    product = _product(price="5.00")
    path = f"/v1/product/{product.id}"
    assert client.get(path).get_json()["data"]["price"] == "5.00"
    catalog.update_product(product.id, {"price": "7.50"})
    assert client.get(path).get_json()["data"]["price"] == "7.50"


def test_catalog_answer_never_depends_on_the_host(client):
    product = _product()
    path = f"/v1/product/{product.id}"
    one = client.get(path, base_url="http://attacker.example").get_json()["data"]
    two = client.get(path, base_url="https://cdn.example.org").get_json()["data"]
    assert one["main_image"].startswith("http://localhost/static/images/")
    assert two == one


def test_zero_max_age_disables_the_server_cache(app, client):
    product = _product()
    path = f"/v1/product/{product.id}"
    app.config["CATALOG_MAX_AGE"] = 0
    try:
        client.get(path)
        with count_statements() as log:
            response = client.get(path)
        assert log.count > 0
        assert response.headers["Cache-Control"] == "public, max-age=0"
    finally:
        app.config["CATALOG_MAX_AGE"] = 60


# ------------------------------------------------------- image positions


def _positions(product_id):
    rows = db.session.scalars(
        select(ProductImage)
        .where(ProductImage.product_id == product_id)
        .order_by(ProductImage.order)
    )
    return [(row.order, row.img_id) for row in rows]


def _product_with_images(count):
    product = _product()
    images = [make_image() for _ in range(count)]
    for position, image in enumerate(images, start=1):
        make_product_image(product, image, order=position)
    return product, [image.id for image in images]


def test_reorder_moves_first_to_last():
    product, (a, b, c) = _product_with_images(3)
    catalog.reorder_product_images(product.id, 1, 3)
    assert _positions(product.id) == [(1, b), (2, c), (3, a)]


def test_reorder_moves_last_to_first():
    product, (a, b, c) = _product_with_images(3)
    catalog.reorder_product_images(product.id, 3, 1)
    assert _positions(product.id) == [(1, c), (2, a), (3, b)]


@pytest.mark.parametrize(("src", "dest"), [(2, 2), (0, 1), (4, 1), (1, 4)])
def test_reorder_refuses_missing_or_equal_positions(src, dest):
    product, ids = _product_with_images(3)
    with pytest.raises(ImageReorderError):
        catalog.reorder_product_images(product.id, src, dest)
    assert [img for _, img in _positions(product.id)] == ids


def test_add_image_in_the_middle_shifts_later_ones():
    product, (a, b) = _product_with_images(2)
    new = make_image().id
    result = catalog.add_product_image(product.id, new, order=2)
    assert [(i.order, i.img_id) for i in result.live_images()] == [(1, a), (2, new), (3, b)]
    assert _positions(product.id) == [(1, a), (2, new), (3, b)]


def test_add_image_past_the_end_lands_last():
    product, (a,) = _product_with_images(1)
    new = make_image().id
    catalog.add_product_image(product.id, new, order=9)
    assert _positions(product.id) == [(1, a), (2, new)]


def test_remove_image_renumbers_contiguously():
    product, (a, b, c) = _product_with_images(3)
    catalog.remove_product_image(product.id, b)
    assert _positions(product.id) == [(1, a), (2, c)]


def test_replace_images_keeps_shared_images_without_unique_errors():
    product, (a, b) = _product_with_images(2)
    c = make_image().id
    catalog.replace_product_images(product.id, [b, c, a])
    assert _positions(product.id) == [(1, b), (2, c), (3, a)]


def test_write_on_a_deleted_product_is_refused():
    product, _ = _product_with_images(1)
    catalog.delete_product(product.id)
    with pytest.raises(ProductNotFound):
        catalog.reorder_product_images(product.id, 1, 1)


# ---------------------------------------------------------------- demo seed


def test_seed_catalog_is_idempotent_and_matches_the_contract():
    seed_catalog()
    seed_catalog()
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Image, Category, Product, Theme, Banner, BannerItem)
    ]
    assert counts == [61, 6, 32, 3, 1, 4]
    product_11 = db.session.get(Product, 11)
    assert str(product_11.price) == "29.90"
    assert (product_11.stock, product_11.category_id, product_11.main_img_id) == (994, 2, 39)
    assert db.session.get(Product, 33).create_time - db.session.get(Product, 1).create_time == 32
    assert [img for _, img in _positions(11)] == [
        19,
        20,
        21,
        22,
        23,
        24,
        25,
        26,
        27,
        29,
        28,
        62,
        63,
    ]
    links = db.session.execute(
        select(theme_product.c.product_id)
        .where(theme_product.c.theme_id == 2)
        .order_by(theme_product.c.order)
    )
    assert [row.product_id for row in links] == [1, 2, 3, 5, 6, 16, 33]
    items = db.session.scalars(select(BannerItem).order_by(BannerItem.order)).all()
    assert [(i.img_id, i.key_word) for i in items] == [(65, "6"), (2, "25"), (3, "11"), (1, "10")]


def test_every_seed_image_file_exists_with_its_size(client):
    for path in IMAGES.values():
        name = path.lstrip("/")
        with PILImage.open(Path(OUTPUT) / name) as picture:
            assert picture.format == "PNG"
            assert picture.size == size_for(name), name
    assert size_for("banner-1a.png") == (750, 300)
    assert size_for("1@theme.png") == (750, 400)
    assert size_for("1@theme-head.png") == (750, 300)
    response = client.get("/static/images/banner-1a.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    response.close()


# ------------------------------------------- every admin write invalidates


def _write_requests():
    category = make_category()
    product = _product(category=make_category())
    other = _product()
    theme = make_theme(products=[product])
    banner = make_banner()
    item = make_banner_item(banner)
    image = make_image()
    prop = make_property(product)
    make_product_image(product, order=1)
    make_product_image(product, order=2)
    attached = make_product_image(other, order=1)
    return [
        ("post", "/v2/category", {"name": "new"}),
        ("put", f"/v2/category/{category.id}", {"name": "renamed"}),
        ("delete", f"/v2/category/{category.id}", None),
        ("post", "/v2/product", {"name": "p", "price": "1.00"}),
        ("put", f"/v2/product/{product.id}", {"stock": 3}),
        ("put", f"/v2/product/{product.id}/reorder", {"src_order": 1, "dest_order": 2}),
        ("post", f"/v2/product/{product.id}/image", {"img_id": image.id}),
        ("put", f"/v2/product/{product.id}/images", {"img_ids": [image.id]}),
        ("delete", f"/v2/product/{other.id}/image/{attached.img_id}", None),
        ("post", f"/v2/product/{product.id}/property", {"detail": "d"}),
        ("put", f"/v2/product/{product.id}/property/{prop.id}", {"detail": "e"}),
        ("delete", f"/v2/product/{product.id}/property/{prop.id}", None),
        ("post", "/v2/theme", {"name": "t"}),
        ("put", f"/v2/theme/{theme.id}", {"name": "t2"}),
        ("post", f"/v2/theme/{theme.id}/product", {"product_id": other.id}),
        ("delete", f"/v2/theme/{theme.id}/product/{other.id}", None),
        ("put", f"/v2/theme/{theme.id}/products", {"product_ids": [other.id]}),
        ("delete", f"/v2/theme/{theme.id}/product?product_id={other.id}", None),
        ("delete", f"/v2/theme/{theme.id}", None),
        ("post", "/v2/banner", {"name": "b"}),
        ("put", f"/v2/banner/{banner.id}", {"name": "b2"}),
        ("post", "/v2/banner_item", {"banner_id": banner.id, "img_id": image.id, "type": 0}),
        ("put", f"/v2/banner_item/{item.id}", {"order": 9}),
        ("delete", f"/v2/banner_item/{item.id}", None),
        ("delete", f"/v2/banner/{banner.id}", None),
        ("delete", f"/v2/product/{other.id}", None),
    ]


def test_every_admin_catalog_write_invalidates_the_cache(client, super_headers):
    for method, path, body in _write_requests():
        before = catalog.catalog_version()
        kwargs = {"headers": super_headers}
        if body is not None:
            kwargs["json"] = body
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code in (201, 202), (path, response.get_json())
        assert catalog.catalog_version() != before, path
