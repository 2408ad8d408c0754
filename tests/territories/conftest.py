import pytest
from django.core.cache import cache

from declics.territories import services

REGIONS = [
    {"code": "76", "nom": "Occitanie", "zone": "metro"},
    {"code": "11", "nom": "Île-de-France", "zone": "metro"},
]
DEPARTEMENTS = [
    {"code": "34", "nom": "Hérault", "region": "76", "zone": "metro"},
    {"code": "31", "nom": "Haute-Garonne", "region": "76", "zone": "metro"},
    {"code": "12", "nom": "Aveyron", "region": "76", "zone": "metro"},
    {"code": "75", "nom": "Paris", "region": "11", "zone": "metro"},
]


def commune(code, name, departement, postal_codes, population, kind="commune-actuelle", parent=None):
    row = {"code": code, "nom": name, "type": kind, "departement": departement}
    if postal_codes:
        row["codesPostaux"] = postal_codes
    if population is not None:
        row["population"] = population
    if parent:
        row["parent"] = parent
    return row


COMMUNES = [
    commune("34172", "Montpellier", "34", ["34000", "34070", "34080", "34090"], 310240),
    commune("34270", "Saint-Jean-de-Védas", "34", ["34430"], 11000),
    commune("34032", "Béziers", "34", ["34500"], 81545),
    commune("31555", "Toulouse", "31", ["31000", "31100", "31200", "31300", "31400", "31500"], 514819),
    commune("31149", "Colomiers", "31", ["31770"], 40882),
    commune("12119", "Laguiole", "12", ["12210"], 1207),
    commune("12145", "Montpeyroux", "12", ["12210"], 400),
    commune("34179", "Montpeyroux", "34", ["34150"], 1400),
    commune("34142", "L'Isle-Jourdain-test", "34", ["34700"], 100),
    commune("75056", "Paris", "75", ["75001", "75002"], 2100000),
    commune("75101", "Paris 1er Arrondissement", "75", ["75001"], 16000, "arrondissement-municipal", "75056"),
    commune("12001", "Ancienne-Commune", "12", [], None, "commune-deleguee", "12119"),
]


def territory_data(communes=None, checksum="test-v1"):
    return services.TerritoryData(
        regions=REGIONS, departements=DEPARTEMENTS, communes=communes or COMMUNES, checksum=checksum
    )


@pytest.fixture
def territories(db):
    """A few real communes, loaded through the real loader."""
    services.load_territories(data=territory_data())


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
