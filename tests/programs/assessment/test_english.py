"""The questionnaire in English: texts from data/questionnaire-v1.en.json, shown when the page is in
English; French when the page is in French, and for any text the English file lacks."""

import copy
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from programs.assessment import services
from programs.assessment.models import AssessmentAttempt, Choice, Question
from tests.programs.factories import EnrolmentFactory

from .answer_sets import V1_FILE, v1_data

pytestmark = pytest.mark.django_db
EN_FILE = V1_FILE.with_name("questionnaire-v1.en.json")


def v1_english() -> dict:
    return json.loads(EN_FILE.read_text(encoding="utf-8"))


def _first_question_page(client, language):
    enrolment = EnrolmentFactory()
    # A signed-in person reads the site in their account's language (chosen with the switcher).
    enrolment.job_seeker.language = language
    enrolment.job_seeker.save(update_fields=["language"])
    client.force_login(enrolment.job_seeker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(reverse("programs:assessment_home", args=[enrolment.session.slug]))
    attempt = AssessmentAttempt.objects.get(enrolment=enrolment)
    return client.get(reverse("programs:assessment_question", args=[attempt.public_id])).content.decode()


def test_the_english_file_translates_every_question_and_answer_of_its_version():
    french, english = v1_data(), v1_english()

    assert english["version"] == french["version"]
    assert {q["key"]: sorted(c["value"] for c in q["choices"]) for q in french["questions"]} == {
        key: sorted(entry["choices"]) for key, entry in english["questions"].items()
    }
    assert all(entry["text"] and all(entry["choices"].values()) for entry in english["questions"].values())


def test_the_command_loads_the_english_texts_and_the_question_page_follows_the_language(client):
    call_command("load_assessment")

    english = _first_question_page(client, "en")
    french = _first_question_page(client, "fr")

    assert "You are looking for the opening hours of a France Travail office near you." in english
    assert "I compare several sources and keep the most recent and reliable one" in english
    assert "Vous cherchez les horaires" not in english
    assert "Vous cherchez les horaires d&#x27;une agence France Travail près de chez vous." in french
    assert "You are looking" not in french


def test_a_text_missing_from_the_english_file_falls_back_to_french(client):
    questionnaire, _created = services.load_questionnaire(data=v1_data())
    partial = v1_english()
    first = partial["questions"]["info-recherche"]
    del first["text"]
    del first["choices"]["compare"]

    services.load_questionnaire_english(questionnaire=questionnaire, data=partial)
    page = _first_question_page(client, "en")

    assert "Vous cherchez les horaires d&#x27;une agence France Travail près de chez vous." in page
    assert "Je compare plusieurs sources et je garde la plus récente et la plus fiable" in page
    assert "I look for the official website and check that the address is the right one" in page


def test_english_texts_load_again_idempotently_and_never_change_the_version(questionnaire):
    first = services.load_questionnaire_english(questionnaire=questionnaire, data=v1_english())
    again = services.load_questionnaire_english(questionnaire=questionnaire, data=v1_english())
    _same, created = services.load_questionnaire(data=v1_data())  # the French content is unchanged

    assert (first, again, created) == (135, 0, False)
    assert Question.objects.get(key="garde").help_text_en.startswith("This answer is only used")
    assert Choice.objects.filter(label_en="").count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda data: data["questions"].update({"inconnue": {"text": "?"}}), "inconnue"),
        (
            lambda data: data["questions"]["garde"]["choices"].update({"peut-etre": "Maybe"}),
            "garde/peut-etre",
        ),
    ],
)
def test_english_texts_for_keys_the_version_lacks_are_refused(questionnaire, change, expected):
    data = copy.deepcopy(v1_english())
    change(data)

    with pytest.raises(services.AssessmentError) as error:
        services.load_questionnaire_english(questionnaire=questionnaire, data=data)

    assert expected in str(error.value)
    assert Question.objects.exclude(text_en="").count() == 0
