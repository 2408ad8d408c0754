"""What step 4 offers the spine through `programs.registry`: its pathway link, its section of the
adviser's person page, the workshops a session copy brings along, and the bookings an ended
enrolment gives back."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from . import ics, selectors, services


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    return (
        StepLink(_("Réserver un atelier"), reverse("programs:workshop_list", args=[enrolment.session.slug])),
    )


def adviser_panel(enrolment) -> Panel:
    return Panel(
        "programs/workshops/includes/adviser_panel.html",
        {"workshop_bookings": selectors.bookings_of(enrolment)},
    )


ENTRY = StepEntry(
    step=Step.WORKSHOPS,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    calendar_events=ics.calendar_events,
    copy_into=services.copy_workshops,
    release=services.release_bookings,
)
