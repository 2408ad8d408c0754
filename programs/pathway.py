"""What the pathway page shows: the six steps, their state and links, the progress and the next action."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.assessment.models import AssessmentResult

from .models import Enrolment, EnrolmentStatus, SessionStep, Step, StepProgress

LOCKED, OPEN, DONE = "locked", "open", "done"

# The action each step asks for, in one short sentence; its first link (below) leads there.
STEP_ACTIONS = {
    Step.ROLE_MODELS: gettext_lazy("Regardez le témoignage d'une personne qui travaille dans le numérique."),
    Step.ASSESSMENT: gettext_lazy("Répondez au questionnaire pour faire le point sur vos compétences."),
    Step.MENTOR: gettext_lazy("Demandez un·e mentor·e qui vous accompagnera."),
    Step.WORKSHOPS: gettext_lazy("Réservez vos ateliers en ligne."),
    Step.TRAININGS: gettext_lazy("Découvrez les formations de votre région."),
    Step.JOBS: gettext_lazy("Consultez les offres des entreprises partenaires et postulez."),
}


@dataclass(frozen=True)
class StepLink:
    label: str
    url: str


@dataclass(frozen=True)
class PathwayStep:
    number: int
    label: str
    opens_at: datetime
    state: str
    action: str
    completed_at: datetime | None
    # Where to act on the step (open or done steps; a locked step has none), the main one first.
    links: tuple[StepLink, ...] = ()


def pathway_enrolments():
    """Enrolments with what the step links need, in the same single query: the id of the latest
    assessment result (`assessment_result_id`) and of the active mentorship (`mentorship_id`)."""
    from mentoring.models import Mentorship

    latest_result = (
        AssessmentResult.objects.filter(attempt__enrolment=OuterRef("pk")).order_by("-created_at", "-pk")
    ).values("pk")[:1]
    mentorship = Mentorship.objects.active().filter(enrolment=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    return Enrolment.objects.select_related("session").annotate(
        assessment_result_id=Subquery(latest_result), mentorship_id=Subquery(mentorship)
    )


def step_links(
    *, step: Step, slug: str, assessment_result_id: int | None = None, mentorship_id: int | None = None
) -> tuple[StepLink, ...]:
    """The pages where a job seeker acts on `step` of the session `slug`, the main one first."""
    if step == Step.ROLE_MODELS:
        return (
            StepLink(_("Voir les témoignages"), reverse("programs:talk_list", args=[slug])),
            StepLink(_("Découvrir les métiers du numérique"), reverse("programs:jobs_list", args=[slug])),
        )
    if step == Step.ASSESSMENT:
        if assessment_result_id:
            return (
                StepLink(
                    _("Voir mon résultat"), reverse("programs:assessment_result", args=[assessment_result_id])
                ),
            )
        return (StepLink(_("Faire mon bilan"), reverse("programs:assessment_home", args=[slug])),)
    if step == Step.MENTOR:
        if mentorship_id:
            return (StepLink(_("Mon mentorat"), reverse("mentoring:mentorship", args=[mentorship_id])),)
        return (StepLink(_("Trouver mon mentor·e"), reverse("mentoring:mentee_home", args=[slug])),)
    if step == Step.WORKSHOPS:
        return (StepLink(_("Réserver un atelier"), reverse("programs:workshop_list", args=[slug])),)
    if step == Step.TRAININGS:
        return (
            StepLink(_("Chercher une formation"), reverse("jobs:trainings")),
            StepLink(_("Rencontrer les organismes de formation"), reverse("jobs:meetings")),
        )
    return (
        StepLink(_("Voir les offres"), reverse("jobs:offers")),
        StepLink(_("Mes candidatures"), reverse("jobs:my_applications")),
    )


def build_pathway(
    *,
    enrolment: Enrolment,
    now: datetime,
    assessment_result_id: int | None = None,
    mentorship_id: int | None = None,
) -> dict:
    """Three queries whatever the progress: the steps, the progress rows, and (waiting) the position.

    The two ids choose the links of steps 2 and 3 (the result once there is one, the mentorship
    once it started); `pathway_enrolments()` reads them with the enrolment.
    """
    session = enrolment.session
    opens = {s.step: s.opens_at for s in SessionStep.objects.filter(session=session).only("step", "opens_at")}
    done = dict(StepProgress.objects.done().filter(enrolment=enrolment).values_list("step", "completed_at"))
    active = enrolment.status == EnrolmentStatus.ACTIVE
    steps = []
    for step in Step:
        opens_at = opens.get(step.value)
        if step.value in done:
            state = DONE
        elif active and opens_at and opens_at <= now:
            state = OPEN
        else:
            state = LOCKED
        links = ()
        if state != LOCKED:
            links = step_links(
                step=step,
                slug=session.slug,
                assessment_result_id=assessment_result_id,
                mentorship_id=mentorship_id,
            )
        steps.append(
            PathwayStep(
                step.value, step.label, opens_at, state, STEP_ACTIONS[step], done.get(step.value), links
            )
        )
    waiting_position = None
    if enrolment.status == EnrolmentStatus.WAITING:
        waiting_position = (
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING)
            .filter(created_at__lt=enrolment.created_at)
            .count()
            + 1
        )
    text, link = next_action(steps=steps, enrolment=enrolment, waiting_position=waiting_position)
    return {
        "session": session,
        "enrolment": enrolment,
        "steps": steps,
        "done_count": len(done),
        "total": len(Step),
        "next_action": text,
        "next_action_link": link,
        "waiting_position": waiting_position,
    }


def next_action(
    *, steps: list[PathwayStep], enrolment: Enrolment, waiting_position: int | None
) -> tuple[str, StepLink | None]:
    """One sentence saying what to do now, and the link that does it (the step's main link)."""
    if waiting_position is not None:
        return _(
            "Vous êtes sur la liste d'attente (position %(n)s) : si une place se libère, elle est pour vous "
            "et nous vous écrivons."
        ) % {"n": waiting_position}, None
    for step in steps:
        if step.state == OPEN:
            return _("Étape %(n)s : %(action)s") % {"n": step.number, "action": step.action}, (
                step.links[0] if step.links else None
            )
    if all(step.state == DONE for step in steps):
        return _("Bravo, vous avez terminé les six étapes du parcours !"), None
    upcoming = next((step for step in steps if step.state == LOCKED and step.opens_at), None)
    if upcoming:
        when = formats.date_format(timezone.localtime(upcoming.opens_at), "l j F")
        return _("Rien à faire pour l'instant : l'étape %(n)s, « %(label)s », ouvre le %(date)s.") % {
            "n": upcoming.number,
            "label": upcoming.label,
            "date": when,
        }, None
    return _("Rien à faire pour l'instant."), None
