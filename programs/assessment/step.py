"""What step 2 offers through `programs.registry`: its pathway link (the result once there is
one), its section of the adviser's person page, the suggested jobs other steps ask for, and the
people who have not taken it (to write to)."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, Segment, StepEntry, StepLink

from . import selectors, services
from .models import AssessmentAttempt, AssessmentResult


def annotate_enrolments(queryset):
    """The public id of each enrolment's latest result (`assessment_result_public_id`), in the same query."""
    latest_result = (
        AssessmentResult.objects.filter(attempt__enrolment=OuterRef("pk")).order_by("-created_at", "-pk")
    ).values("public_id")[:1]
    return queryset.annotate(assessment_result_public_id=Subquery(latest_result))


def pathway_links(enrolment) -> tuple[StepLink, ...]:
    result_id = getattr(enrolment, "assessment_result_public_id", None)
    if result_id:
        return (StepLink(_("Voir mon résultat"), reverse("programs:assessment_result", args=[result_id])),)
    return (
        StepLink(_("Faire mon bilan"), reverse("programs:assessment_home", args=[enrolment.session.slug])),
    )


def adviser_panel(enrolment) -> Panel:
    return Panel(
        "programs/assessment/includes/adviser_panel.html",
        {"shared_assessments": selectors.shared_with_adviser(enrolment)},
    )


def segments(session, *, now) -> list[Segment]:
    """Those of `session` without a completed assessment (none started, or a draft). No query."""
    completed = AssessmentAttempt.objects.completed().filter(enrolment=OuterRef("pk"))
    return [
        Segment(
            "assessment-not-taken",
            _("Sans bilan de compétences terminé"),
            session.enrolments.exclude(Exists(completed)).values("pk"),
        )
    ]


ENTRY = StepEntry(
    step=Step.ASSESSMENT,
    annotate_enrolments=annotate_enrolments,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    capabilities={
        "suggested_rome_codes": selectors.suggested_rome_codes,
        "suggested_rome_codes_by_enrolment": selectors.suggested_codes_by_enrolment,
        "assessment_summary_for_mentor": selectors.shared_summary_for_mentor,
    },
    segments=segments,
    carry_over=services.carry_over_results,
)
