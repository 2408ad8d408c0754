"""Reads of the audit log: the filtered entries, and each entry's changes as lines to show."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from declics.audit import ERASED
from programs.templatetags.french_dates import full_datetime

ACTIONS = {
    LogEntry.Action.CREATE: _("création"),
    LogEntry.Action.UPDATE: _("modification"),
    LogEntry.Action.DELETE: _("suppression"),
    LogEntry.Action.ACCESS: _("consultation"),
}


def entries(*, filters: dict) -> QuerySet[LogEntry]:
    """The entries matching the page's filters, newest first, with what each line shows (one query)."""
    found = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if filters.get("auteur"):
        found = found.filter(actor=filters["auteur"])
    if filters.get("objet"):
        found = found.filter(content_type_id=filters["objet"])
    if filters.get("action") is not None:
        found = found.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("du"):
        found = found.filter(timestamp__gte=datetime.combine(filters["du"], time.min, tzinfo=zone))
    if filters.get("au"):
        found = found.filter(
            timestamp__lt=datetime.combine(filters["au"] + timedelta(days=1), time.min, tzinfo=zone)
        )
    return found


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _shown(field, value) -> str:
    if value in (None, "None", ""):
        return "—"
    if value == ERASED:
        return ERASED
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return str(_("oui")) if value in ("True", True) else str(_("non"))
    if field.get_internal_type() == "DateTimeField" and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):  # auditlog writes them in UTC, without the offset
                moment = timezone.make_aware(moment, UTC)
            return full_datetime(moment)
    if field.is_relation and not field.many_to_many:
        return _("n° %(pk)s") % {"pk": value}
    return str(value)


def changes(entry: LogEntry) -> list[Change]:
    """Each field the entry changed: its name and its values before and after (no query)."""
    model = entry.content_type.model_class()
    lines = []
    for name, values in (entry.changes or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": …, "objects": […]}
            objects = ", ".join(str(value) for value in values.get("objects", []))
            added = values.get("operation") == "add"
            lines.append(Change(label.capitalize(), "—" if added else objects, objects if added else "—"))
            continue
        before, after = (list(values) + [None, None])[:2]
        lines.append(Change(label.capitalize(), _shown(field, before), _shown(field, after)))
    return lines
