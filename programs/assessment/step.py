"""What step 2 offers through `programs.registry`: its pathway link (the result once there is
one), its section of the adviser's person page, the suggested jobs other steps ask for, and the
people who have not taken it (to write to)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Step
from programs.registry import Panel, ReferenceFigure, Segment, StepEntry, StepLink

from . import selectors, services
from .models import AssessmentAttempt, AssessmentResult, Question, Questionnaire


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


def reference_data() -> list[ReferenceFigure]:
    """Every questionnaire version (loaded by `load_assessment`): in service or not, its size, its use."""

    def count(model):
        # A correlated count per version: no join of questions × attempts.
        rows = model.objects.filter(questionnaire=OuterRef("pk")).order_by().values("questionnaire")
        return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())

    versions = Questionnaire.objects.annotate(
        question_count=Coalesce(count(Question), 0), attempt_count=Coalesce(count(AssessmentAttempt), 0)
    ).order_by("-version")
    return [
        ReferenceFigure(
            _("Questionnaire du bilan, version %(version)s : %(title)s")
            % {"version": version.version, "title": version.title},
            _("%(state)s · %(questions)s questions · chargée le %(date)s · %(attempts)s passages")
            % {
                "state": _("en service") if version.is_active else _("hors service"),
                "questions": version.question_count,
                "date": format_date(version.created_at, "j F Y"),
                "attempts": version.attempt_count,
            },
        )
        for version in versions
    ] or [
        ReferenceFigure(_("Questionnaire du bilan"), _("aucune version chargée (commande load_assessment)"))
    ]


ENTRY = StepEntry(
    step=Step.ASSESSMENT,
    annotate_enrolments=annotate_enrolments,
    pathway_links=pathway_links,
    adviser_panel=adviser_panel,
    reference_data=reference_data,
    capabilities={
        "suggested_rome_codes": selectors.suggested_rome_codes,
        "suggested_rome_codes_by_enrolment": selectors.suggested_codes_by_enrolment,
        "assessment_summary_for_mentor": selectors.shared_summary_for_mentor,
    },
    segments=segments,
    carry_over=services.carry_over_results,
)
