"""Reminders go out through the outbox exactly once; offers expire through the periodic task."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from declics.notifications.tasks import send_due_notifications
from programs.workshops import services
from programs.workshops.models import WorkshopBookingStatus
from programs.workshops.tasks import expire_workshop_offers

from .factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db


def sent_keys():
    return Counter(message.extra_headers["X-DeClics-Key"] for message in mail.outbox)


def test_reminders_are_sent_exactly_once_across_two_runs(mailoutbox):
    # Booked two days ago for a workshop starting in 50 minutes: both reminders are due now.
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(minutes=50))
    long_ago = timezone.now() - timedelta(days=2)
    kept = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session), now=long_ago)
    dropped = services.book_workshop(
        workshop=workshop, job_seeker=participant(workshop.session), now=long_ago
    )
    services.cancel_booking(booking=dropped, job_seeker=dropped.job_seeker, now=long_ago + timedelta(hours=1))

    send_due_notifications(batch_size=2)
    send_due_notifications(batch_size=2)

    reminders = {key: n for key, n in sent_keys().items() if key.startswith("workshop-reminder:")}
    assert reminders == {
        f"workshop-reminder:booking:{kept.pk}:r1:s0:24h": 1,
        f"workshop-reminder:booking:{kept.pk}:r1:s0:1h": 1,
    }
    assert max(sent_keys().values()) == 1
    assert set(
        OutboxMessage.objects.filter(
            dedup_key__startswith=f"workshop-reminder:booking:{dropped.pk}:"
        ).values_list("status", flat=True)
    ) == {OutboxMessage.Status.CANCELLED}
    one_hour = next(m for m in mail.outbox if m.extra_headers["X-DeClics-Key"].endswith(":1h"))
    assert one_hour.subject == f"[DéClics] Dans une heure : atelier « {workshop.title} »"
    assert "https://visio.example.org/atelier-entretien" in one_hour.body


def test_confirmation_mail_carries_the_invitation(mailoutbox):
    workshop = WorkshopFactory()
    person = participant(workshop.session)
    services.book_workshop(workshop=workshop, job_seeker=person)

    send_due_notifications()

    [message] = [m for m in mail.outbox if m.extra_headers["X-DeClics-Key"].startswith("workshop-confirmed:")]
    assert message.to == [person.email]
    assert message.subject.startswith(f"[DéClics] Votre place est réservée : {workshop.title}")
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("atelier.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content


def test_expire_workshop_offers_task_is_idempotent():
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(hours=3))
    holder = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    waiting = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    # The seat was freed (and offered) 13 hours ago: the 12-hour hold is over.
    services.cancel_booking(
        booking=holder, job_seeker=holder.job_seeker, now=timezone.now() - timedelta(hours=13)
    )

    assert expire_workshop_offers() == 1
    assert expire_workshop_offers() == 0

    waiting.refresh_from_db()
    assert waiting.status == WorkshopBookingStatus.EXPIRED
