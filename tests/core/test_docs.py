"""Every API route is in the OpenAPI spec, with the success envelope and security."""

import re

API_PREFIXES = ("/v1/", "/v2/", "/cms/")


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_documented(app, client):
    spec = client.get("/apispec_1.json").get_json()
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES):
            continue
        path = spec["paths"].get(_spec_path(rule.rule), {})
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = path.get(method.lower())
            if not operation or not any(code.startswith("2") for code in operation["responses"]):
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_spec_declares_basic_and_bearer_security(client):
    spec = client.get("/apispec_1.json").get_json()
    assert set(spec["securityDefinitions"]) == {"basic", "bearer"}
    assert spec["paths"]["/v1/user"]["get"]["security"] == [{"bearer": []}, {"basic": []}]


def test_swagger_ui_is_served(client):
    response = client.get("/apidocs/")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


def _operation(spec, path, method):
    return spec["paths"][path][method]


def test_spec_states_the_limits_the_forms_apply(client):
    spec = client.get("/apispec_1.json").get_json()
    (order,) = _operation(spec, "/v1/order", "post")["parameters"]
    products = order["schema"]["properties"]["products"]
    assert (products["minItems"], products["maxItems"]) == (1, 20)
    count = products["items"]["properties"]["count"]
    assert (count["minimum"], count["maximum"]) == (1, 99)
    (profile,) = _operation(spec, "/v1/user", "put")["parameters"]
    mobile = profile["schema"]["properties"]["mobile"]
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
