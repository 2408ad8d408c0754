"""The console's pages of partners, offer moderation, the questionnaire version and accounts (issue
14, item 4) pass the structural accessibility checks, with and without errors, and use no table
(they must read at 360 px without sideways scrolling)."""

import pytest
from django.urls import reverse

from programs.assessment import services as assessment_services
from tests.factories import StaffFactory, UserFactory
from tests.jobs.factories import JobOfferFactory, MembershipFactory, PartnerFactory
from tests.programs.assessment.answer_sets import v1_data
from tests.test_templates_a11y import accessibility_problems

pytestmark = pytest.mark.django_db


def _check(response, status=200):
    assert response.status_code == status, response.content[:300]
    html = response.content.decode()
    assert accessibility_problems(html, about_the_user=False) == []
    assert "<table" not in html
    assert 'id="console-nav"' in html or "←" in html


def test_console_pages_are_accessible(client):
    partner = PartnerFactory()
    MembershipFactory(partner=partner)
    offer = JobOfferFactory(company=partner)
    UserFactory()
    assessment_services.load_questionnaire(data=v1_data())
    client.force_login(StaffFactory())

    for url in [
        reverse("jobs:staff_partners"),
        reverse("jobs:staff_partner_create"),
        reverse("jobs:staff_partner", args=[partner.pk]),
        reverse("jobs:staff_offers"),
        reverse("jobs:staff_offer", args=[offer.pk]),
        reverse("programs:assessment_versions"),
        reverse("accounts:staff_users"),
    ]:
        _check(client.get(url))


def test_console_forms_sent_back_with_errors_are_accessible(client):
    partner = PartnerFactory()
    offer = JobOfferFactory(company=partner)
    client.force_login(StaffFactory())

    _check(client.post(reverse("jobs:staff_partner_create"), {"name": ""}), status=400)
    _check(client.post(reverse("jobs:staff_partner", args=[partner.pk]), {"name": ""}), status=400)
    _check(client.post(reverse("jobs:staff_partner_invite", args=[partner.pk]), {}), status=400)
    _check(
        client.post(reverse("jobs:staff_partner_link", args=[partner.pk]), {"link-email": "x"}), status=400
    )
    _check(client.post(reverse("jobs:staff_offer_unpublish", args=[offer.pk]), {"reason": ""}), status=400)


def test_the_staff_space_links_every_console_page(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("programs:staff_sessions")).content.decode()
    for name in [
        "jobs:staff_partners",
        "jobs:staff_offers",
        "programs:assessment_versions",
        "accounts:staff_users",
    ]:
        assert f'href="{reverse(name)}"' in html, name
