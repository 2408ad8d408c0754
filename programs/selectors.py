"""Reads used in several places: who is told about a session, what a person sees."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from declics.accounts.models import Role, User
from declics.territories.models import Departement

from .models import Session, SessionStep


def advisers_for_departements(departements: Iterable[Departement]):
    """Active advisers of the agencies in `departements` (those to tell about a new session)."""
    codes = [d.pk for d in departements]
    return User.objects.filter(
        role=Role.ADVISER, is_active=True, adviser_membership__agency__departement_id__in=codes
    ).order_by("pk")


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


def sessions_for_staff():
    """Every session, the latest first, with its calendar and places taken (the staff's list)."""
    return session_with_calendar(Session.objects.all()).with_places_taken().order_by("-starts_at", "pk")
