"""Gunicorn settings for mini-shop-server.

Run from the repository root:  gunicorn -c deploy/gunicorn.conf.py server:app
Every value can be tuned through the environment (see deploy/env.example).
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count() -> int:
    # sched_getaffinity honours CPU pinning (taskset, cpusets); cpu_count does not.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- Socket ---------------------------------------------------------------------------------
# A unix socket by default: nginx runs on the same host. Use e.g. 0.0.0.0:8000 when the proxy
# or load balancer lives elsewhere, and list its address in FORWARDED_ALLOW_IPS.
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/mini-shop/gunicorn.sock")]
# Socket file mode rw-rw----: only the service user and its group (which nginx joins) connect.
umask = 0o007

# --- Workers --------------------------------------------------------------------------------
# Every worker holds its own SQLAlchemy pool (pool_size + max_overflow connections), so
# workers x hosts x per-worker connections must stay below the database's max_connections.
workers = _env_int("WEB_CONCURRENCY", 2 * _cpu_count() + 1)
threads = _env_int("GUNICORN_THREADS", 1)
# sync is enough behind nginx, which buffers slow clients in both directions. Threads help
# when requests wait on WeChat's API; keep GUNICORN_THREADS at or below the pool size.
worker_class = "gthread" if threads > 1 else "sync"

# Each worker imports the app itself. With preload_app the master would build the app (and
# possibly open database connections) before forking, and the children would share those
# sockets; loading per worker keeps one clean pool per process and lets HUP reload new code.
preload_app = False

# Recycle workers now and then to cap slow memory growth; the jitter keeps them from all
# restarting at the same moment. A worker needs about two CPU-seconds to import and build the
# app, so recycling must stay rare: at 1,000 requests the benchmark lost most of a 2-CPU host
# to reboots, and workers recycling together left nobody to answer for seconds.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 5000)

# --- Timeouts -------------------------------------------------------------------------------
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Only used by gthread workers; sync workers close the connection after each response.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Worker heartbeat files in RAM rather than on disk, when the host has /dev/shm.
if os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# Gunicorn 25.1+ opens a control socket; keep it in the service's runtime directory
# (systemd sets RUNTIME_DIRECTORY) instead of the service user's home. Older versions
# ignore the setting.
# GUNICORN_CONTROL_SOCKET names it outright: needed when several gunicorn masters run as one
# user without systemd (they would all default to ~/.gunicorn/gunicorn.ctl).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
elif os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

# --- Proxy ----------------------------------------------------------------------------------
# Addresses allowed to set the X-Forwarded-Proto family of headers (comma separated, CIDR
# allowed). Connections over the unix socket are always trusted by gunicorn.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Only the header nginx overwrites on every request. Gunicorn's other defaults
# (X-Forwarded-Ssl, X-Forwarded-Protocol) would reach it straight from clients.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# --- Logging --------------------------------------------------------------------------------
# stdout/stderr go to the journal under systemd. The access line ends with the request id
# (the one nginx passes on) and the request time in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" '
    "rid=%({x-request-id}i)s rt=%(M)sms pid=%(p)s"
)

proc_name = "mini-shop"

# --- Metrics --------------------------------------------------------------------------------
# GET /metrics must add up every worker: prometheus_client's multi-process mode keeps each
# worker's values in files of PROMETHEUS_MULTIPROC_DIR. It has to be in the environment before
# a worker imports the app, so it is set here (the master's environment is the workers'); by
# default a directory of the service's runtime directory, else a fresh temporary one. It is
# emptied when the master starts (old files would add a previous run's counts) and a dead
# worker's live gauges are dropped in child_exit.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    if os.environ.get("RUNTIME_DIRECTORY"):
        _runtime = os.environ["RUNTIME_DIRECTORY"].split(":")[0]
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(_runtime, "prometheus")
    else:
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="mini-shop-metrics-")


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
