"""Who may see whom: the one place for the advisers' and staff's visibility rules.

- Staff see every enrolment and every session.
- An adviser's *people* are the enrolments that named them (signed up through their link or their
  e-mail invitation); an agency head's people are those of every adviser of the agency.
- People are shown one by one only if they agreed to share their progress
  (`Enrolment.share_with_adviser`): `enrolments_visible_to`. The others only count in figures:
  `enrolments_counted_for`.
- An adviser sees the sessions of their agency's département, and any session where they have people.
- Everyone else (job seekers, mentors, partners) sees nobody here.
"""

import functools

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from declics.accounts.models import Role

from .. import figures_cache
from ..models import (
    AdviserMembership,
    Agency,
    Enrolment,
    Session,
    SessionEmailInvitation,
    SessionPhoneInvitation,
    SessionStep,
    Step,
    StepProgress,
)

FINISHED = len(Step) + 1  # the "current step" of someone who has done the six


def _adviser_scope(user) -> Q:
    """Enrolments that belong to `user` as an adviser (or, for a head, to their agency)."""
    head_of = AdviserMembership.objects.filter(user=user, is_head=True).values("agency_id")
    colleagues = AdviserMembership.objects.filter(agency_id__in=Subquery(head_of)).values("user_id")
    return Q(adviser=user) | Q(adviser_id__in=Subquery(colleagues))


def enrolments_counted_for(user):
    """Enrolments that count in `user`'s figures (consenting or not)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    if user.is_programme_staff:
        return Enrolment.objects.all()
    if user.role == Role.ADVISER:
        return Enrolment.objects.filter(_adviser_scope(user))
    return Enrolment.objects.none()


def email_invitations_counted_for(user):
    """The e-mail invitations to job seekers that count in `user`'s funnel."""
    if not user.is_authenticated:
        return SessionEmailInvitation.objects.none()
    if user.is_programme_staff:
        return SessionEmailInvitation.objects.all()
    if user.role == Role.ADVISER:
        return SessionEmailInvitation.objects.filter(_adviser_scope(user))
    return SessionEmailInvitation.objects.none()


def enrolments_visible_to(user):
    """Enrolments `user` may see person by person (name, progress, detail page, export)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    if user.is_programme_staff:
        return Enrolment.objects.all()
    if user.role == Role.ADVISER:
        return Enrolment.objects.filter(_adviser_scope(user), share_with_adviser=True)
    return Enrolment.objects.none()


def consent_filter(user, prefix: str = "") -> Q | None:
    """Among the enrolments counted for `user`, those they also see one by one (a Q on the
    enrolment, through `prefix`), or None when they see all of them (staff)."""
    if user.is_authenticated and user.is_programme_staff:
        return None
    return Q(**{f"{prefix}share_with_adviser": True})


def sessions_visible_to(user):
    """Published sessions whose adviser dashboard `user` may open."""
    if not user.is_authenticated:
        return Session.objects.none()
    if user.is_programme_staff:
        return Session.objects.all()
    if user.role != Role.ADVISER:
        return Session.objects.none()
    departement = AdviserMembership.objects.filter(user=user).values("agency__departement_id")
    has_people = Enrolment.objects.filter(_adviser_scope(user), session=OuterRef("pk"))
    return (
        Session.objects.published()
        .filter(Q(departements__code__in=Subquery(departement)) | Q(Exists(has_people)))
        .distinct()
    )


@functools.cache
def done_mask():
    """The steps an enrolment has done, as a bit mask (bit n − 1 for step n): ONE correlated
    subquery, where a boolean per step cost six (and as many compiled expressions per request).
    Built once per process (a tenth of the dashboard's time): a query copies an expression it is
    given before resolving it, so the one built here is never changed."""
    bits = Case(
        *[When(step=step.value, then=Value(1 << (step.value - 1))) for step in Step],
        default=Value(0),
        output_field=IntegerField(),
    )
    total = (
        StepProgress.objects.done()
        .filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(mask=Sum(bits))  # (enrolment, step) is unique: the sum is the bitwise or
        .values("mask")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def steps_done(mask: int) -> list[int]:
    return [step.value for step in Step if mask & (1 << (step.value - 1))]


def current_step(mask: int) -> int:
    """The first step not done (FINISHED when all are), as `with_progress` computes it in SQL."""
    return next((step.value for step in Step if not mask & (1 << (step.value - 1))), FINISHED)


def with_done_mask(queryset):
    """Annotate `done_mask` (see `done_mask`): what a row needs to show its steps."""
    return queryset.annotate(done_mask=done_mask())


def with_progress(queryset):
    """Annotate `done_mask` and `current_step` (first step not done; 7 when all are), for filtering
    and sorting by step in SQL."""
    current = Case(
        *[
            When(Exact(F("done_mask").bitand(1 << (step.value - 1)), 0), then=Value(step.value))
            for step in Step
        ],
        default=Value(FINISHED),
        output_field=IntegerField(),
    )
    return with_done_mask(queryset).annotate(current_step=current)


# --- What the advisers' pages read ------------------------------------------------------------------


def session_list_for(user):
    """The sessions of `user`'s list page, latest first."""
    return sessions_visible_to(user).select_related("region").order_by("-starts_at", "pk")


def membership_of(user) -> AdviserMembership | None:
    return AdviserMembership.objects.filter(user=user).select_related("agency").first()


def with_dashboard_figures(sessions, *, user):
    """Sessions annotated with each step's opening date (`opens_1`…) and `emailed`, the number of
    addresses the user's advisers invited by e-mail: the dashboard needs no other session query."""
    invitations = (
        email_invitations_counted_for(user)
        .filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("email", distinct=True))
        .values("n")
    )
    opens = {
        f"opens_{step.value}": Subquery(
            SessionStep.objects.filter(session=OuterRef("pk"), step=step.value)
            .order_by()  # no default ordering: it joined the session and sorted
            .values("opens_at")[:1]
        )
        for step in Step
    }
    return sessions.annotate(emailed=Coalesce(Subquery(invitations), 0), **opens).select_related("region")


def dashboard_sessions(user):
    """The sessions `user` may follow, with what their dashboard's header shows (`with_dashboard_figures`)."""
    return with_dashboard_figures(sessions_visible_to(user), user=user)


def dashboard_session(*, user, slug: str, sort: str | None = None) -> Session | None:
    """The session at `slug` with its dashboard's header, if `user` may follow it.

    Kept a minute per user, like the funnel (building that query was a third of the page's time),
    or until the session's figures change (`programs.figures_cache`). The page's other cached
    parts (the funnel, and with `sort` the order of the people) are read in the same round trip.
    """
    session_id = figures_cache.session_id_for_slug(slug)
    version = figures_cache.session_figures_version(session_id) if session_id is not None else 0
    header_key = figures_cache.adviser_session_key(user_id=user.pk, slug=slug, version=version)
    keys = [header_key]
    if session_id is not None:
        keys.append(figures_cache.adviser_funnel_key(session_id=session_id, user_id=user.pk, version=version))
        if sort is not None:
            keys.append(
                figures_cache.adviser_people_key(
                    session_id=session_id, user_id=user.pk, sort=sort, version=version
                )
            )
    ahead = figures_cache.read_ahead(keys)
    session = figures_cache.cached(
        header_key,
        lambda: dashboard_sessions(user).filter(slug=slug).first(),
        figures_cache.ADVISER_SECONDS,
        ahead=ahead,
    )
    if session is not None:
        # The version its figures were read under, and what was read with it: the page's other
        # cached parts use them (no more cache reads when they were there).
        session.figures_version = version
        session.cached_parts = ahead
    return session


def person_enrolments(user):
    """The enrolments whose person page `user` may open, with what the page shows of the person."""
    return enrolments_visible_to(user).select_related("session", "job_seeker", "commune")


def invitations_sent(*, session: Session, adviser):
    """The e-mail invitations `adviser` sent for `session`, the latest first."""
    return SessionEmailInvitation.objects.filter(session=session, adviser=adviser).order_by("-created_at")


def phone_invitations_sent(*, session: Session, adviser):
    """The SMS invitations `adviser` sent for `session`, the latest first."""
    return SessionPhoneInvitation.objects.filter(session=session, adviser=adviser).order_by("-created_at")


def agencies_for_staff():
    """Every agency with its département and its advisers, for the staff's agencies page."""
    return (
        Agency.objects.select_related("departement")
        .prefetch_related("memberships__user")
        .order_by("departement__code", "name")
    )
