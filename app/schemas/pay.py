"""Payment shapes: the wx.requestPayment parameters and WeChat's notification format."""

from app.schemas.base import Nested, Shape, Str


class PayParameters(Shape):
    """Pass these to wx.requestPayment as they are."""

    timeStamp = Str()  # noqa: N815 (WeChat's names)
    nonceStr = Str()  # noqa: N815
    package = Str()
    signType = Str()  # noqa: N815
    paySign = Str()  # noqa: N815


class WechatResource(Shape):
    """The encrypted payload of a WeChat Pay notification."""

    algorithm = Str()
    ciphertext = Str()
    nonce = Str()
    associated_data = Str(metadata={"optional": True})
    original_type = Str(metadata={"optional": True})


class WechatNotification(Shape):
    """A WeChat Pay notification, as WeChat posts it (documentation of the request only)."""

    id = Str()
    event_type = Str()
    resource_type = Str(metadata={"optional": True})
    summary = Str(metadata={"optional": True})
    resource = Nested(WechatResource)


class WechatFail(Shape):
    """A rejected notification, in WeChat's format (WeChat retries)."""

    code = Str()
    message = Str()
