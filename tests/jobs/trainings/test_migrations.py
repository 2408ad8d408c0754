"""Meetings move onto the booking engine over existing rows (jobs 0008, 0009): "booked" becomes
"confirmed" (confirmed when it was made), each slot counts its seats taken, and the reminders the
old code queued in advance are called off (the engine queues its own when they are due).

Rows are made on today's schema, the migrations are taken back to before the move, the old shapes
written where they differ, then the migrations run forward as they will in production.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.trainings.models import MeetingBooking, MeetingSlot
from tests.jobs.factories import EnrolmentFactory, MeetingSlotFactory, meeting_booking

BEFORE = [("jobs", "0007_romejob_moved_to_rome")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_booked_meetings_become_confirmed_seats_are_counted_old_reminders_called_off():
    full = MeetingSlotFactory(seats=2)
    other = MeetingSlotFactory(seats=3)
    booked = [meeting_booking(full, EnrolmentFactory(session=full.session)) for _ in range(2)]
    cancelled = meeting_booking(other, EnrolmentFactory(session=other.session))
    made_at = timezone.now() - timedelta(days=2)
    MeetingBooking.objects.update(created_at=made_at)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE jobs_meetingbooking SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP "
                "WHERE id = %s",
                [cancelled.pk],
            )
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(dedup_key=f"meeting:{booked[0].pk}:1:reminder:24h", to_email="a@example.org"),
                OutboxMessage(dedup_key=f"meeting:{booked[0].pk}:1:confirmation", to_email="a@example.org"),
            ]
        )
    finally:
        _migrate(latest)

    rows = dict(MeetingBooking.objects.values_list("pk", "status"))
    assert rows == {booked[0].pk: "confirmed", booked[1].pk: "confirmed", cancelled.pk: "cancelled"}
    assert {b.confirmed_at for b in MeetingBooking.objects.filter(status="confirmed")} == {made_at}
    assert {b.booked_at for b in MeetingBooking.objects.all()} == {made_at}
    seats = dict(MeetingSlot.objects.values_list("pk", "seats_taken"))
    assert seats == {full.pk: 2, other.pk: 0}
    statuses = dict(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert statuses == {
        f"meeting:{booked[0].pk}:1:reminder:24h": OutboxMessage.Status.CANCELLED,
        f"meeting:{booked[0].pk}:1:confirmation": OutboxMessage.Status.PENDING,
    }
