import pytest

from tests.programs.factories import OpenSessionFactory

from .factories import WorkshopFactory


@pytest.fixture
def session(db):
    """A running session whose steps are open: workshops may be booked (step 4 has opened)."""
    return OpenSessionFactory()


@pytest.fixture
def workshop(db):
    return WorkshopFactory()
