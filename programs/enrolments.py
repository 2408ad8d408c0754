"""The one rule for "the enrolment of this page", and the session "Mon parcours" opens.

Every job-seeker page of a step is about one enrolment: the user's enrolment in the session of
the URL (`/sessions/<slug>/…`), or in the session of the object the URL names (a talk, a
workshop). A person enrolled in two sessions sees each session's own pathway, bookings, mentor
and applications, because every page starts from here and nothing else looks an enrolment up
from a user (`tests/programs/test_enrolment_rule.py` reads every module to check it):

- `find_enrolment(user, session=…)` / `(user, session_slug=…)`: the enrolment, or None;
- `enrolment_of(user, session_slug)`: the enrolment, or `NotEnrolled` (a 404);
- `current_session_enrolment(user)`: the session "Mon parcours" and the menu's shortcuts open;
- `enrolled_session_ids(user)`: the person's sessions, as a subquery.

The pages use them through `programs/decorators.py` (`@step_page(step)`, `moved_to_session`).

Consent: enrolling records the person's agreement to the programme's use of their data
(`enrol_job_seeker` refuses without it), so an enrolment found here is a consented one; the
consents of one action (sharing a CV with a company, a result with a mentor) stay with its form.
Whether a step is open is the services' rule (`services.ensure_step_open`): pages show before the
step opens, as they always did, and every action is refused the same way whether it comes from
a page, a task or the admin.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from .models import Enrolment, EnrolmentStatus, Session

# A step's pages are for people with a place; the pathway and the session's page also show the
# waiting list its position.
ACTIVE = (EnrolmentStatus.ACTIVE,)
NOT_WITHDRAWN = (EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING)


class NotEnrolled(Http404):
    """This user has no enrolment (in the wanted status) in this session: the page does not exist for them."""


def find_enrolment(
    user,
    *,
    session: Session | None = None,
    session_slug: str | None = None,
    statuses: Iterable[str] = ACTIVE,
    queryset: QuerySet | None = None,
    for_update: bool = False,
    related: Iterable[str] = ("session", "commune__departement"),
) -> Enrolment | None:
    """The enrolment of `user` in one session (given as `session` or `session_slug`), or None.

    One query, the session and the person's commune loaded with it (`related`: a page that never
    reads the commune, such as the pathway, loads only the session; `queryset` may add what a
    page reads, such as the pathway's annotations). `for_update` locks the enrolment row (inside
    a transaction), for a service that must not let two of the person's own requests both pass a
    limit.
    """
    if user is None or not user.is_authenticated:
        return None
    if (session is None) == (session_slug is None):
        raise TypeError("find_enrolment() takes session or session_slug")
    enrolments = queryset if queryset is not None else Enrolment.objects.all()
    if for_update:
        enrolments = enrolments.select_for_update(of=("self",))
    enrolments = enrolments.select_related(*related).filter(job_seeker=user, status__in=list(statuses))
    if session is not None:
        return enrolments.filter(session=session).first()
    return enrolments.filter(session__slug=session_slug).first()


def enrolment_of(
    user,
    session_slug: str,
    *,
    statuses: Iterable[str] = ACTIVE,
    queryset=None,
    related: Iterable[str] = ("session", "commune__departement"),
) -> Enrolment:
    """The enrolment of `user` in the session `session_slug`; `NotEnrolled` (a 404) without one."""
    enrolment = find_enrolment(
        user, session_slug=session_slug, statuses=statuses, queryset=queryset, related=related
    )
    if enrolment is None:
        raise NotEnrolled("no enrolment of this user in this session")
    return enrolment


def enrolled_session_ids(user, *, statuses: Iterable[str] = NOT_WITHDRAWN):
    """The sessions `user` is enrolled in, as a subquery (for `session__in=`)."""
    return Enrolment.objects.filter(job_seeker=user, status__in=list(statuses)).values("session_id")


def current_session_enrolment(user, *, now: datetime | None = None) -> Enrolment | None:
    """The enrolment "Mon parcours" opens when the URL names no session. The rule, in one query:

    among the person's enrolments not withdrawn, the session **running** now (started, not ended;
    the latest started if several), else the **upcoming** one that starts soonest, else the one
    that **ended** last; within each, a place before the waiting list. Dates decide, not the
    calendar task's status, so the answer does not wait for the task.
    """
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    running = {"session__starts_at__lte": now, "session__ends_at__gt": now}
    enrolments = Enrolment.objects.filter(job_seeker=user, status__in=list(NOT_WITHDRAWN)).annotate(
        tier=Case(
            When(**running, then=Value(0)),
            When(session__starts_at__gt=now, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        waiting=Case(When(status=EnrolmentStatus.ACTIVE, then=Value(0)), default=Value(1)),
        # Upcoming: the soonest start first; running and ended: the latest date first.
        soonest=Case(When(session__starts_at__gt=now, then=F("session__starts_at"))),
        latest=Case(When(**running, then=F("session__starts_at")), default=F("session__ends_at")),
    )
    return (
        enrolments.select_related("session")
        .order_by(
            "tier",
            "waiting",
            F("soonest").asc(nulls_last=True),
            F("latest").desc(nulls_last=True),
            "-pk",
        )
        .first()
    )
