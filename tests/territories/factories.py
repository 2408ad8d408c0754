"""Territory rows for the tests of every app: régions, départements, communes (with their
postal-code rows, as the COG loader writes them), QPVs and FRR/ZRR classifications."""

from datetime import date

import factory

from declics.territories.models import QPV, Commune, CommunePostalCode, Departement, Region, RuralZone
from declics.territories.text import normalize_name


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "76"
    name = "Occitanie"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "34"
    name = "Hérault"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    """A current commune, searchable like a loaded one: `search_name` as the loader normalises it
    and one `CommunePostalCode` row per code of `postal_codes` (what the postal-code search reads)."""

    class Meta:
        model = Commune
        django_get_or_create = ("code", "kind")
        skip_postgeneration_save = True

    # Five characters, like an INSEE code, however many communes the whole suite makes.
    code = factory.Sequence(lambda n: f"34{n % 1000:03d}")
    kind = Commune.Kind.CURRENT
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name)[:100])
    departement = factory.SubFactory(DepartementFactory)
    postal_codes = "34000"

    @factory.post_generation
    def postal_code_rows(obj, create, extracted, **kwargs):
        if create:
            CommunePostalCode.objects.bulk_create(
                [CommunePostalCode(commune=obj, code=code) for code in obj.postal_code_list],
                ignore_conflicts=True,
            )


class QPVFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QPV
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"EXEMPLE-{n:04d}")
    name = factory.Sequence(lambda n: f"Quartier exemple {n}")
    valid_from = date(2015, 1, 1)
    source = "fichier d'exemple des tests"
    is_sample = True

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)


class RuralZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuralZone

    commune = factory.SubFactory(CommuneFactory)
    classification = RuralZone.Classification.FRR
    valid_from = date(2015, 1, 1)
    source = "fichier d'exemple des tests"
    is_sample = True
