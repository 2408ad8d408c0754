"""Reads other apps call: the commune search and the eligibility building blocks."""

import re
from collections.abc import Iterable
from datetime import date

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from .models import QPV, Commune, Departement, RuralZone
from .text import normalize_name

MAX_RESULTS = 10
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
_DIGITS = re.compile(r"^\d{2,5}$")


def _departement_codes(departements: Iterable[Departement | str] | None) -> list[str] | None:
    if departements is None:
        return None
    return [d.code if isinstance(d, Departement) else str(d) for d in departements]


def searchable_communes(departements: Iterable[Departement | str] | None) -> QuerySet[Commune]:
    communes = Commune.objects.current().select_related("departement")
    codes = _departement_codes(departements)
    if codes is not None:
        communes = communes.filter(departement_id__in=codes)
    return communes


def search_communes(
    query: str, limit: int = MAX_RESULTS, departements: Iterable[Departement | str] | None = None
) -> list[Commune]:
    """Current communes matching a name or a postal code, best first; at most `limit` (≤ 10) rows.

    Digits search the postal codes (prefix: "340" → every commune of 340xx, and the INSEE code when
    five digits are given). Letters search names, accent-, case-, hyphen- and apostrophe-insensitive,
    "Saint" and "St" alike: names that start with the query first (exact name, then by population),
    then names with a word that starts with it. Two queries at most, both on indexed prefixes
    except the word search, which only runs when the prefix search did not fill the list.
    """
    limit = max(1, min(limit, MAX_RESULTS))
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    compact = query.replace(" ", "")
    if _DIGITS.match(compact):
        return _search_by_postal_code(compact, limit, departements)
    needle = normalize_name(query)
    if len(needle.replace(" ", "")) < MIN_QUERY_LENGTH:
        return []
    communes = searchable_communes(departements)
    prefix = Q(search_name__startswith=needle)
    # "Sai", "Sain" are on their way to "Saint", which names store as "st".
    head, _sep, last = needle.rpartition(" ")
    if len(last) >= 3 and ("saint".startswith(last) or "sainte".startswith(last)):
        prefix |= Q(search_name__startswith=f"{head} st ".lstrip())
    ranked = communes.annotate(
        exact=Case(When(search_name=needle, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("exact", F("population").desc(nulls_last=True), "name", "pk")
    results = list(ranked.filter(prefix)[:limit])
    if len(results) < limit:
        results += list(
            ranked.filter(search_name__contains=f" {needle}").exclude(pk__in=[c.pk for c in results])[
                : limit - len(results)
            ]
        )
    return results


def _search_by_postal_code(digits: str, limit: int, departements) -> list[Commune]:
    matches = Q(postal_code_rows__code__startswith=digits)
    if len(digits) == 5:
        matches |= Q(code=digits)
    communes = (
        searchable_communes(departements)
        .filter(pk__in=Commune.objects.filter(matches).values("pk"))
        .order_by(F("population").desc(nulls_last=True), "name", "pk")
    )
    return list(communes[:limit])


def qpvs_for_commune(commune: Commune, on: date | None = None) -> QuerySet[QPV]:
    """The QPVs valid on `on` (today by default) that lie in this commune.

    Lists name a city with arrondissements (Paris, Lyon, Marseille) either by the city's code or by
    the arrondissement's: both are looked at, so a person who picked either finds the city's QPVs.
    """
    on = on or timezone.localdate()
    related = Q(communes=commune)
    if commune.kind == Commune.Kind.ARRONDISSEMENT and commune.parent_code:
        related |= Q(communes__code=commune.parent_code, communes__kind=Commune.Kind.CURRENT)
    elif commune.kind == Commune.Kind.CURRENT:
        related |= Q(communes__parent_code=commune.code, communes__kind=Commune.Kind.ARRONDISSEMENT)
    ids = QPV.objects.valid_on(on).filter(related).values("pk")
    return QPV.objects.filter(pk__in=ids).order_by("name", "code")


def rural_zone_for_commune(commune: Commune, on: date | None = None) -> RuralZone | None:
    """The FRR/FRR+/ZRR classification of this commune valid on `on` (today by default), or None.

    When periods overlap, the one that started last wins, then FRR+ over FRR over ZRR.
    """
    on = on or timezone.localdate()
    strength = Case(
        When(classification=RuralZone.Classification.FRR_PLUS, then=Value(0)),
        When(classification=RuralZone.Classification.FRR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        RuralZone.objects.valid_on(on)
        .filter(commune=commune)
        .annotate(strength=strength)
        .order_by("-valid_from", "strength")
        .first()
    )


def is_commune_in(commune: Commune, departements: Iterable[Departement | str]) -> bool:
    """True when the commune lies in one of these départements (objects or codes); no query."""
    return commune.departement_id in set(_departement_codes(departements) or [])
