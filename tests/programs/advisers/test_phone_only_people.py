"""A job seeker who signed up with a phone number only (issue 15): the adviser's pages, the export,
the person's own data export and erasure work and show the number where there is no address."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from declics.accounts.models import User
from declics.privacy import services as privacy
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moussa(world):
    user = User.objects.create_user(
        None, password="Un-mot-de-passe-solide-42", phone="+33612345678", phone_verified=True
    )
    return EnrolmentFactory(
        session=world.session,
        job_seeker=user,
        adviser=world.adviser,
        share_with_adviser=True,
        eligibility={"eligible": True, "basis": "qpv"},
    )


def test_the_adviser_dashboard_and_person_page_show_the_number(client, world, moussa):
    client.force_login(world.adviser)

    dashboard = client.get(
        reverse("programs:adviser_dashboard", args=[world.session.slug]), {"q": "612345678"}
    )
    person = client.get(reverse("programs:adviser_person", args=[world.session.slug, moussa.public_id]))

    assert [(row.name, row.email) for row in dashboard.context["rows"]] == [("+33612345678", "+33612345678")]
    assert person.status_code == 200
    assert "+33612345678" in person.content.decode()


def test_the_adviser_export_has_the_number_in_the_contact_column(client, world, moussa):
    client.force_login(world.adviser)

    response = client.get(reverse("programs:adviser_export", args=[world.session.slug]))

    content = b"".join(response.streaming_content)
    rows = [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert ["+33612345678", "+33612345678"] in [row[:2] for row in rows]


def test_the_persons_export_and_erasure_work_without_an_address(moussa, django_capture_on_commit_callbacks):
    user = moussa.job_seeker

    with zipfile.ZipFile(io.BytesIO(privacy.export_zip(user=user))) as archive:
        data = json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(user=user)

    assert (data["account"]["email"], data["account"]["phone"]) == (None, "+33612345678")
    user.refresh_from_db()
    assert (user.email, user.phone, user.phone_verified, user.is_active) == (
        f"anonymised-{user.pk}@invalid",
        "",
        False,
        False,
    )
