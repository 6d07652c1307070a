#!/usr/bin/env bash
# Integration check of the production layout on one machine:
#   nginx (config derived from deploy/nginx.conf) -> two gunicorn instances of server:app
#   (deploy/gunicorn.conf.py, unix sockets) -> one MariaDB database and one Redis.
# Shows that login, ordering, the catalog cache and throttling behave as on one host.
# Not part of pytest (it takes a minute or two).
#
#   bash deploy/check.sh          # as root (installs nginx with apt-get when missing)
#
# Environment: CHECK_DB (default deploy_check; dropped and recreated), CHECK_MYSQL_URL
# (default mysql+pymysql://root@127.0.0.1:3306), CHECK_REDIS_DB (default 14: rate limits;
# the next number holds the cache), KEEP=1 keeps the work directory and its logs.
# Exits non-zero when a check fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHECK_DB="${CHECK_DB:-deploy_check}"
CHECK_MYSQL_URL="${CHECK_MYSQL_URL:-mysql+pymysql://root@127.0.0.1:3306}"
CHECK_REDIS_DB="${CHECK_REDIS_DB:-14}"
CACHE_DB=$((CHECK_REDIS_DB + 1))
export CHECK_REDIS_DB
WORK="$(mktemp -d /tmp/mini-shop-deploy-check.XXXXXX)"
PIDS=()

say() { printf '== %s\n' "$*"; }
die() { printf 'deploy check FAILED: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local status=$?
    if [[ -f "$WORK/nginx.pid" ]]; then
        kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    fi
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ "${KEEP:-0}" == 1 || $status -ne 0 ]]; then
        echo "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# --- Prerequisites ------------------------------------------------------------------------
if ! command -v nginx >/dev/null 2>&1; then
    say "installing nginx (Debian package)"
    [[ $EUID -eq 0 ]] || die "nginx is missing and installing it needs root"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx
fi
command -v redis-cli >/dev/null 2>&1 || die "redis-cli missing (apt-get install redis-server)"
redis-cli ping >/dev/null 2>&1 || die "Redis does not answer on 127.0.0.1:6379"
command -v uv >/dev/null 2>&1 || die "uv missing"
PY=(uv run --quiet python)

# --- Database -----------------------------------------------------------------------------
say "building database $CHECK_DB (migrations + demo seed)"
"${PY[@]}" - "$CHECK_MYSQL_URL" "$CHECK_DB" <<'EOF'
import sys
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
url, name = make_url(sys.argv[1]), sys.argv[2]
engine = create_engine(url.set(database="information_schema"))
with engine.begin() as connection:
    connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    connection.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
EOF
export DATABASE_URL="$CHECK_MYSQL_URL/$CHECK_DB"
ENV_MODE=development uv run --quiet flask --app server db upgrade >"$WORK/migrate.log" 2>&1 \
    || die "db upgrade failed (see $WORK/migrate.log)"
ENV_MODE=development uv run --quiet flask --app server seed >"$WORK/seed.log" 2>&1 \
    || die "seed failed (see $WORK/seed.log)"
redis-cli -n "$CHECK_REDIS_DB" FLUSHDB >/dev/null
redis-cli -n "$CACHE_DB" FLUSHDB >/dev/null

# --- Two gunicorn instances ---------------------------------------------------------------
export ENV_MODE=production
export TRUSTED_PROXIES=1  # nginx in front, as in deploy/env.example
SECRET_KEY="$("${PY[@]}" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export SECRET_KEY
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1}"
export RATELIMIT_ENABLED=true
export RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/$CHECK_REDIS_DB"
export CACHE_TYPE=RedisCache
export CACHE_REDIS_URL="redis://127.0.0.1:6379/$CACHE_DB"
export UPLOAD_FOLDER="$WORK/uploads"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export LOG_LEVEL=WARNING
SOCKETS=()
LOGS=()
for name in a b; do
    socket="$WORK/gunicorn-$name.sock"
    GUNICORN_BIND="unix:$socket" GUNICORN_CONTROL_SOCKET="$WORK/gunicorn-$name.ctl" \
        "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py server:app \
        >"$WORK/gunicorn-$name.log" 2>&1 &
    PIDS+=("$!")
    SOCKETS+=("$socket")
    LOGS+=("$WORK/gunicorn-$name.log")
done
say "starting gunicorn instances A and B ($WEB_CONCURRENCY workers each) on unix sockets"
for i in "${!SOCKETS[@]}"; do
    socket="${SOCKETS[$i]}"
    for _ in $(seq 1 120); do
        if curl -fsS --unix-socket "$socket" http://localhost/health >/dev/null 2>&1; then
            continue 2
        fi
        kill -0 "${PIDS[$i]}" 2>/dev/null || die "gunicorn exited (see ${LOGS[$i]})"
        sleep 0.5
    done
    die "gunicorn on $socket did not answer /health (see $WORK/gunicorn-*.log)"
done

# --- nginx in front -----------------------------------------------------------------------
PORT="$("${PY[@]}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
USER_ARG=()
[[ $EUID -eq 0 ]] && USER_ARG=("user=root root")  # workers must reach the root-owned sockets
python3 deploy/check_helper.py nginx-conf "$WORK" "$PORT" "${USER_ARG[@]}" "${SOCKETS[@]}" \
    >"$WORK/nginx.conf"
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx.error.log" \
    || die "nginx rejects the configuration derived from deploy/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx.error.log"
for _ in $(seq 1 40); do
    curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    sleep 0.25
done
say "nginx listening on 127.0.0.1:$PORT, upstream: both sockets"

# --- Checks -------------------------------------------------------------------------------
python3 deploy/check_helper.py verify "$WORK" "$PORT" "${LOGS[@]}"
