"""The permission registry: declarations, stable ids, refusal to start."""

import pytest
from flask import Blueprint
from sqlalchemy import select

from app.core.auth import permission
from app.core.permissions import CATALOGUE, UndeclaredRoute, check_declarations
from app.extensions import db
from app.models import Permission
from app.services.access import sync_permissions


def test_catalogue_matches_the_contract_ids():
    assert len(CATALOGUE) == 87
    assert CATALOGUE[0] == ("用户", "查询用户列表")
    assert CATALOGUE[5] == ("订单", "查询订单列表")
    assert CATALOGUE[66] == ("错误日志", "查询错误日志列表")
    assert CATALOGUE[67:69] == [("商品库存", "调整商品库存"), ("商品库存", "查询库存预警")]
    assert CATALOGUE[69:85] == [
        ("评价", "查询评价列表"),
        ("评价", "隐藏显示评价"),
        ("评价", "回复评价"),
        ("微信平台", "查询外发消息"),
        ("微信平台", "重试外发消息"),
        ("支付对账", "查询对账报告"),
        ("售后", "查询售后列表"),
        ("售后", "审核售后"),
        ("售后", "售后收货退款"),
        ("售后", "售后入库"),
        ("优惠券", "查询优惠券"),
        ("优惠券", "新建优惠券"),
        ("优惠券", "更新优惠券"),
        ("优惠券", "发放优惠券"),
        ("优惠券", "生成兑换码"),
        ("统计", "查看统计"),
    ]
    assert CATALOGUE[85:] == [("数据导入导出", "导出订单"), ("数据导入导出", "导入商品")]


def test_fresh_database_has_catalogue_ids(app):
    rows = db.session.scalars(select(Permission).order_by(Permission.id)).all()
    assert [(row.module, row.name) for row in rows][:87] == CATALOGUE
    assert [row.id for row in rows][:87] == list(range(1, 88))


def test_app_refuses_to_start_with_an_undeclared_admin_route(make_app):
    app = make_app()
    bp = Blueprint("naked", __name__)

    @bp.get("/v2/naked")
    def naked():
        return "x"

    app.register_blueprint(bp, name="v2.naked")
    with pytest.raises(UndeclaredRoute, match="naked"):
        check_declarations(app)


def test_new_declarations_are_appended_and_ids_stay_stable(make_app):
    app = make_app()
    bp = Blueprint("extra", __name__)

    @bp.get("/v2/extra")
    @permission("新权限", "测试")
    def extra():
        return "x"

    app.register_blueprint(bp, name="v2.extra")
    with app.app_context():
        sync_permissions(app)
        rows = {(p.module, p.name): p for p in db.session.scalars(select(Permission))}
        assert rows[("测试", "新权限")].id > 87
        assert rows[("用户", "查询用户列表")].id == 1
        assert rows[("测试", "新权限")].retired is False
        db.session.remove()
