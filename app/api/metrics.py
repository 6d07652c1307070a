"""GET /metrics: the Prometheus text exposition, for the addresses METRICS_ALLOW lists."""

import ipaddress

from flask import Blueprint, Response, current_app

from app.core.docs import doc
from app.core.exceptions import NotFound
from app.core.http import client_ip
from app.services import observability

bp = Blueprint("metrics", __name__)

METRICS_RESPONSES = {
    "200": {
        "description": "Prometheus text format (text/plain; version=0.0.4)",
        "schema": {"type": "string"},
    },
    "404": {
        "description": "NotFound (1001): the caller's address is not in METRICS_ALLOW",
        "schema": {"$ref": "#/definitions/Error"},
    },
}


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in current_app.config["METRICS_ALLOW"]:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


@bp.get("/metrics")
@doc("Prometheus metrics", responses=METRICS_RESPONSES, auth=False)
def get_metrics():
    """Answer every worker's metrics; a 404 for an address METRICS_ALLOW does not list."""
    if not _allowed(client_ip()):
        raise NotFound()
    return Response(observability.scrape(), content_type=observability.CONTENT_TYPE)
