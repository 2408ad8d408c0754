"""What step 5 offers through `programs.registry`: its pathway links, and the person's meetings
with training bodies on the adviser's person page; a session copy brings the bodies' meeting
slots along; an ended enrolment's upcoming meetings are cancelled. The interest shown in a
training stays (it was passed on to the training body)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from . import ics, services
from .models import MeetingBooking


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    slug = enrolment.session.slug
    return (
        StepLink(_("Chercher une formation"), reverse("jobs:trainings", args=[slug])),
        StepLink(_("Rencontrer les organismes de formation"), reverse("jobs:meetings", args=[slug])),
    )


def adviser_panel(enrolment) -> Panel:
    """The meetings booked in this enrolment's session (never another session's)."""
    bookings = list(
        MeetingBooking.objects.filter(enrolment=enrolment)
        .select_related("slot__body")
        .order_by("-slot__starts_at", "-pk")[:50]
    )
    return Panel("jobs/trainings/_adviser_panel.html", {"meeting_bookings": bookings})


ENTRY = StepEntry(
    step=Step.TRAININGS,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    calendar_events=ics.calendar_events,
    release=services.release_meetings,
    copy_into=services.copy_meeting_slots,
)
