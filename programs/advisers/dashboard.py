"""The adviser dashboard of one session: the funnel (counted in SQL) and the table of their people."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..impact.impact import Figure
from ..models import (
    EnrolmentStatus,
    Session,
    SessionStep,
    Step,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)
from . import selectors

DONE, OPEN, LOCKED = "done", "open", "locked"
STATE_LABELS = {DONE: _("terminée"), OPEN: _("ouverte"), LOCKED: _("pas encore ouverte")}
DEFAULT_STUCK_DAYS = 7

SORTS = {
    "nom": ("job_seeker__last_name", "job_seeker__first_name", "pk"),
    "-nom": ("-job_seeker__last_name", "-job_seeker__first_name", "-pk"),
    "etape": ("current_step", "job_seeker__last_name", "pk"),
    "-etape": ("-current_step", "job_seeker__last_name", "pk"),
    "activite": ("last_activity_at", "pk"),
    "-activite": ("-last_activity_at", "pk"),
}


@dataclass(frozen=True)
class FunnelStage:
    label: str
    figure: Figure


def stuck_days(session: Session) -> int:
    return session.nudge_after_days or DEFAULT_STUCK_DAYS


def opened_steps(session_steps, now: datetime) -> list[int]:
    return sorted(s.step for s in session_steps if s.opens_at is not None and s.opens_at <= now)


def with_dashboard_figures(sessions, *, user):
    """Sessions annotated with each step's opening date (`opens_1`…) and `emailed`, the number of
    addresses the user's advisers invited by e-mail: the dashboard needs no other session query."""
    invitations = (
        selectors.email_invitations_counted_for(user)
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("email", distinct=True))
        .values("n")
    )
    opens = {
        f"opens_{step.value}": Subquery(
            SessionStep.objects.filter(session=OuterRef("pk"), step=step.value).values("opens_at")[:1]
        )
        for step in Step
    }
    return sessions.annotate(emailed=Coalesce(Subquery(invitations), 0), **opens).select_related("region")


@dataclass(frozen=True)
class StepDate:
    step: int
    label: str
    opens_at: datetime | None


def session_steps(session) -> list[StepDate]:
    return [
        StepDate(step.value, str(step.label), getattr(session, f"opens_{step.value}", None)) for step in Step
    ]


def funnel(*, session: Session, user, emailed: int | None = None) -> list[FunnelStage]:
    """Invited → enrolled → each step done → survey answered, over the user's people (one query,
    two without `emailed`).

    Everyone counts here, consenting or not; small groups are shown as "< 5".
    """
    counted = selectors.enrolments_counted_for(user).filter(session=session)
    done = {
        step.value: Exists(
            StepProgress.objects.filter(enrolment=OuterRef("pk"), step=step.value, completed_at__isnull=False)
        )
        for step in Step
    }
    answered = Exists(
        SurveyResponse.objects.answered().filter(enrolment=OuterRef("pk"), kind=SurveyKind.SATISFACTION)
    )
    active = Q(status=EnrolmentStatus.ACTIVE)
    figures = counted.aggregate(
        enrolled=Count("pk", filter=active),
        survey=Count("pk", filter=active & Q(answered)),
        came_by_link=Count(
            "pk",
            filter=~Q(
                job_seeker__email__in=selectors.email_invitations_counted_for(user)
                .filter(session=session)
                .values("email")
            ),
        ),
        **{f"step_{n}": Count("pk", filter=active & Q(expr)) for n, expr in done.items()},
    )
    # Invited: the addresses e-mailed, plus the people who came through the link without an e-mail.
    if emailed is None:
        invitations = selectors.email_invitations_counted_for(user).filter(session=session)
        emailed = invitations.values("email").distinct().count()
    invited = emailed + figures["came_by_link"]
    enrolled = figures["enrolled"]
    stages = [
        FunnelStage(_("Invité·es"), Figure(invited)),
        FunnelStage(_("Inscrit·es"), Figure(enrolled, invited)),
    ]
    for step in Step:
        stages.append(
            FunnelStage(
                _("Étape %(n)s terminée") % {"n": step.value}, Figure(figures[f"step_{step.value}"], enrolled)
            )
        )
    stages.append(FunnelStage(_("Questionnaire de satisfaction rempli"), Figure(figures["survey"], enrolled)))
    return stages


def people(*, session: Session, user, filters: dict, now: datetime, open_steps: list[int]):
    """The user's consenting people in `session`, annotated, filtered and sorted (not evaluated)."""
    queryset = selectors.with_progress(
        selectors.enrolments_visible_to(user)
        .filter(session=session)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("job_seeker", "commune")
    )
    step = filters.get("etape")
    if step:
        queryset = queryset.filter(current_step=int(step))
    if filters.get("bloque"):
        queryset = queryset.filter(stuck_filter(session=session, now=now, open_steps=open_steps))
    if filters.get("commune"):
        queryset = queryset.filter(
            Q(commune__name__icontains=filters["commune"]) | Q(commune__code=filters["commune"])
        )
    if filters.get("zone"):
        queryset = queryset.filter(eligibility__basis=filters["zone"])
    if filters.get("q"):
        for word in filters["q"].split()[:5]:
            queryset = queryset.filter(
                Q(job_seeker__first_name__icontains=word)
                | Q(job_seeker__last_name__icontains=word)
                | Q(job_seeker__email__icontains=word)
            )
    return queryset.order_by(*SORTS[filters.get("tri") or "nom"])


def stuck_filter(*, session: Session, now: datetime, open_steps: list[int]) -> Q:
    """No action for N days while their current step is open."""
    cutoff = now - timedelta(days=stuck_days(session))
    return Q(status=EnrolmentStatus.ACTIVE, current_step__in=open_steps) & (
        Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
    )


@dataclass
class PersonRow:
    enrolment: object
    name: str
    email: str
    commune: str
    zone: str
    current_step: int
    states: list[tuple[int, str, str]]
    last_activity_at: datetime | None
    stuck: bool

    @property
    def current_step_label(self) -> str:
        if self.current_step > len(Step):
            return str(_("Parcours terminé"))
        return str(_("Étape %(n)s") % {"n": self.current_step})


def build_row(enrolment, *, session: Session, now: datetime, open_steps: list[int]) -> PersonRow:
    cutoff = now - timedelta(days=stuck_days(session))
    states = []
    for step in Step:
        if getattr(enrolment, f"done_{step.value}"):
            state = DONE
        elif step.value in open_steps and enrolment.status == EnrolmentStatus.ACTIVE:
            state = OPEN
        else:
            state = LOCKED
        states.append((step.value, state, str(STATE_LABELS[state])))
    last = enrolment.last_activity_at or enrolment.created_at
    stuck = (
        enrolment.status == EnrolmentStatus.ACTIVE and enrolment.current_step in open_steps and last < cutoff
    )
    user = enrolment.job_seeker
    return PersonRow(
        enrolment=enrolment,
        name=user.get_full_name() or user.email,
        email=user.email,
        commune=enrolment.commune.name,
        zone={"qpv": "QPV", "frr": "FRR/ZRR"}.get((enrolment.eligibility or {}).get("basis"), ""),
        current_step=enrolment.current_step,
        states=states,
        last_activity_at=enrolment.last_activity_at,
        stuck=stuck,
    )
