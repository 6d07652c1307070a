"""A local fake of the WeChat and WeChat Pay APIs the server calls: a separate small Flask app.

    uv run flask --app server wechat fake --port 9100 --notify-to http://127.0.0.1:5000
    uv run flask --app server wechat fake --port 9100 --print-env   # the server's environment

It stands in for both sides the server talks to: WeChat (jscode2session, stable_token, shipping
upload, subscription messages, the delivery-company list, msg_sec_check) and WeChat Pay v3
(JSAPI prepay, query, close, refunds, trade bills), with its own test key pair as the platform
and the merchant key it hands the server (`identity.py`). It signs answers and notifications as
WeChat Pay does and sends payment and refund notifications back to the server. Test use only:
it imports nothing from the rest of the app.

    mp.py        the mini-program APIs          pay.py       the WeChat Pay APIs
    control.py   /_fake: the customer pays, what was received
    core.py      settings, state, answers       signing.py   v3 signatures and encryption
    bill.py      the trade bill file            identity.py  ids, secrets and keys (a JSON file)
"""

import logging
import threading

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from app.fakewechat import control, mp, pay
from app.fakewechat.core import DEFAULT_RISKY_WORDS, Fake, FakeSettings, FakeState, record_call
from app.fakewechat.identity import (
    DEFAULT_KEYS_FILE,
    Identity,
    load_identity,
    public_pem,
)
from app.fakewechat.identity import generate as generate_identity
from app.fakewechat.mp import openid_for

__all__ = [
    "DEFAULT_KEYS_FILE",
    "DEFAULT_RISKY_WORDS",
    "FakeServer",
    "FakeSettings",
    "Identity",
    "create_fake_app",
    "env_lines",
    "env_values",
    "generate_identity",
    "load_identity",
    "openid_for",
    "serve",
]


def create_fake_app(settings: FakeSettings) -> Flask:
    app = Flask("fakewechat")
    app.extensions["fakewechat"] = Fake(settings=settings, state=FakeState())
    app.before_request(record_call)
    for blueprint in (mp.bp, pay.bp, control.bp):
        app.register_blueprint(blueprint)
    return app


def env_values(settings: FakeSettings) -> dict[str, str]:
    """Every setting a server needs to use this fake, by name."""
    identity = settings.identity
    server = (settings.notify_to or "http://127.0.0.1:5000").rstrip("/")
    return {
        "WECHAT_API_BASE": settings.base_url,
        "WECHATPAY_API_BASE": settings.base_url,
        "WX_APP_ID": identity.app_id,
        "WX_APP_SECRET": identity.app_secret,
        "WECHATPAY_MCHID": identity.mchid,
        "WECHATPAY_PRIVATE_KEY": identity.merchant_private_pem.strip(),
        "WECHATPAY_CERT_SERIAL_NO": identity.merchant_serial,
        "WECHATPAY_APIV3_KEY": identity.apiv3_key,
        "WECHATPAY_PUBLIC_KEY": public_pem(identity.platform_key).strip(),
        "WECHATPAY_PUBLIC_KEY_ID": identity.platform_key_id,
        "WECHATPAY_NOTIFY_URL": f"{server}/v1/pay/notify",
        "WECHATPAY_REFUND_NOTIFY_URL": f"{server}/v1/pay/refund_notify",
    }


def env_lines(settings: FakeSettings) -> list[str]:
    """KEY='value' lines (PEM line breaks written as \\n, which the server reads back), for
    `set -a; . ./fake.env; set +a` or an EnvironmentFile."""
    return [
        f"{key}='{value.replace(chr(10), chr(92) + 'n')}'"
        for key, value in env_values(settings).items()
    ]


class _Handler(WSGIRequestHandler):
    """Access lines without the query string: jscode2session carries the app secret there."""

    def log_request(self, code="-", size="-"):
        self.log("info", '"%s %s" %s', self.command, self.path.split("?")[0], code)


def serve(settings: FakeSettings, host: str, port: int) -> None:
    """Serve the fake until interrupted (threads: a notification is sent while serving)."""
    server = make_server(
        host, port, create_fake_app(settings), threaded=True, request_handler=_Handler
    )
    logging.getLogger("fakewechat").info("fake WeChat on http://%s:%s", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class FakeServer:
    """The fake served from a thread on a free loopback port (tests)."""

    def __init__(self, identity: Identity, host: str = "127.0.0.1", **options):
        self._server = make_server(
            host, 0, Flask("placeholder"), threaded=True, request_handler=_Handler
        )
        self.url = f"http://{host}:{self._server.server_port}"
        self.settings = FakeSettings(identity=identity, base_url=self.url, **options)
        self.app = create_fake_app(self.settings)
        self._server.app = self.app
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def state(self) -> FakeState:
        return self.app.extensions["fakewechat"].state

    def __enter__(self) -> "FakeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
