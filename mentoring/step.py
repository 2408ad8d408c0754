"""What step 3 offers through `programs.registry`: its pathway link (the mentorship once it
started), its section of the adviser's person page, and whether a person has a mentor."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, StepEntry, StepLink

from . import selectors, services
from .models import MentoringRequest, Mentorship


def annotate_enrolments(queryset):
    """The public id of each enrolment's active mentorship (`mentorship_public_id`), in the same query."""
    mentorship = (
        Mentorship.objects.active().filter(enrolment=OuterRef("pk")).order_by("-pk").values("public_id")[:1]
    )
    return queryset.annotate(mentorship_public_id=Subquery(mentorship))


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    mentorship_id = getattr(enrolment, "mentorship_public_id", None)
    if mentorship_id:
        return (StepLink(_("Mon mentorat"), reverse("mentoring:mentorship", args=[mentorship_id])),)
    return (
        StepLink(_("Trouver mon mentor·e"), reverse("mentoring:mentee_home", args=[enrolment.session.slug])),
    )


def adviser_panel(enrolment) -> Panel:
    """The enrolment's mentorships and mentoring requests (never another session's)."""
    mentorships = list(
        Mentorship.objects.filter(enrolment=enrolment)
        .select_related("mentor")
        .order_by("-started_at", "-pk")[:50]
    )
    requests = list(
        MentoringRequest.objects.filter(enrolment=enrolment)
        .select_related("mentor")
        .order_by("-created_at", "-pk")[:50]
    )
    return Panel(
        "mentoring/includes/adviser_panel.html", {"mentorships": mentorships, "mentoring_requests": requests}
    )


ENTRY = StepEntry(
    step=Step.MENTOR,
    annotate_enrolments=annotate_enrolments,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    capabilities={
        "has_active_mentor": selectors.has_active_mentorship,
        "mentored_enrolment_ids": selectors.mentored_enrolment_ids,
    },
    release=services.release_enrolment,
)
