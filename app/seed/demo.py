"""Demo data (never in production): accounts, groups, addresses; catalog, content and orders
come from the steps listed in DEMO_STEPS."""

from sqlalchemy import select

from app.core.permissions import CATALOGUE
from app.extensions import db
from app.models import Address, Auth, File, Group, Permission, User, menu
from app.seed.catalog import seed_catalog
from app.seed.content import seed_content
from app.seed.coupons import seed_coupons
from app.seed.orders import seed_orders
from app.seed.reviews import seed_reviews
from app.seed.search import seed_search
from app.services import address as address_book

ACCOUNTS = [
    # id, email, nickname, username, mobile, auth, group_id
    (1, "999@qq.com", "Boss", "Boss", None, 2, 1),
    (2, "777@qq.com", "小叶", None, None, 1, None),
    (3, "666@qq.com", "小董", "xiaodong", "13800000003", 1, 2),
]
DEMO_PASSWORD = "123456"

_CATALOG_MODULES = {"类别", "商品", "商品库存", "主题", "轮播图", "轮播子图", "图片"}
_FILE_READ_UPLOAD = {("文件", "查询文件列表"), ("文件", "上传文件")}


def _grants(modules=(), pairs=()) -> list[tuple[str, str]]:
    return [pair for pair in CATALOGUE if pair[0] in set(modules) or pair in set(pairs)]


GROUPS = [
    # id, name, info, granted (module, name) pairs, menu route ids
    (
        1,
        "系统管理员",
        "行使超级管理员的相同权限，但不能新增同级的系统管理员",
        list(CATALOGUE),
        [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    ),
    (
        2,
        "运维管理员",
        "管理商品上架、下架",
        _grants(_CATALOG_MODULES | {"评价"}, _FILE_READ_UPLOAD),
        [1, 3, 11, 12, 31, 32, 33, 34],
    ),
    (
        3,
        "物流管理员",
        "负责订单的发货情况",
        [("订单", "查询订单列表"), ("订单", "订单发货")],
        [1, 3],
    ),
    (
        4,
        "活动策划员",
        "策划线上营销活动",
        _grants({"文章", "通知(公告)", "主题", "轮播图", "轮播子图", "图片"}, _FILE_READ_UPLOAD),
        [1, 3, 11, 12, 19, 20, 21, 22, 33, 34],
    ),
    (6, "测试1", "测试分组", [], [1, 3]),
]

# user id, then the address book's fields (name, mobile, province, city, country, detail)
ADDRESSES = [
    (1, "巴拿巴", "13799999999", "浙江", "杭州", "滨江", "塞浦路斯9栋7单元101室"),
    (2, "小叶", "13777777777", "浙江", "杭州", "西湖", "文三路77号"),
    (3, "扫罗", "13788888888", "浙江", "杭州", "萧山", "大马士革7栋1单元701室"),
]


def seed_groups() -> None:
    permissions = {(p.module, p.name): p.id for p in db.session.scalars(select(Permission))}
    existing = set(db.session.scalars(select(Group.name)))
    for gid, name, info, granted, routes in GROUPS:
        if name in existing:
            continue
        db.session.add(Group(id=gid, name=name, info=info))
        db.session.flush()
        for pair in granted:
            db.session.add(Auth(group_id=gid, permission_id=permissions[pair]))
        if routes:
            db.session.execute(menu.insert(), [{"group_id": gid, "route_id": r} for r in routes])
    db.session.commit()


def seed_accounts() -> None:
    existing = set(db.session.scalars(select(User.email)))
    for uid, email, nickname, username, mobile, auth, group_id in ACCOUNTS:
        if email in existing:
            continue
        user = User(
            id=uid,
            email=email,
            nickname=nickname,
            username=username,
            mobile=mobile,
            auth=auth,
            group_id=group_id,
            active=True,
            token_version=0,
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    db.session.flush()
    for user_id, *fields in ADDRESSES:
        has_address = db.session.scalar(select(Address.id).where(Address.user_id == user_id))
        if has_address is None and db.session.get(User, user_id) is not None:
            fields = dict(zip(address_book.ADDRESS_FIELDS, fields, strict=True))
            address_book.create_address(user_id, fields, make_default=True)
    db.session.commit()


DEMO_FOLDERS = [(2, "图片文件"), (3, "pdf文件")]


def seed_folders() -> None:
    """The demo file-manager folders at the root (folder 68 is system data)."""
    existing = set(db.session.scalars(select(File.name).where(File.parent_id == 0, File.is_folder)))
    for folder_id, name in DEMO_FOLDERS:
        if name not in existing:
            db.session.add(File(id=folder_id, parent_id=0, name=name, is_folder=True))
    db.session.commit()


# Each step takes no arguments and is idempotent. Catalog, content and orders add theirs here.
DEMO_STEPS = [
    seed_groups,
    seed_accounts,
    seed_folders,
    seed_catalog,
    seed_content,
    seed_orders,
    seed_reviews,
    seed_search,
    seed_coupons,
]


def seed_demo() -> list[str]:
    """Load every demo step; answer the demo account emails."""
    for step in DEMO_STEPS:
        step()
    return [email for _, email, *_ in ACCOUNTS]
