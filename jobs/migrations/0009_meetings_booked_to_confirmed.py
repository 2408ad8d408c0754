"""Meeting bookings on the booking engine: "booked" becomes "confirmed" (confirmed and booked when
the row was created), and each slot counts its seats taken (`seats_taken`, kept by the engine).

The reminders the old code queued in advance (keys `meeting:<id>:<round>:reminder:…`) are
cancelled: the engine queues its own when they are due, under its own keys (a moved slot's follow
its new time), so nobody gets two.
"""

from django.db import migrations
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def forwards(apps, schema_editor):
    MeetingBooking = apps.get_model("jobs", "MeetingBooking")
    MeetingSlot = apps.get_model("jobs", "MeetingSlot")
    MeetingBooking.objects.all().update(booked_at=F("created_at"))
    MeetingBooking.objects.filter(status="booked").update(status="confirmed", confirmed_at=F("created_at"))
    taken = (
        MeetingBooking.objects.filter(slot=OuterRef("pk"), status="confirmed")
        .order_by()
        .values("slot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    MeetingSlot.objects.update(seats_taken=Coalesce(Subquery(taken), 0))
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    OutboxMessage.objects.filter(
        dedup_key__startswith="meeting:", dedup_key__contains=":reminder:", status="pending"
    ).update(status="cancelled")


def backwards(apps, schema_editor):
    MeetingBooking = apps.get_model("jobs", "MeetingBooking")
    # Waiting places and offers did not exist before: they end.
    MeetingBooking.objects.filter(Q(status="waiting") | Q(status="offered")).update(status="cancelled")
    MeetingBooking.objects.filter(status="expired").update(status="cancelled")
    MeetingBooking.objects.filter(status="confirmed").update(status="booked")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0008_meetings_on_booking_engine"),
        ("notifications", "0002_outbox_first_failed_at"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
