"""Every kind of console action leaves an entry in the audit log, under the team member's name
(issue 14: "audit log entries written for each action"). Each case runs the service the console
page calls, as that page's request would (`audit.acting_as`: what `StaffAuditMiddleware` does),
and finds the entry on the object the action is about."""

import uuid
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from declics import audit
from declics.accounts import services as accounts
from declics.accounts.models import Role
from jobs.offers.models import OfferModeration
from jobs.offers.services import moderation
from programs import services
from programs.models import CohortMessage, Enrolment, SessionTemplate, StepProgress
from programs.role_models import services as talks
from tests.factories import StaffFactory, UserFactory
from tests.jobs.factories import JobOfferFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import RoleModelFactory, TalkFactory

pytestmark = pytest.mark.django_db


def _cancel_session(staff):
    session = OpenSessionFactory()
    EnrolmentFactory(session=session)
    return services.cancel_session(session=session, by=staff, reason="Le financement s'arrête.")


def _remove_person(staff):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    services.remove_enrolment(enrolment=enrolment, by=staff, reason="Ne répond plus.")
    return Enrolment.objects.get(pk=enrolment.pk)


def _write_to_a_segment(staff):
    session = OpenSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    StepProgress.objects.create(enrolment=enrolment, step=1, completed_at=timezone.now())
    services.messages.write_to_segment(
        session=session,
        segment_key="everyone",
        subject="Les ateliers de la semaine",
        body="Bonjour, les ateliers de la semaine sont en ligne.",
        token=uuid.uuid4(),
        created_by=staff,
    )
    return CohortMessage.objects.get(session=session)


def _save_a_template(staff):
    services.save_session_as_template(session=OpenSessionFactory(), name="Modèle régional", by=staff)
    return SessionTemplate.objects.get(name="Modèle régional")


def _moderate_an_offer(staff):
    offer = JobOfferFactory()
    moderation.unpublish_offer(offer=offer, reason="Offre hors programme.", by=staff)
    return OfferModeration.objects.get(offer=offer)


def _change_a_role(staff):
    user = UserFactory(role=Role.JOB_SEEKER)
    return accounts.change_role(user=user, role=Role.MENTOR, by=staff)


def _move_a_talk(staff):
    talk = TalkFactory(starts_at=timezone.now() + timedelta(days=3))
    return talks.move_talk(talk=talk, starts_at=talk.starts_at + timedelta(days=1), by=staff)


def _save_a_role_model(staff):
    role_model = RoleModelFactory()
    role_model.job_title = "Développeuse web"
    return talks.save_role_model(role_model=role_model, photo_consent=True, by=staff)


ACTIONS = {
    "cancel a session": _cancel_session,
    "remove a person": _remove_person,
    "write to a segment": _write_to_a_segment,
    "save a session template": _save_a_template,
    "moderate an offer": _moderate_an_offer,
    "change a role": _change_a_role,
    "move a talk": _move_a_talk,
    "edit a role model": _save_a_role_model,
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_console_action_is_in_the_audit_log_under_the_team_members_name(action):
    staff = StaffFactory()

    with audit.acting_as(staff):
        obj = ACTIONS[action](staff)

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
    )
    assert entries.exists(), f"{action}: no audit entry on {type(obj).__name__}"
    assert {entry.actor for entry in entries} == {staff}
