"""Reads used in several places: who is told about a session, what a person sees."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from declics.accounts.models import Role, User
from declics.territories.models import Departement

from .models import Enrolment, EnrolmentStatus, Session, SessionStep


def advisers_for_departements(departements: Iterable[Departement]):
    """Advisers to tell about a session in `departements`.

    Advisers have no agency yet: until issue 8 adds agencies (and their départements), this is
    every active adviser. Issue 8 refines it here, in one place, to the advisers of agencies in
    those départements.
    """
    return User.objects.filter(role=Role.ADVISER, is_active=True).order_by("pk")


def open_sessions(now=None):
    """Published sessions one can still join or wait for, soonest first, with their places taken."""
    now = now or timezone.now()
    return (
        Session.objects.upcoming_or_open(now)
        .select_related("region")
        .prefetch_related("departements")
        .with_places_taken()
        .order_by("registration_closes_at", "pk")
    )


def session_with_calendar(queryset=None):
    """Sessions with their steps (in order) and départements loaded in two extra queries."""
    queryset = queryset if queryset is not None else Session.objects.all()
    return queryset.select_related("region").prefetch_related(
        Prefetch("steps", queryset=SessionStep.objects.order_by("step")), "departements"
    )


def current_enrolment(user):
    """The person's enrolment to show first: the latest one not withdrawn, else None."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(job_seeker=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("session")
        .order_by("-session__starts_at")
        .first()
    )
