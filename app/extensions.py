"""Extensions, created unbound; create_app() binds them."""

from functools import partial

from flask import Flask, current_app, has_app_context
from flask_caching import Cache
from flask_cors import CORS
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.core.docs import ApiDocs
from app.core.http import client_ip
from app.core.replica import RoutingSession

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
swagger = ApiDocs()  # flasgger, serving the spec built by app/core/docs.py
cors = CORS()
cache = Cache()


class PerAppLimiter(Limiter):
    """Flask-Limiter keeping its switch and storage per app, not per extension object.

    The extension object is module-level and Flask-Limiter stores `enabled` and the storage on
    it, so a second app (tests build several: testing, production, rate-limited) would switch
    limiting on or off, and swap the storage, for every app. Here those attributes live in
    `app.extensions["limiter_state"]` of the app in context.
    """

    _PER_APP = (
        "enabled",
        "initialized",
        "_storage",
        "_limiter",
        "_storage_dead",
        "_swallow_errors",
    )

    def __init__(self, *args, **kwargs):
        self.__dict__["_unbound_state"] = {}
        super().__init__(*args, **kwargs)

    def _app_state(self) -> dict:
        if has_app_context():
            return current_app.extensions.setdefault("limiter_state", {})
        return self.__dict__["_unbound_state"]

    def __getattribute__(self, name):
        if name in PerAppLimiter._PER_APP:
            state = self._app_state()
            if name in state:
                return state[name]
            return self.__dict__["_unbound_state"].get(name, _UNBOUND_DEFAULTS[name])
        return super().__getattribute__(name)

    def __setattr__(self, name, value):
        if name in PerAppLimiter._PER_APP:
            self._app_state()[name] = value
        else:
            super().__setattr__(name, value)

    def init_app(self, app: Flask) -> None:
        state = app.extensions.setdefault("limiter_state", {})
        state.update(enabled=True, _swallow_errors=None)
        with app.app_context():
            super().init_app(app)
        # Every limit here is a view decorator (app.core.limits), which Flask-Limiter checks when
        # the view runs. There are no application-wide or default limits, so its before_request
        # check only cost time on every request (10% of a cached catalog read): drop it.
        hooks = app.before_request_funcs.setdefault(None, [])
        hooks[:] = [hook for hook in hooks if hook != self._check_request_limit]
        # Its after_request hook writes the X-RateLimit headers (off unless
        # RATELIMIT_HEADERS_ENABLED) and charges `deduct_when` limits (none here: `limit` and
        # `shared_limit` refuse them); its teardown clears per-request state kept on the request
        # context, which is discarded anyway. Without headers both only cost time: drop them.
        if not self._headers_enabled:
            after = app.after_request_funcs.setdefault(None, [])
            after[:] = [hook for hook in after if not self._is_own_hook(hook)]
            teardown = app.teardown_request_funcs.setdefault(None, [])
            teardown[:] = [hook for hook in teardown if not self._is_own_hook(hook)]

    def _is_own_hook(self, hook) -> bool:
        if isinstance(hook, partial):
            return hook.func is Limiter._Limiter__inject_headers and hook.args[:1] == (self,)
        return getattr(hook, "__self__", None) is self

    def limit(self, *args, **kwargs):
        if kwargs.get("deduct_when") is not None:
            raise TypeError("deduct_when needs Flask-Limiter's after_request hook (dropped)")
        return super().limit(*args, **kwargs)

    def shared_limit(self, *args, **kwargs):
        if kwargs.get("deduct_when") is not None:
            raise TypeError("deduct_when needs Flask-Limiter's after_request hook (dropped)")
        return super().shared_limit(*args, **kwargs)


_UNBOUND_DEFAULTS = {
    "enabled": True,
    "initialized": False,
    "_storage": None,
    "_limiter": None,
    "_storage_dead": False,
    "_swallow_errors": None,
}

limiter = PerAppLimiter(key_func=client_ip)
