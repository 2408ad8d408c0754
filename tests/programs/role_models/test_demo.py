import pytest

from programs.assessment import demo as assessment_demo
from programs.assessment.models import Questionnaire
from programs.role_models import demo as role_models_demo
from programs.role_models.models import RoleModel, Talk
from tests.programs.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_are_idempotent():
    session = SessionFactory(slug="declics-numeriques-ariege")

    for _ in range(2):
        role_models_demo.seed()
        assessment_demo.seed()

    assert RoleModel.objects.count() == 4
    assert list(Talk.objects.filter(session=session).values_list("title", flat=True)) == [
        "Du commerce au code",
        "Reprendre après une pause",
    ]
    assert set(session.role_models.values_list("first_name", flat=True)) == {
        "Nadia",
        "Julien",
        "Awa",
        "Sofiane",
    }
    assert list(Questionnaire.objects.values_list("version", "is_active")) == [(1, True)]
