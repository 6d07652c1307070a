"""The /v2 access, log and system shapes: the compiled serializer writes what marshmallow would,
times are local text whatever the URL, trees recurse with their own shape, and the spec names
each shape once."""

import pytest
from marshmallow import Schema

from app.core.timefmt import format_time
from app.extensions import db
from app.models import Element, ErrorLog, LoginLog, OperLog, Permission, Route
from app.models.access import RouteNode as TreeNode
from app.schemas import config, element, group, log, route, server, user
from app.schemas import dict as dict_shapes
from app.services import access
from tests import factories
from tests.schemas import declared_shapes

MODULES = [config, dict_shapes, element, group, log, route, server]


def _route(name, parent_id=0, order=0):
    row = Route(title=name.title(), name=name, path=f"/{name}", icon="i", parent_id=parent_id)
    row.order = order
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def rows(app):
    staff = factories.make_staff(("用户", "查询用户列表"), username="carol")
    parent = _route("shapes-parent")
    child = _route("shapes-child", parent_id=parent.id)
    item = Element(name="Save", sign="shapes.save", route_id=child.id)
    db.session.add(item)
    db.session.add_all(
        [
            LoginLog(user_name="carol", status=True, message="ok"),
            OperLog(user_id=staff.id, user_name="carol", type=42, request_param=None),
            ErrorLog(
                exception="KeyError", message="boom", traceback="Traceback", request_param=None
            ),
        ]
    )
    db.session.commit()
    node = TreeNode(parent, elements=[])
    node.children = [TreeNode(child, elements=[item])]
    return {
        user.AdminUser: staff,
        group.Group: staff.group,
        group.GroupDetail: access.group_detail(staff.group),
        group.GroupMigration: {"src_id": 1, "dest_id": 2, "moved": 3},
        element.Element: item,
        element.Signs: {"items": ["a", "b"]},
        element.ElementDeployment: {"group_id": 1, "element_ids": [item.id]},
        route.RouteMeta: parent,
        route.RouteNode: node,
        route.RouteNodeWithElements: node,
        log.LoginLog: db.session.query(LoginLog).one(),
        log.OperLog: db.session.query(OperLog).one(),
        log.ErrorLog: db.session.query(ErrorLog).one(),
        log.ErrorLogDetail: db.session.query(ErrorLog).one(),
        log.Cleared: {"count": 2},
        log.UserNamePage: {"items": ["carol"], "total": 1, "current_page": 1, "total_page": 1},
        config.Config: factories.make_config(value="7", value_type="int"),
        dict_shapes.DictType: factories.make_dict_type(),
        dict_shapes.Dict: factories.make_dict(factories.make_dict_type()),
        server.ServerSystem: {"hostname": "h", "ip": "127.0.0.1", "mac": "00", "os": "Linux"},
        server.ServerCpu: {"count": 2, "percent": "3.0%"},
        server.ServerUsage: {"total": "1.0G", "free": "0.5G", "percent": "50.0%"},
        server.ServerProject: _project(),
        server.ServerInfo: {
            "system": {"hostname": "h", "ip": "127.0.0.1", "mac": "00", "os": "Linux"},
            "cpu": {"count": 2, "percent": "3.0%"},
            "memory": {"total": "1.0G", "free": "0.5G", "percent": "50.0%"},
            "disk": {"total": "1.0G", "free": "0.5G", "percent": "50.0%"},
            "project": _project(),
        },
    }


def _project():
    return {"name": "n", "version": "1", "python": "3", "flask": "3", "start_time": 1, "uptime": 2}


def test_serialize_writes_what_marshmallow_dump_writes(app, rows):
    with app.test_request_context("/v1/user", base_url="http://shop.example"):
        for shape, row in rows.items():
            assert isinstance(shape(), Schema)
            assert shape.serialize(row) == shape().dump(row), shape.__name__


def test_every_declared_shape_is_covered(rows):
    assert declared_shapes(*MODULES) - set(rows) == set()


def test_admin_user_keeps_its_keys_and_formats_times_on_any_url(app, rows):
    staff = rows[user.AdminUser]
    staff.last_login_time = 1700000000
    with app.test_request_context("/v1/user"):
        data = user.AdminUser.serialize(staff)
    assert list(data) == [
        "id",
        "nickname",
        "avatar",
        "auth",
        "group_id",
        "auth_scope",
        "username",
        "email",
        "mobile",
        "wx_bound",
        "create_time",
        "update_time",
        "active",
        "last_login_time",
    ]
    assert data["create_time"] == format_time(staff.create_time)
    assert data["last_login_time"] == format_time(1700000000)
    assert data["auth_scope"] == staff.group.name and data["active"] is True
    assert not any("password" in key or "token" in key for key in data)


def test_route_tree_recurses_with_the_node_shape(app, rows):
    node = rows[route.RouteNode]
    with app.test_request_context("/v2/route/tree"):
        plain = route.RouteNode.serialize(node)
        detailed = route.RouteNodeWithElements.serialize(node)
    assert plain["meta"] == {"title": "Shapes-Parent", "icon": "i"}
    (child,) = plain["children"]
    assert child["name"] == "shapes-child" and child["children"] == []
    assert "elements" not in child
    (detailed_child,) = detailed["children"]
    assert list(detailed_child)[-2:] == ["children", "elements"]
    assert detailed_child["elements"][0]["sign"] == "shapes.save"
    assert isinstance(detailed_child["elements"][0]["create_time"], str)


def test_oper_log_unknown_type_reads_as_other_and_empty_params(app, rows):
    with app.test_request_context("/v2/log/oper/1"):
        data = log.OperLog.serialize(rows[log.OperLog])
        detail = log.ErrorLogDetail.serialize(rows[log.ErrorLogDetail])
    assert (data["type"], data["type_code"], data["request_param"]) == ("其他", 0, {})
    assert detail["request_param"] == {} and detail["traceback"] == "Traceback"


def test_config_value_is_typed_and_catalogue_groups_by_module(app, rows):
    with app.test_request_context("/v2/config/1"):
        assert config.Config.serialize(rows[config.Config])["value"] == 7
    permissions = db.session.query(Permission).order_by(Permission.id).limit(2).all()
    grouped = group.PermissionCatalogue.serialize({"m": permissions})
    assert grouped == {"m": [{"id": p.id, "name": p.name, "module": p.module} for p in permissions]}


@pytest.fixture
def spec(client):
    return client.get("/apispec_1.json").get_json()


def test_spec_names_the_admin_shapes(spec):
    definitions = spec["definitions"]
    listed = spec["paths"]["/v2/admin/list"]["get"]["responses"]["200"]["schema"]
    assert listed["properties"]["data"] == {"$ref": "#/definitions/AdminUserPage"}
    assert definitions["AdminUser"]["properties"]["last_login_time"] == {
        "type": "string",
        "example": "2024-01-31 18:30:00",
        "x-nullable": True,
    }
    children = definitions["RouteNode"]["properties"]["children"]
    assert children == {"type": "array", "items": {"$ref": "#/definitions/RouteNode"}}
    detailed = definitions["RouteNodeWithElements"]["properties"]["children"]
    assert detailed["items"] == {"$ref": "#/definitions/RouteNodeWithElements"}
    catalogue = spec["paths"]["/v2/auth/all"]["get"]["responses"]["200"]["schema"]
    items = catalogue["properties"]["data"]["additionalProperties"]["items"]
    assert items == {"$ref": "#/definitions/Permission"}
    value_type = definitions["Config"]["properties"]["value_type"]
    assert value_type["enum"] == ["str", "int", "bool", "json"]


def test_spec_lists_the_admin_error_codes(spec):
    admin = spec["paths"]["/v2/admin/{uid}"]["put"]["responses"]
    assert admin["404"]["x-error-codes"] == [20010, 80010]
    assert admin["409"]["x-error-codes"] == [2001]
    group_delete = spec["paths"]["/v2/group/{id}"]["delete"]["responses"]
    assert group_delete["409"]["x-error-codes"] == [80020]
    config_key = spec["paths"]["/v2/config/key/{key}"]["get"]["responses"]
    assert config_key["404"]["x-error-codes"] == [84010]
    assert config_key["401"]["x-error-codes"] == [1002]
