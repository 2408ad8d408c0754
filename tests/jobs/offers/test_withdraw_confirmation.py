"""Withdrawing an application asks first, on a page of its own (works without JavaScript)."""

import pytest
from django.urls import reverse

from jobs.offers.models import ApplicationStatus
from tests.jobs.factories import ApplicationFactory, EnrolmentFactory
from tests.test_templates_a11y import accessibility_problems, parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    enrolment = EnrolmentFactory()
    return ApplicationFactory(job_seeker=enrolment.job_seeker, enrolment=enrolment)


def test_the_list_links_to_a_confirmation_page_and_nothing_is_withdrawn_on_the_way(client, application):
    session = application.enrolment.session
    withdraw_url = reverse("jobs:withdraw", args=[session.slug, application.public_id])
    client.force_login(application.job_seeker)

    listing = parse_html(client.get(reverse("jobs:my_applications", args=[session.slug])).content.decode())
    confirmation = client.get(withdraw_url)
    page = parse_html(confirmation.content.decode())

    assert listing.find_all("form", action=withdraw_url) == []
    assert [a.attrs["href"] for a in listing.find_all("a") if "Retirer" in a.text] == [withdraw_url]
    assert confirmation.status_code == 200
    assert [f.attrs["method"] for f in page.find_all("form", action=withdraw_url)] == ["post"]
    assert "Oui, je retire ma candidature" in confirmation.content.decode()
    assert accessibility_problems(confirmation.content.decode()) == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


def test_confirming_withdraws_the_application(client, application):
    session = application.enrolment.session
    client.force_login(application.job_seeker)

    response = client.post(reverse("jobs:withdraw", args=[session.slug, application.public_id]))

    assert response["Location"] == reverse("jobs:my_applications", args=[session.slug])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_another_persons_application_has_no_confirmation_page(client, application):
    other = EnrolmentFactory(session=application.enrolment.session)
    client.force_login(other.job_seeker)

    response = client.get(reverse("jobs:withdraw", args=[other.session.slug, application.public_id]))

    assert response.status_code == 404
