"""Reads of step 1: a session's talks with their role models, the digital jobs, a person's registrations."""

from django.db.models import Prefetch

from declics.rome.models import RomeJob
from programs.models import Enrolment

from .models import RoleModel, Talk, TalkRegistration


def talks_of(session):
    """The session's talks in order, with their role models (one extra query) and registration counts."""
    return (
        Talk.objects.filter(session=session)
        .with_registered_count()
        .prefetch_related(Prefetch("role_models", queryset=RoleModel.objects.select_related("rome")))
        .order_by("starts_at", "pk")
    )


def registered_talk_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(TalkRegistration.objects.filter(enrolment=enrolment).values_list("talk_id", flat=True))


def digital_jobs():
    """The digital jobs with their active role models (one extra query), by ROME code."""
    return RomeJob.objects.digital().prefetch_related(
        Prefetch("role_models", queryset=RoleModel.objects.active().order_by("first_name", "pk"))
    )


def talk_registrations(talk: Talk):
    """The people registered for `talk`, by name, for the attendance sheet."""
    return talk.registrations.select_related("enrolment__job_seeker").order_by(
        "enrolment__job_seeker__last_name", "pk"
    )
