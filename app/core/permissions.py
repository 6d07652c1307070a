"""The permission catalogue and the check that every admin route declares its access.

Routes declare `perm` pairs with the decorators in app.core.auth. On a fresh database the
permission table is filled in CATALOGUE order (ids 1..79); pairs that routes declare later are
permission table is filled in CATALOGUE order (ids 1..76); pairs that routes declare later are
permission table is filled in CATALOGUE order (ids 1..77); pairs that routes declare later are
appended, and pairs no route declares any more are marked retired (never renumbered).
"""

from dataclasses import dataclass

from flask import Flask

_MODULES = [
    ("用户", ["查询用户列表", "更新用户分组", "更改用户状态", "更改用户密码", "删除用户"]),
    ("订单", ["查询订单列表", "订单发货", "取消订单", "订单退款", "处理缺货订单"]),
    ("类别", ["查询类别", "新增类别", "更新类别", "删除类别"]),
    (
        "商品",
        [
            "查询商品",
            "新增商品",
            "更新商品",
            "删除商品",
            "排序商品图片",
            "管理商品图片",
            "管理商品属性",
        ],
    ),
    ("主题", ["查询主题", "新增主题", "更新主题", "删除主题", "添加商品到主题", "删除商品从主题"]),
    ("轮播图", ["查询轮播图列表", "新增轮播图", "更新轮播图", "删除轮播图"]),
    ("轮播子图", ["新建轮播子图", "更新轮播子图", "删除轮播子图"]),
    ("图片", ["查询图片", "上传图片", "删除图片"]),
    ("文章", ["查询文章", "新增文章", "更新文章", "删除文章"]),
    ("通知(公告)", ["查询通知列表", "新建通知", "更新通知", "删除通知"]),
    (
        "文件",
        [
            "查询文件列表",
            "上传文件",
            "新建文件夹",
            "重命名文件",
            "移动文件",
            "复制文件",
            "删除文件",
        ],
    ),
    ("字典类型", ["查询字典类型列表", "新建字典类型", "更新字典类型", "删除字典类型"]),
    ("字典数据", ["查询字典数据列表", "新建字典数据", "更新字典数据", "删除字典数据"]),
    ("参数", ["查询参数配置列表", "新建参数配置", "更新参数配置", "删除参数配置"]),
    ("登录日志", ["查询登录日志列表"]),
    ("操作日志", ["搜索操作日志"]),
    ("错误日志", ["查询错误日志列表"]),
    # Added after the first 67: appended so that every earlier id stays.
    ("商品库存", ["调整商品库存", "查询库存预警"]),
    ("评价", ["查询评价列表", "隐藏显示评价", "回复评价"]),
    ("微信平台", ["查询外发消息", "重试外发消息"]),
    ("支付对账", ["查询对账报告"]),
    ("售后", ["查询售后列表", "审核售后", "售后收货退款", "售后入库"]),
    ("优惠券", ["查询优惠券", "新建优惠券", "更新优惠券", "发放优惠券", "生成兑换码"]),
    ("统计", ["查看统计"]),
    ("数据导入导出", ["导出订单", "导入商品"]),
]

# (module, name) in catalogue order: on a fresh database a permission's id is its position.
CATALOGUE: list[tuple[str, str]] = [(module, name) for module, names in _MODULES for name in names]

ADMIN_BLUEPRINTS = ("v2", "cms")


@dataclass(frozen=True)
class Escalation:
    """What an admin route names that the no-escalation rule (app.services.access.
    ensure_no_escalation) checks: the path parameter of the target user, the request fields
    naming groups it assigns or edits, and the request field listing permission ids it grants."""

    user: str | None = None
    groups: tuple[str, ...] = ()
    permissions: str | None = None


def no_escalation(*, user: str | None = None, groups=(), permissions: str | None = None):
    """Mark a route that changes another user's group, password, status or existence, a group's
    grants, or creates staff. Its service verb applies the rule; tests/security builds the
    escalation matrix from these marks and fails for an unmarked route that makes such a change."""
    mark = Escalation(user, tuple(groups), permissions)

    def decorator(view):
        view.escalation = mark
        return view

    return decorator


class UndeclaredRoute(RuntimeError):
    """An admin route declares no access; the app refuses to start."""


def admin_view_accesses(app: Flask) -> dict:
    """endpoint -> Access of every admin route."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ADMIN_BLUEPRINTS:
            continue
        view = app.view_functions[rule.endpoint]
        found[rule.endpoint] = getattr(view, "access", None)
    return found


def check_declarations(app: Flask) -> None:
    """Refuse to start when an admin route declares nothing."""
    missing = sorted(
        endpoint for endpoint, access in admin_view_accesses(app).items() if access is None
    )
    if missing:
        raise UndeclaredRoute("admin routes without a declared permission: " + ", ".join(missing))


def declared_permissions(app: Flask) -> list[tuple[str, str]]:
    """(module, name) pairs declared by routes: catalogue order first, then the rest."""
    declared = {
        (access.module, access.name)
        for access in admin_view_accesses(app).values()
        if access is not None and access.kind == "perm"
    }
    ordered = [pair for pair in CATALOGUE if pair in declared]
    return ordered + sorted(declared - set(ordered))
