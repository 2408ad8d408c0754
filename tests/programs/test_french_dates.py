"""Dates in full French on the team's pages (issue 14, item 10): "1er", months not cut to "Jui"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from programs.templatetags.french_dates import date_range, day_month, full_date, full_datetime, weekday_date

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2020, 6, 22), date(2020, 7, 10), "22 juin – 10 juil. 2020"),
        (date(2020, 9, 28), date(2020, 10, 9), "28 sept. – 9 oct. 2020"),
        (date(2020, 7, 1), date(2020, 7, 10), "1er – 10 juil. 2020"),
        (date(2020, 12, 28), date(2021, 1, 3), "28 déc. 2020 – 3 janv. 2021"),
        (date(2020, 2, 1), date(2020, 2, 1), "1er février 2020"),
    ],
)
def test_date_ranges_read_as_the_french_write_them(start, end, expected):
    with translation.override("fr"):
        assert date_range(start, end) == expected


def test_the_first_of_the_month_is_1er_and_months_are_whole():
    with translation.override("fr"):
        assert (day_month(date(2020, 1, 1)), full_date(date(2020, 6, 2))) == ("1er janvier", "2 juin 2020")
        assert weekday_date(date(2020, 6, 1)) == "lundi 1er juin 2020"


def test_datetimes_are_written_in_the_local_time_of_paris():
    moment = datetime(2020, 6, 22, 7, 30, tzinfo=ZoneInfo("UTC"))  # 9 h 30 in Paris

    with translation.override("fr"):
        assert full_datetime(moment) == "22 juin 2020 à 9 h 30"
        assert full_datetime(moment.replace(minute=0)) == "22 juin 2020 à 9 h"


def test_in_english_the_filters_use_djangos_formats():
    with translation.override("en"):
        assert date_range(date(2020, 6, 22), date(2020, 7, 10)) == "22 June – 10 July 2020"
        assert full_date(date(2020, 1, 1)) == "1 January 2020"


def test_the_filters_work_in_a_template():
    template = Template("{% load french_dates %}{{ start|date_range:end }}")

    with translation.override("fr"):
        assert template.render(Context({"start": date(2020, 6, 22), "end": date(2020, 7, 10)})) == (
            "22 juin – 10 juil. 2020"
        )
