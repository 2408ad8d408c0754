from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobs.offers import services
from jobs.offers.models import Application, ApplicationStatus, JobOffer
from tests.jobs.factories import (
    PDF_BYTES,
    ApplicationFactory,
    DepartementFactory,
    EnrolmentFactory,
    JobOfferFactory,
    MembershipFactory,
    RomeJobFactory,
)
from tests.jobs.helpers import queued, step_done

pytestmark = pytest.mark.django_db


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


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


def test_the_candidate_follows_the_application_on_the_page_of_the_session_it_was_made_in(settings):
    settings.SITE_URL = "https://declics.example"
    enrolment = EnrolmentFactory()
    application = ApplicationFactory(job_seeker=enrolment.job_seeker, enrolment=enrolment)
    without_session = ApplicationFactory()  # its enrolment was erased: the current session's page
    for each in (application, without_session):
        member = MembershipFactory(partner=each.offer.company).user
        services.change_application_status(application=each, status=ApplicationStatus.INTERVIEW, by=member)

    first, second = (message.body_text for message in queued())
    assert f"https://declics.example/sessions/{enrolment.session.slug}/candidatures/\n" in first
    assert "https://declics.example/emplois/candidatures/\n" in second


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
