import pytest

from .factories import CommuneFactory, QPVFactory, RuralZoneFactory, SessionFactory


@pytest.fixture
def session(db):
    return SessionFactory()


@pytest.fixture
def rural_commune(db):
    """A real FRR commune of the Hérault (Lodève), with a sample FRR row."""
    commune = CommuneFactory(code="34142", name="Lodève", postal_codes="34700")
    RuralZoneFactory(commune=commune)
    return commune


@pytest.fixture
def city(db):
    """Montpellier with one sample QPV."""
    commune = CommuneFactory(code="34172", name="Montpellier", postal_codes="34000 34070 34080 34090")
    commune.sample_qpv = QPVFactory(name="Quartier exemple Mosson", communes=[commune])
    return commune


@pytest.fixture
def without_step(monkeypatch):
    """`without_step(Step.MENTOR)` removes that step's registry entry for the test, as if its app
    were not installed."""
    from programs import registry

    def remove(step):
        monkeypatch.delitem(registry._entries, int(step))

    return remove
