"""Login log rows: one per login attempt, written without ever failing the login."""

import ipaddress
import logging

from flask import request

from app.core.http import client_ip
from app.extensions import db
from app.models import LoginLog

logger = logging.getLogger(__name__)


def ip_location(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    return "内网IP" if address.is_private or address.is_loopback else ""


def write_login_log(
    *, user_id, user_name: str, client_type: int, status: bool, message: str
) -> None:
    # Imported here: the parser compiles many regexes, which doubled every worker's boot time.
    from user_agents import parse as parse_user_agent

    agent = parse_user_agent(request.headers.get("User-Agent", ""))
    ip = client_ip()
    try:
        db.session.add(
            LoginLog(
                user_id=user_id,
                user_name=user_name or "",
                client_type=client_type,
                ip_addr=ip,
                location=ip_location(ip),
                browser=f"{agent.browser.family} {agent.browser.version_string}".strip(),
                os=f"{agent.os.family} {agent.os.version_string}".strip(),
                status=status,
                message=message,
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.warning("could not write the login log", exc_info=True)
