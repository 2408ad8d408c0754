"""Dates written as the French write them: "1er janvier 2020", "22 juin – 10 juil. 2020".

Django's `date:"j F Y"` writes "1 janvier" (French says "1er"), and `"j M Y"` cuts every month to
three letters ("Jui" is June or July). These filters write the day's ordinal, the months in full or
with their usual abbreviations, and a range without repeating its year (or month). In another
language they fall back to Django's formats for it.

    {% load french_dates %}
    {{ session.starts_at|full_date }}                  1er janvier 2020
    {{ session.starts_at|day_month }}                  1er janvier
    {{ workshop.starts_at|weekday_date }}              mercredi 1er janvier 2020
    {{ workshop.starts_at|full_datetime }}             1er janvier 2020 à 14 h 30
    {{ session.starts_at|date_range:session.ends_at }} 22 juin – 10 juil. 2020
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

register = template.Library()

# The abbreviations of the Imprimerie nationale's rules (and of the CLDR): short months are not cut.
FRENCH_SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _french() -> bool:
    return (translation.get_language() or "fr").split("-")[0] == "fr"


def _local(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value if isinstance(value, date) else None


def _day(value: date) -> str:
    return "1er" if value.day == 1 else str(value.day)


def _day_month(value: date, *, short: bool = False) -> str:
    if _french():
        months = FRENCH_SHORT_MONTHS if short else FRENCH_MONTHS
        return f"{_day(value)} {months[value.month - 1]}"
    return formats.date_format(value, "j N" if short else "j F")


@register.filter
def day_month(value) -> str:
    """ "1er janvier" (no year)."""
    value = _local(value)
    return "" if value is None else _day_month(value)


@register.filter
def full_date(value) -> str:
    """ "1er janvier 2020"."""
    value = _local(value)
    return "" if value is None else f"{_day_month(value)} {value.year}"


@register.filter
def weekday_date(value) -> str:
    """ "lundi 1er juin 2020"."""
    value = _local(value)
    return "" if value is None else f"{formats.date_format(value, 'l')} {full_date(value)}"


@register.filter
def full_datetime(value) -> str:
    """ "1er janvier 2020 à 14 h 30" (English: "1 January 2020, 14:30")."""
    value = _local(value)
    if not isinstance(value, datetime):
        return full_date(value)
    if _french():
        minutes = f"{value.minute:02d}" if value.minute else ""
        return f"{full_date(value)} à {value.hour} h {minutes}".rstrip()
    return f"{full_date(value)}, {value:%H:%M}"


@register.filter
def date_range(start, end) -> str:
    """ "22 juin – 10 juil. 2020", "3 – 10 juil. 2020", "28 déc. 2020 – 3 janv. 2021"."""
    start, end = _local(start), _local(end)
    if start is None or end is None:
        return full_date(start or end) if (start or end) is not None else ""
    if (start.year, start.month, start.day) == (end.year, end.month, end.day):
        return full_date(start)
    last = f"{_day_month(end, short=True)} {end.year}"
    if start.year != end.year:
        return f"{_day_month(start, short=True)} {start.year} – {last}"
    if start.month == end.month:
        return f"{_day(start) if _french() else start.day} – {last}"
    return f"{_day_month(start, short=True)} – {last}"
