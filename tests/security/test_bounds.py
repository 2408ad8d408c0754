"""Every form field of the project that parses a date or a number is bounded (declics/forms.py)."""

from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import get_resolver

from declics.forms import (
    MAX_ID,
    DateField,
    DateTimeField,
    IdField,
    parse_bounded_int,
    parse_id,
    validate_in_calendar,
)

PROJECT_PACKAGES = {"declics", "programs", "mentoring", "jobs"}


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def project_forms() -> list[type[forms.BaseForm]]:
    get_resolver().resolve("/")  # loading the URLs imports every view, hence every form they use
    return sorted(
        {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PROJECT_PACKAGES},
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _unbounded(field: forms.Field) -> str | None:
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return None if validate_in_calendar in field.validators else "date without 1900–2100 bounds"
    numbers = forms.IntegerField | forms.DecimalField | forms.FloatField
    if isinstance(field, numbers) and (field.min_value is None or field.max_value is None):
        return "number without min_value and max_value"
    return None


def test_every_form_field_that_parses_a_date_or_a_number_is_bounded():
    found = project_forms()
    problems = {
        f"{form.__module__}.{form.__qualname__}.{name}": problem
        for form in found
        for name, field in form.base_fields.items()
        if (problem := _unbounded(field))
    }

    assert problems == {}
    assert len(found) > 30  # the walk found the project's forms


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (DateField(), "0001-01-01"),
        (DateField(), "9999-12-31"),
        (DateField(), "1899-12-31"),
        (DateTimeField(), "0001-01-01T12:00"),
        (DateTimeField(), "9999-12-31T23:59"),
        (DateTimeField(), "2101-01-01T00:00"),
    ],
)
def test_dates_outside_1900_to_2100_are_a_form_error(field, value):
    with pytest.raises(forms.ValidationError) as error:
        field.clean(value)

    assert error.value.messages == ["Indiquez une date entre 1900 et 2100."]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (DateField(), "1900-01-01", date(1900, 1, 1)),
        (DateField(), "2100-12-31", date(2100, 12, 31)),
        (DateTimeField(), "2030-01-15T10:00", datetime(2030, 1, 15, 9, 0).astimezone()),
    ],
)
def test_dates_within_the_bounds_are_kept(field, value, expected):
    cleaned = field.clean(value)

    assert (
        cleaned == expected
        if isinstance(field, DateField)
        else cleaned.isoformat() == ("2030-01-15T10:00:00+01:00")
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("0", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("12\x00", None),
    ],
)
def test_parse_id_takes_only_what_a_database_id_can_be(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), ("-2", -2), ("11", None), ("--2", None), ("9" * 5000, None)]
)
def test_parse_bounded_int(value, expected):
    assert parse_bounded_int(value, min_value=-5, max_value=10) == expected


def test_id_field_refuses_what_no_row_can_have():
    field = IdField()

    assert field.clean("12") == 12
    for value in ("0", str(MAX_ID + 1), "9" * 5000):
        with pytest.raises(forms.ValidationError):
            field.clean(value)


def test_a_json_number_too_long_to_convert_is_an_invalid_value_not_a_crash():
    from declics.forms import JSONField

    field = JSONField()

    with pytest.raises(ValidationError) as raised:
        field.clean("9" * 5000)  # json.loads raises a bare ValueError past 4,300 digits
    assert raised.value.code == "invalid"
    assert field.clean('{"id": 12}') == {"id": 12}
