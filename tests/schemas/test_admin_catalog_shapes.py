"""The admin views of catalog, file, order and article answers: named in the spec, with the
error codes each operation raises, and local times whatever the URL serializing them."""

import re

import pytest

from app.core.timefmt import format_time
from app.models import File
from app.schemas.file import AdminFile
from app.schemas.order import AdminOrderDetail
from app.schemas.product import AdminProductDetail
from tests import factories

CONVERTED = re.compile(
    r"^/v2/(product|category|theme|banner|banner_item|image|file|order|article)(/|$)"
)


@pytest.fixture
def spec(client):
    return client.get("/apispec_1.json").get_json()


def _answers(spec):
    for path, item in spec["paths"].items():
        if CONVERTED.match(path):
            for method, operation in item.items():
                for status, response in operation["responses"].items():
                    # file downloads (exports, the import template) have no JSON envelope
                    if status.startswith("2") and response["schema"].get("type") != "file":
                        yield f"{method} {path}", response["schema"]["properties"]["data"]


def test_converted_admin_answers_reference_named_shapes(spec):
    answers = dict(_answers(spec))
    assert len(answers) > 50
    for operation, data in answers.items():
        ref = data.get("$ref") or data.get("items", {}).get("$ref")
        assert ref and ref.split("/")[-1] in spec["definitions"], operation
    assert answers["get /v2/product/list"] == {"$ref": "#/definitions/AdminProductSummaryPage"}
    assert answers["post /v2/file"] == {
        "type": "array",
        "items": {"$ref": "#/definitions/AdminFile"},
    }


def test_admin_definitions_document_times_as_local_text(spec):
    definitions = spec["definitions"]
    for name in ("AdminProductSummary", "AdminCategory", "AdminBannerItem", "OrderEvent"):
        assert definitions[name]["properties"]["create_time"]["type"] == "string", name
    assert definitions["AdminOrderDetail"]["properties"]["payments"]["items"] == {
        "$ref": "#/definitions/OrderPayment"
    }
    children = definitions["FolderNode"]["properties"]["children"]
    assert children == {"type": "array", "items": {"$ref": "#/definitions/FolderNode"}}


def test_converted_admin_operations_list_their_error_codes(spec):
    def codes(path, method, status):
        return spec["paths"][path][method]["responses"][status]["x-error-codes"]

    assert codes("/v2/product/{id}", "get", "404") == [30010]
    assert codes("/v2/category/{id}", "delete", "409") == [31020]
    assert codes("/v2/theme/{id}/product/{product_id}", "delete", "404") == [41010, 41020]
    assert 70010 in codes("/v2/order/{id}/refund", "post", "503")
    assert codes("/v2/order/{id}/refund", "post", "502") == [70030]
    assert 10370 in codes("/v2/file/move", "put", "400")
    assert codes("/v2/image/{image_id}", "delete", "409") == [10390]


def test_admin_shapes_answer_local_times_on_any_url(app):
    product = factories.make_product()
    placed = factories.make_order(factories.make_user(), (product, 1))
    for url in ("/v1/product/recent", "/v2/product/list"):
        with app.test_request_context(url):
            detail = AdminProductDetail.serialize(product)
            order = AdminOrderDetail.serialize(placed)
        assert detail["create_time"] == format_time(product.create_time)
        assert order["create_time"] == format_time(placed.create_time)
        assert order["events"][0]["create_time"] == format_time(placed.events[0].create_time)


def test_file_root_and_folders_answer_no_file_details(app):
    with app.test_request_context("/v2/file/0"):
        root = AdminFile.serialize(File.root())
        folder = AdminFile.serialize(
            File(id=5, parent_id=None, name="docs", is_folder=True, extension="x", size=9)
        )
    assert (root["id"], root["parent_id"], root["name"], root["is_folder"]) == (0, 0, "", True)
    assert root["create_time"] == root["update_time"] and len(root["create_time"]) == 19
    assert (folder["parent_id"], folder["extension"], folder["size"], folder["url"]) == (
        0,
        "",
        0,
        "",
    )
