"""Forms of the token routes."""

from app.core.forms import BaseForm, IntegerField, StringField


class TokenCreateForm(BaseForm):
    account = StringField(
        required=True,
        min_length=1,
        max_length=128,
        description="email, mobile, user name or wx.login code",
    )
    secret = StringField(max_length=128, trim=False, default="", description="password")
    type = IntegerField(required=True, description="client type: 100, 101, 102 or 200")


class TokenVerifyForm(BaseForm):
    token = StringField(required=True, min_length=1, max_length=2048)


class RefreshTokenForm(BaseForm):
    refresh_token = StringField(required=True, min_length=1, max_length=512)
