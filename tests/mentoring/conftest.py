import pytest

from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

from .factories import MenteePreferencesFactory, MentorProfileFactory


@pytest.fixture
def session(db):
    return OpenSessionFactory(mentor_request_expiry_days=5)


@pytest.fixture
def enrolment(session):
    enrolment = EnrolmentFactory(session=session)
    MenteePreferencesFactory(enrolment=enrolment, rome=["M1805"])
    return enrolment


@pytest.fixture
def mentor(db):
    return MentorProfileFactory(rome=["M1805"], capacity=2)
