"""The CMS file manager: /v2/file (also /cms/file)."""

import io
from pathlib import Path

import pytest
from sqlalchemy import null, select

from app.extensions import db
from app.models import File
from tests.factories import auth_headers, jpeg_bytes, make_folder, make_staff, png_bytes

ARTICLE_FOLDER = 68


def _upload(client, headers, files, parent_id=None, prefix="/v2"):
    path = f"{prefix}/file" if parent_id is None else f"{prefix}/file/{parent_id}"
    data = {"file": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(path, data=data, headers=headers, content_type="multipart/form-data")


def _live(file_id):
    db.session.expire_all()
    return db.session.get(File, file_id)


def _fetch(client, url):
    """GET a served upload and close the streamed file."""
    response = client.get(url.replace("http://localhost", ""))
    response.get_data()
    response.close()
    return response


def _stored_path(app, row) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / row.storage_key


@pytest.fixture
def limits(app):
    """Set small upload limits for one test and restore them afterwards."""
    saved = {key: app.config[key] for key in ("FILE_MAX_SIZE", "FILE_MAX_COUNT", "FILE_MAX_TOTAL")}

    def set_limits(**values):
        app.config.update(values)

    yield set_limits
    app.config.update(saved)


# ------------------------------------------------------------------ upload


def test_upload_into_folder_stores_file(app, client, super_headers, super_admin):
    content = png_bytes()
    response = _upload(client, super_headers, [("photo.PNG", content)], ARTICLE_FOLDER)
    assert response.status_code == 201
    body = response.get_json()
    assert body["error_code"] == 1
    (item,) = body["data"]
    assert item["name"] == "photo.PNG"
    assert item["extension"] == ".png"
    assert item["parent_id"] == ARTICLE_FOLDER
    assert item["size"] == len(content)
    assert item["mime_type"] == "image/png"
    assert item["is_folder"] is False
    assert item["url"].startswith("http://localhost/uploads/")
    assert "storage_key" not in item and "sha256" not in item
    row = _live(item["id"])
    assert row.owner_id == super_admin.id
    assert row.storage == "local"
    assert item["url"].endswith("/" + row.storage_key)
    parts = row.storage_key.split("/")
    assert len(parts) == 4 and len(parts[3]) == len("0" * 32 + ".png")
    assert "photo" not in row.storage_key
    assert _stored_path(app, row).read_bytes() == content


def test_upload_to_root_via_cms_answers_list(client, super_headers):
    response = _upload(client, super_headers, [("a.jpg", jpeg_bytes())], prefix="/cms")
    assert response.status_code == 201
    item = response.get_json()["data"][0]
    assert item["parent_id"] == 0
    assert item["mime_type"] == "image/jpeg"
    assert _live(item["id"]).parent_id == 0


def test_upload_name_clash_gets_suffix(client, super_headers):
    files = [("a.png", png_bytes()), ("a.png", png_bytes(color=(1, 2, 3)))]
    first = _upload(client, super_headers, files, ARTICLE_FOLDER).get_json()["data"]
    again = _upload(client, super_headers, [("a.png", png_bytes())], ARTICLE_FOLDER)
    names = [item["name"] for item in first] + [item["name"] for item in again.get_json()["data"]]
    assert names == ["a.png", "a (1).png", "a (2).png"]


def test_upload_identical_content_shares_object(app, client, super_headers):
    content = png_bytes(color=(9, 9, 9))
    one = _upload(client, super_headers, [("x.png", content)], ARTICLE_FOLDER).get_json()["data"]
    two = _upload(client, super_headers, [("y.png", content)]).get_json()["data"]
    assert one[0]["url"] == two[0]["url"]
    first, second = _live(one[0]["id"]), _live(two[0]["id"])
    assert first.storage_key == second.storage_key
    assert first.sha256 == second.sha256


def test_upload_text_and_pdf_are_accepted(client, super_headers):
    files = [("notes.txt", "你好, plain text".encode()), ("doc.pdf", b"%PDF-1.4\n%...")]
    response = _upload(client, super_headers, files)
    assert response.status_code == 201
    assert [item["mime_type"] for item in response.get_json()["data"]] == [
        "text/plain",
        "application/pdf",
    ]


def test_upload_fake_png_is_refused(client, super_headers):
    response = _upload(client, super_headers, [("fake.png", b"just some text, not a png")])
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10340
    assert db.session.scalar(select(File).where(File.name == "fake.png")) is None


def test_upload_html_renamed_txt_is_refused(client, super_headers):
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    response = _upload(client, super_headers, [("page.txt", html)])
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10340


def test_upload_script_inside_markdown_is_refused(client, super_headers):
    response = _upload(client, super_headers, [("a.md", b"# Title\n\n<script>x()</script>\n")])
    assert response.get_json()["error_code"] == 10340


def test_upload_disallowed_extension_is_refused(client, super_headers):
    response = _upload(client, super_headers, [("run.exe", b"MZ\x90\x00")])
    assert response.status_code == 415
    assert response.get_json()["error_code"] == 10330


def test_upload_without_file_part_is_refused(client, super_headers):
    response = client.post(
        "/v2/file/68",
        data={"other": "x"},
        headers=super_headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 10300


def test_upload_too_large_is_refused(client, super_headers, limits):
    limits(FILE_MAX_SIZE=100)
    response = _upload(client, super_headers, [("big.txt", b"a" * 101)])
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10310
    assert db.session.scalar(select(File).where(File.name == "big.txt")) is None


def test_upload_too_many_is_refused(client, super_headers, limits):
    limits(FILE_MAX_COUNT=2)
    files = [(f"{n}.txt", b"text %d" % n) for n in range(3)]
    response = _upload(client, super_headers, files)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10320


def test_upload_total_too_large_is_refused(client, super_headers, limits):
    limits(FILE_MAX_TOTAL=150)
    files = [("a.txt", b"a" * 100), ("b.txt", b"b" * 100)]
    response = _upload(client, super_headers, files)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == 10310
    assert db.session.scalar(select(File).where(File.name == "a.txt")) is None


def test_upload_into_missing_or_file_parent_is_404(client, super_headers):
    assert _upload(client, super_headers, [("a.txt", b"a")], 999).get_json()["error_code"] == 10360
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    response = _upload(client, super_headers, [("b.txt", b"b")], item["id"])
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 10360


def test_upload_client_path_is_display_name_only(app, client, super_headers):
    item = _upload(client, super_headers, [("../../etc/evil.txt", b"ok")]).get_json()["data"][0]
    row = _live(item["id"])
    assert row.name == "evil.txt"
    assert ".." not in row.storage_key
    assert _stored_path(app, row).resolve().is_relative_to(Path(app.config["UPLOAD_FOLDER"]))


def test_upload_needs_permission(client):
    reader = make_staff(("文件", "查询文件列表"))
    response = _upload(client, auth_headers(reader), [("a.txt", b"a")])
    assert response.status_code == 403
    uploader = make_staff(("文件", "上传文件"))
    assert _upload(client, auth_headers(uploader), [("a.txt", b"a")]).status_code == 201


# ------------------------------------------------------------------- reads


def test_list_folders_first_then_files_by_name(client, super_headers):
    parent = make_folder("parent")
    make_folder("zeta", parent.id)
    make_folder("alpha", parent.id)
    _upload(client, super_headers, [("b.txt", b"b"), ("a.txt", b"a")], parent.id)
    response = client.get(f"/v2/file/list?parent_id={parent.id}", headers=super_headers)
    data = response.get_json()["data"]
    assert [item["name"] for item in data["items"]] == ["alpha", "zeta", "a.txt", "b.txt"]
    assert data["total"] == 4
    folder_item = data["items"][0]
    assert folder_item["extension"] == "" and folder_item["url"] == ""
    assert folder_item["size"] == 0 and folder_item["mime_type"] == ""


def test_list_root_defaults_and_pages(client, super_headers):
    response = client.get("/cms/file/list?page=1&size=30", headers=super_headers)
    data = response.get_json()["data"]
    assert any(item["id"] == ARTICLE_FOLDER for item in data["items"])
    assert data["current_page"] == 1


def test_list_keyword_filters(client, super_headers):
    _upload(client, super_headers, [("report.txt", b"r"), ("other.txt", b"o")])
    data = client.get("/v2/file/list?keyword=repo", headers=super_headers).get_json()["data"]
    assert [item["name"] for item in data["items"]] == ["report.txt"]


def test_list_of_file_or_missing_parent_is_404(client, super_headers):
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    for parent in (item["id"], 9999):
        response = client.get(f"/v2/file/list?parent_id={parent}", headers=super_headers)
        assert response.status_code == 404
        assert response.get_json()["error_code"] == 10360


def test_get_file_and_root(client, super_headers):
    response = client.get(f"/v2/file/{ARTICLE_FOLDER}", headers=super_headers)
    data = response.get_json()["data"]
    assert data["name"] == "文章图片" and data["is_folder"] is True
    root = client.get("/v2/file/0", headers=super_headers).get_json()["data"]
    assert root["id"] == 0 and root["parent_id"] == 0 and root["name"] == ""
    assert root["is_folder"] is True and root["url"] == ""
    assert client.get("/v2/file/9999", headers=super_headers).get_json()["error_code"] == 10360


def test_get_by_name_lists_exact_matches(client, super_headers):
    folder = make_folder("box")
    _upload(client, super_headers, [("same.txt", b"1")])
    _upload(client, super_headers, [("same.txt", b"2"), ("same.txt.bak.txt", b"3")], folder.id)
    items = client.get("/v2/file/name/same.txt", headers=super_headers).get_json()["data"]["items"]
    assert len(items) == 2
    assert {item["parent_id"] for item in items} == {0, folder.id}


def test_folder_tree_nests_folders_by_name(client, super_headers):
    top = make_folder("b-top")
    make_folder("y", top.id)
    make_folder("x", top.id)
    _upload(client, super_headers, [("file.txt", b"f")], top.id)
    tree = client.get("/cms/file/folder", headers=super_headers).get_json()["data"]
    assert tree["id"] == 0 and tree["parent_id"] == 0 and tree["name"] == ""
    names = [node["name"] for node in tree["children"]]
    assert names == sorted(names) and "文章图片" in names
    node = next(n for n in tree["children"] if n["id"] == top.id)
    assert [child["name"] for child in node["children"]] == ["x", "y"]
    assert node["children"][0]["children"] == []


def test_types_lists_allowed_extensions(client, super_headers):
    items = client.get("/v2/file/types", headers=super_headers).get_json()["data"]["items"]
    assert items == sorted(items)
    assert ".png" in items and ".pdf" in items and ".exe" not in items


def test_private_uploads_are_invisible(client, super_headers, customer):
    private = File(parent_id=null(), name="avatar.png", owner_id=customer.id, storage_key="")
    db.session.add(private)
    db.session.commit()
    assert client.get(f"/v2/file/{private.id}", headers=super_headers).status_code == 404
    items = client.get("/v2/file/name/avatar.png", headers=super_headers).get_json()["data"]
    assert items["items"] == []
    response = client.delete(f"/v2/file?ids={private.id}", headers=super_headers)
    assert response.status_code == 404


# -------------------------------------------------------------- new folder


def test_new_folder_creates_and_clashes(client, super_headers):
    response = client.post(
        "/v2/file/new", json={"parent_id": ARTICLE_FOLDER, "filename": "图"}, headers=super_headers
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["is_folder"] is True and data["parent_id"] == ARTICLE_FOLDER
    assert _live(data["id"]).name == "图"
    again = client.post(
        "/cms/file/new", json={"parent_id": ARTICLE_FOLDER, "filename": "图"}, headers=super_headers
    )
    assert again.status_code == 409
    assert again.get_json()["error_code"] == 2001


def test_new_folder_rejects_bad_names_and_parents(client, super_headers):
    for name in ("a/b", "a\\b", "tab\there", ""):
        response = client.post("/v2/file/new", json={"filename": name}, headers=super_headers)
        assert response.status_code == 400, name
    lone_surrogate = '{"filename": "a\\ud800b"}'
    response = client.post(
        "/v2/file/new", data=lone_surrogate, content_type="application/json", headers=super_headers
    )
    assert response.status_code == 400
    response = client.post(
        "/v2/file/new", json={"parent_id": 999, "filename": "x"}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 10360


# ------------------------------------------------------------------ rename


def test_rename_by_query_keeps_extension(client, super_headers):
    item = _upload(client, super_headers, [("a.png", png_bytes())]).get_json()["data"][0]
    response = client.put(
        f"/cms/file/rename?filename=b.jpg&file_id={item['id']}", json={}, headers=super_headers
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["name"] == "b.jpg" and data["extension"] == ".png"
    assert _live(item["id"]).name == "b.jpg"


def test_rename_clash_is_409(client, super_headers):
    items = _upload(client, super_headers, [("a.txt", b"a"), ("b.txt", b"b")]).get_json()["data"]
    response = client.put(
        f"/v2/file/rename?filename=b.txt&file_id={items[0]['id']}", headers=super_headers
    )
    assert response.status_code == 409
    assert _live(items[0]["id"]).name == "a.txt"
    missing = client.put("/v2/file/rename?filename=x&file_id=9999", headers=super_headers)
    assert missing.get_json()["error_code"] == 10360


# -------------------------------------------------------------------- move


def test_move_file_into_folder(client, super_headers):
    target = make_folder("target")
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    response = client.put(
        "/cms/file/move",
        json={"parent_id": target.id, "file_id": item["id"]},
        headers=super_headers,
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["items"][0]["parent_id"] == target.id
    assert _live(item["id"]).parent_id == target.id


def test_move_folder_with_subtree_and_ids(client, super_headers):
    source, target = make_folder("src"), make_folder("dst")
    child = make_folder("child", source.id)
    _upload(client, super_headers, [("in.txt", b"in")], child.id)
    other = _upload(client, super_headers, [("o.txt", b"o")]).get_json()["data"][0]
    response = client.put(
        "/v2/file/move",
        json={"parent_id": target.id, "ids": [source.id, other["id"]]},
        headers=super_headers,
    )
    assert response.status_code == 201
    assert _live(source.id).parent_id == target.id
    assert _live(other["id"]).parent_id == target.id
    assert _live(child.id).parent_id == source.id


def test_move_into_itself_or_descendant_is_400(client, super_headers):
    top = make_folder("top")
    inner = make_folder("inner", top.id)
    for parent in (top.id, inner.id):
        response = client.put(
            "/v2/file/move", json={"parent_id": parent, "file_id": top.id}, headers=super_headers
        )
        assert response.status_code == 400
        assert response.get_json()["error_code"] == 10370
    assert _live(top.id).parent_id == 0


def test_move_onto_file_is_400(client, super_headers):
    items = _upload(client, super_headers, [("a.txt", b"a"), ("b.txt", b"b")]).get_json()["data"]
    response = client.put(
        "/v2/file/move",
        json={"parent_id": items[0]["id"], "file_id": items[1]["id"]},
        headers=super_headers,
    )
    assert response.get_json()["error_code"] == 10370


def test_move_name_clash_moves_nothing(client, super_headers):
    target = make_folder("t")
    _upload(client, super_headers, [("b.txt", b"x")], target.id)
    items = _upload(client, super_headers, [("a.txt", b"a"), ("b.txt", b"b")]).get_json()["data"]
    response = client.put(
        "/v2/file/move",
        json={"parent_id": target.id, "ids": [item["id"] for item in items]},
        headers=super_headers,
    )
    assert response.status_code == 409
    assert response.get_json()["error_code"] == 2001
    assert [_live(item["id"]).parent_id for item in items] == [0, 0]


def test_move_into_current_folder_changes_nothing(client, super_headers):
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    response = client.put(
        "/v2/file/move", json={"parent_id": 0, "file_id": item["id"]}, headers=super_headers
    )
    assert response.status_code == 201
    assert _live(item["id"]).parent_id == 0


def test_move_requires_an_id_and_existing_rows(client, super_headers):
    response = client.put("/v2/file/move", json={"parent_id": 0}, headers=super_headers)
    assert response.status_code == 400 and response.get_json()["error_code"] == 1000
    response = client.put(
        "/v2/file/move", json={"parent_id": 0, "file_id": 9999}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 10360


# -------------------------------------------------------------------- copy


def test_copy_folder_with_subtree_shares_objects(client, super_headers):
    source, target = make_folder("src"), make_folder("dst")
    inner = make_folder("inner", source.id)
    item = _upload(client, super_headers, [("a.png", png_bytes())], inner.id).get_json()["data"][0]
    response = client.post(
        "/cms/file/copy", json={"parent_id": target.id, "file_id": source.id}, headers=super_headers
    )
    assert response.status_code == 201
    (copied,) = response.get_json()["data"]["items"]
    assert (
        copied["name"] == "src" and copied["parent_id"] == target.id and copied["id"] != source.id
    )
    inner_copy = db.session.scalar(select(File).where(File.parent_id == copied["id"]))
    assert inner_copy.name == "inner" and inner_copy.is_folder
    file_copy = db.session.scalar(select(File).where(File.parent_id == inner_copy.id))
    assert file_copy.name == "a.png" and file_copy.id != item["id"]
    assert file_copy.storage_key == _live(item["id"]).storage_key
    assert _live(source.id).parent_id == 0  # the source stays


def test_copy_into_same_folder_gets_suffix(client, super_headers):
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    response = client.post(
        "/v2/file/copy", json={"parent_id": 0, "ids": [item["id"]]}, headers=super_headers
    )
    assert response.get_json()["data"]["items"][0]["name"] == "a (1).txt"


def test_copy_into_descendant_is_400(client, super_headers):
    top = make_folder("top")
    inner = make_folder("inner", top.id)
    response = client.post(
        "/v2/file/copy", json={"parent_id": inner.id, "file_id": top.id}, headers=super_headers
    )
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 10370
    assert db.session.scalar(select(File).where(File.parent_id == inner.id)) is None


# ------------------------------------------------------------------ delete


def test_delete_recursive_soft_deletes(client, super_headers):
    top = make_folder("top")
    inner = make_folder("inner", top.id)
    item = _upload(client, super_headers, [("a.txt", b"a")], inner.id).get_json()["data"][0]
    response = client.delete(f"/cms/file?ids={top.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"]["ids"] == sorted([top.id, inner.id, item["id"]])
    assert _live(top.id) is None or _live(top.id).delete_time is not None
    rows = db.session.scalars(
        select(File)
        .where(File.id.in_([top.id, inner.id, item["id"]]))
        .execution_options(include_deleted=True)
    ).all()
    assert len(rows) == 3 and all(row.delete_time is not None for row in rows)


def test_delete_all_or_nothing(client, super_headers):
    item = _upload(client, super_headers, [("a.txt", b"a")]).get_json()["data"][0]
    response = client.delete(f"/v2/file?ids={item['id']},9999", headers=super_headers)
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 10360
    assert _live(item["id"]).delete_time is None


def test_delete_removes_object_only_when_unreferenced(app, client, super_headers):
    content = b"shared content"
    one = _upload(client, super_headers, [("a.txt", content)]).get_json()["data"][0]
    two = _upload(client, super_headers, [("b.txt", content)]).get_json()["data"][0]
    path = _stored_path(app, _live(one["id"]))
    client.delete(f"/v2/file?ids={one['id']}", headers=super_headers)
    assert path.exists()
    assert _fetch(client, two["url"]).status_code == 200
    client.delete(f"/v2/file?ids={two['id']}", headers=super_headers)
    assert not path.exists()


def test_delete_needs_ids(client, super_headers):
    response = client.delete("/v2/file", headers=super_headers)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


# ----------------------------------------------------------------- serving


def test_served_image_inline_and_other_files_attachment(client, super_headers):
    items = _upload(
        client, super_headers, [("p.png", png_bytes()), ("t.txt", b"hello")]
    ).get_json()["data"]
    image = _fetch(client, items[0]["url"])
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert "attachment" not in image.headers.get("Content-Disposition", "")
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    text = _fetch(client, items[1]["url"])
    assert text.status_code == 200
    assert text.headers["Content-Disposition"].startswith("attachment")
    assert "t.txt" in text.headers["Content-Disposition"]
    assert text.data == b"hello"
    assert text.headers["X-Content-Type-Options"] == "nosniff"


def test_serving_refuses_paths_outside_folder(client):
    for path in ("/uploads/../config.ini", "/uploads/2024/01/01/..%2f..%2fx.png", "/uploads/x"):
        assert _fetch(client, path).status_code == 404, path
    assert _fetch(client, "/uploads/2024/01/01/" + "a" * 32 + ".png").status_code == 404
