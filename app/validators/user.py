"""Forms of the caller's own account routes (/v1/user)."""

from urllib.parse import urlsplit

from wtforms.validators import ValidationError

from app.core.forms import BaseForm, EnumField, StringField
from app.services.uploads import IMAGE_KEY_PATTERN

USERNAME_PATTERN = r"[A-Za-z][A-Za-z0-9_]*"
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s.]+"
MOBILE_PATTERN = r"1[3-9][0-9]{9}"
LOGIN_METHOD_TYPES = (100, 101, 102, 200)


def username_field(**kwargs) -> StringField:
    return StringField(
        min_length=2,
        max_length=24,
        pattern=USERNAME_PATTERN,
        pattern_message="Must be a letter followed by letters, digits or _.",
        description="a letter followed by letters, digits or _",
        **kwargs,
    )


def email_field(**kwargs) -> StringField:
    return StringField(
        max_length=100,
        pattern=EMAIL_PATTERN,
        pattern_message="Not a valid email address.",
        description="stored lower-case",
        **kwargs,
    )


MOBILE_MESSAGE = "Must be 11 digits starting with 13 to 19."


def mobile_field(**kwargs) -> StringField:
    return StringField(
        min_length=11,
        max_length=11,
        pattern=MOBILE_PATTERN,
        length_message=MOBILE_MESSAGE,
        pattern_message=MOBILE_MESSAGE,
        description="11 digits starting with 13 to 19",
        **kwargs,
    )


PASSWORD_MAX = 64


def password_field(**kwargs) -> StringField:
    return StringField(min_length=8, max_length=PASSWORD_MAX, trim=False, **kwargs)


def confirm_password_field() -> StringField:
    """The new password typed again: compared with it, not checked on its own."""
    return StringField(required=True, max_length=PASSWORD_MAX, trim=False)


def nickname_field(**kwargs) -> StringField:
    return StringField(min_length=1, max_length=24, **kwargs)


def check_not_blank(field) -> None:
    """Passwords are not trimmed, but one made only of white space is refused."""
    if not field.errors and field.data is not None and not field.data.strip():
        raise ValidationError("May not be only white space.")


def check_equal(field, other) -> None:
    # Fields validate in declaration order, so `other` has its errors already.
    if not field.errors and not other.errors and field.present and field.data != other.data:
        raise ValidationError(f"Must equal {other.name}.")


def clean_email(value: str | None) -> str | None:
    return value.lower() if value else value


class UserCreateForm(BaseForm):
    username = username_field()
    email = email_field()
    mobile = mobile_field()
    password = password_field(required=True)
    confirm_password = confirm_password_field()
    nickname = nickname_field()

    def validate_username(self, field):
        if not field.errors and not any(
            self[name].data for name in ("username", "email", "mobile")
        ):
            raise ValidationError("Give at least one of username, email or mobile.")

    def validate_password(self, field):
        check_not_blank(field)

    def validate_confirm_password(self, field):
        check_equal(field, self.password)


class UserUpdateForm(BaseForm):
    nickname = nickname_field()
    username = username_field(nullable=True)
    email = email_field(nullable=True)
    mobile = mobile_field(nullable=True)


class PasswordChangeForm(BaseForm):
    old_password = StringField(
        min_length=1,
        max_length=PASSWORD_MAX,
        trim=False,
        nullable=True,
        description="required when the account has a password",
    )
    new_password = password_field(required=True)
    confirm_password = confirm_password_field()

    def validate_new_password(self, field):
        check_not_blank(field)

    def validate_confirm_password(self, field):
        check_equal(field, self.new_password)


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# https, a dotted host name (no user info), an optional port, then a path without white space,
# quotes or angle brackets (the value ends up in markup on the clients).
HTTPS_URL_PATTERN = rf"https://{_LABEL}(?:\.{_LABEL})+(?::[0-9]{{1,5}})?(?:/[^\s\"'<>\\`]*)?"
AVATAR_MESSAGE = (
    "Must be an https:// URL on a host name (at most 255 characters), "
    "or the storage key of your uploaded avatar."
)


class AvatarUrlForm(BaseForm):
    avatar = StringField(
        required=True,
        min_length=1,
        max_length=255,
        pattern=f"{HTTPS_URL_PATTERN}|{IMAGE_KEY_PATTERN}",
        pattern_message=AVATAR_MESSAGE,
        description="an https:// URL on a host name, not an IP address (at most 255 "
        "characters), or the storage key of the caller's own uploaded avatar",
    )

    def validate_avatar(self, field):
        if field.errors or not field.data.startswith("https://"):
            return
        host = urlsplit(field.data).hostname or ""
        # Internal addresses: a dotted-decimal IP (10.0.0.1) or a local name.
        if host.replace(".", "").isdigit() or host.endswith((".local", ".localhost", ".internal")):
            raise ValidationError(AVATAR_MESSAGE)


ACCOUNT_FIELDS_BY_TYPE = {100: "username", 101: "email", 102: "mobile"}


class BindForm(BaseForm):
    type = EnumField(required=True, choices=LOGIN_METHOD_TYPES)
    account = StringField(
        required=True,
        min_length=1,
        max_length=128,
        description="user name, email, mobile, or a fresh wx.login code for 200",
    )
    secret = password_field(description="sets the password when the account has none")

    def validate_account(self, field):
        # A user name, email or mobile is checked exactly as at registration.
        name = ACCOUNT_FIELDS_BY_TYPE.get(self.type.data)
        if field.errors or name is None:
            return
        check = UserUpdateForm({name: field.data})
        if not check.validate():
            raise ValidationError(check.errors[name][0])
        field.data = check[name].data

    def validate_secret(self, field):
        check_not_blank(field)


class UnbindForm(BaseForm):
    type = EnumField(required=True, choices=LOGIN_METHOD_TYPES)
