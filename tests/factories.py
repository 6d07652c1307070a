"""Rows for tests, with sensible defaults. Every factory commits and answers the row."""

import contextlib
import itertools
from decimal import Decimal

from sqlalchemy import select

from app.core.auth import issue_access_token
from app.extensions import db
from app.models import (
    Address,
    Auth,
    Category,
    Group,
    Identity,
    Image,
    Permission,
    Product,
    Sku,
    User,
)

_seq = itertools.count(1)
PASSWORD = "correct-horse-42"


def _commit(row):
    db.session.add(row)
    db.session.commit()
    return row


def make_user(
    *, email=None, password=PASSWORD, nickname=None, auth=1, group=None, active=True, **fields
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.com",
        nickname=nickname or f"user{n}",
        auth=auth,
        group_id=group.id if group else None,
        active=active,
        **fields,
    )
    if password:
        user.set_password(password)
    return _commit(user)


def make_group(*permissions: tuple[str, str], name=None) -> Group:
    """A group holding the (module, name) permissions given."""
    group = _commit(Group(name=name or f"group{next(_seq)}", info=""))
    for module, perm_name in permissions:
        permission = db.session.query(Permission).filter_by(module=module, name=perm_name).one()
        db.session.add(Auth(group_id=group.id, permission_id=permission.id))
    db.session.commit()
    return group


def make_staff(*permissions: tuple[str, str], **fields) -> User:
    return make_user(group=make_group(*permissions), **fields)


def token_for(user: User, client_type: int = 101) -> str:
    return issue_access_token(user, client_type)


def auth_headers(user: User, client_type: int = 101) -> dict:
    return {"Authorization": f"Bearer {token_for(user, client_type)}"}


def make_address(user: User, **fields) -> Address:
    values = {
        "name": "张三",
        "mobile": "13800138000",
        "province": "浙江",
        "city": "杭州",
        "country": "西湖",
        "detail": "文三路1号",
        "is_default": True,
    }
    values.update(fields)
    return _commit(Address(user_id=user.id, **values))


def make_image(url=None, source=1) -> Image:
    return _commit(Image(url=url or f"/img-{next(_seq)}.png", source=source))


def make_category(name=None, **fields) -> Category:
    return _commit(Category(name=name or f"category{next(_seq)}", **fields))


def make_product(
    *, name=None, price="9.90", stock=100, category=None, on_sale=True, **fields
) -> Product:
    """A product with its one default SKU carrying its price and stock."""
    product = _commit(
        Product(
            name=name or f"product{next(_seq)}",
            price=Decimal(price),
            stock=stock,
            category_id=category.id if category else None,
            on_sale=on_sale,
            **fields,
        )
    )
    _commit(Sku(product_id=product.id, specs={}, spec_text="", price=Decimal(price), stock=stock))
    return product


def make_sku_product(*, specs=None, skus=None, name=None, on_sale=True, **fields) -> Product:
    """A product with specifications and one SKU per item of `skus` [(combination, price,
    stock)], price and stock derived as the service keeps them."""
    from app.models import ProductSpec
    from app.services import sku as sku_service

    specs = specs or {"颜色": ["红", "蓝"], "尺码": ["M", "L"]}
    if skus is None:
        skus = [
            ({"颜色": color, "尺码": size}, "10.00", 5)
            for color in specs["颜色"]
            for size in specs["尺码"]
        ]
    names = list(specs)
    product = _commit(
        Product(
            name=name or f"product{next(_seq)}",
            price=Decimal(skus[0][1]),
            stock=0,
            on_sale=on_sale,
            **fields,
        )
    )
    for position, (spec, values) in enumerate(specs.items(), start=1):
        db.session.add(
            ProductSpec(product_id=product.id, name=spec, values=list(values), order=position)
        )
    for combination, price, stock in skus:
        db.session.add(
            Sku(
                product_id=product.id,
                specs=combination,
                spec_text=sku_service.spec_text(names, combination),
                price=Decimal(price),
                stock=stock,
            )
        )
    db.session.flush()
    sku_service.sync_product(product.id)
    db.session.commit()
    db.session.refresh(product)
    return product


def skus_of(product) -> list:
    """The product's live SKUs in id order, read fresh."""
    return list(
        db.session.scalars(
            select(Sku)
            .where(Sku.product_id == product.id)
            .order_by(Sku.id)
            .execution_options(populate_existing=True)
        )
    )


WX_TEST_BASE_URL = "https://wechat.test"
JSCODE2SESSION_URL = f"{WX_TEST_BASE_URL}/sns/jscode2session"


@contextlib.contextmanager
def wechat_configured(app):
    """Configure a fake WeChat app and answer its HTTP calls with `responses` (yielded)."""
    import responses

    keys = ("WX_APP_ID", "WX_APP_SECRET", "WECHAT_API_BASE")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(
        WX_APP_ID="wx-test-app", WX_APP_SECRET="wx-test-secret", WECHAT_API_BASE=WX_TEST_BASE_URL
    )
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            yield mock
    finally:
        app.config.update(saved)


def make_wechat_user(openid: str, **fields) -> User:
    """A WeChat-only user (no password) holding the mini-program identity `openid`."""
    user = make_user(password=None, **fields)
    if "email" not in fields:
        user.email = None  # WeChat-only: no other login method
    db.session.add(Identity(user_id=user.id, type=200, identifier=openid))
    db.session.commit()
    return user


def make_article(author: User, *, title=None, **fields):
    """An article by `author` (content stored as given: tests pass sanitized HTML)."""
    from app.models import Article

    values = {"type": 1, "summary": "", "content": "<p>text</p>", "img": "", "views": 0}
    values.update(fields)
    return _commit(Article(author_id=author.id, title=title or f"article{next(_seq)}", **values))


def make_notice(*, title=None, **fields):
    from app.models import Notice

    values = {"type": 1, "content": "<p>notice</p>", "status": True, "remark": ""}
    values.update(fields)
    return _commit(Notice(title=title or f"notice{next(_seq)}", **values))


def make_dict_type(*, type=None, **fields):
    from app.models import DictType

    n = next(_seq)
    values = {"name": f"dict type {n}", "status": True, "remark": ""}
    values.update(fields)
    return _commit(DictType(type=type or f"test_type_{n}", **values))


def make_dict(dict_type, *, value=None, **fields):
    from app.models import Dict

    n = next(_seq)
    values = {"label": f"label{n}", "order": 0, "list_class": "", "status": True}
    values.update(fields)
    return _commit(Dict(type=dict_type.type, value=value or f"v{n}", **values))


def make_config(*, key=None, value="x", value_type="str", **fields):
    from app.models import Config

    n = next(_seq)
    values = {"name": f"param {n}", "type": False, "public": False, "remark": ""}
    values.update(fields)
    return _commit(
        Config(key=key or f"test.param{n}", value=value, value_type=value_type, **values)
    )


def make_theme(name=None, products=(), **fields):
    """A theme linked to `products` in the order given."""
    from app.models import Theme, theme_product

    theme = _commit(Theme(name=name or f"theme{next(_seq)}", **fields))
    for position, product in enumerate(products, start=1):
        db.session.execute(
            theme_product.insert().values(
                theme_id=theme.id, product_id=product.id, order=position, create_time=0
            )
        )
    db.session.commit()
    return theme


def make_product_image(product, image=None, order=None):
    from sqlalchemy import func, select

    from app.models import ProductImage

    image = image or make_image()
    if order is None:
        count = select(func.count()).where(ProductImage.product_id == product.id)
        order = db.session.scalar(count) + 1
    return _commit(ProductImage(product_id=product.id, img_id=image.id, order=order))


def make_property(product, name="产地", detail="杭州", order=0):
    from app.models import ProductProperty

    return _commit(ProductProperty(product_id=product.id, name=name, detail=detail, order=order))


def make_banner(name=None, **fields):
    from app.models import Banner

    return _commit(Banner(name=name or f"banner{next(_seq)}", **fields))


def make_banner_item(banner, image=None, type=0, key_word="", order=0):
    from app.models import BannerItem

    image = image or make_image()
    return _commit(
        BannerItem(banner_id=banner.id, img_id=image.id, type=type, key_word=key_word, order=order)
    )


def png_bytes(size=(4, 4), color=(200, 30, 30)) -> bytes:
    """A real, small PNG made with Pillow."""
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(4, 4), color=(30, 200, 30)) -> bytes:
    """A real, small JPEG made with Pillow."""
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def make_folder(name=None, parent_id=0):
    from app.models import File

    return _commit(File(parent_id=parent_id, name=name or f"folder{next(_seq)}", is_folder=True))


# ---------------------------------------------------------------------- cart


def make_cart_line(user, sku=None, *, count=1, **fields):
    """A cart line of the user; without `sku`, of a new product's single SKU (stock 100)."""
    from app.models import CartItem

    if sku is None:
        sku = skus_of(make_product(stock=100))[0]
    values = {"checked": True, "add_price": sku.price}
    values.update(fields)
    return _commit(
        CartItem(user_id=user.id, product_id=sku.product_id, sku_id=sku.id, count=count, **values)
    )


# ---------------------------------------------------------------- orders and WeChat Pay


def make_order(user, *lines, address=None, **fields):
    """Place an order through the service: lines are (product, count) pairs."""
    from app.models import Order
    from app.services.orders import place_order

    if address is None and not db.session.query(Address).filter_by(user_id=user.id).count():
        make_address(user)
    items = [{"product_id": product.id, "count": count} for product, count in lines]
    order = place_order(user.id, items, address.id if address else None)
    if fields:
        db.session.query(Order).filter_by(id=order.id).update(fields)
        db.session.commit()
    return db.session.get(Order, order.id)


def spoil_sku(sku, kind: int):
    """Make the SKU of kind `kind` % 4 and commit: fine, its product deleted, off sale, or out
    of stock (lines of every kind for the cart and quote tests)."""
    from app.models.base import now

    if kind % 4 == 1:
        db.session.get(Product, sku.product_id).delete_time = now()
    if kind % 4 == 2:
        sku.on_sale = False
    if kind % 4 == 3:
        sku.stock = 0
    db.session.commit()
    return sku


def pay_order(order, *, payer_openid="", raw=None, success_time=1767240000, transaction_id=None):
    """Record a successful WeChat payment of the whole order, as a verified notify would."""
    from app.services.orders import record_payment

    return record_payment(
        order_id=order.id,
        user_id=order.user_id,
        transaction_id=transaction_id or f"TX{order.id}",
        out_trade_no=order.order_no,
        amount=int(order.total_price * 100),
        trade_state="SUCCESS",
        payer_openid=payer_openid,
        success_time=success_time,
        raw=raw or {},
        actor_type="wechat",
    )


def make_refund(order, *, status="SUCCESS", amount=None, success_time=1767243600, **fields):
    """A refund row of a paid order's first payment (moves no status: a record only)."""
    from app.models import Payment, Refund

    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id).limit(1))
    values = {
        "order_id": order.id,
        "payment_id": payment.id,
        "out_refund_no": f"R{order.order_no}-1",
        "refund_id": f"50{order.id:010d}" if status == "SUCCESS" else None,
        "amount": payment.amount if amount is None else amount,
        "status": status,
        "success_time": success_time if status == "SUCCESS" else None,
    }
    values.update(fields)
    return _commit(Refund(**values))


_FAKE_WECHAT_IDENTITY = []


def fake_wechat_identity():
    """The fake WeChat's ids, secrets and key pairs (app/fakewechat), made once per run."""
    from app.fakewechat import generate_identity

    if not _FAKE_WECHAT_IDENTITY:
        _FAKE_WECHAT_IDENTITY.append(generate_identity())
    return _FAKE_WECHAT_IDENTITY[0]


def make_wx_identity(user, openid=None):
    from app.models import Identity

    return _commit(Identity(user_id=user.id, type=200, identifier=openid or f"openid-{user.id}"))


class FakeWeChatPay:
    """WeChat Pay v3 for tests: real RSA keys for merchant and platform, signed answers.

    `install(app, monkeypatch)` puts the keys into the app config; `notification()` builds a
    signed, encrypted notification; `answer()` builds a signed HTTP answer for `responses`.
    """

    APP_ID = "wx-test-app"
    MCHID = "1900000001"
    BASE = "https://wechatpay.test"
    KEY_ID = "PUB_KEY_ID_TEST"
    APIV3_KEY = "0123456789abcdef0123456789abcdef"
    _keys = None

    def __init__(self):
        from cryptography.hazmat.primitives.asymmetric import rsa

        if FakeWeChatPay._keys is None:
            FakeWeChatPay._keys = tuple(
                rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)
            )
        self.merchant_key, self.platform_key, self.forger_key = FakeWeChatPay._keys
        self.requests = []

    @staticmethod
    def _private_pem(key) -> str:
        from cryptography.hazmat.primitives import serialization

        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @staticmethod
    def _public_pem(key) -> str:
        from cryptography.hazmat.primitives import serialization

        return (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def config(self) -> dict:
        return {
            "WX_APP_ID": self.APP_ID,
            "WECHATPAY_MCHID": self.MCHID,
            "WECHATPAY_PRIVATE_KEY": self._private_pem(self.merchant_key),
            "WECHATPAY_CERT_SERIAL_NO": "MERCHANTSERIAL01",
            "WECHATPAY_APIV3_KEY": self.APIV3_KEY,
            "WECHATPAY_PUBLIC_KEY": self._public_pem(self.platform_key),
            "WECHATPAY_PUBLIC_KEY_ID": self.KEY_ID,
            "WECHATPAY_NOTIFY_URL": "https://shop.test/v1/pay/notify",
            "WECHATPAY_REFUND_NOTIFY_URL": "https://shop.test/v1/pay/refund_notify",
            "WECHATPAY_API_BASE": self.BASE,
            "WECHATPAY_TIMEOUT": 2,
        }

    def install(self, app, monkeypatch):
        for key, value in self.config().items():
            monkeypatch.setitem(app.config, key, value)
        return self

    @staticmethod
    def sign(key, message: str) -> str:
        import base64

        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.hashes import SHA256

        return base64.b64encode(key.sign(message.encode(), PKCS1v15(), SHA256())).decode()

    def signed_headers(self, body: str, *, timestamp=None, key=None, serial=None) -> dict:
        import secrets
        import time

        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(16)
        return {
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Serial": serial or self.KEY_ID,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Wechatpay-Signature": self.sign(
                key or self.platform_key, f"{timestamp}\n{nonce}\n{body}\n"
            ),
        }

    def notification(self, event_type: str, resource: dict, **sign_options) -> tuple[dict, str]:
        """(headers, body) of a signed notification carrying `resource` encrypted."""
        import base64
        import json
        import secrets

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_hex(6)
        associated = "transaction"
        cipher = AESGCM(self.APIV3_KEY.encode()).encrypt(
            nonce.encode(), json.dumps(resource).encode(), associated.encode()
        )
        body = json.dumps(
            {
                "id": secrets.token_hex(8),
                "create_time": "2026-01-01T00:00:00+08:00",
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "",
                "resource": {
                    "original_type": associated,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(cipher).decode(),
                    "associated_data": associated,
                    "nonce": nonce,
                },
            }
        )
        headers = self.signed_headers(body, **sign_options)
        headers["Content-Type"] = "application/json"
        return headers, body

    def transaction(self, order, **overrides) -> dict:
        from app.models.base import yuan_to_fen

        data = {
            "appid": self.APP_ID,
            "mchid": self.MCHID,
            "out_trade_no": order.order_no,
            "transaction_id": f"4200{order.id:08d}",
            "trade_type": "JSAPI",
            "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功",
            "success_time": "2026-01-01T12:00:00+08:00",
            "payer": {"openid": "openid-x"},
            "amount": {"total": yuan_to_fen(order.total_price), "currency": "CNY"},
        }
        data.update(overrides)
        return data

    def verify_request(self, request) -> None:
        """Check the merchant signature of an outgoing request (Authorization header)."""
        import base64
        import re
        from urllib.parse import urlsplit

        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.hashes import SHA256

        header = request.headers["Authorization"]
        fields = dict(re.findall(r'(\w+)="([^"]*)"', header))
        assert fields["mchid"] == self.MCHID
        split = urlsplit(request.url)
        path = split.path + (f"?{split.query}" if split.query else "")
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode()
        message = (
            f"{request.method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n{body}\n"
        )
        self.merchant_key.public_key().verify(
            base64.b64decode(fields["signature"]), message.encode(), PKCS1v15(), SHA256()
        )

    def answer(self, status: int, body: dict | None):
        """A `responses` callback answering `body`, signed by the platform key."""
        import json

        def callback(request):
            self.verify_request(request)
            self.requests.append(request)
            text = json.dumps(body) if body is not None else ""
            headers = self.signed_headers(text)
            headers["Content-Type"] = "application/json"
            return status, headers, text

        return callback


def make_search_history(user: User, keyword: str, **fields):
    from app.models import SearchHistory

    return _commit(SearchHistory(user_id=user.id, keyword=keyword, **fields))


# ---------------------------------------------------- reviews, favourites, footprints


def make_received_order(user, *lines, receive_time=None):
    """An order of `lines` ((product, count) pairs; one new product when none) placed, paid,
    delivered and received through the services; `receive_time` backdates the receipt."""
    from app.models import Order
    from app.services.orders import deliver_order, receive_order

    order = make_order(user, *(lines or [(make_product(), 1)]))
    pay_order(order)
    deliver_order(order.id, 1, "顺丰速运", f"SF{order.id:010d}")
    receive_order(user.id, order.id)
    if receive_time is not None:
        db.session.query(Order).filter_by(id=order.id).update({"receive_time": receive_time})
        db.session.commit()
    return db.session.get(Order, order.id, populate_existing=True)


def order_lines(order) -> list:
    """The order's lines (OrderProduct rows) in id order."""
    from app.models import OrderProduct

    return list(
        db.session.scalars(
            select(OrderProduct).where(OrderProduct.order_id == order.id).order_by(OrderProduct.id)
        )
    )


def make_review_upload(user, key=None):
    """A private file row of the user holding an uploaded image's key (no bytes stored)."""
    from sqlalchemy import null

    from app.models import File

    n = next(_seq)
    key = key or f"2026/12/02/{n:032x}.png"
    return _commit(
        File(
            parent_id=null(),
            name=f"review{n}.png",
            is_folder=False,
            extension=".png",
            size=10,
            mime_type="image/png",
            storage="local",
            storage_key=key,
            sha256=f"{n:064x}",
            owner_id=user.id,
        )
    )


def make_review(user, line=None, *, rating=5, content="很好", images=(), **fields):
    """A review row of the user on `line` (of a new received order when None)."""
    from app.models import Review, ReviewImage

    if line is None:
        line = order_lines(make_received_order(user))[0]
    review = Review(
        user_id=user.id,
        order_id=line.order_id,
        line_id=line.id,
        product_id=line.product_id,
        sku_id=line.sku_id,
        spec=line.spec or "",
        rating=rating,
        content=content,
        has_image=bool(images),
        images=[ReviewImage(key=key, order=i) for i, key in enumerate(images, 1)],
        **fields,
    )
    return _commit(review)


def make_favorite(user, product=None, **fields):
    from app.models import Favorite

    product = product or make_product()
    return _commit(Favorite(user_id=user.id, product_id=product.id, **fields))


def make_footprint(user, product=None, *, day=20261202, at=None, **fields):
    from app.models import Footprint
    from app.models.base import now

    product = product or make_product()
    at = now() if at is None else at
    return _commit(
        Footprint(
            user_id=user.id,
            product_id=product.id,
            day=day,
            create_time=at,
            update_time=at,
            **fields,
        )
    )


# ------------------------------------------------------------------ WeChat platform (outbox)

STABLE_TOKEN_URL = f"{WX_TEST_BASE_URL}/cgi-bin/stable_token"
SHIPPING_UPLOAD_URL = f"{WX_TEST_BASE_URL}/wxa/sec/order/upload_shipping_info"
SUBSCRIBE_SEND_URL = f"{WX_TEST_BASE_URL}/cgi-bin/message/subscribe/send"
MSG_SEC_CHECK_URL = f"{WX_TEST_BASE_URL}/wxa/msg_sec_check"
DELIVERY_LIST_URL = f"{WX_TEST_BASE_URL}/cgi-bin/express/delivery/open_msg/get_delivery_list"
WX_MCHID = "1900000001"


def answer_stable_token(mock, token="ACCESS-1", expires_in=7200, **kwargs):
    """Let the fake WeChat answer one stable_token call (register several for several)."""
    import responses

    mock.add(
        responses.POST,
        STABLE_TOKEN_URL,
        json={"access_token": token, "expires_in": expires_in},
        **kwargs,
    )


def make_wechat_paid_order(user=None, *, openid="o-payer", mobile="18912341234"):
    """A PAID order whose payment came through WeChat Pay from `openid` (mchid WX_MCHID)."""
    from app.models import Order

    user = user or make_wechat_user(openid)
    address = make_address(user, mobile=mobile)
    order = make_order(user, (make_product(name="芒果干", stock=50), 2), address=address)
    pay_order(order, payer_openid=openid, raw={"mchid": WX_MCHID})
    db.session.expire_all()
    return db.session.get(Order, order.id)


def make_outbox_message(*, kind="shipping", path="/wxa/sec/order/upload_shipping_info", **fields):
    """An outbox row (pending and due unless fields say otherwise), committed."""
    from app.models import OutboxMessage
    from app.models.base import now

    values = {
        "kind": kind,
        "path": path,
        "body": {"marker": next(_seq)},
        "state": "pending",
        "attempts": 0,
        "next_attempt_time": now(),
        "last_error": "",
    }
    values.update(fields)
    return _commit(OutboxMessage(**values))


# ------------------------------------------------------------------------- after-sales


def make_paid_order(user, *lines, freight=None, shares=None, delivered=False, received=False):
    """A PAID order of `lines` ((product, count) pairs; one new product when none), paid in
    full through the services. `shares` writes the lines' paid shares directly (a discounted
    order, as coupons would make it) and `freight` the order's freight: pay_amount becomes
    sum(shares) + freight. `delivered` / `received` move it on through the services."""
    from decimal import Decimal

    from app.models import Order, OrderProduct
    from app.services.orders import deliver_order, receive_order

    order = make_order(user, *(lines or [(make_product(price="10.00", stock=50), 1)]))
    rows = order_lines(order)
    if shares is not None or freight is not None:
        shares = [Decimal(s) for s in shares] if shares else [row.pay_amount for row in rows]
        freight = Decimal(freight or 0)
        for row, share in zip(rows, shares, strict=True):
            db.session.query(OrderProduct).filter_by(id=row.id).update({"pay_amount": share})
        goods = sum(Decimal(row.price) * row.count for row in rows)
        total = sum(shares) + freight
        db.session.query(Order).filter_by(id=order.id).update(
            {
                "total_price": total,
                "goods_amount": goods,
                "freight_amount": freight,
                "coupon_discount": goods + freight - total,
            }
        )
        db.session.commit()
        order = db.session.get(Order, order.id, populate_existing=True)
    pay_order(order)
    if delivered or received:
        deliver_order(order.id, 1, "顺丰速运", f"SF{order.id:010d}")
    if received:
        receive_order(user.id, order.id)
    db.session.expire_all()
    return db.session.get(Order, order.id)


def make_after_sale(user, order=None, *, type=1, lines=None, reason="不想要了", **values):
    """An after-sale asked through the service: `lines` are (order line, count) pairs (every
    unit of every line of `order` when None; a new paid order when `order` is None)."""
    from app.services import aftersale

    order = order or make_paid_order(user)
    if lines is None:
        lines = [(line, line.count) for line in order_lines(order)]
    body = {
        "order_id": order.id,
        "type": type,
        "lines": [{"order_product_id": line.id, "count": count} for line, count in lines],
        "reason": reason,
        "description": "",
        "images": [],
    }
    body.update(values)
    return aftersale.create_after_sale(user.id, body)


REFUNDS_URL = f"{FakeWeChatPay.BASE}/v3/refund/domestic/refunds"


def refund_answers(wechat, status="SUCCESS", *, http_status=200, error=None):
    """A `responses` callback for POST /v3/refund/domestic/refunds answering each refund with
    its own refund_id (`status`), or `error` ({code, message}) with `http_status`; every
    request is kept in `wechat.requests`."""
    import json
    import threading

    lock = threading.Lock()

    def callback(request):
        wechat.verify_request(request)
        sent = json.loads(request.body)
        with lock:
            wechat.requests.append(request)
        if error is not None:
            body = error
        else:
            body = {
                "refund_id": f"50{sent['out_refund_no']}",
                "out_refund_no": sent["out_refund_no"],
                "status": status,
                "amount": sent["amount"],
            }
        text = json.dumps(body)
        headers = wechat.signed_headers(text)
        headers["Content-Type"] = "application/json"
        return http_status, headers, text

    return callback


def make_coupon(**fields):
    """A coupon template: by default a claimable full reduction of 10.00 at 100.00, any
    product, unlimited, one per customer, valid 30 days from the claim."""
    from app.models import Coupon

    values = {
        "name": f"coupon{next(_seq)}",
        "description": "",
        "type": 1,
        "min_amount": Decimal("100.00"),
        "amount": Decimal("10.00"),
        "scope": "all",
        "category_ids": [],
        "product_ids": [],
        "total": None,
        "claimed": 0,
        "per_user_limit": 1,
        "valid_days": 30,
        "enabled": True,
        "kind": "claim",
    }
    values.update(fields)
    for name in ("min_amount", "amount", "max_discount"):
        if isinstance(values.get(name), str):
            values[name] = Decimal(values[name])
    return _commit(Coupon(**values))


def give_coupon(user, coupon=None, *, at=None, **fields):
    """A copy of the template held by the user (claimed counted), valid from `at` (now)."""
    from app.models import Coupon, UserCoupon
    from app.models.base import now

    coupon = coupon or make_coupon()
    at = now() if at is None else at
    start, end = coupon.window_from(at)
    values = {"valid_start": start, "valid_end": end, "status": 1, "source": "grant"}
    values.update(fields)
    held = UserCoupon(user_id=user.id, coupon_id=coupon.id, create_time=at, **values)
    db.session.query(Coupon).filter_by(id=coupon.id).update({"claimed": Coupon.claimed + 1})
    return _commit(held)


def make_coupon_code(coupon, code=None):
    from app.models import CouponCode

    return _commit(CouponCode(coupon_id=coupon.id, code=code or f"CODE{next(_seq):08d}"))
