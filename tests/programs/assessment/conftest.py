import pytest

from programs.assessment import services

from .answer_sets import v1_data


@pytest.fixture
def questionnaire(db):
    questionnaire, _created = services.load_questionnaire(data=v1_data())
    return questionnaire
