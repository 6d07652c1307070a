"""The validation layer: strict JSON types, presence, pagination."""

from decimal import Decimal

import pytest

from app.core.exceptions import ParameterException
from app.core.forms import (
    BaseForm,
    BooleanField,
    EnumField,
    IdListField,
    IntegerField,
    MoneyField,
    PageForm,
    StringField,
    UnixTimeField,
    ids_in_path,
    parse_id_list,
)
from app.core.pagination import DEFAULT_PAGE_SIZE, page_args, page_dict
from app.extensions import db


class SampleForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=5)
    note = StringField(max_length=10, nullable=True)
    count = IntegerField(min_value=1, max_value=9)
    flag = BooleanField()
    price = MoneyField()
    kind = EnumField(choices=(1, 2))
    ids = IdListField(max_count=3)
    start = UnixTimeField()


def errors_of(data: dict) -> dict:
    form = SampleForm(data)
    form.validate()
    return form.errors


@pytest.mark.parametrize("value", ["1.5", True, "{1}", 1.5, [], None])
def test_integer_field_rejects_non_integers(app, value):
    assert "count" in errors_of({"name": "a", "count": value if value != 1.5 else Decimal("1.5")})


def test_integer_field_accepts_digit_strings(app):
    form = SampleForm({"name": "a", "count": "7"})
    assert form.validate() and form.count.data == 7


def test_string_field_trims_then_checks_length(app):
    form = SampleForm({"name": "  abc  "})
    assert form.validate() and form.name.data == "abc"
    assert errors_of({"name": "   "})["name"] == ["Must be 1 to 5 characters."]
    assert errors_of({"name": 12})["name"] == ["Not a valid string."]


def test_required_and_null_rules(app):
    assert errors_of({})["name"] == ["This field is required."]
    assert errors_of({"name": None})["name"] == ["May not be null."]
    form = SampleForm({"name": "a", "note": None})
    assert form.validate() and form.note.present and form.note.data is None


def test_present_lists_only_sent_fields(app):
    form = SampleForm({"name": "a", "flag": False, "unknown": "ignored"})
    assert form.validate()
    assert form.present() == {"name": "a", "flag": False}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12.5", Decimal("12.50")),
        (Decimal("0.01"), Decimal("0.01")),
        (3, Decimal("3.00")),
    ],
)
def test_money_field_reads_exactly(app, value, expected):
    form = SampleForm({"name": "a", "price": value})
    assert form.validate() and form.price.data == expected


@pytest.mark.parametrize("value", ["1.234", Decimal("1.234"), "-1", "0", "abc", True])
def test_money_field_rejects_bad_amounts(app, value):
    assert "price" in errors_of({"name": "a", "price": value})


def test_boolean_and_enum_fields(app):
    form = SampleForm({"name": "a", "flag": "0", "kind": "2"})
    assert form.validate() and form.flag.data is False and form.kind.data == 2
    assert "kind" in errors_of({"name": "a", "kind": 3})
    assert "flag" in errors_of({"name": "a", "flag": "yes"})


def test_id_lists_from_text_or_array(app):
    assert parse_id_list("1,2,2,3") == [1, 2, 3]
    form = SampleForm({"name": "a", "ids": [3, 1]})
    assert form.validate() and form.ids.data == [3, 1]
    assert "ids" in errors_of({"name": "a", "ids": "1,x"})
    assert "ids" in errors_of({"name": "a", "ids": [1, 2, 3, 4]})
    assert "ids" in errors_of({"name": "a", "ids": [0]})


def test_unix_time_drops_the_fraction(app):
    form = SampleForm({"name": "a", "start": Decimal("1700000000.789")})
    assert form.validate() and form.start.data == 1700000000


def test_validate_or_raise_answers_one_message_and_the_error_map(app):
    with pytest.raises(ParameterException) as caught:
        SampleForm({"name": "", "count": "x"}).validate_or_raise()
    error = caught.value
    assert error.msg.startswith("name: ")
    assert set(error.errors) == {"name", "count"}


def test_page_form_bounds(app):
    assert PageForm({"page": "2", "size": "100"}).validate()
    for bad in ({"size": "0"}, {"size": "101"}, {"page": "0"}, {"page": "{1}"}):
        assert not PageForm(bad).validate()


def test_page_dict_counts_pages():
    assert page_dict([], 0, 1, 10)["total_page"] == 0
    assert page_dict([1], 21, 3, 10) == {
        "items": [1],
        "total": 21,
        "current_page": 3,
        "total_page": 3,
    }


def test_json_schema_describes_fields():
    schema = SampleForm.json_schema()
    assert schema["required"] == ["name"]
    assert schema["properties"]["count"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert schema["properties"]["note"]["x-nullable"] is True


def test_string_field_rejects_lone_surrogates(app):
    assert errors_of({"name": "\ud800"})["name"] == ["Not a valid string."]


# ------------------------------------------------ messages name the real limits


class LimitsForm(BaseForm):
    plain = IntegerField()
    positive = IntegerField(min_value=1)
    mobile = StringField(min_length=11, max_length=11)
    lines = IdListField(min_count=1, max_count=3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"plain": 2**31}, "Must be -2147483647 to 2147483647."),
        ({"positive": 0}, "Must be 1 to 2147483647."),
        ({"positive": "99999999999"}, "Must be 1 to 2147483647."),
        ({"mobile": "123"}, "Must be exactly 11 characters."),
        ({"lines": []}, "Must hold 1 to 3 ids."),
    ],
)
def test_validate_message_names_the_real_limit(data, message):
    form = LimitsForm(data)
    assert not form.validate()
    assert form.errors == {next(iter(data)): [message]}


def test_validate_mobile_message_says_11_digits(client, customer_headers):
    for mobile in ("123", "23456789012"):
        response = client.put("/v1/user", json={"mobile": mobile}, headers=customer_headers)
        assert response.get_json()["msg"] == "mobile: Must be 11 digits starting with 13 to 19."


def test_setting_limit_is_read_from_config_when_validating(app):
    from app.core.forms import Setting

    class CountForm(BaseForm):
        count = IntegerField(min_value=1, max_value=Setting("ORDER_MAX_COUNT"))

    app.config["ORDER_MAX_COUNT"] = 3
    try:
        form = CountForm({"count": 4})
        assert not form.validate()
        assert form.errors == {"count": ["Must be 1 to 3."]}
    finally:
        app.config["ORDER_MAX_COUNT"] = 99


class SampleCreateForm(BaseForm):
    name = StringField(required=True, min_length=1, max_length=5)
    code = StringField(required=True, max_length=4, pattern="[a-z]+", pattern_message="Bad code.")
    count = IntegerField(min_value=1, max_value=9, default=3)
    secret = StringField(required=True)

    def validate_name(self, field):
        if field.data == "taken":
            raise ValueError("whole-row rule")


SampleUpdateForm = SampleCreateForm.partial(exclude=("secret",), code={"nullable": True})


def test_partial_form_requires_nothing_and_defaults_nothing(app):
    form = SampleUpdateForm({})
    assert form.validate() and form.present() == {}
    assert form.count.data is None
    assert SampleUpdateForm.__name__ == "SampleUpdateForm"
    assert list(SampleUpdateForm.json_schema()["properties"]) == ["name", "code", "count"]
    assert "required" not in SampleUpdateForm.json_schema()


def test_partial_form_keeps_the_rules_and_messages(app):
    for data in ({"name": ""}, {"name": "toolong"}, {"code": "ABC"}, {"count": 10}):
        create, update = SampleCreateForm(data), SampleUpdateForm(data)
        create.validate(), update.validate()
        field = next(iter(data))
        assert update.errors[field] == create.errors[field]
    form = SampleUpdateForm({"code": None, "count": "4"})
    assert form.validate() and form.present() == {"code": None, "count": 4}


def test_partial_form_leaves_out_excluded_fields_and_create_checks(app):
    form = SampleUpdateForm({"secret": "x", "name": "taken"})
    assert form.validate() and form.present() == {"name": "taken"}


def test_partial_form_refuses_unknown_field_names():
    with pytest.raises(TypeError):
        SampleCreateForm.partial(exclude=("nope",))


def test_page_size_default_comes_from_the_config_parameter(app):
    from sqlalchemy import select

    from app.models import Config

    row = db.session.scalar(select(Config).where(Config.key == "sys.paginator.size"))
    with app.test_request_context("/v1/notice"):
        row.value = "3"
        db.session.commit()
        assert page_args(PageForm({})) == (1, 3)
        assert page_args(PageForm({"size": 7})) == (1, 7)
        row.value = "1000"  # out of range: the fallback
        db.session.commit()
        assert page_args(PageForm({})) == (1, DEFAULT_PAGE_SIZE)
        db.session.delete(row)  # missing: the fallback
        db.session.commit()
        assert page_args(PageForm({})) == (1, DEFAULT_PAGE_SIZE)


def test_page_size_default_without_a_provider_is_the_constant(app):
    provider = app.extensions.pop("default_page_size")
    try:
        with app.test_request_context("/v1/notice"):
            assert page_args(PageForm({})) == (1, DEFAULT_PAGE_SIZE)
    finally:
        app.extensions["default_page_size"] = provider


def test_ids_in_path_keeps_order_and_drops_repeats():
    assert ids_in_path("3,1,3") == [3, 1]


@pytest.mark.parametrize("value", ["a,b", "", "0", "1,,2"])
def test_ids_in_path_bad_segment_raises_parameter_error(value):
    with pytest.raises(ParameterException) as caught:
        ids_in_path(value)
    assert caught.value.msg.startswith("ids: ")
