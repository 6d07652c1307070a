"""GET /v2/server: host and process figures for super admins."""

import re


def test_get_server_answers_figures(client, super_headers):
    response = client.get("/cms/server", headers=super_headers)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert set(data) == {"system", "cpu", "memory", "disk", "project"}
    assert isinstance(data["cpu"]["count"], int) and data["cpu"]["percent"].endswith("%")
    assert re.fullmatch(r"[0-9.]+[BKMGTP]", data["memory"]["total"])
    assert data["project"]["name"] == "mini-shop-server"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", data["project"]["start_time"])
    assert isinstance(data["project"]["uptime"], int) and data["project"]["uptime"] >= 0
