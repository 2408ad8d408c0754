"""The digital jobs in English: names and descriptions from data/digital_jobs_en.json, shown on the
job pages when the page is in English; French otherwise, and for any job the English file lacks."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from declics.rome.models import RomeJob
from programs.role_models import services
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _page(client, enrolment, name, *args, language):
    # A signed-in person reads the site in their account's language (chosen with the switcher).
    enrolment.job_seeker.language = language
    enrolment.job_seeker.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse(name, args=[enrolment.session.slug, *args])).content.decode()


def test_the_english_file_covers_every_french_description():
    french = json.loads(services.JOB_DESCRIPTIONS_FILE.read_text(encoding="utf-8"))["descriptions"]
    english = json.loads(services.JOB_DESCRIPTIONS_EN_FILE.read_text(encoding="utf-8"))

    assert set(english["descriptions"]) == set(english["titles"]) == set(french)
    assert all(english["descriptions"].values()) and all(english["titles"].values())


def test_job_pages_show_the_english_texts_on_english_pages_and_french_on_french_ones(client):
    call_command("load_rome")
    call_command("load_job_descriptions")
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)

    english = _page(client, enrolment, "programs:jobs_detail", "M1874", language="en")
    french = _page(client, enrolment, "programs:jobs_detail", "M1874", language="fr")
    english_list = _page(client, enrolment, "programs:jobs_list", language="en")

    assert "<h1>Support specialist</h1>" in english
    assert "Helps users when their computer or software does not work" in english
    assert "Aide les utilisateurs" not in english
    assert "<h1>Spécialiste support</h1>" in french
    assert "Aide les utilisateurs quand leur ordinateur" in french
    assert "Web developer" in english_list and "Développeur / Développeuse web" not in english_list


def test_a_job_missing_from_the_english_file_shows_its_french_texts(client, tmp_path):
    call_command("load_rome")
    english = json.loads(services.JOB_DESCRIPTIONS_EN_FILE.read_text(encoding="utf-8"))
    del english["titles"]["M1874"], english["descriptions"]["M1874"]
    path = tmp_path / "digital_jobs_en.json"
    path.write_text(json.dumps(english), encoding="utf-8")
    services.load_job_descriptions(english_path=path)
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)

    page = _page(client, enrolment, "programs:jobs_detail", "M1874", language="en")

    assert "<h1>Spécialiste support</h1>" in page
    assert "Aide les utilisateurs quand leur ordinateur" in page
    assert RomeJob.objects.get(code="M1855").label_en == "Web developer"


def test_loading_the_descriptions_twice_changes_nothing_the_second_time():
    call_command("load_rome")

    first = services.load_job_descriptions()
    second = services.load_job_descriptions()

    assert (first.updated, second.updated, second.unchanged) == (98, 0, 98)
    assert RomeJob.objects.digital().filter(label_en="").count() == 0
