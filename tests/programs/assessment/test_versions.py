"""The questionnaire version in service, switched by staff (issue 14, item 4): an incomplete version
is refused; people with an attempt under way keep the version they started."""

import copy

import pytest
from django.urls import reverse

from programs.assessment import selectors, services
from programs.assessment.models import Questionnaire
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory

from .answer_sets import v1_data

pytestmark = pytest.mark.django_db


def _version(number, *, activate=False, change=None):
    data = copy.deepcopy(v1_data())
    data["version"] = number
    data["title"] = f"Bilan v{number}"
    if change:
        change(data)
    questionnaire, _created = services.load_questionnaire(data=data, activate=activate)
    return questionnaire


def _without_constraints(data):
    data["questions"] = [q for q in data["questions"] if q["part"] != "constraints"]


def _without_jobs(data):
    data["scoring"]["jobs"] = []


def _broken_area(data):
    data["scoring"]["areas"].pop(data["questions"][0]["area"])


def test_switching_the_version_keeps_the_attempts_under_way_on_theirs():
    v1 = _version(1, activate=True)
    v2 = _version(2)
    under_way = services.start_assessment(enrolment=EnrolmentFactory())

    services.activate_questionnaire(questionnaire=v2, by=StaffFactory())

    assert list(Questionnaire.objects.filter(is_active=True)) == [v2]
    assert services.start_assessment(enrolment=under_way.enrolment).questionnaire == v1  # resumed on v1
    assert services.start_assessment(enrolment=EnrolmentFactory()).questionnaire == v2  # a new one on v2


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_without_constraints, "n'a aucune question"),
        (_without_jobs, "aucun métier"),
        (_broken_area, "Le calcul du résultat échoue"),
    ],
)
def test_an_incomplete_version_is_refused(change, problem):
    v1 = _version(1, activate=True)
    broken = _version(2, change=change)

    assert any(problem in text for text in selectors.questionnaire_problems(broken))
    with pytest.raises(services.AssessmentError, match="incomplète"):
        services.activate_questionnaire(questionnaire=broken, by=StaffFactory())
    assert list(Questionnaire.objects.filter(is_active=True)) == [v1]


def test_a_version_without_questions_is_refused():
    empty = Questionnaire.objects.create(version=5, title="Vide", scoring={})
    assert selectors.questionnaire_problems(empty) == ["Cette version n'a aucune question."]
    with pytest.raises(services.AssessmentError, match="incomplète"):
        services.activate_questionnaire(questionnaire=empty, by=StaffFactory())


def test_the_version_in_service_is_refused_again_and_only_staff_switch():
    v1 = _version(1, activate=True)
    with pytest.raises(services.AssessmentError, match="déjà en service"):
        services.activate_questionnaire(questionnaire=v1, by=StaffFactory())
    with pytest.raises(services.AssessmentError, match="Seule l'équipe"):
        services.activate_questionnaire(questionnaire=_version(2), by=UserFactory())


def test_staff_page_switches_the_version_and_shows_what_an_incomplete_one_lacks(client):
    _version(1, activate=True)
    v2 = _version(2)
    _version(3, change=_without_jobs)
    client.force_login(StaffFactory())
    url = reverse("programs:assessment_versions")

    page = client.get(url).content.decode()
    assert "Mettre la version 2 en service" in page
    assert "Mettre la version 3 en service" not in page
    assert "Les règles de calcul ne proposent aucun métier." in page

    response = client.post(url, {"questionnaire": v2.pk})
    assert response.url == url
    assert Questionnaire.objects.get(is_active=True) == v2
    assert client.post(url, {"questionnaire": v2.pk}).status_code == 409
    assert client.post(url, {"questionnaire": "x"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_page_query_count_is_constant(client, django_assert_num_queries, rows):
    for number in range(1, rows + 1):
        _version(number, activate=number == 1)
    services.start_assessment(enrolment=EnrolmentFactory())
    client.force_login(StaffFactory())
    # Session, user, the versions, their questions, the questions' answers, and the layout's reads.
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:assessment_versions"))
    assert len(response.context["versions"]) == rows
