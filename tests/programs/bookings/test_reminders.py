"""The booking engine's periodic work: reminders queued when due, each once, worded from the send
time, following a move and never after a cancellation; offers expiring (every slot type)."""

from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from declics.notifications.tasks import send_due_notifications
from programs.bookings import services as services_engine
from programs.bookings.notifications import day_words
from programs.bookings.tasks import expire_booking_offers, send_booking_reminders
from programs.workshops import services
from programs.workshops.models import WorkshopBookingStatus
from tests.factories import StaffFactory
from tests.programs.workshops.factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db


def sent_keys():
    return Counter(message.extra_headers["X-DeClics-Key"] for message in mail.outbox)


def test_reminders_are_sent_exactly_once_across_two_runs(mailoutbox):
    # Booked two days ago for a workshop starting in 50 minutes: the 1 h reminder is due now (the
    # 24 h one was due yesterday, when nobody ran the task: sent now it would say "demain").
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(minutes=50))
    long_ago = timezone.now() - timedelta(days=2)
    kept = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session), now=long_ago)
    dropped = services.book_workshop(
        workshop=workshop, job_seeker=participant(workshop.session), now=long_ago
    )
    services.cancel_booking(booking=dropped, job_seeker=dropped.job_seeker, now=long_ago + timedelta(hours=1))

    assert send_booking_reminders() == 1
    assert send_booking_reminders() == 0
    send_due_notifications(batch_size=2)
    send_due_notifications(batch_size=2)

    stamp = timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M")
    reminders = {key: n for key, n in sent_keys().items() if key.startswith("workshop-reminder:")}
    assert reminders == {f"workshop-reminder:booking:{kept.pk}:r1:1h:{stamp}": 1}
    assert max(sent_keys().values()) == 1
    assert not OutboxMessage.objects.filter(dedup_key__startswith=f"workshop-reminder:booking:{dropped.pk}:")
    [one_hour] = [m for m in mail.outbox if m.extra_headers["X-DeClics-Key"].startswith("workshop-reminder:")]
    time = timezone.localtime(workshop.starts_at).strftime("%H:%M")
    assert one_hour.subject == f"[DéClics] Dans une heure : l'atelier « {workshop.title} » à {time}"
    assert "https://visio.example.org/atelier-entretien" in one_hour.body


@pytest.mark.parametrize(
    ("start", "sent", "words"),
    [
        # A workshop at 9:00 on the 11th: the 24 h reminder, sent on the 10th, says "demain"…
        ("2026-12-11 09:00", "2026-12-10 09:05", "demain"),
        # …one at 23:30 on the 10th, reminded at 23:35 on the 9th, "demain" too…
        ("2026-12-10 23:30", "2026-12-09 23:35", "demain"),
        # …the 24 h reminder sent late (a worker down) on the same day says "aujourd'hui"…
        ("2026-12-10 18:00", "2026-12-10 07:00", "aujourd'hui"),
        # …and a day further, the date itself.
        ("2026-12-12 09:00", "2026-12-10 09:00", "le samedi 12 décembre"),
    ],
)
def test_day_words_are_those_of_the_send_time(start, sent, words):
    def at(text):
        return timezone.make_aware(datetime.fromisoformat(text))

    assert day_words(at(start), now=at(sent)) == words


def test_the_24h_reminder_is_worded_when_sent_not_when_booked():
    # Booked on Monday for Wednesday 10:00; the reminder goes on Tuesday and says "demain".
    starts_at = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    workshop = WorkshopFactory(starts_at=starts_at)
    booking = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))

    assert services_engine.send_due_reminders(now=starts_at - timedelta(hours=23, minutes=55)) == 1

    reminder = OutboxMessage.objects.get(dedup_key__startswith=f"workshop-reminder:booking:{booking.pk}:")
    assert "demain à 10:00" in reminder.subject
    assert "a lieu demain à 10:00" in reminder.body_text


def test_a_booking_made_inside_the_reminder_window_gets_no_reminder_for_that_window():
    # Booked 3 hours before: the confirmation says when; the 24 h reminder would repeat it.
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(hours=3))
    booking = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))

    assert services_engine.send_due_reminders(now=timezone.now() + timedelta(minutes=5)) == 0
    assert services_engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=50)) == 1
    assert OutboxMessage.objects.get(
        dedup_key__startswith=f"workshop-reminder:booking:{booking.pk}:"
    ).dedup_key.endswith(":1h:" + timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M"))


def test_no_reminder_after_the_workshop_is_cancelled_even_one_queued_but_not_sent():
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(hours=30))
    booking = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    services_engine.send_due_reminders(now=workshop.starts_at - timedelta(hours=23))
    queued = OutboxMessage.objects.get(dedup_key__startswith=f"workshop-reminder:booking:{booking.pk}:")

    services.cancel_workshop(workshop=workshop, by=StaffFactory())

    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.CANCELLED
    assert services_engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=30)) == 0


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


def test_expire_booking_offers_task_is_idempotent():
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(hours=3))
    holder = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    waiting = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    # The seat was freed (and offered) 13 hours ago: the 12-hour hold is over.
    services.cancel_booking(
        booking=holder, job_seeker=holder.job_seeker, now=timezone.now() - timedelta(hours=13)
    )

    assert expire_booking_offers() == 1
    assert expire_booking_offers() == 0

    waiting.refresh_from_db()
    assert waiting.status == WorkshopBookingStatus.EXPIRED
