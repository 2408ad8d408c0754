"""When an enrolment ends, the session's news still waiting for the person is dropped.

Nudges, step openings and cohort news are keyed `…:enrolment:<id>`; queued (pending in the outbox,
by e-mail or SMS) or held for the next morning's digest (the daily budget of optional messages),
they would otherwise reach someone who has left the session.
"""

import pytest
from django.db.models import Q
from django.utils import timezone

from declics.notifications.models import DigestItem, OutboxMessage
from programs import notifications
from programs.models import Enrolment
from programs.services import remove_enrolment, withdraw
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _nudge(enrolment, n):
    step = enrolment.session.steps.get(step=1)
    notifications.queue_for_enrolments(
        event=f"nudge:{n}",
        enrolments=Enrolment.objects.filter(pk=enrolment.pk),
        template="programs/emails/nudge",
        context={"session": enrolment.session, "session_step": step, "step_label": step.get_step_display()},
    )


@pytest.fixture
def person(settings):
    settings.NOTIFICATIONS_OPTIONAL_PER_DAY = 1
    return UserFactory(phone="+33612345678", phone_verified=True)


def _pending(key_part):
    return OutboxMessage.objects.filter(dedup_key__contains=key_part, status=OutboxMessage.Status.PENDING)


@pytest.mark.parametrize("leave", ["withdraw", "removed by staff"])
def test_leaving_cancels_the_sessions_queued_and_held_news_and_keeps_the_rest(person, leave):
    leaving = EnrolmentFactory(job_seeker=person, session=SessionFactory())
    staying = EnrolmentFactory(job_seeker=person, session=SessionFactory())
    _nudge(leaving, 1)  # the day's one optional message: queued
    _nudge(leaving, 2)  # beyond the budget: held for the digest
    _nudge(staying, 3)  # held too, for the other session
    assert _pending(f"nudge:1:enrolment:{leaving.pk}").exists()
    assert set(DigestItem.objects.values_list("key", flat=True)) == {
        f"programs:nudge:2:enrolment:{leaving.pk}",
        f"programs:nudge:3:enrolment:{staying.pk}",
    }

    if leave == "withdraw":
        withdraw(enrolment=leaving)
    else:
        remove_enrolment(enrolment=leaving, by=StaffFactory(), reason="Doublon")

    assert not _pending(f":enrolment:{leaving.pk}").filter(kind="nudge").exists()
    assert OutboxMessage.objects.filter(
        Q(dedup_key=f"programs:nudge:1:enrolment:{leaving.pk}")
        | Q(dedup_key=f"programs:nudge:1:enrolment:{leaving.pk}:sms"),
        status=OutboxMessage.Status.CANCELLED,
    ).exists()
    assert list(DigestItem.objects.values_list("key", flat=True)) == [
        f"programs:nudge:3:enrolment:{staying.pk}"
    ]
    # The person is still told they left (an essential notice, not news).
    assert _pending(f":enrolment:{leaving.pk}").exclude(kind="nudge").exists()


def test_a_sent_nudge_stays_sent(person):
    enrolment = EnrolmentFactory(job_seeker=person, session=SessionFactory())
    _nudge(enrolment, 1)
    _pending(f"nudge:1:enrolment:{enrolment.pk}").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )

    withdraw(enrolment=enrolment)

    assert OutboxMessage.objects.filter(
        dedup_key__startswith=f"programs:nudge:1:enrolment:{enrolment.pk}", status=OutboxMessage.Status.SENT
    ).exists()
