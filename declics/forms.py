"""Bounds on what a visitor may send: every form field that parses a date or a number uses these.

A date outside 1900–2100 is no one's real date, and shifting or extending it (a session calendar
copied, a workshop's end computed) can overflow Python's calendar: such a date is a form error
here, never a crash later. A number past any plausible value, or past `int()`'s 4,300-digit
limit, is refused the same way; ids read straight from a request go through `parse_id`.

tests/security/test_bounds.py checks that every form of the project uses them.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The largest primary key a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
# What PostgreSQL's integer columns hold (SQLite holds more: a test there would not see the overflow).
COLUMN_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def in_calendar(value: date | datetime) -> bool:
    """Whether a date (or a datetime's date, in its own time zone) lies within 1900–2100.

    No time-zone conversion here: at the edges of the calendar a conversion itself overflows.
    """
    if isinstance(value, datetime):
        value = value.date()
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_in_calendar(value: date | datetime) -> None:
    if not in_calendar(value):
        raise ValidationError(
            _("Indiquez une date entre %(earliest)s et %(latest)s."),
            code="out_of_calendar",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


# The browser's date and time inputs read and send only ISO values (yyyy-mm-dd, yyyy-mm-ddThh:mm,
# hh:mm): a value shown in the page's locale ("04/12/2026") is read as empty, so a required field
# pre-filled that way is refused on the first save. tests/test_date_widgets.py checks every form.
ISO_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "time": "%H:%M"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_FORMATS["date"])


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_FORMATS["datetime-local"])


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_FORMATS["time"])


class DateField(forms.DateField):
    """A date between 1900 and 2100."""

    default_validators = [validate_in_calendar]


class DateTimeField(forms.DateTimeField):
    """A date and time between 1900 and 2100 (a date of year 1 cannot even take a time zone)."""

    default_validators = [validate_in_calendar]


class JSONField(forms.JSONField):
    """Django's JSONField, but a number too long to convert (over 4,300 digits: Python's limit)
    is an invalid value, not a crash (`json.loads` raises a bare ValueError for it)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValueError as error:
            if isinstance(error, ValidationError):
                raise
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": "…"}
            ) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except ValueError:
            return forms.fields.InvalidJSONInput(data)


class IntegerField(forms.IntegerField):
    """An integer that states its bounds: both are required, so no form forgets them."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class IdField(IntegerField):
    """The id of a row, posted back in a hidden field: a positive integer a database column holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def parse_id(value) -> int | None:
    """The id in `value` (a query or form string), or None when it cannot be one.

    Only ASCII digits count (`"²".isdigit()` is true, `int("²")` fails), at most 19 of them (a
    longer string is past any id, and `int()` refuses more than 4,300 digits).
    """
    value = str(value or "").strip()
    if not re.fullmatch(r"[0-9]{1,19}", value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_bounded_int(value, *, min_value: int, max_value: int) -> int | None:
    """A small integer read from a request (a page number, a question index), or None."""
    value = str(value or "").strip()
    if not re.fullmatch(r"-?[0-9]{1,19}", value):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


def bounded_formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, with the bounds above: dates in 1900–2100, integers within
    their column (a form may set tighter ones)."""
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(model_field, models.IntegerField) and not model_field.choices:
        low, high = COLUMN_RANGES.get(model_field.get_internal_type(), (-(2**63), 2**63 - 1))
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
    return model_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """The project's model forms: their generated date and number fields are bounded."""

    class Meta:
        formfield_callback = bounded_formfield
