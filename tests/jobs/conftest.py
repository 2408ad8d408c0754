import pytest

from tests.jobs.factories import EnrolmentFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded CVs go to a temporary MEDIA_ROOT, removed after each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def enrolment():
    """A job seeker's enrolment in an open session (the rooms' seeker pages start from it)."""
    return EnrolmentFactory()


@pytest.fixture
def seeker_client(client, enrolment):
    client.force_login(enrolment.job_seeker)
    return client
