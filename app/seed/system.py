"""System data present in every install: permissions, the CMS route tree, config, dictionaries."""

from sqlalchemy import select

from app.extensions import db
from app.models import Config, Dict, DictType, File, Route
from app.services.access import sync_permissions

# id, parent, order, name, title, path, component, icon, hidden
ROUTES = [
    (1, 0, 0, "Main", "首页", "/main", None, "fa fa-th-large", False),
    (3, 1, 0, "Home", "主页面", "/home", "home/index", "fa fa-align-justify", False),
    (4, 1, 1, "Guide", "规范指南", "/guide", "guide/index", "fa fa-align-justify", False),
    (5, 0, 1, "About", "关于", "/about", None, "fa fa-info", False),
    (6, 5, 0, "AboutIndex", "关于", "/about/index", "about/index", "fa fa-align-justify", False),
    (7, 0, 4, "Admin", "系统管理", "/admin", None, "fa fa-cog", False),
    (
        8,
        7,
        0,
        "AdminUser",
        "用户管理",
        "/admin/user",
        "admin/user/index",
        "fa fa-align-justify",
        False,
    ),
    (
        9,
        7,
        1,
        "AdminApi",
        "权限管理",
        "/admin/auth",
        "admin/auth/index",
        "fa fa-align-justify",
        False,
    ),
    (
        10,
        7,
        2,
        "AdminMenu",
        "菜单管理",
        "/admin/menu",
        "admin/menu/index",
        "fa fa-align-justify",
        False,
    ),
    (
        23,
        7,
        3,
        "AdminDict",
        "字典管理",
        "/admin/dict",
        "admin/dict/index",
        "fa fa-align-justify",
        False,
    ),
    (
        24,
        7,
        4,
        "AdminDictData",
        "字典数据",
        "/admin/dict/data/:id",
        "admin/dict/dict-data",
        "fa fa-align-justify",
        True,
    ),
    (
        30,
        7,
        5,
        "AdminConfig",
        "参数管理",
        "/admin/config",
        "admin/config/index",
        "fa fa-list-ol",
        False,
    ),
    (
        28,
        7,
        6,
        "Notice",
        "通知管理",
        "/admin/notice",
        "admin/notice/index",
        "fa fa-align-justify",
        False,
    ),
    (25, 7, 7, "AdminLog", "日志管理", "/admin/log", None, "fa fa-pencil-square-o", False),
    (
        27,
        25,
        0,
        "OperLog",
        "操作日志",
        "/admin/log/oper-log",
        "admin/log/oper-log",
        "fa fa-keyboard-o",
        False,
    ),
    (
        26,
        25,
        1,
        "LoginLog",
        "登录日志",
        "/admin/log/login-log",
        "admin/log/login-log",
        "fa fa-sign-in",
        False,
    ),
    (11, 0, 7, "File", "文件管理", "/file", None, "fa fa-folder-o", False),
    (12, 11, 0, "FileIndex", "文件管理", "/file/index", "file/index", "fa fa-align-justify", False),
    (13, 0, 5, "Tool", "系统工具", "/tool", None, "fa fa-wrench", False),
    (
        15,
        13,
        0,
        "FormBuilder",
        "表单构建",
        "/tool/build",
        "tools/build/index",
        "fa fa-list-ul",
        False,
    ),
    (
        17,
        13,
        1,
        "ErrorCode",
        "错误码",
        "/tool/error-code",
        "tools/error-code/index",
        "fa fa-file-word-o",
        False,
    ),
    (18, 13, 2, "Swagger", "接口文档", "/tool/swagger", "tools/swagger/index", "fa fa-book", False),
    (16, 0, 6, "ComponentLib", "组件管理", "/component", "", "fa fa-cogs", False),
    (
        14,
        16,
        0,
        "JsonView",
        "Json格式化",
        "/component/json-view",
        "components/json-view",
        "fa fa-edit",
        False,
    ),
    (
        36,
        16,
        0,
        "Ueditor",
        "Ueditor",
        "/component/Ueditor",
        "components/ueditor/index",
        "fa fa-edit",
        False,
    ),
    (
        29,
        16,
        1,
        "Tinymce",
        "富文本",
        "/component/tinymce",
        "components/tinymce/index",
        "fa fa-edit",
        False,
    ),
    (19, 0, 8, "Article", "文章管理", "/article", None, "fa fa-file-text-o", False),
    (
        20,
        19,
        0,
        "ArticleAdd",
        "新增文章",
        "/article/add",
        "article/add",
        "fa fa-align-justify",
        False,
    ),
    (
        21,
        19,
        1,
        "ArticleList",
        "文章列表",
        "/article/list",
        "article/index",
        "fa fa-align-justify",
        False,
    ),
    (
        22,
        19,
        2,
        "ArticleEdit",
        "编辑文章",
        "/article/edit/:id",
        "article/edit",
        "fa fa-align-justify",
        True,
    ),
    (31, 0, 3, "Category", "类别管理", "/category", "", "fa fa-table", False),
    (
        32,
        31,
        0,
        "CategoryIndex",
        "类别列表",
        "/category/index",
        "category/index",
        "fa fa-align-justify",
        False,
    ),
    (33, 0, 2, "Banner", "Banner管理", "/banner", None, "fa fa-ellipsis-h", False),
    (
        34,
        33,
        0,
        "BannerIndex",
        "Banner列表",
        "/banner/index",
        "banner/index",
        "fa fa-ellipsis-h",
        False,
    ),
]

CONFIGS = [
    (
        1,
        "页面框架-布局主题",
        "sys.layout.theme",
        "vertical",
        "str",
        "左右布局default，上下布局vertical，T型布局t-type",
    ),
    (2, "分页查询-默认页", "sys.paginator.page", "1", "int", "默认查询第1页"),
    (3, "分页查询-默认数量", "sys.paginator.size", "10", "int", "默认每页10条数据"),
    (
        4,
        "商城搜索-热门关键词",
        "shop.search.hot",
        "[]",
        "json",
        "搜索页的热门关键词，JSON字符串数组，按顺序显示",
    ),
    (5, "商城评价-评价期限(天)", "shop.review.days", "30", "int", "确认收货后多少天内可以评价"),
    (
        6,
        "内容安全-屏蔽词",
        "shop.content.blocked_words",
        "[]",
        "json",
        "评价等用户文字中不允许出现的词，JSON字符串数组；配置微信内容安全检测后由微信判断",
    ),
    (7, "运费-每单运费(元)", "shop.freight.price", "0.00", "str", "每单运费，如 8.00；0.00 为包邮"),
    (
        8,
        "运费-包邮门槛(元)",
        "shop.freight.free_min",
        "99.00",
        "str",
        "商品金额达到此金额（含）免运费；0.00 为全部包邮",
    ),
    (
        9,
        "商城售后-售后期限(天)",
        "shop.aftersale.days",
        "7",
        "int",
        "确认收货后多少天内可以申请售后；未收货的订单随时可以申请",
    ),
]

DICT_TYPES = [
    (1, "用户性别", "sys_user_sex", "用户性别列表"),
    (2, "菜单状态", "sys_show_hide", "菜单状态列表"),
    (3, "系统开关", "sys_normal_disable", "系统开关列表"),
    (4, "任务状态", "sys_job_status", "任务状态列表"),
    (5, "任务分组", "sys_job_group", "任务分组列表"),
    (6, "系统是否", "sys_yes_no", "系统是否列表"),
    (7, "通知类型", "sys_notice_type", "通知类型列表"),
    (8, "通知状态", "sys_notice_status", "通知状态列表"),
    (9, "操作类型", "sys_oper_type", "操作类型列表"),
    (10, "系统状态", "sys_common_status", "登录状态列表"),
]

# type, order, label, value, list_class, is_default, remark
DICTS = [
    ("sys_user_sex", 1, "男", "0", "", True, "性别: 男"),
    ("sys_user_sex", 2, "女", "1", "", False, "性别: 女"),
    ("sys_show_hide", 1, "显示", "0", "primary", True, "显示菜单"),
    ("sys_show_hide", 2, "隐藏", "1", "danger", False, "隐藏菜单"),
    ("sys_normal_disable", 1, "正常", "0", "primary", True, "正常状态"),
    ("sys_normal_disable", 2, "停用", "1", "danger", False, "停用状态"),
    ("sys_job_status", 1, "正常", "0", "primary", True, "正常状态"),
    ("sys_job_status", 2, "暂停", "1", "danger", False, "暂停状态"),
    ("sys_job_group", 1, "默认", "DEFAULT", "", True, "默认分组"),
    ("sys_job_group", 2, "系统", "SYSTEM", "", False, "系统分组"),
    ("sys_yes_no", 1, "是", "Y", "primary", True, "系统默认是"),
    ("sys_yes_no", 2, "否", "N", "danger", False, "系统默认否"),
    ("sys_notice_type", 1, "通知", "1", "warning", True, "通知"),
    ("sys_notice_type", 2, "公告", "2", "success", False, "公告"),
    ("sys_notice_status", 1, "正常", "0", "primary", True, "正常状态"),
    ("sys_notice_status", 2, "关闭", "1", "danger", False, "关闭状态"),
    ("sys_oper_type", 1, "其他", "0", "info", False, "其他操作"),
    ("sys_oper_type", 2, "新增", "1", "info", False, "新增操作"),
    ("sys_oper_type", 3, "修改", "2", "info", False, "修改操作"),
    ("sys_oper_type", 4, "删除", "3", "danger", False, "删除操作"),
    ("sys_oper_type", 5, "授权", "4", "primary", False, "授权操作"),
    ("sys_oper_type", 6, "导出", "5", "warning", False, "导出操作"),
    ("sys_oper_type", 7, "导入", "6", "warning", False, "导入操作"),
    ("sys_oper_type", 8, "强退", "7", "danger", False, "强退操作"),
    ("sys_oper_type", 9, "生成代码", "8", "warning", False, "生成操作"),
    ("sys_oper_type", 10, "清空数据", "9", "danger", False, "清空操作"),
    ("sys_common_status", 1, "成功", "0", "primary", False, "正常状态"),
    ("sys_common_status", 2, "失败", "1", "danger", False, "停用状态"),
]

ARTICLE_FOLDER_ID = 68


def _existing(column) -> set:
    return set(db.session.scalars(select(column)))


def seed_system(app) -> None:
    """Load the system data; rows found by their natural key are left as they are."""
    sync_permissions(app)
    names = _existing(Route.name)
    for rid, parent, order, name, title, path, component, icon, hidden in ROUTES:
        if name not in names:
            db.session.add(
                Route(
                    id=rid,
                    parent_id=parent,
                    order=order,
                    name=name,
                    title=title,
                    path=path,
                    component=component,
                    icon=icon,
                    hidden=hidden,
                )
            )
    keys = _existing(Config.key)
    for cid, name, key, value, value_type, remark in CONFIGS:
        if key not in keys:
            db.session.add(
                Config(
                    id=cid,
                    name=name,
                    key=key,
                    value=value,
                    value_type=value_type,
                    type=True,
                    public=True,
                    remark=remark,
                )
            )
    types = _existing(DictType.type)
    for tid, name, kind, remark in DICT_TYPES:
        if kind not in types:
            db.session.add(DictType(id=tid, name=name, type=kind, status=True, remark=remark))
    entries = {tuple(row) for row in db.session.execute(select(Dict.type, Dict.value))}
    for kind, order, label, value, list_class, is_default, remark in DICTS:
        if (kind, value) not in entries:
            db.session.add(
                Dict(
                    type=kind,
                    order=order,
                    label=label,
                    value=value,
                    list_class=list_class,
                    is_default=is_default,
                    status=True,
                    remark=remark,
                )
            )
    folder = db.session.scalar(
        select(File).where(File.parent_id == 0, File.name == "文章图片", File.is_folder)
    )
    if folder is None:
        db.session.add(File(id=ARTICLE_FOLDER_ID, parent_id=0, name="文章图片", is_folder=True))
    db.session.commit()
