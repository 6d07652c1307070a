"""Server monitor: host and process figures for super admins."""

import os
import platform
import socket
import sys
import time
import uuid
from importlib.metadata import version

import psutil
from flask import Blueprint, current_app

from app.core.auth import super_required
from app.core.docs import doc
from app.schemas.server import ServerInfo

bp = Blueprint("server", __name__, url_prefix="/server")

STARTED_AT = int(time.time())


def _size(num: float) -> str:
    for unit in ("B", "K", "M", "G", "T"):
        if num < 1024:
            return f"{num:.1f}{unit}"
        num /= 1024
    return f"{num:.1f}P"


def _ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


@bp.get("")
@super_required
@doc("Server monitor", data=ServerInfo)
def get_server():
    """Answer CPU, memory, disk and version figures."""
    memory = psutil.virtual_memory()
    disk = psutil.disk_usage(current_app.root_path)
    mac = uuid.getnode()
    return {
        "system": {
            "hostname": socket.gethostname(),
            "ip": _ip(),
            "mac": ":".join(f"{(mac >> shift) & 0xFF:02x}" for shift in range(40, -8, -8)),
            "os": f"{platform.system()} {platform.release()}",
        },
        "cpu": {
            "count": os.cpu_count() or 1,
            "percent": f"{psutil.cpu_percent(interval=0.05)}%",
        },
        "memory": {
            "total": _size(memory.total),
            "free": _size(memory.available),
            "percent": f"{memory.percent}%",
        },
        "disk": {
            "total": _size(disk.total),
            "free": _size(disk.free),
            "percent": f"{disk.percent}%",
        },
        "project": {
            "name": "mini-shop-server",
            "version": current_app.config["APP_VERSION"],
            "python": sys.version.split()[0],
            "flask": version("flask"),
            "start_time": STARTED_AT,
            "uptime": int(time.time()) - STARTED_AT,
        },
    }
