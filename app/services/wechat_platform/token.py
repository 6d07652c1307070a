"""The mini-program's access token, shared by every worker on every host, and API calls with it.

`access_token()` answers the stored token while it has more than REFRESH_MARGIN seconds left.
Otherwise one caller takes the refresh lock, asks WeChat (`POST /cgi-bin/stable_token`) and
stores the answer, while the others wait for the stored token instead of asking too. The token
lives in Redis when `CACHE_REDIS_URL` is set (a key with an expiry, locked with SET NX EX), and
otherwise in the `wechat_access_token` table (locked with a guarded UPDATE on its row); both are
written on their own connection, never inside the caller's transaction. A Redis that does not
answer falls back to the table.

`call()` makes one API call with the token; an answer saying the token is invalid or expired
(TOKEN_ERRORS) refreshes it once with `force_refresh` and retries the call once.
"""

import functools
import json
import logging
import time
import uuid
from dataclasses import dataclass

import redis
from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.core.db import is_lock_error
from app.core.exceptions import WeChatNotConfigured
from app.extensions import db
from app.models import WeChatAccessToken
from app.models.base import now
from app.services.wechat_platform.http import (
    WeChatError,
    WeChatUnreachable,
    errcode_of,
    is_configured,
    request_json,
)

logger = logging.getLogger(__name__)

STABLE_TOKEN_PATH = "/cgi-bin/stable_token"
REFRESH_MARGIN = 300  # a token with less left than this is refreshed
WAIT_STEP = 0.05  # seconds between two looks at the store while another caller refreshes
# 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})


@dataclass(frozen=True)
class StoredToken:
    token: str
    expire_time: int


def _lock_seconds() -> int:
    # Long enough for one stable_token call to time out, so a lock outlives its holder's call.
    return int(2 * current_app.config["WX_TIMEOUT"]) + 5


# ------------------------------------------------------------------ the stores


class DatabaseStore:
    """The token row of one app id in `wechat_access_token`."""

    def __init__(self, app_id: str):
        self.app_id = app_id
        self.table = WeChatAccessToken.__table__

    def read(self) -> StoredToken | None:
        with db.engine.connect() as connection:
            row = connection.execute(
                select(self.table.c.token, self.table.c.expire_time).where(
                    self.table.c.app_id == self.app_id
                )
            ).first()
        if row is None or not row.token:
            return None
        return StoredToken(row.token, row.expire_time)

    def lock(self, seconds: int) -> str | None:
        """Take the refresh lock (a guarded UPDATE of the row, created first when missing);
        None when another caller holds it, or when the database made us wait too long."""
        owner = uuid.uuid4().hex
        try:
            if self._take(owner, seconds):
                return owner
            if self._create_row():
                return owner if self._take(owner, seconds) else None
        except OperationalError as error:
            if not is_lock_error(error):
                raise
        return None

    def _take(self, owner: str, seconds: int) -> bool:
        at, table = now(), self.table
        with db.engine.begin() as connection:
            return (
                connection.execute(
                    update(table)
                    .where(table.c.app_id == self.app_id, table.c.lock_expire_time <= at)
                    .values(lock_owner=owner, lock_expire_time=at + seconds)
                ).rowcount
                == 1
            )

    def _create_row(self) -> bool:
        """Insert the app's row when it is missing; False when it already existed."""
        table = self.table
        with db.engine.connect() as connection:
            exists = connection.execute(
                select(table.c.app_id).where(table.c.app_id == self.app_id)
            ).first()
        if exists is not None:
            return False
        try:
            with db.engine.begin() as connection:
                connection.execute(insert(table).values(app_id=self.app_id, token=None))
        except IntegrityError:
            pass  # a concurrent caller created it
        return True

    def write(self, stored: StoredToken) -> None:
        table = self.table
        with db.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.app_id == self.app_id)
                .values(token=stored.token, expire_time=stored.expire_time)
            )

    def unlock(self, owner: str) -> None:
        table = self.table
        with db.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.app_id == self.app_id, table.c.lock_owner == owner)
                .values(lock_owner=None, lock_expire_time=0)
            )


@functools.lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


class RedisStore:
    """The token as a Redis key expiring with it; the lock is a second key (SET NX EX)."""

    def __init__(self, client: redis.Redis, app_id: str):
        self.client = client
        self.key = f"mini_shop:wechat:{app_id}:access_token"
        self.lock_key = self.key + ":lock"

    def read(self) -> StoredToken | None:
        raw = self.client.get(self.key)
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return StoredToken(str(data["token"]), int(data["expire_time"]))
        except (ValueError, KeyError, TypeError):
            return None

    def lock(self, seconds: int):
        handle = self.client.lock(self.lock_key, timeout=seconds, blocking=False)
        return handle if handle.acquire() else None

    def write(self, stored: StoredToken) -> None:
        value = json.dumps({"token": stored.token, "expire_time": stored.expire_time})
        self.client.set(self.key, value, ex=max(1, stored.expire_time - now()))

    def unlock(self, handle) -> None:
        try:
            handle.release()
        except redis.exceptions.LockError:
            pass  # expired meanwhile: someone else may hold it now, and keeps it


def token_store():
    """The shared store: Redis when CACHE_REDIS_URL is set, otherwise the database."""
    app_id = current_app.config["WX_APP_ID"]
    url = current_app.config["CACHE_REDIS_URL"]
    if url:
        return RedisStore(_redis_client(url), app_id)
    return DatabaseStore(app_id)


# ------------------------------------------------------------------ the token


def _usable(stored: StoredToken | None, force_refresh: bool, stale: str | None) -> bool:
    if stored is None or stored.expire_time - REFRESH_MARGIN <= now():
        return False
    if force_refresh:
        # Someone refreshed since `stale` was refused: that newer token is the refresh asked for.
        return stale is not None and stored.token != stale
    return True


def fetch_stable_token(force_refresh: bool) -> StoredToken:
    """Ask WeChat for the access token (POST /cgi-bin/stable_token)."""
    config = current_app.config
    answer = request_json(
        "POST",
        STABLE_TOKEN_PATH,
        body={
            "grant_type": "client_credential",
            "appid": config["WX_APP_ID"],
            "secret": config["WX_APP_SECRET"],
            "force_refresh": force_refresh,
        },
    )
    token, expires_in = answer.get("access_token"), answer.get("expires_in")
    errcode = errcode_of(answer)
    if (
        errcode != 0
        or not isinstance(token, str)
        or not token
        or not isinstance(expires_in, int)
        or isinstance(expires_in, bool)
    ):
        message = str(answer.get("errmsg") or "no access token in WeChat's answer")
        raise WeChatError(errcode or -1, message, answer)
    return StoredToken(token, now() + expires_in)


def _access_token(store, force_refresh: bool, stale: str | None) -> str:
    seconds = _lock_seconds()
    deadline = time.monotonic() + seconds + current_app.config["WX_TIMEOUT"]
    while True:
        stored = store.read()
        if _usable(stored, force_refresh, stale):
            return stored.token
        handle = store.lock(seconds)
        if handle is not None:
            try:
                stored = store.read()  # refreshed by the previous holder meanwhile?
                if _usable(stored, force_refresh, stale):
                    return stored.token
                fresh = fetch_stable_token(force_refresh)
                store.write(fresh)
                return fresh.token
            finally:
                store.unlock(handle)
        if time.monotonic() > deadline:
            raise WeChatUnreachable("timed out waiting for another worker's token refresh")
        time.sleep(WAIT_STEP)


def access_token(*, force_refresh: bool = False, stale: str | None = None) -> str:
    """The shared access token; `force_refresh` replaces it (unless another caller already
    replaced `stale`, the token WeChat refused)."""
    if not is_configured():
        raise WeChatNotConfigured()
    store = token_store()
    try:
        return _access_token(store, force_refresh, stale)
    except redis.RedisError:
        logger.warning("Redis does not answer: the WeChat access token uses the database")
        return _access_token(DatabaseStore(current_app.config["WX_APP_ID"]), force_refresh, stale)


def call(path: str, body: dict | None = None, *, method: str = "POST") -> dict:
    """Call a WeChat API with the access token; answer its JSON when errcode is 0.

    Raises WeChatUnreachable (no usable answer) or WeChatError (a non-zero errcode).
    """
    token = access_token()
    answer = request_json(method, path, params={"access_token": token}, body=body)
    if errcode_of(answer) in TOKEN_ERRORS:
        token = access_token(force_refresh=True, stale=token)
        answer = request_json(method, path, params={"access_token": token}, body=body)
    errcode = errcode_of(answer)
    if errcode != 0:
        raise WeChatError(errcode, str(answer.get("errmsg") or ""), answer)
    return answer
