import copy
import time

import pytest
from django.core.management import call_command

from declics.territories import services
from declics.territories.models import Commune, CommunePostalCode, Departement, Region, Zone

from .conftest import COMMUNES, territory_data


@pytest.mark.django_db
def test_load_territories_loads_all_of_france_once(capsys):
    started = time.perf_counter()
    call_command("load_territories")
    first_run = time.perf_counter() - started

    assert Commune.objects.count() == 37_590
    assert Departement.objects.exclude(zone=Zone.COM).count() == 101
    assert Region.objects.exclude(zone=Zone.COM).count() == 18
    # The COG lists each collectivité d'outre-mer as its own "région" and "département".
    assert Departement.objects.filter(zone=Zone.COM).count() == 8
    assert Region.objects.filter(zone=Zone.COM).count() == 8
    assert Commune.objects.filter(kind=Commune.Kind.CURRENT).count() == 34_969
    assert Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT).count() == 45
    montpellier = Commune.objects.get(code="34172", kind=Commune.Kind.CURRENT)
    assert (montpellier.name, montpellier.departement_id, montpellier.departement.region_id) == (
        "Montpellier",
        "34",
        "76",
    )
    assert montpellier.postal_code_list == ["34000", "34070", "34080", "34090"]
    assert sorted(montpellier.postal_code_rows.values_list("code", flat=True)) == [
        "34000",
        "34070",
        "34080",
        "34090",
    ]
    assert Commune.objects.get(code="13201").parent_code == "13055"
    assert first_run < 60
    assert "communes : 37590 créé(e)s" in capsys.readouterr().out

    ids = dict(Commune.objects.values_list("pk", "code"))
    postal_rows = CommunePostalCode.objects.count()

    # Second run: the checksum matches, nothing is read nor written.
    call_command("load_territories")
    assert "déjà à jour" in capsys.readouterr().out
    # Forced: every row compared, none changed.
    report = services.load_territories(force=True)
    assert report.changed is False
    assert report.created == {"regions": 0, "departements": 0, "communes": 0, "postal_codes": 0}
    assert dict(Commune.objects.values_list("pk", "code")) == ids
    assert CommunePostalCode.objects.count() == postal_rows


@pytest.mark.django_db
def test_load_territories_second_run_is_skipped_in_two_queries(territories, django_assert_num_queries):
    with django_assert_num_queries(2):
        report = services.load_territories(data=territory_data())
    assert report.skipped is True


@pytest.mark.django_db
def test_load_territories_updates_a_changed_row_in_place(territories):
    montpellier = Commune.objects.get(code="34172")
    new_version = copy.deepcopy(COMMUNES)
    new_version[0].update(
        {"nom": "Montpellier-Nouvelle", "codesPostaux": ["34000", "34099"], "population": 320000}
    )

    report = services.load_territories(data=territory_data(new_version, checksum="test-v2"))

    assert report.updated["communes"] == 1
    assert report.created["communes"] == 0
    montpellier_after = Commune.objects.get(code="34172")
    assert montpellier_after.pk == montpellier.pk
    assert (montpellier_after.name, montpellier_after.search_name, montpellier_after.population) == (
        "Montpellier-Nouvelle",
        "montpellier nouvelle",
        320000,
    )
    assert montpellier_after.postal_codes == "34000 34099"
    assert sorted(montpellier_after.postal_code_rows.values_list("code", flat=True)) == ["34000", "34099"]


@pytest.mark.django_db
def test_load_territories_large_update_goes_through_the_temporary_table(db):
    many = [
        {
            "code": f"34{n:03d}",
            "nom": f"Commune {n}",
            "type": "commune-actuelle",
            "departement": "34",
            "population": n,
        }
        for n in range(1, 301)
    ]
    services.load_territories(data=territory_data(many, checksum="v1"))
    ids = dict(Commune.objects.values_list("code", "pk"))
    for row in many:
        row["population"] += 1000
    many[0]["nom"] = "Saint-Première"

    report = services.load_territories(data=territory_data(many, checksum="v2"))

    assert report.updated["communes"] == 300
    assert dict(Commune.objects.values_list("code", "pk")) == ids
    assert Commune.objects.get(code="34150").population == 1150
    first = Commune.objects.get(code="34001")
    assert (first.name, first.search_name, first.population, first.is_active) == (
        "Saint-Première",
        "st premiere",
        1001,
        True,
    )


@pytest.mark.django_db
def test_load_territories_marks_a_commune_gone_from_the_cog_inactive(territories):
    report = services.load_territories(data=territory_data(COMMUNES[1:], checksum="test-v2"))

    assert report.retired == 1
    montpellier = Commune.objects.get(code="34172")
    assert montpellier.is_active is False
    assert montpellier not in Commune.objects.current()
