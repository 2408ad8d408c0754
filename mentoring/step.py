"""What step 3 offers through `programs.registry`: its pathway link (the mentorship once it
started), its section of the adviser's person page, whether a person has a mentor, and the
feedback both sides leave at the end of a mentorship."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Step
from programs.registry import FeedbackRow, FeedbackSource, Panel, StepEntry, StepLink

from . import selectors, services
from .models import Feedback, MentoringRequest, Mentorship


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


def feedback_rows(session, *, since, until, limit) -> list[FeedbackRow]:
    """The end-of-mentorship feedback of `session`'s mentorships, both sides, latest first. One query.

    The mentee is named by their enrolment, the mentor by their profile (opaque keys: the console
    shows pseudonyms)."""
    feedback = Feedback.objects.filter(mentorship__enrolment__session=session)
    if since is not None:
        feedback = feedback.filter(created_at__gte=since)
    if until is not None:
        feedback = feedback.filter(created_at__lt=until)
    feedback = feedback.select_related("mentorship__enrolment", "mentorship__mentor").only(
        "rating",
        "useful",
        "comment",
        "created_at",
        "author_id",
        "mentorship__enrolment__public_id",
        "mentorship__enrolment__job_seeker_id",
        "mentorship__mentor__public_id",
    )
    rows = []
    for item in feedback.order_by("-created_at", "-pk")[:limit]:
        mentorship = item.mentorship
        by_mentee = item.author_id == mentorship.enrolment.job_seeker_id
        rows.append(
            FeedbackRow(
                kind="mentoring",
                answered_at=item.created_at,
                respondent=f"enrolment:{mentorship.enrolment.public_id}"
                if by_mentee
                else f"mentor:{mentorship.mentor.public_id}",
                respondent_role="job_seeker" if by_mentee else "mentor",
                about=_("Mentorat"),
                rating=_("%(rating)s/5, %(useful)s")
                % {"rating": item.rating, "useful": _("utile") if item.useful else _("pas utile")},
                text=item.comment,
            )
        )
    return rows


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
    feedback=(FeedbackSource("mentoring", gettext_lazy("Avis sur les mentorats"), feedback_rows),),
)
