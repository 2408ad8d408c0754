"""What step 1 offers the spine through `programs.registry`: its pathway links, its section of the
adviser's person page, the talks a session copy brings along, and the registrations an ended
enrolment gives back."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from . import ics, services
from .models import TalkRegistration


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    slug = enrolment.session.slug
    return (
        StepLink(_("Voir les témoignages"), reverse("programs:talk_list", args=[slug])),
        StepLink(_("Découvrir les métiers du numérique"), reverse("programs:jobs_list", args=[slug])),
    )


def adviser_panel(enrolment) -> Panel:
    """The talks the person registered for in this enrolment's session (never another session's)."""
    registrations = list(
        TalkRegistration.objects.filter(enrolment=enrolment)
        .select_related("talk")
        .order_by("-talk__starts_at", "-pk")[:50]
    )  # every status: the adviser sees a cancellation or a place in the queue too
    return Panel("programs/role_models/includes/adviser_panel.html", {"talk_registrations": registrations})


ENTRY = StepEntry(
    step=Step.ROLE_MODELS,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    calendar_events=ics.calendar_events,
    copy_into=services.copy_talks,
    release=services.release_registrations,
)
