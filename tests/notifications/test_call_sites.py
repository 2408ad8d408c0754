"""The modules' messages go through the routing: the person's channel, language, and choices."""

from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications import preferences
from declics.notifications.models import OutboxMessage
from programs.bookings import services as engine
from programs.bookings.tasks import send_booking_reminders
from programs.workshops import services
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory
from tests.programs.workshops.factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db
PHONE = "+33612345678"


def long_ago():
    return timezone.now() - timedelta(days=2)


def _both(user):
    preferences.save_preferences(
        user=user,
        channels=dict.fromkeys(("reminders", "bookings"), "both"),
        muted=[],
        quiet_from=None,
        quiet_until=None,
    )


def test_the_reminders_task_writes_to_an_english_speaker_in_english_by_email_and_sms():
    starts_at = timezone.localtime(timezone.now() + timedelta(hours=23, minutes=30)).replace(
        second=0, microsecond=0
    )
    workshop = WorkshopFactory(starts_at=starts_at)
    person = participant(workshop.session)
    person.language, person.phone = "en", PHONE
    person.save(update_fields=["language", "phone"])
    _both(person)
    booking = services.book_workshop(workshop=workshop, job_seeker=person, now=long_ago())

    assert send_booking_reminders() == 1  # the Celery task, outside any request

    email = OutboxMessage.objects.get(
        dedup_key__startswith=f"workshop-reminder:booking:{booking.pk}:", channel="email"
    )
    sms = OutboxMessage.objects.get(dedup_key=email.dedup_key + ":sms")
    assert "the workshop" in email.subject or "workshop" in email.body_text.lower()
    assert "Reminder:" in email.subject or "Reminder" in email.body_text
    assert "Rappel" not in email.body_text
    assert '<html lang="en">' in email.body_html
    assert (sms.channel, sms.to_phone, sms.kind) == ("sms", PHONE, "booking-reminder")
    assert workshop.title in sms.body_text


def test_a_french_speaker_gets_the_same_reminder_in_french():
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(hours=23, minutes=30))
    booking = services.book_workshop(
        workshop=workshop, job_seeker=participant(workshop.session), now=long_ago()
    )

    send_booking_reminders()

    email = OutboxMessage.objects.get(dedup_key__startswith=f"workshop-reminder:booking:{booking.pk}:")
    assert email.subject.startswith("[DéClics] Rappel : l'atelier")
    assert not OutboxMessage.objects.filter(channel="sms").exists()  # no number, e-mail only


def test_a_workshop_cancelled_by_the_team_reaches_a_person_who_has_only_a_phone():
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(days=3))
    person = participant(workshop.session)
    booking = services.book_workshop(workshop=workshop, job_seeker=person)
    type(person).objects.filter(pk=person.pk).update(email="", phone=PHONE)

    services.cancel_workshop(workshop=workshop, by=StaffFactory())

    rows = OutboxMessage.objects.filter(dedup_key__startswith=f"workshop-cancelled:booking:{booking.pk}:")
    assert list(rows.values_list("channel", "to_phone", "kind")) == [("sms", PHONE, "booking-changed")]
    text = rows.get().body_text
    assert workshop.title in text and len(text) < 320


def test_calendar_notices_and_nudges_go_by_each_persons_channel(settings):
    from programs import notifications

    phone_only = UserFactory(email="", phone=PHONE, verified=False)
    english = UserFactory(language="en")
    first = EnrolmentFactory(job_seeker=phone_only)
    second = EnrolmentFactory(job_seeker=english, session=first.session)
    enrolments = type(first).objects.filter(pk__in=[first.pk, second.pk])

    created = notifications.queue_for_enrolments(
        event="nudge:1",
        enrolments=enrolments,
        template="programs/emails/nudge",
        context=_nudge_context(first),
    )

    assert created == 2
    rows = {row.user_id: row for row in OutboxMessage.objects.all()}
    assert (rows[phone_only.pk].channel, rows[phone_only.pk].kind) == ("sms", "nudge")
    assert rows[english.pk].channel == "email"
    assert "List-Unsubscribe" in rows[english.pk].headers  # a nudge is optional
    assert '<html lang="en">' in rows[english.pk].body_html
    # Run again: nothing more.
    assert (
        notifications.queue_for_enrolments(
            event="nudge:1",
            enrolments=enrolments,
            template="programs/emails/nudge",
            context=_nudge_context(first),
        )
        == 0
    )


def _nudge_context(enrolment):
    step = enrolment.session.steps.order_by("step").first()
    return {"session": enrolment.session, "session_step": step, "step_label": "Rencontrer des modèles"}


def test_a_person_who_turned_nudges_off_gets_none():
    from programs import notifications

    enrolment = EnrolmentFactory()
    preferences.mute_group(user=enrolment.job_seeker, group="nudges")

    created = notifications.queue_for_enrolments(
        event="nudge:1",
        enrolments=type(enrolment).objects.filter(pk=enrolment.pk),
        template="programs/emails/nudge",
        context=_nudge_context(enrolment),
    )

    assert created == 0
    assert not OutboxMessage.objects.exists()


def test_reminders_still_count_as_created_for_the_engine():
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(hours=23, minutes=30))
    services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session), now=long_ago())

    assert engine.send_due_reminders() == 1
    assert engine.send_due_reminders() == 0


def test_cohort_news_skips_and_counts_a_person_who_turned_it_off():
    import uuid

    from programs.services import messages
    from tests.programs.factories import OpenSessionFactory

    session = OpenSessionFactory()
    kept, muted = EnrolmentFactory(session=session), EnrolmentFactory(session=session)
    preferences.mute_group(user=muted.job_seeker, group="news")

    message, _created = messages.write_to_segment(
        session=session,
        segment_key="everyone",
        subject="Un atelier CV jeudi",
        body="Bonjour",
        token=uuid.uuid4(),
        created_by=StaffFactory(),
    )

    assert (message.recipients_count, message.skipped_count) == (1, 1)
    assert list(OutboxMessage.objects.values_list("user", flat=True)) == [kept.job_seeker_id]


def test_a_booking_sms_carries_a_short_link_and_fits_one_sms():
    from django.urls import reverse

    from declics.notifications import sms_text
    from jobs.trainings import services as meetings
    from tests.jobs.factories import EnrolmentFactory as JobsEnrolmentFactory
    from tests.jobs.factories import MeetingSlotFactory

    slot = MeetingSlotFactory(session__slug="declics-numeriques-haute-garonne-printemps")
    enrolment = JobsEnrolmentFactory(session=slot.session)
    person = enrolment.job_seeker
    type(person).objects.filter(pk=person.pk).update(email="", phone=PHONE)
    person.refresh_from_db()
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(days=3))
    other = participant(workshop.session)
    type(other).objects.filter(pk=other.pk).update(phone="+33612345679")
    other.refresh_from_db()
    _both(other)

    meetings.book_meeting_slot(slot=slot, enrolment=enrolment)
    services.book_workshop(workshop=workshop, job_seeker=other)

    meeting_sms, workshop_sms = OutboxMessage.objects.filter(channel="sms").order_by("pk")
    # The meetings page by its short address, not by the session's long slug.
    assert meeting_sms.body_text.endswith(reverse("jobs:current_meetings"))
    assert workshop_sms.body_text.endswith(reverse("programs:workshop_detail", args=[workshop.pk]))
    assert [sms_text.segments(sms.body_text) for sms in (meeting_sms, workshop_sms)] == [1, 1]
