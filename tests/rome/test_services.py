from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from declics.rome.models import RomeJob
from declics.rome.services import DIGITAL_E_CODES, ROME_FILE, is_digital_code, read_rome_file
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_rome_file_is_vendored_inside_the_app():
    assert ROME_FILE.parts[-4:] == ("declics", "rome", "data", "secteurs_naf_rome.json.gz")
    assert (ROME_FILE.parent / "LICENSE").exists()
    assert (ROME_FILE.parent / "README.md").exists()


def test_is_digital_code_keeps_m18_and_chosen_e_codes():
    assert is_digital_code("M1805") is True  # développeur informatique
    assert is_digital_code("M1809") is False  # météorologue
    assert is_digital_code("E1206") is True  # UX - UI designer
    assert is_digital_code("E1106") is False  # journaliste
    assert is_digital_code("K2111") is False


def test_digital_e_codes_match_the_labels_of_the_file():
    codes = read_rome_file()
    assert {code: codes[code] for code in DIGITAL_E_CODES} == DIGITAL_E_CODES


def test_load_rome_creates_every_code_then_changes_nothing():
    out = StringIO()
    call_command("load_rome", stdout=out)
    assert out.getvalue().strip() == "ROME: 1584 created, 0 updated, 0 unchanged; 98 digital jobs."
    assert RomeJob.objects.count() == 1584
    assert RomeJob.objects.digital().count() == 98
    assert RomeJob.objects.get(code="M1805").label == "Développeur / Développeuse informatique"

    out = StringIO()
    call_command("load_rome", stdout=out)
    assert out.getvalue().strip() == "ROME: 0 created, 0 updated, 1584 unchanged; 98 digital jobs."


def test_load_rome_fixes_labels_and_keeps_written_descriptions(django_assert_max_num_queries):
    RomeJob.objects.create(
        code="M1805", label="ancien libellé", is_digital=False, description="Écrit pour DéClics."
    )
    # A few bulk batches: SQLite takes at most 999 parameters a query, so rows with the English
    # columns (label_en, description_en) go in smaller batches there; PostgreSQL needs fewer.
    with django_assert_max_num_queries(15):
        call_command("load_rome", stdout=StringIO())
    job = RomeJob.objects.get(code="M1805")
    assert (job.label, job.is_digital, job.description) == (
        "Développeur / Développeuse informatique",
        True,
        "Écrit pour DéClics.",
    )


@pytest.mark.django_db
def test_rome_jobs_are_not_added_in_the_admin(client):
    """Its code is read-only there: an added row had an empty primary key and the page crashed."""
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(reverse("admin:rome_romejob_add"), {"description": "Un métier"})

    assert response.status_code == 403
    assert not RomeJob.objects.filter(code="").exists()
