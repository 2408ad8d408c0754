import pytest

from .factories import WorkshopFactory


@pytest.fixture
def workshop(db):
    return WorkshopFactory()
