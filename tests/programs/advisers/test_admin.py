import pytest
from django.urls import reverse

from programs.models import SurveyKind, SurveyResponse
from tests.factories import StaffFactory
from tests.programs.factories import EnrolmentFactory

from .factories import AgencyFactory, agency_adviser

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_agency_admin_lists_agencies_with_their_advisers(admin_client):
    agency = AgencyFactory(name="France Travail Montpellier Ouest")
    adviser = agency_adviser(agency=agency, email="ana@example.org")

    listing = admin_client.get(reverse("admin:programs_agency_changelist"))
    change = admin_client.get(reverse("admin:programs_agency_change", args=[agency.pk]))
    memberships = admin_client.get(reverse("admin:programs_advisermembership_changelist"))

    assert "France Travail Montpellier Ouest" in listing.content.decode()
    assert list(change.context["inline_admin_formsets"][0].formset.queryset) == [adviser.adviser_membership]
    assert list(memberships.context["cl"].result_list) == [adviser.adviser_membership]


def test_survey_response_admin_is_read_only(admin_client):
    response = SurveyResponse.objects.create(
        enrolment=EnrolmentFactory(), kind=SurveyKind.SATISFACTION, sent_at="2024-01-01T10:00Z", overall=4
    )

    listing = admin_client.get(reverse("admin:programs_surveyresponse_changelist"))
    add = admin_client.get(reverse("admin:programs_surveyresponse_add"))
    post = admin_client.post(
        reverse("admin:programs_surveyresponse_change", args=[response.pk]), {"overall": "1"}
    )

    assert listing.context["cl"].result_count == 1
    assert add.status_code == 403
    assert post.status_code == 403
    response.refresh_from_db()
    assert response.overall == 4
