"""Routes outside the API blueprints: the root pointer."""


def test_index_points_to_docs_and_health(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.get_json()
    assert body["error_code"] == 0
    assert body["data"] == {"name": "mini-shop-server", "health": "/health", "docs": "/apidocs/"}
    assert client.get(body["data"]["docs"]).status_code == 200
    assert client.get(body["data"]["health"]).status_code == 200


def test_index_without_swagger_omits_docs(make_app):
    response = make_app(SWAGGER_ENABLED=False).test_client().get("/")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"name": "mini-shop-server", "health": "/health"}
