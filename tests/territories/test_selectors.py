from datetime import date

import pytest

from declics.territories import services
from declics.territories.models import QPV, Commune, RuralZone
from declics.territories.selectors import (
    is_commune_in,
    qpvs_for_commune,
    rural_zone_for_commune,
    search_communes,
)


def names(communes):
    return [f"{commune.name} ({commune.departement_id})" for commune in communes]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("montp", ["Montpellier (34)", "Montpeyroux (34)", "Montpeyroux (12)"]),
        ("MONTPELLIER", ["Montpellier (34)"]),
        ("beziers", ["Béziers (34)"]),
        ("Saint-Jean-de-Vedas", ["Saint-Jean-de-Védas (34)"]),
        ("st jean", ["Saint-Jean-de-Védas (34)"]),
        ("sain", ["Saint-Jean-de-Védas (34)"]),
        ("l'isle", ["L'Isle-Jourdain-test (34)"]),
        ("isle jourdain", ["L'Isle-Jourdain-test (34)"]),
        ("jean", ["Saint-Jean-de-Védas (34)"]),
        ("paris", ["Paris (75)", "Paris 1er Arrondissement (75)"]),
        ("m", []),
        ("zzz", []),
    ],
)
def test_search_communes_by_name(territories, query, expected):
    assert names(search_communes(query)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("34000", ["Montpellier (34)"]),
        ("34 090", ["Montpellier (34)"]),
        ("12210", ["Laguiole (12)", "Montpeyroux (12)"]),
        ("31", ["Toulouse (31)", "Colomiers (31)"]),
        ("75001", ["Paris (75)", "Paris 1er Arrondissement (75)"]),
        ("34172", ["Montpellier (34)"]),  # an INSEE code
        ("3", []),
    ],
)
def test_search_communes_by_postal_code(territories, query, expected):
    assert names(search_communes(query)) == expected


@pytest.mark.django_db
def test_search_communes_leaves_out_delegated_and_retired_communes(territories):
    assert search_communes("ancienne") == []
    Commune.objects.filter(code="34032").update(is_active=False)
    assert search_communes("beziers") == []


@pytest.mark.django_db
def test_search_communes_restricted_to_departements_and_bounded(territories, django_assert_max_num_queries):
    assert names(search_communes("montpeyroux", departements=["12"])) == ["Montpeyroux (12)"]
    assert names(search_communes("3", departements=["34"])) == []
    assert len(search_communes("mont", limit=1)) == 1
    with django_assert_max_num_queries(2):
        assert len(search_communes("o" * 500, limit=500)) == 0


@pytest.mark.django_db
def test_qpvs_for_commune_by_date_of_validity(territories):
    services.import_qpvs(
        source_file=b"code_qp;lib_qp;insee_com\nQN1;Ancien;34172\n",
        valid_from=date(2015, 1, 1),
        valid_to=date(2023, 12, 31),
        source="liste 2015",
    )
    services.import_qpvs(
        source_file=b"code_qp;lib_qp;insee_com\nQN2;Nouveau;34172\n",
        valid_from=date(2024, 1, 1),
        source="liste 2024",
    )
    montpellier = Commune.objects.get(code="34172")

    assert list(qpvs_for_commune(montpellier, on=date(2014, 12, 31))) == []
    assert [q.code for q in qpvs_for_commune(montpellier, on=date(2015, 1, 1))] == ["QN1"]
    assert [q.code for q in qpvs_for_commune(montpellier, on=date(2023, 12, 31))] == ["QN1"]
    assert [q.code for q in qpvs_for_commune(montpellier, on=date(2024, 1, 1))] == ["QN2"]
    assert list(qpvs_for_commune(Commune.objects.get(code="34032"), on=date(2024, 1, 1))) == []


@pytest.mark.django_db
def test_qpvs_for_commune_links_a_city_and_its_arrondissements(territories):
    services.import_qpvs(
        source_file=b"code_qp;lib_qp;insee_com\nQN75A;Ville;75056\nQN75B;Arrondissement;75101\n",
        valid_from=date(2024, 1, 1),
        source="liste",
    )
    paris = Commune.objects.get(code="75056")
    first = Commune.objects.get(code="75101")
    day = date(2024, 6, 1)

    assert [q.code for q in qpvs_for_commune(first, on=day)] == ["QN75B", "QN75A"]  # ordered by name
    assert [q.code for q in qpvs_for_commune(paris, on=day)] == ["QN75B", "QN75A"]
    assert QPV.objects.count() == 2


@pytest.mark.django_db
def test_rural_zone_for_commune_by_date_and_strongest_classification(territories):
    laguiole = Commune.objects.get(code="12119")
    RuralZone.objects.create(
        commune=laguiole,
        classification="ZRR",
        valid_from=date(2017, 7, 1),
        valid_to=date(2024, 6, 30),
        source="ZRR",
    )
    RuralZone.objects.create(
        commune=laguiole, classification="FRR", valid_from=date(2024, 7, 1), source="FRR"
    )
    RuralZone.objects.create(
        commune=laguiole, classification="FRR+", valid_from=date(2024, 7, 1), source="FRR+"
    )

    assert rural_zone_for_commune(laguiole, on=date(2017, 6, 30)) is None
    assert rural_zone_for_commune(laguiole, on=date(2024, 6, 30)).classification == "ZRR"
    assert rural_zone_for_commune(laguiole, on=date(2024, 7, 1)).classification == "FRR+"
    assert rural_zone_for_commune(Commune.objects.get(code="34172"), on=date(2024, 7, 1)) is None


@pytest.mark.django_db
def test_is_commune_in_accepts_codes_and_departements_without_a_query(territories, django_assert_num_queries):
    montpellier = Commune.objects.get(code="34172")
    herault = montpellier.departement
    with django_assert_num_queries(0):
        assert is_commune_in(montpellier, ["34", "31"]) is True
        assert is_commune_in(montpellier, [herault]) is True
        assert is_commune_in(montpellier, ["31"]) is False
        assert is_commune_in(montpellier, []) is False
