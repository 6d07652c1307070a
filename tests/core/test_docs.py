"""The OpenAPI spec: every API route documented once (/cms by its /v2 twin), navigable, named."""

import re

import pytest

API_PREFIXES = ("/v1/", "/v2/", "/cms/")


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


@pytest.fixture
def spec(client):
    return client.get("/apispec_1.json").get_json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_api_route_is_documented(app, spec):
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES):
            continue
        # /cms mirrors /v2: a /cms route is documented by its /v2 twin
        path = spec["paths"].get(_spec_path(re.sub(r"^/cms/", "/v2/", rule.rule)), {})
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = path.get(method.lower())
            if not operation or not any(code.startswith("2") for code in operation["responses"]):
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_spec_leaves_out_the_cms_mirror(spec):
    assert not [path for path in spec["paths"] if path.startswith("/cms")]
    assert "/cms/" in spec["info"]["description"]


def test_spec_declares_basic_and_bearer_security(spec):
    assert set(spec["securityDefinitions"]) == {"basic", "bearer"}
    assert spec["paths"]["/v1/user"]["get"]["security"] == [{"bearer": []}, {"basic": []}]
    assert "token alone" in spec["securityDefinitions"]["bearer"]["description"]


def test_every_operation_has_a_tag_a_unique_operation_id_and_both_texts(spec):
    tags = {tag["name"]: tag["description"] for tag in spec["tags"]}
    ids = []
    for path, method, operation in _operations(spec):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, (path, method)
        assert operation["summary"] and operation["description"], (path, method)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert tags["v1.product"].startswith("Product: public reads")
    operation = spec["paths"]["/v1/product/{id}"]["get"]
    assert operation["operationId"] == "v1.product.get_product"
    assert operation["summary"] == "Get an on-sale product"
    assert operation["description"] == "Get an on-sale product with its images and properties."


def test_converted_answers_reference_named_shapes(spec):
    data = spec["paths"]["/v1/product/recent"]["get"]["responses"]["200"]["schema"]
    assert data["properties"]["data"] == {"$ref": "#/definitions/ProductSummaryItems"}
    items = spec["definitions"]["ProductSummaryItems"]["properties"]["items"]
    assert items == {"type": "array", "items": {"$ref": "#/definitions/ProductSummary"}}
    summary = spec["definitions"]["ProductSummary"]
    assert summary["properties"]["price"]["pattern"] == r"^-?[0-9]+\.[0-9]{2}$"
    assert summary["properties"]["category_id"] == {"type": "integer", "x-nullable": True}
    assert set(summary["required"]) == set(summary["properties"])


def test_audiences_document_their_time_type(spec):
    assert spec["definitions"]["Notice"]["properties"]["create_time"]["type"] == "integer"
    assert spec["definitions"]["AdminNotice"]["properties"]["create_time"]["type"] == "string"
    listed = spec["paths"]["/v2/notice/list"]["get"]["responses"]["200"]["schema"]
    assert listed["properties"]["data"] == {"$ref": "#/definitions/AdminNoticePage"}


def test_request_bodies_are_named_with_their_limits(spec):
    (body,) = [p for p in spec["paths"]["/v1/address"]["post"]["parameters"] if p["in"] == "body"]
    assert body["schema"] == {"$ref": "#/definitions/AddressCreateForm"}
    mobile = spec["definitions"]["AddressCreateForm"]["properties"]["mobile"]
    assert mobile["maxLength"] == 11 and mobile["pattern"] == "^1[3-9][0-9]{9}$"
    order = spec["definitions"]["OrderCreateForm"]["properties"]
    assert order["address_id"]["maximum"] == 2**31 - 1


def test_query_parameters_carry_validator_limits(spec):
    params = {p["name"]: p for p in spec["paths"]["/v1/product/recent"]["get"]["parameters"]}
    assert (params["count"]["minimum"], params["count"]["maximum"]) == (1, 15)


def test_operations_list_their_error_codes(spec):
    responses = spec["paths"]["/v1/order"]["post"]["responses"]
    assert 30010 in responses["404"]["x-error-codes"]  # ProductNotFound
    assert 50020 in responses["409"]["x-error-codes"]  # OutOfStock
    assert responses["429"]["x-error-codes"] == [1008]
    assert responses["401"]["x-error-codes"] == [1002, 1003]
    assert "1000" in responses["400"]["description"] or 1000 in responses["400"]["x-error-codes"]
    admin = spec["paths"]["/v2/notice/{id}"]["get"]["responses"]
    assert admin["403"]["x-error-codes"] == [1004] and admin["404"]["x-error-codes"] == [82010]
    public = spec["paths"]["/v1/banner/{id}"]["get"]["responses"]
    assert "401" not in public and public["404"]["x-error-codes"] == [40010]


def test_swagger_ui_is_served(client):
    response = client.get("/apidocs/")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


def test_swagger_ui_has_a_title_and_loads_nothing_from_outside(client):
    page = client.get("/apidocs/").get_data(as_text=True)
    assert "<title>mini-shop-server API</title>" in page
    assert not re.findall(r"""(?:src=|<link[^>]*href=)["']https?://""", page)
    assert "fonts.googleapis" not in page
    # flasgger's own template renders `let auth_config = None;`, a ReferenceError in the browser
    assert "= None;" not in page


def _operation(spec, path, method):
    return spec["paths"][path][method]


def _definition(spec, schema):
    return spec["definitions"][schema["$ref"].rpartition("/")[2]]


def test_spec_states_the_limits_the_forms_apply(client):
    spec = client.get("/apispec_1.json").get_json()
    (order,) = _operation(spec, "/v1/order", "post")["parameters"]
    products = _definition(spec, order["schema"])["properties"]["products"]
    assert (products["minItems"], products["maxItems"]) == (1, 20)
    count = products["items"]["properties"]["count"]
    assert (count["minimum"], count["maximum"]) == (1, 99)
    (profile,) = _operation(spec, "/v1/user", "put")["parameters"]
    mobile = _definition(spec, profile["schema"])["properties"]["mobile"]
    assert (mobile["minLength"], mobile["maxLength"], mobile["pattern"]) == (
        11,
        11,
        "^1[3-9][0-9]{9}$",
    )


def test_spec_query_parameters_state_integer_bounds_and_list_sizes(client):
    spec = client.get("/apispec_1.json").get_json()
    params = {p["name"]: p for p in _operation(spec, "/v1/theme", "get")["parameters"]}
    assert params["ids"]["type"] == "array"
    assert (params["ids"]["minItems"], params["ids"]["maxItems"]) == (1, 20)
    assert params["ids"]["items"]["type"] == "integer"
    page = {p["name"]: p for p in _operation(spec, "/v1/order", "get")["parameters"]}
    assert (page["size"]["minimum"], page["size"]["maximum"]) == (1, 100)
