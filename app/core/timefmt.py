"""Local time formatting: admin shapes (app/schemas) answer `format_time`, customer shapes
Unix seconds. The audience is chosen by the shape class, never by the request URL.

`is_admin_request` only serves the token check, which answers an expired token on the admin
mounts differently (1002 on /cms for the CMS front end).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def is_admin_request() -> bool:
    if not has_request_context() or not request.blueprint:
        return False
    return request.blueprint.split(".")[0] in ("v2", "cms")


def format_time(ts: int | None) -> str | None:
    if ts is None:
        return None
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromtimestamp(ts, zone).strftime(TIME_FORMAT)


def local_date(ts: int) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromtimestamp(ts, zone).strftime("%Y%m%d")
