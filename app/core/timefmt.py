"""Times by audience: /v1 answers Unix seconds, /v2 and /cms formatted local time strings.

Response shapes (app/schemas) choose the audience by their class and use `format_time` only.
`render_time`, which guesses the audience from the request's blueprint, remains for the model
serializers of the /v2 resources not yet converted to shapes; it goes when they are.
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


def render_time(ts: int | None):
    """A *_time field as the current audience expects it (null stays null)."""
    if ts is None:
        return None
    return format_time(ts) if is_admin_request() else ts


def local_date(ts: int) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromtimestamp(ts, zone).strftime("%Y%m%d")
