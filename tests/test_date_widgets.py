"""The browser's date and time inputs read only ISO values: every such widget of the project renders
its value as yyyy-mm-dd (date), yyyy-mm-ddThh:mm (datetime-local) or hh:mm (time), whatever the
page's language. A value in the locale's format ("04/12/2026") shows an empty field, and a required
field pre-filled that way was refused on the first save (the mentor's session log)."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.models import SessionLog
from tests.mentoring.factories import MentorProfileFactory, MentorshipFactory
from tests.programs.factories import EnrolmentFactory
from tests.security.test_bounds import project_forms
from tests.test_templates_a11y import parse_html

BROWSER_TYPES = {
    "date": (date(2026, 12, 4), r"2026-12-04"),
    "datetime-local": (datetime(2026, 12, 4, 9, 30, tzinfo=ZoneInfo("Europe/Paris")), r"2026-12-04T09:30"),
    "time": (time(9, 30), r"09:30"),
}


def _browser_type(widget) -> str | None:
    kind = widget.attrs.get("type", getattr(widget, "input_type", None))
    return kind if kind in BROWSER_TYPES else None


def browser_date_widgets():
    return [
        (f"{form.__module__}.{form.__qualname__}.{name}", field.widget, kind)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if (kind := _browser_type(field.widget))
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_browser_date_or_time_widget_renders_iso_values(language):
    widgets = browser_date_widgets()
    with translation.override(language):
        wrong = {
            name: widget.format_value(BROWSER_TYPES[kind][0])
            for name, widget, kind in widgets
            if not re.fullmatch(BROWSER_TYPES[kind][1], str(widget.format_value(BROWSER_TYPES[kind][0])))
        }

    assert wrong == {}
    assert len(widgets) >= 15  # the walk found the forms' date fields (session calendar, workshops, logs…)


@pytest.mark.django_db
def test_the_session_log_form_saves_the_date_it_was_pre_filled_with(client):
    mentor = MentorProfileFactory()
    mentorship = MentorshipFactory(mentor=mentor, enrolment=EnrolmentFactory())
    client.force_login(mentor.user)

    page = client.get(reverse("mentoring:mentorship", args=[mentorship.public_id]))
    [held_on] = parse_html(page.content.decode()).find_all("input", name="held_on")
    value = held_on.attrs.get("value") or ""
    # What the browser sends: the value it could read, or nothing.
    sent = value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""
    response = client.post(
        reverse("mentoring:mentorship_log", args=[mentorship.public_id]),
        {"held_on": sent, "duration_minutes": 60, "topic": "Préparer un entretien"},
    )

    assert (held_on.attrs["type"], value) == ("date", timezone.localdate().isoformat())
    assert response.status_code == 302
    assert SessionLog.objects.get().held_on == timezone.localdate()
