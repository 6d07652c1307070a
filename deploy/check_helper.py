"""Helper of deploy/check.sh (standard library only).

    python deploy/check_helper.py nginx-conf WORKDIR PORT SOCKET...   # prints an nginx.conf
    python deploy/check_helper.py verify WORKDIR PORT LOG...          # runs the checks

nginx-conf derives a complete, self-contained nginx configuration from deploy/nginx.conf: the
shipped server block (headers, locations, log format) unchanged except that it listens on a
plain-HTTP loopback port instead of 443 with TLS, the upstream lists every gunicorn socket,
and paths point at the work directory and this checkout.

verify talks to nginx only, and reads the gunicorn access logs (one per instance) to see which
instance answered each request (every request carries its own X-Request-ID, which nginx passes
on and gunicorn logs as rid=...).
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACCOUNT = ("777@qq.com", "123456")  # the demo customer (app/seed/demo.py)
ADMIN_ACCOUNT = ("999@qq.com", "123456")  # the demo super admin
LOGIN_LIMIT = 10  # RATELIMIT_LOGIN default: 10/minute per IP


# ------------------------------------------------------------------------------- nginx config


def nginx_conf(workdir: Path, port: int, sockets: list[str], user: str | None) -> str:
    shipped = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = "\n".join(f"    server unix:{s} fail_timeout=0;" for s in sockets)
    text = re.sub(
        r"upstream mini_shop_app \{.*?\n\}",
        "upstream mini_shop_app {\n" + upstream + "\n}",
        shipped,
        count=1,
        flags=re.S,
    )
    # Drop the port-80 redirect server: the check speaks plain HTTP on one loopback port.
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", text, count=1, flags=re.S)
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("listen ", "ssl_", "add_header Strict-Transport-Security")):
            if stripped.startswith("listen 443 ssl"):
                kept.append(f"    listen 127.0.0.1:{port};")
            continue
        line = line.replace("/var/log/nginx/", f"{workdir}/")
        line = line.replace("/srv/mini-shop/", f"{ROOT}/")
        kept.append(line)
    server = "\n".join(kept)
    if f"listen 127.0.0.1:{port};" not in server:
        raise SystemExit("deploy/nginx.conf changed shape: no 'listen 443 ssl' line to replace")
    head = f"user {user};\n" if user else ""
    return f"""{head}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx.error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    access_log {workdir}/nginx.access.log;
{server}
}}
"""


# ------------------------------------------------------------------------------------ checks


class Check:
    def __init__(self, port: int, logs: list[Path]):
        self.base = f"http://127.0.0.1:{port}"
        self.logs = logs
        self.failures = []

    def call(self, method: str, path: str, body=None, token: str | None = None):
        rid = f"check-{uuid.uuid4().hex[:16]}"
        headers = {"X-Request-ID": rid, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return status, payload, rid

    def instance_of(self, rids: list[str]) -> dict:
        """rid -> index of the gunicorn instance whose access log holds it."""
        found = {}
        for index, log in enumerate(self.logs):
            text = log.read_text(encoding="utf-8", errors="replace")
            for rid in rids:
                if f"rid={rid} " in text:
                    found[rid] = index
        return found

    def expect(self, ok: bool, label: str, detail: str = "") -> None:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}" + (f": {detail}" if detail else ""))
        if not ok:
            self.failures.append(label)


def shared_cache(check: Check, names: list[str]) -> None:
    """An admin write through one instance is seen at once through every instance."""
    status, body, _ = check.call(
        "POST", "/v1/token", {"account": ADMIN_ACCOUNT[0], "secret": ADMIN_ACCOUNT[1], "type": 101}
    )
    token = (body.get("data") or {}).get("token")
    check.expect(status == 200 and bool(token), "super admin login", str(status))
    for _ in range(4):  # fill the shared cache (and any per-instance state) with the old name
        check.call("GET", "/v1/category/2")
    name = f"check-{uuid.uuid4().hex[:8]}"
    status, body, _ = check.call("PUT", "/v2/category/2", {"name": name}, token)
    if status == 404:
        print("  [skipped] PUT /v2/category/{id} does not exist yet")
        return
    check.expect(status == 201, "category renamed through nginx", f"{status} {body.get('msg')}")
    seen, rids = [], []
    for _ in range(8):
        status, body, rid = check.call("GET", "/v1/category/2")
        seen.append((body.get("data") or {}).get("name"))
        rids.append(rid)
    where = check.instance_of(rids)
    counts = [sum(1 for rid in rids if where.get(rid) == i) for i in range(len(names))]
    check.expect(
        all(value == name for value in seen) and all(counts),
        "every instance answers the new name right after the write",
        ", ".join(f"{n}: {c}" for n, c in zip(names, counts, strict=True))
        + ("" if all(value == name for value in seen) else f"; names seen: {seen}"),
    )


def verify(port: int, logs: list[Path]) -> int:
    check = Check(port, logs)
    names = [f"instance {chr(ord('A') + i)}" for i in range(len(logs))]

    print("login through nginx (POST /v1/token, demo customer)")
    status, body, rid = check.call(
        "POST", "/v1/token", {"account": DEMO_ACCOUNT[0], "secret": DEMO_ACCOUNT[1], "type": 101}
    )
    token = (body.get("data") or {}).get("token")
    check.expect(status == 200 and bool(token), "login answers 200 with a token", f"{status}")

    print("order through nginx (POST /v1/order)")
    status, body, rid = check.call(
        "POST", "/v1/order", {"products": [{"product_id": 1, "count": 1}]}, token
    )
    order = body.get("data") or {}
    check.expect(
        status == 201 and order.get("order_id"),
        "order placed (201)",
        f"{status} {body.get('error_code')} {body.get('msg')}",
    )
    if order.get("order_id"):
        status, body, _ = check.call("GET", f"/v1/order/{order['order_id']}", token=token)
        check.expect(
            status == 200 and (body.get("data") or {}).get("order_no") == order.get("order_no"),
            "the order reads back through nginx (whichever instance answers)",
            f"{status}",
        )

    print("load balancing (12 x GET /health)")
    rids = [check.call("GET", "/health")[2] for _ in range(12)]
    where = check.instance_of(rids)
    counts = [sum(1 for rid in rids if where.get(rid) == i) for i in range(len(logs))]
    check.expect(
        all(counts) and sum(counts) == len(rids),
        "requests alternate between instances",
        ", ".join(f"{name}: {n}" for name, n in zip(names, counts, strict=True)),
    )

    print("shared catalog cache (PUT /v2/category/2, then GET /v1/category/2 on both instances)")
    shared_cache(check, names)

    print(f"shared throttling ({LOGIN_LIMIT + 1} x POST /v1/token, limit {LOGIN_LIMIT}/minute)")
    # Start from empty counters: the login above already counted against this minute.
    subprocess.run(
        ["redis-cli", "-n", os.environ.get("CHECK_REDIS_DB", "14"), "FLUSHDB"],
        check=True,
        capture_output=True,
    )
    statuses, rids = [], []
    for _ in range(LOGIN_LIMIT + 1):
        status, body, rid = check.call(
            "POST",
            "/v1/token",
            {"account": DEMO_ACCOUNT[0], "secret": DEMO_ACCOUNT[1], "type": 101},
        )
        statuses.append(status)
        rids.append(rid)
    where = check.instance_of(rids)
    counts = [sum(1 for rid in rids if where.get(rid) == i) for i in range(len(logs))]
    check.expect(
        statuses[:LOGIN_LIMIT] == [200] * LOGIN_LIMIT and statuses[LOGIN_LIMIT] == 429,
        f"attempts 1-{LOGIN_LIMIT} answer 200, attempt {LOGIN_LIMIT + 1} answers 429",
        " ".join(map(str, statuses)),
    )
    check.expect(
        all(counts),
        "the attempts were spread over the instances",
        ", ".join(f"{name}: {n}" for name, n in zip(names, counts, strict=True)),
    )
    if statuses[-1] == 429:
        error_code = body.get("error_code")
        check.expect(error_code == 1008, "the 429 carries error code 1008", str(error_code))

    print()
    if check.failures:
        print(f"deploy check FAILED: {len(check.failures)} check(s): {'; '.join(check.failures)}")
        return 1
    print("deploy check passed: login, ordering and throttling behave as on one host")
    return 0


def main(argv: list[str]) -> int:
    command, workdir, port, *rest = argv
    if command == "nginx-conf":
        user = rest[0] if rest and rest[0].startswith("user=") else None
        sockets = [s for s in rest if not s.startswith("user=")]
        print(nginx_conf(Path(workdir), int(port), sockets, user and user[5:]))
        return 0
    if command == "verify":
        return verify(int(port), [Path(p) for p in rest])
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
