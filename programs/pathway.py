"""What the pathway page shows: the six steps, their state, the progress and the next action."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Enrolment, EnrolmentStatus, SessionStep, Step, StepProgress

LOCKED, OPEN, DONE = "locked", "open", "done"

# The action each step asks for, in one short sentence (later issues link it to the step's page).
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


def build_pathway(*, enrolment: Enrolment, now: datetime) -> dict:
    """Three queries whatever the progress: the steps, the progress rows, and (waiting) the position."""
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
        steps.append(
            PathwayStep(step.value, step.label, opens_at, state, STEP_ACTIONS[step], done.get(step.value))
        )
    waiting_position = None
    if enrolment.status == EnrolmentStatus.WAITING:
        waiting_position = (
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING)
            .filter(created_at__lt=enrolment.created_at)
            .count()
            + 1
        )
    return {
        "session": session,
        "enrolment": enrolment,
        "steps": steps,
        "done_count": len(done),
        "total": len(Step),
        "next_action": next_action(steps=steps, enrolment=enrolment, waiting_position=waiting_position),
        "waiting_position": waiting_position,
    }


def next_action(*, steps: list[PathwayStep], enrolment: Enrolment, waiting_position: int | None) -> str:
    if waiting_position is not None:
        return _(
            "Vous êtes sur la liste d'attente (position %(n)s) : si une place se libère, elle est pour vous "
            "et nous vous écrivons."
        ) % {"n": waiting_position}
    for step in steps:
        if step.state == OPEN:
            return _("Étape %(n)s : %(action)s") % {"n": step.number, "action": step.action}
    if all(step.state == DONE for step in steps):
        return _("Bravo, vous avez terminé les six étapes du parcours !")
    upcoming = next((step for step in steps if step.state == LOCKED and step.opens_at), None)
    if upcoming:
        when = formats.date_format(timezone.localtime(upcoming.opens_at), "l j F")
        return _("Rien à faire pour l'instant : l'étape %(n)s, « %(label)s », ouvre le %(date)s.") % {
            "n": upcoming.number,
            "label": upcoming.label,
            "date": when,
        }
    return _("Rien à faire pour l'instant.")
