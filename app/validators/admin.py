"""Forms of the CMS access-control and log routes: admins, users, groups, grants, menus,
routes, page elements and logs."""

from wtforms.validators import ValidationError

from app.core.forms import (
    BaseForm,
    BooleanField,
    IdListField,
    IntegerField,
    PageForm,
    RawField,
    StringField,
    UnixTimeField,
)
from app.validators.user import (
    confirm_password_field,
    email_field,
    mobile_field,
    nickname_field,
    password_field,
    username_field,
)

SIGN_PATTERN = r"[A-Za-z0-9._:-]+"


# ------------------------------------------------------------------- people


# Unlike the account forms' check_not_blank and check_equal (validators/user.py), the staff
# forms report these next to a field's other errors.
def _refuse_blank(field) -> None:
    if field.data is not None and not field.data.strip():
        raise ValidationError("May not be only white space.")


def _refuse_unequal(field, other) -> None:
    if field.data != other.data:
        raise ValidationError(f"Must equal {other.name}.")


class AdminListForm(PageForm):
    group_id = IntegerField(min_value=1)


class AdminCreateForm(BaseForm):
    nickname = nickname_field(required=True)
    username = username_field()
    email = email_field()
    mobile = mobile_field()
    password = password_field(required=True)
    confirm_password = confirm_password_field()
    group_id = IntegerField(required=True, min_value=1)

    def validate_username(self, field):
        if not any(self._fields[name].data for name in ("username", "email", "mobile")):
            raise ValidationError("Give at least one of username, email, mobile.")

    def validate_password(self, field):
        _refuse_blank(field)

    def validate_confirm_password(self, field):
        _refuse_unequal(field, self.password)


AdminUpdateForm = AdminCreateForm.partial(
    exclude=("password", "confirm_password"),
    username={"nullable": True},
    email={"nullable": True},
    mobile={"nullable": True},
)


class PasswordResetForm(BaseForm):
    new_password = password_field(required=True)
    confirm_password = confirm_password_field()

    def validate_new_password(self, field):
        _refuse_blank(field)

    def validate_confirm_password(self, field):
        _refuse_unequal(field, self.new_password)


class UserListForm(PageForm):
    group_id = IntegerField(min_value=1)
    keyword = StringField(max_length=50)


class UserGroupForm(BaseForm):
    group_id = IntegerField(required=True, min_value=0, nullable=True)


# ------------------------------------------------------------------- groups


class GroupCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=60)
    info = StringField(max_length=255, default="")
    auth_ids = IdListField(max_count=100, default=list)


GroupUpdateForm = GroupCreateForm.partial(exclude=("auth_ids",))


class GroupMigrateForm(BaseForm):
    src_id = IntegerField(required=True, min_value=1)
    dest_id = IntegerField(required=True, min_value=1)

    def validate_dest_id(self, field):
        if field.data is not None and field.data == self.src_id.data:
            raise ValidationError("Must differ from src_id.")


class GroupQueryForm(BaseForm):
    """An optional group; absent means the caller's own."""

    group_id = IntegerField(min_value=1)


class GroupRequiredForm(BaseForm):
    group_id = IntegerField(required=True, min_value=1)


class AuthGrantForm(BaseForm):
    group_id = IntegerField(required=True, min_value=1)
    auth_ids = IdListField(required=True, min_count=1, max_count=200)


# -------------------------------------------------------------- menus, routes


class MenuUpdateForm(BaseForm):
    group_id = IntegerField(required=True, min_value=1)
    routes = RawField(required=True, description="array of nodes {id, children}, any depth")

    def validate_routes(self, field):
        if not isinstance(field.data, list):
            raise ValidationError("Must be a list of nodes.")


class RouteCreateForm(BaseForm):
    title = StringField(required=True, min_length=1, max_length=50)
    name = StringField(required=True, min_length=1, max_length=50)
    path = StringField(required=True, min_length=1, max_length=200)
    parent_id = IntegerField(min_value=0, default=0)
    icon = StringField(max_length=100, default="", nullable=True)
    component = StringField(max_length=200, nullable=True)
    hidden = BooleanField(default=False)
    order = IntegerField(min_value=0, max_value=1_000_000)


RouteUpdateForm = RouteCreateForm.partial(order={"nullable": True})


# ------------------------------------------------------------------ elements


class ElementCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=50)
    sign = StringField(
        required=True,
        min_length=1,
        max_length=100,
        pattern=SIGN_PATTERN,
        pattern_message="Use letters, digits, '.', '_', ':' or '-'.",
    )
    route_id = IntegerField(required=True, min_value=1)


ElementUpdateForm = ElementCreateForm.partial()


class ElementDeployForm(BaseForm):
    group_id = IntegerField(required=True, min_value=1)
    element_ids = IdListField(required=True, max_count=500)


class ElementByRouteForm(PageForm):
    route_id = IntegerField(min_value=1)


# ---------------------------------------------------------------------- logs


class _TimeRangeForm(PageForm):
    start = UnixTimeField(description="Unix seconds, inclusive")
    end = UnixTimeField(description="Unix seconds, inclusive")


class LoginLogListForm(_TimeRangeForm):
    username = StringField(max_length=100)
    status = BooleanField()


class OperLogListForm(_TimeRangeForm):
    username = StringField(max_length=100)
    keyword = StringField(max_length=100)
    method = StringField(max_length=10)


class ErrorLogListForm(_TimeRangeForm):
    keyword = StringField(max_length=100)
