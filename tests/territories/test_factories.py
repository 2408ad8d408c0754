"""The shared commune factory makes communes the search finds, as loaded ones."""

import pytest

from declics.territories.models import CommunePostalCode
from declics.territories.selectors import search_communes

from .factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_commune_factory_rows_are_found_by_postal_code_and_name():
    vedas = CommuneFactory(code="34270", name="Saint-Jean-de-Védas", postal_codes="34430 34431")
    CommuneFactory(code="34172", name="Montpellier", postal_codes="34000 34070")

    assert search_communes("34431") == [vedas]
    assert search_communes("st jean de vedas") == [vedas]
    assert search_communes("Saint-Jean") == [vedas]


def test_commune_factory_found_again_keeps_one_row_per_postal_code():
    first = CommuneFactory(code="34172", name="Montpellier", postal_codes="34000 34070")
    again = CommuneFactory(code="34172", name="Montpellier", postal_codes="34000 34070")

    assert again == first
    assert sorted(CommunePostalCode.objects.values_list("commune_id", "code")) == [
        (first.pk, "34000"),
        (first.pk, "34070"),
    ]
