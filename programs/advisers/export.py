"""The XLSX export of an adviser's table: written row by row (openpyxl write-only), then streamed.

Rows are read with a server-side cursor (`iterator`), so memory stays flat for a 10,000-person
session; the workbook is written to a temporary file that the response streams in chunks. Every
cell goes through `declics.exports` (a name starting with "=" is text, never a formula).
"""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.exports import write_xlsx

from ..models import Step
from . import dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("Prénom et nom"),
        _("E-mail ou téléphone"),
        _("Commune"),
        _("QPV ou FRR/ZRR"),
        _("Étape en cours"),
        *[_("Étape %(n)s") % {"n": step.value} for step in Step],
        _("Dernière activité"),
        _("Bloqué·e"),
    ]


def rows(*, session, people, now, open_steps):
    for enrolment in people.iterator(chunk_size=2000):
        row = dashboard.build_row(enrolment, session=session, now=now, open_steps=open_steps)
        last = timezone.localtime(row.last_activity_at).replace(tzinfo=None) if row.last_activity_at else None
        yield [
            row.name,
            row.email,
            row.commune,
            row.zone,
            row.current_step_label,
            *[label for _n, _state, label in row.states],
            last,
            _("oui") if row.stuck else _("non"),
        ]


def write_workbook(file, *, session, people, now, open_steps) -> int:
    """Write the workbook to `file`; returns the number of people written."""
    return write_xlsx(
        file,
        title=_("Personnes"),
        header=header(),
        rows=rows(session=session, people=people, now=now, open_steps=open_steps),
    )


def xlsx_response(*, session, people, now, open_steps) -> FileResponse:
    file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once streamed
    write_workbook(file, session=session, people=people, now=now, open_steps=open_steps)
    file.seek(0)
    filename = f"declics-{session.slug}-{timezone.localdate(now).isoformat()}.xlsx"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
