"""Reads of step 1: a session's talks with their role models, the digital jobs, a person's registrations."""

from django.db.models import Count, OuterRef, Prefetch, Subquery

from declics.rome.models import RomeJob
from programs.bookings.models import BookingStatus

from .models import RoleModel, Talk, TalkRegistration


def talks_of(session, *, user=None):
    """The session's talks in order, with their role models (one extra query), the number of people
    registered and, for `user`, the status of their registration (`my_status`, None without one)."""
    talks = (
        Talk.objects.filter(session=session)
        .with_registered_count()
        .prefetch_related(Prefetch("role_models", queryset=RoleModel.objects.select_related("rome")))
        .order_by("starts_at", "pk")
    )
    if user is not None and user.is_authenticated:
        mine = TalkRegistration.objects.filter(talk=OuterRef("pk"), job_seeker=user).values("status")[:1]
        talks = talks.annotate(my_status=Subquery(mine))
    return talks


def my_registration(talk: Talk, user) -> TalkRegistration | None:
    """`user`'s registration for `talk` (whatever its status), or None."""
    if not user.is_authenticated:
        return None
    registrations = TalkRegistration.objects.select_related("talk", "job_seeker")
    return registrations.filter(talk=talk, job_seeker=user).first()


def digital_jobs():
    """The digital jobs with their active role models (one extra query), by ROME code."""
    return RomeJob.objects.digital().prefetch_related(
        Prefetch("role_models", queryset=RoleModel.objects.active().order_by("first_name", "pk"))
    )


def talk_registrations(talk: Talk):
    """The people with a confirmed seat for `talk`, by name, for the attendance sheet."""
    return (
        talk.registrations.confirmed()
        .select_related("job_seeker")
        .order_by("job_seeker__last_name", "job_seeker__first_name", "pk")
    )


def waiting_list(talk: Talk):
    """The people waiting for a seat (or offered one), in order."""
    return (
        talk.registrations.filter(status__in=(BookingStatus.WAITING, BookingStatus.OFFERED))
        .select_related("job_seeker")
        .order_by("waiting_since", "pk")
    )


def role_models_for_staff(*, active: bool | None = None):
    """Every role model for the team's list, with their ROME job and how many sessions and talks
    they appear in (constant queries); `active` keeps the active (True) or inactive (False) ones."""
    role_models = RoleModel.objects.select_related("rome").annotate(
        session_count=Count("sessions", distinct=True), talk_count=Count("talks", distinct=True)
    )
    if active is not None:
        role_models = role_models.filter(is_active=active)
    return role_models.order_by("first_name", "last_name", "pk")


def appearances_of(role_model: RoleModel):
    """The sessions a role model is shown in, newest first, and their talks with them."""
    sessions = role_model.sessions.order_by("-starts_at", "pk")
    talks = role_model.talks.select_related("session").order_by("-starts_at", "pk")
    return sessions, talks
