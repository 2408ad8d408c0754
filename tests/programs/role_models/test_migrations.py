"""The migrations that put talks on the booking engine (0014-0016), run over rows of the old schema:
every registration becomes a confirmed seat of its person, counted in its talk's `seats_taken`,
with its own public id, and the reminders already sent are not sent again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from programs.bookings.services import send_due_reminders
from programs.role_models.models import Talk, TalkRegistration
from tests.factories import UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

BEFORE = [("programs", "0013_bulk_removal")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_registrations_become_confirmed_seats_and_keep_their_reminders():
    session = OpenSessionFactory()
    enrolments = [EnrolmentFactory(session=session, job_seeker=UserFactory()) for _ in range(3)]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    now = timezone.now()
    starts_at = (now + timedelta(minutes=50)).replace(microsecond=0)
    talk = old.get_model("programs", "Talk").objects.create(
        session_id=session.pk,
        title="Du commerce au code",
        starts_at=starts_at,
        duration=45,
        video_url="https://visio.example.org/salle",
        capacity=3,
    )
    empty = old.get_model("programs", "Talk").objects.create(
        session_id=session.pk,
        title="Vide",
        starts_at=starts_at,
        duration=60,
        video_url="https://visio.example.org/vide",
    )
    OldRegistration = old.get_model("programs", "TalkRegistration")
    reminded = OldRegistration.objects.create(
        talk_id=talk.pk,
        enrolment_id=enrolments[0].pk,
        reminded_day_before_at=now - timedelta(hours=23),
        reminded_hour_before_at=now - timedelta(minutes=5),
    )
    day_only = OldRegistration.objects.create(
        talk_id=talk.pk, enrolment_id=enrolments[1].pk, reminded_day_before_at=now - timedelta(hours=23)
    )
    fresh = OldRegistration.objects.create(talk_id=talk.pk, enrolment_id=enrolments[2].pk)

    _migrate(latest)

    talk = Talk.objects.get(pk=talk.pk)
    assert (talk.duration_minutes, talk.seats, talk.seats_taken, talk.status, talk.sequence) == (
        45,
        3,
        3,
        "scheduled",
        0,
    )
    assert (Talk.objects.get(pk=empty.pk).seats, Talk.objects.get(pk=empty.pk).seats_taken) == (None, 0)
    rows = {r.pk: r for r in TalkRegistration.objects.all()}
    assert [
        (
            r.job_seeker_id,
            r.status,
            r.round,
            r.confirmed_at == r.booked_at,
            r.reminded_24h_for,
            r.reminded_1h_for,
        )
        for r in (rows[reminded.pk], rows[day_only.pk], rows[fresh.pk])
    ] == [
        (enrolments[0].job_seeker_id, "confirmed", 1, True, starts_at, starts_at),
        (enrolments[1].job_seeker_id, "confirmed", 1, True, starts_at, None),
        (enrolments[2].job_seeker_id, "confirmed", 1, True, None, None),
    ]
    assert len({r.public_id for r in rows.values()}) == 3
    # The hour-before reminder already went to the first person: only the other two get it. (The
    # 24 h one is not due any more, and the one registered late never gets it: the engine's rule.)
    TalkRegistration.objects.update(confirmed_at=now - timedelta(days=3))
    assert send_due_reminders(now=now) == 2
