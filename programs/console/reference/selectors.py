"""What the reference data page reads: each list grouped by version, in a few grouped queries."""

from django.db.models import Count, Q

from declics.rome.models import RomeJob, RomeLoad
from declics.territories.models import QPV, Commune, ReferenceDataVersion, RuralZone, ZoningImport


def qpv_versions() -> list[dict]:
    """The QPV lists, one row per version (validity, source), the latest first."""
    return list(
        QPV.objects.values("valid_from", "valid_to", "source", "is_sample")
        .annotate(count=Count("pk"))
        .order_by("-valid_from", "source")
    )


def rural_versions() -> list[dict]:
    """The FRR/ZRR lists, one row per classification and version, the latest first."""
    return list(
        RuralZone.objects.values("classification", "valid_from", "valid_to", "source", "is_sample")
        .annotate(count=Count("pk"))
        .order_by("-valid_from", "classification", "source")
    )


def rome_state() -> dict:
    figures = RomeJob.objects.aggregate(
        total=Count("pk"),
        digital=Count("pk", filter=Q(is_digital=True)),
        described=Count("pk", filter=Q(is_digital=True) & ~Q(description="")),
    )
    return {**figures, "last_load": RomeLoad.objects.order_by("-loaded_at", "-pk").first()}


def territories_state() -> dict:
    return {
        "versions": list(ReferenceDataVersion.objects.order_by("name")),
        "communes": Commune.objects.filter(is_active=True).count(),
    }


def recent_imports(limit: int = 10) -> list[ZoningImport]:
    return list(ZoningImport.objects.defer("content").select_related("created_by")[:limit])
