from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jobs.offers.models import Application, ApplicationStatus, JobOffer
from tests.factories import MentorFactory, StaffFactory, UserFactory
from tests.jobs.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CommuneFactory,
    DepartementFactory,
    EnrolmentFactory,
    JobOfferFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


# --- who may use which page ---------------------------------------------------------------------------
SEEKER_PAGES = ["jobs:offers", "jobs:my_applications"]


@pytest.mark.parametrize("name", SEEKER_PAGES)
def test_seeker_pages_send_anonymous_to_login_and_refuse_mentors(client, name):
    url = reverse(name, args=[EnrolmentFactory().session.slug])
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={url}")
    client.force_login(MentorFactory())
    assert client.get(url).status_code == 403


def test_partner_pages_refuse_job_seekers_and_other_partners(client):
    mine, theirs = MembershipFactory(), MembershipFactory()
    offer = JobOfferFactory(company=theirs.partner)
    client.force_login(UserFactory())
    assert client.get(reverse("jobs:partner_dashboard", args=[theirs.partner.pk])).status_code == 403

    client.force_login(mine.user)
    for url in [
        reverse("jobs:partner_dashboard", args=[theirs.partner.pk]),
        reverse("jobs:partner_offer_edit", args=[theirs.partner.pk, offer.pk]),
        reverse("jobs:partner_offer_applications", args=[theirs.partner.pk, offer.pk]),
        # A tampered id: their offer under my partner's address.
        reverse("jobs:partner_offer_applications", args=[mine.partner.pk, offer.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("jobs:partner_offer_edit", args=[mine.partner.pk, offer.pk]), {"title": "Piraté"}
    )
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title != "Piraté"


def test_cv_is_served_to_the_company_staff_and_author_only(client):
    application = ApplicationFactory()
    url = reverse("jobs:application_cv", args=[application.public_id])
    member = MembershipFactory(partner=application.offer.company).user
    for user in [member, StaffFactory(), application.job_seeker]:
        client.force_login(user)
        response = client.get(url)
        assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF_BYTES)
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="cv-candidature-{application.public_id.hex[:8]}.pdf"'
        )
    for user in [MembershipFactory().user, UserFactory(), MentorFactory()]:
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- offer search ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 3])
def test_offer_search_query_count_is_constant(seeker_client, enrolment, django_assert_num_queries, rows):
    JobOfferFactory.create_batch(rows)
    # 12: one more since the search reads the assessment's suggested jobs (the latest result).
    with django_assert_num_queries(12):
        response = seeker_client.get(
            reverse("jobs:offers", args=[enrolment.session.slug]), {"contract": "cdi"}
        )
    assert len(response.context["offers"]) == rows


def test_offer_search_shows_only_the_session_territory_remote_and_open_offers(seeker_client, enrolment):
    toulouse = CommuneFactory(
        code="31555", name="Toulouse", departement=DepartementFactory(code="31", name="HG")
    )
    JobOfferFactory(title="Montpellier")
    JobOfferFactory(title="Toulouse", commune=toulouse)
    JobOfferFactory(title="Télétravail", commune=None, is_remote=True)
    JobOfferFactory(title="Expirée", expires_on=timezone.localdate() - timedelta(days=1))
    response = seeker_client.get(reverse("jobs:offers", args=[enrolment.session.slug]))
    assert sorted(offer.title for offer in response.context["offers"]) == ["Montpellier", "Télétravail"]
    response = seeker_client.get(reverse("jobs:offers", args=[enrolment.session.slug]), {"where": "remote"})
    assert [offer.title for offer in response.context["offers"]] == ["Télétravail"]
    toulouse_offer = JobOffer.objects.get(title="Toulouse")
    assert (
        seeker_client.get(
            reverse("jobs:offer_detail", args=[enrolment.session.slug, toulouse_offer.pk])
        ).status_code
        == 404
    )


def test_apply_page_refuses_a_disguised_file_with_a_field_error(seeker_client, enrolment, _private_media):
    offer = JobOfferFactory()
    response = seeker_client.post(
        reverse("jobs:apply", args=[enrolment.session.slug, offer.pk]),
        {"message": "Bonjour", "consent": "on", "cv": SimpleUploadedFile("cv.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cv"] == [
        "Ce fichier n'est ni un PDF ni un document Word (.docx) : enregistrez votre CV en PDF."
    ]
    assert not Application.objects.exists()
    assert [path for path in _private_media.rglob("*") if path.is_file()] == []


def test_apply_page_sends_the_application(seeker_client, enrolment):
    offer = JobOfferFactory()
    response = seeker_client.post(
        reverse("jobs:apply", args=[enrolment.session.slug, offer.pk]),
        {"message": "Bonjour", "consent": "on", "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES)},
        follow=True,
    )
    assert [(a.offer, a.status) for a in response.context["applications"]] == [(offer, ApplicationStatus.NEW)]


# --- the company's side ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 3])
def test_applicant_list_query_count_is_constant(client, django_assert_num_queries, rows):
    membership = MembershipFactory()
    offer = JobOfferFactory(company=membership.partner)
    ApplicationFactory.create_batch(rows, offer=offer)
    client.force_login(membership.user)
    with django_assert_num_queries(8):
        response = client.get(
            reverse("jobs:partner_offer_applications", args=[membership.partner.pk, offer.pk])
        )
    assert len(response.context["applications"]) == rows


def test_company_moves_an_application_to_interview_and_the_candidate_sees_it(client):
    enrolment = EnrolmentFactory()
    application = ApplicationFactory(job_seeker=enrolment.job_seeker, enrolment=enrolment)
    membership = MembershipFactory(partner=application.offer.company)
    client.force_login(membership.user)
    url = reverse("jobs:partner_application", args=[membership.partner.pk, application.public_id])
    response = client.get(url)
    assert response.context["application"].status == ApplicationStatus.SEEN
    client.post(url, {"status": "interview"})
    client.force_login(application.job_seeker)
    response = client.get(reverse("jobs:my_applications", args=[enrolment.session.slug]))
    assert "entretien proposé" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_company_dashboard_lists_its_offers_with_all_and_new_applications(
    client, django_assert_num_queries, rows
):
    membership = MembershipFactory()
    company = membership.partner
    for n in range(rows):
        offer = JobOfferFactory(company=company, title=f"Offre {n}")
        ApplicationFactory(offer=offer)
        ApplicationFactory(offer=offer, status=ApplicationStatus.SEEN)
    JobOfferFactory(title="Offre d'une autre entreprise")
    client.force_login(membership.user)

    with django_assert_num_queries(7):
        response = client.get(reverse("jobs:partner_dashboard", args=[company.pk]))

    assert [(o.title, o.application_count, o.new_count) for o in response.context["offers"]] == [
        (f"Offre {n}", 2, 1) for n in reversed(range(rows))
    ]
    assert "trainings" not in response.context
    page = response.content.decode()
    assert page.count("2 candidatures") == rows
    assert page.count("(1 nouvelle)") == rows
    assert reverse("jobs:partner_slot_create", args=[company.pk]) not in page
