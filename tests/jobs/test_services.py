from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from jobs import services as partner_services
from jobs.offers import services
from jobs.offers.models import Application, ApplicationStatus, JobOffer
from jobs.trainings import services as training_services
from jobs.trainings.models import BookingStatus, MeetingBooking, TrainingInterest
from programs.models import StepProgress
from tests.factories import PartnerUserFactory, StaffFactory

from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    DepartementFactory,
    EnrolmentFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    MembershipFactory,
    PartnerFactory,
    RomeJobFactory,
    TrainingBodyFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


def step_done(enrolment, step) -> bool:
    return StepProgress.objects.filter(enrolment=enrolment, step=step, completed_at__isnull=False).exists()


def queued() -> list[OutboxMessage]:
    """The e-mails queued in the outbox, oldest first (they leave on commit, after the test)."""
    return list(OutboxMessage.objects.order_by("id"))


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


# --- partners ---------------------------------------------------------------------------------------
def test_add_partner_member_refuses_a_second_partner_and_non_staff():
    staff = StaffFactory()
    user = PartnerUserFactory()
    first, second = PartnerFactory(), PartnerFactory()
    partner_services.add_partner_member(partner=first, user=user, added_by=staff)
    with pytest.raises(partner_services.PartnerError, match="déjà rattaché à un autre partenaire"):
        partner_services.add_partner_member(partner=second, user=user, added_by=staff)
    with pytest.raises(partner_services.PartnerError, match="Seule l'équipe DéClics"):
        partner_services.add_partner_member(partner=first, user=PartnerUserFactory(), added_by=user)
    assert list(first.memberships.values_list("user", flat=True)) == [user.pk]


# --- trainings --------------------------------------------------------------------------------------
def test_save_training_refuses_another_partners_body():
    membership = MembershipFactory(partner=TrainingBodyFactory())
    other_body = TrainingBodyFactory()
    training = TrainingFactory(body=other_body, title="Avant")
    training.title = "Après"
    with pytest.raises(training_services.TrainingError, match="un autre partenaire"):
        training_services.save_training(
            training=training, body=other_body, by=membership.user, rome_jobs=[], communes=[], start_dates=[]
        )
    training.refresh_from_db()
    assert training.title == "Avant"


def test_express_interest_needs_consent_completes_step_5_and_tells_the_body_once():
    membership = MembershipFactory(partner=TrainingBodyFactory(), user__email="of@example.org")
    training = TrainingFactory(body=membership.partner, title="Développeur web")
    enrolment = EnrolmentFactory(job_seeker__first_name="Samira", job_seeker__last_name="Benali")

    with pytest.raises(training_services.TrainingError, match="acceptez de lui transmettre"):
        training_services.express_interest(training=training, enrolment=enrolment, message="", consent=False)
    assert not TrainingInterest.objects.exists()

    training_services.express_interest(
        training=training, enrolment=enrolment, message="Bonjour", consent=True
    )
    assert step_done(enrolment, 5)
    assert [(m.to_email, m.subject) for m in queued()] == [
        ("of@example.org", "[DéClics] Une personne est intéressée par « Développeur web »")
    ]
    assert f"Samira Benali ({enrolment.job_seeker.email})" in queued()[0].body_text

    with pytest.raises(training_services.TrainingError, match="déjà signalé"):
        training_services.express_interest(training=training, enrolment=enrolment, message="", consent=True)
    assert len(queued()) == 1


# --- meetings ---------------------------------------------------------------------------------------
def test_book_meeting_slot_sends_ics_and_schedules_two_reminders():
    slot = MeetingSlotFactory(seats=1, starts_at=timezone.now() + timedelta(days=3))
    enrolment = EnrolmentFactory(session=slot.session)

    booking = training_services.book_meeting_slot(slot=slot, enrolment=enrolment)

    keys = sorted(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert keys == [
        (f"meeting:{booking.pk}:1:confirmation", OutboxMessage.Status.PENDING),
        (f"meeting:{booking.pk}:1:reminder:1h", OutboxMessage.Status.PENDING),
        (f"meeting:{booking.pk}:1:reminder:24h", OutboxMessage.Status.PENDING),
    ]
    reminder = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:reminder:24h")
    assert reminder.send_after == slot.starts_at - timedelta(hours=24)
    attachment = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:confirmation").attachments[0]
    assert (attachment["filename"], attachment["mimetype"]) == ("rencontre.ics", "text/calendar")
    content = attachment["content"]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at.replace(microsecond=0)
    assert str(event["location"]) == "https://visio.example.org/rencontre"
    assert event.walk("VALARM")[0].decoded("trigger") == timedelta(minutes=-15)


def test_book_meeting_slot_refuses_a_full_slot_another_session_and_twice():
    slot = MeetingSlotFactory(seats=1)
    first = EnrolmentFactory(session=slot.session)
    training_services.book_meeting_slot(slot=slot, enrolment=first)
    with pytest.raises(training_services.MeetingError, match="déjà réservé"):
        training_services.book_meeting_slot(slot=slot, enrolment=first)
    with pytest.raises(training_services.MeetingError, match="complet"):
        training_services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    with pytest.raises(training_services.MeetingError, match="autre session"):
        training_services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory())
    assert MeetingBooking.objects.count() == 1


def test_cancel_then_rebook_cancels_old_reminders_and_queues_new_ones():
    slot = MeetingSlotFactory(seats=1)
    enrolment = EnrolmentFactory(session=slot.session)
    booking = training_services.book_meeting_slot(slot=slot, enrolment=enrolment)
    training_services.cancel_meeting_booking(booking=booking, job_seeker=enrolment.job_seeker)
    assert set(
        OutboxMessage.objects.filter(dedup_key__contains=":1:reminder").values_list("status", flat=True)
    ) == {OutboxMessage.Status.CANCELLED}

    # The seat is free again; booking anew is a second round with its own reminders.
    booking = training_services.book_meeting_slot(slot=slot, enrolment=enrolment)
    assert (booking.status, booking.round) == (BookingStatus.BOOKED, 2)
    assert (
        OutboxMessage.objects.filter(
            dedup_key__startswith=f"meeting:{booking.pk}:2:reminder", status=OutboxMessage.Status.PENDING
        ).count()
        == 2
    )


def test_mark_meeting_attendance_completes_step_5_only_for_the_body():
    slot = MeetingSlotFactory(seats=1)
    enrolment = EnrolmentFactory(session=slot.session)
    booking = training_services.book_meeting_slot(slot=slot, enrolment=enrolment)
    member = MembershipFactory(partner=slot.body).user
    stranger = MembershipFactory(partner=TrainingBodyFactory()).user

    with pytest.raises(training_services.MeetingError, match="une fois la rencontre commencée"):
        training_services.mark_meeting_attendance(booking=booking, attended=True, by=member)
    slot.starts_at = timezone.now() - timedelta(minutes=5)
    slot.save()
    with pytest.raises(training_services.MeetingError, match="un autre partenaire"):
        training_services.mark_meeting_attendance(booking=booking, attended=True, by=stranger)
    assert not step_done(enrolment, 5)
    training_services.mark_meeting_attendance(booking=booking, attended=True, by=member)
    assert step_done(enrolment, 5)


# --- offers -----------------------------------------------------------------------------------------
def test_save_job_offer_needs_a_town_or_remote_and_follows_the_town():
    membership = MembershipFactory()
    offer = JobOfferFactory.build(
        company=membership.partner, commune=None, departement=None, rome_job=RomeJobFactory()
    )
    with pytest.raises(services.OfferError, match="Indiquez la ville"):
        services.save_job_offer(offer=offer, company=membership.partner, by=membership.user)
    offer.is_remote = True
    services.save_job_offer(offer=offer, company=membership.partner, by=membership.user)
    assert JobOffer.objects.get().departement_id is None


def test_save_job_offer_refuses_another_company():
    membership = MembershipFactory()
    other = JobOfferFactory(title="Avant")
    other.title = "Après"
    with pytest.raises(services.OfferError, match="un autre partenaire"):
        services.save_job_offer(offer=other, company=other.company, by=membership.user)
    other.refresh_from_db()
    assert other.title == "Avant"


# --- applications -----------------------------------------------------------------------------------
def cv(content=PDF_BYTES, name="mon-cv.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_apply_stores_the_cv_privately_completes_step_6_and_tells_the_company(_private_media):
    membership = MembershipFactory(user__email="rh@example.org")
    offer = JobOfferFactory(company=membership.partner, title="Technicien·ne support")
    enrolment = EnrolmentFactory()

    application = services.apply_to_offer(offer=offer, enrolment=enrolment, message="Bonjour", cv=cv())

    assert application.cv.name.startswith("private/cv/")
    assert "mon-cv" not in application.cv.name
    assert application.cv_name == "mon-cv.pdf"
    assert (_private_media / application.cv.name).read_bytes() == PDF_BYTES
    assert step_done(enrolment, 6)
    assert [(m.to_email, m.subject) for m in queued()] == [
        ("rh@example.org", "[DéClics] Nouvelle candidature : Technicien·ne support")
    ]


@pytest.mark.parametrize(
    ("offer_kwargs", "upload", "message"),
    [
        ({"expires_on": timezone.localdate() - timedelta(days=1)}, cv(), "n'est plus ouverte"),
        ({"is_published": False}, cv(), "n'est plus ouverte"),
        ({"departement_code": "31"}, cv(), "en dehors du territoire"),
        ({}, cv(content=b"MZ\x90 exe", name="cv.pdf"), "ni un PDF ni un document Word"),
        ({}, cv(content=b"%PDF-" + b"0" * (5 * 1024 * 1024)), "trop lourd"),
    ],
)
def test_apply_refuses_bad_input_and_keeps_no_file(_private_media, offer_kwargs, upload, message):
    departement_code = offer_kwargs.pop("departement_code", None)
    offer = JobOfferFactory(**offer_kwargs)
    if departement_code:
        offer.departement = DepartementFactory(code=departement_code, name="Haute-Garonne")
        offer.save()
    enrolment = EnrolmentFactory()
    with pytest.raises(services.ApplicationError, match=message):
        services.apply_to_offer(offer=offer, enrolment=enrolment, message="Bonjour", cv=upload)
    assert not Application.objects.exists()
    assert stored_files(_private_media) == []
    assert queued() == []


def test_apply_twice_is_refused_and_keeps_only_the_first_file(_private_media):
    offer = JobOfferFactory()
    enrolment = EnrolmentFactory()
    services.apply_to_offer(offer=offer, enrolment=enrolment, message="Bonjour", cv=cv())
    with pytest.raises(services.ApplicationError, match="déjà postulé"):
        services.apply_to_offer(offer=offer, enrolment=enrolment, message="Encore", cv=cv())
    assert len(stored_files(_private_media)) == 1


def test_apply_to_an_imported_offer_links_out():
    offer = JobOfferFactory(company=None, company_name="ACME", source="france_travail", external_id="123ABC")
    with pytest.raises(services.ApplicationError, match="site de France Travail"):
        services.apply_to_offer(offer=offer, enrolment=EnrolmentFactory(), message="Bonjour", cv=cv())


def test_change_status_moves_along_tells_the_candidate_once_and_records_hiring():
    application = ApplicationFactory(job_seeker__email="samira@example.org", offer__title="Support")
    member = MembershipFactory(partner=application.offer.company).user

    services.mark_application_seen(application=application, by=member)
    services.mark_application_seen(application=application, by=member)  # a second visit changes nothing
    services.change_application_status(application=application, status=ApplicationStatus.INTERVIEW, by=member)
    services.change_application_status(application=application, status=ApplicationStatus.HIRED, by=member)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert application.hired_at is not None
    assert [m.subject for m in queued() if m.to_email == "samira@example.org"] == [
        "[DéClics] Votre candidature « Support » : du nouveau"
    ] * 3
    assert "vous recrute" in queued()[-1].body_text
    with pytest.raises(services.ApplicationError, match="ne peut pas passer"):
        services.change_application_status(
            application=application, status=ApplicationStatus.INTERVIEW, by=member
        )


def test_not_selected_needs_a_reason_shown_kindly():
    application = ApplicationFactory(offer__company__name="ACME")
    member = MembershipFactory(partner=application.offer.company).user
    with pytest.raises(services.ApplicationError, match="Choisissez la raison"):
        services.change_application_status(
            application=application, status=ApplicationStatus.NOT_SELECTED, by=member
        )
    services.change_application_status(
        application=application, status=ApplicationStatus.NOT_SELECTED, reason="filled", by=member
    )
    body = queued()[-1].body_text
    assert "Cette fois, ACME n'a pas retenu votre candidature. Le poste a été pourvu." in body
    assert "Ce n'est pas un jugement sur vous" in body


def test_another_company_cannot_change_the_status():
    application = ApplicationFactory()
    stranger = MembershipFactory().user
    with pytest.raises(services.ApplicationError, match="un autre partenaire"):
        services.change_application_status(
            application=application, status=ApplicationStatus.INTERVIEW, by=stranger
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


def test_withdraw_tells_the_company_and_closes_the_application():
    application = ApplicationFactory()
    MembershipFactory(partner=application.offer.company, user__email="rh@example.org")
    services.withdraw_application(application=application, job_seeker=application.job_seeker)
    assert application.__class__.objects.get().status == ApplicationStatus.WITHDRAWN
    assert queued()[-1].to_email == "rh@example.org"
    with pytest.raises(services.ApplicationError, match="déjà terminée"):
        services.withdraw_application(application=application, job_seeker=application.job_seeker)


def test_unanswered_applications_get_one_reminder_after_7_days_and_close_after_30():
    application = ApplicationFactory()
    MembershipFactory(partner=application.offer.company, user__email="rh@example.org")
    created = timezone.now()

    assert services.remind_unanswered_applications(now=created + timedelta(days=6)) == 0
    assert services.remind_unanswered_applications(now=created + timedelta(days=7, minutes=1)) == 1
    assert services.remind_unanswered_applications(now=created + timedelta(days=8)) == 0
    assert [m.subject for m in queued()] == [
        f"[DéClics] Une candidature attend votre réponse : {application.offer.title}"
    ]
    assert services.close_stale_applications(now=created + timedelta(days=29)) == 0
    assert services.close_stale_applications(now=created + timedelta(days=30, minutes=1)) == 1
    assert services.close_stale_applications(now=created + timedelta(days=31)) == 0
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED
    assert "n'a pas répondu en 30 jours" in queued()[-1].body_text
