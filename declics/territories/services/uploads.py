"""The QPV and FRR/ZRR lists uploaded from the staff console, imported by a Celery task.

The import is `import_qpvs` / `import_rural_zones` (the commands' own functions), with
`replace_previous`: one transaction, so a refused file leaves the previous lists in force. The
progress is the row's status (queued, running, then imported or refused), written outside that
transaction so the page shows it while the import runs; the report is written with the outcome.
"""

import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.queueing import enqueue_on_commit

from ..models import ZoningImport
from .zoning import ImportReport, TerritoryImportError, import_qpvs, import_rural_zones

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the national QPV list is about 1 MB, the FRR one under 2 MB


@transaction.atomic
def queue_zoning_import(
    *,
    kind: str,
    content: bytes,
    filename: str,
    valid_from: date,
    valid_to: date | None = None,
    source: str,
    classification: str = "",
    by=None,
) -> ZoningImport:
    """Keep the uploaded file and queue its import once this transaction commits."""
    from ..tasks import task_run_zoning_import

    upload = ZoningImport.objects.create(
        kind=kind,
        classification=classification if kind == ZoningImport.Kind.RURAL else "",
        content=content,
        filename=filename[:255],
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        created_by=by,
    )
    enqueue_on_commit(task_run_zoning_import, import_id=upload.pk)
    return upload


def _claim(import_id: int, now: datetime) -> ZoningImport | None:
    with transaction.atomic():
        upload = ZoningImport.objects.select_for_update().filter(pk=import_id).first()
        if upload is None or upload.status != ZoningImport.Status.QUEUED:
            return None  # gone, or taken by another run of the task
        upload.status = ZoningImport.Status.RUNNING
        upload.started_at = now
        upload.save(update_fields=["status", "started_at"])
        return upload


def _import(upload: ZoningImport) -> ImportReport:
    common = {
        "source_file": bytes(upload.content),
        "valid_from": upload.valid_from,
        "valid_to": upload.valid_to,
        "source": upload.source,
        "replace_previous": True,
    }
    if upload.kind == ZoningImport.Kind.QPV:
        return import_qpvs(**common)
    return import_rural_zones(classification=upload.classification, **common)


def run_zoning_import(*, import_id: int, now: datetime | None = None) -> ZoningImport | None:
    """Import an uploaded list once: a second run of the task finds it taken and does nothing."""
    upload = _claim(import_id, now or timezone.now())
    if upload is None:
        return None
    fields = ["status", "finished_at"]
    try:
        report = _import(upload)
    except TerritoryImportError as error:
        upload.status, upload.error = ZoningImport.Status.FAILED, str(error)
        fields.append("error")
    except Exception:
        logger.exception("zoning import failed", extra={"import_id": import_id})
        upload.status = ZoningImport.Status.FAILED
        upload.error = _("L'import a échoué sur une erreur inattendue : rien n'a été modifié. Réessayez.")
        fields.append("error")
    else:
        upload.status = ZoningImport.Status.DONE
        upload.rows_read = report.rows_read
        upload.created, upload.updated, upload.unchanged = report.created, report.updated, report.unchanged
        upload.superseded = report.superseded
        upload.refused = [
            {"line": line, "reason": _("code INSEE %(code)s inconnu : ligne ignorée") % {"code": code}}
            for line, code in report.unknown_codes
        ]
        fields += ["rows_read", "created", "updated", "unchanged", "superseded", "refused"]
    upload.finished_at = timezone.now()
    upload.save(update_fields=fields)
    return upload
