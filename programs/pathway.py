"""What the pathway page shows: the six steps, their state and links, the progress and the next action."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db.models import IntegerField, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from declics.prepared import PreparedValues

from . import registry
from .models import Enrolment, EnrolmentStatus, SessionStep, Step, StepProgress
from .registry import StepLink

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
    """Enrolments with what the steps' links need (the latest assessment result, the active
    mentorship…), read in the same single query: each step adds its own annotations."""
    return _annotated_enrolments().all()


@functools.cache
def _annotated_enrolments():
    """Built once per process (the steps register when their apps load): building the steps'
    subqueries was a third of the pathway page's time. Never evaluated itself, only cloned."""
    return registry.annotate_enrolments(Enrolment.objects.select_related("session").only(*PATHWAY_FIELDS))


# What the page reads of the enrolment and its session (the steps' links read the slug and their own
# annotations): the other forty columns cost the query's building and reading a third of its time.
PATHWAY_FIELDS = (
    "public_id",
    "session_id",
    "job_seeker_id",
    "status",
    "created_at",
    "session__title",
    "session__slug",
)


def _calendar_and_progress_query(session_id, enrolment_id):
    opens = (
        SessionStep.objects.filter(session_id=session_id)
        .order_by()
        .values_list(Value(_OPENS, output_field=IntegerField()), "step", "opens_at")
    )
    done = (
        StepProgress.objects.done()
        .filter(enrolment_id=enrolment_id)
        .order_by()
        .values_list(Value(_DONE, output_field=IntegerField()), "step", "completed_at")
    )
    return opens.union(done, all=True)


# Built by the ORM once per thread (building it was most of its time), sent on every page.
_calendar_and_progress = PreparedValues(_calendar_and_progress_query, "session_id", "enrolment_id")


def calendar_and_progress(*, session, enrolment: Enrolment) -> tuple[dict, dict]:
    """({step: opens_at}, {step: completed_at}) of `enrolment` in `session`, in ONE query (a UNION
    ALL of the session's step dates and the person's done steps): one round trip less per page."""
    dates: tuple[dict, dict] = ({}, {})
    for kind, step, when in _calendar_and_progress(session_id=session.pk, enrolment_id=enrolment.pk):
        dates[kind][step] = when
    return dates


_OPENS, _DONE = 0, 1  # the index of each half of `calendar_and_progress`'s answer


def build_pathway(*, enrolment: Enrolment, now: datetime) -> dict:
    """Two queries whatever the progress: the steps with the progress rows, and (waiting) the position.

    Each open or done step's links come from its step (`programs.registry`); an enrolment read
    through `pathway_enrolments()` carries what they need (the result once there is one, the
    mentorship once it started), so the links take no query of their own.
    """
    session = enrolment.session
    opens, done = calendar_and_progress(session=session, enrolment=enrolment)
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
        links = registry.pathway_links(step, enrolment) if state != LOCKED else ()
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
