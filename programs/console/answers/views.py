"""Reading the answers of a session: the page, with filters, and the same rows as a spreadsheet.

Staff only. The rows come from `selectors.answers` (the spine's surveys and each step's feedback
through the registry); the spreadsheet is written by `declics.exports` (no cell is ever a formula).
"""

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from declics.accounts.permissions import staff_required
from declics.errors import DomainError
from declics.exports import write_xlsx
from programs.models import Session

from . import selectors
from .forms import AnswersFilterForm

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> tuple[AnswersFilterForm, dict]:
    form = AnswersFilterForm(request.GET or None, kinds=selectors.kind_choices())
    if not request.GET or not form.is_valid():
        return form, {}
    data = form.cleaned_data
    return form, {
        "kind": data["kind"],
        "since": data["since"],
        "until": data["until"],
        "with_text": data["with_text"],
    }


@staff_required
@require_GET
def answers(request, slug):
    """One query for the session and one per kind of answers read, whatever the number of rows."""
    session = get_object_or_404(Session.objects.all(), slug=slug)
    form, filters = _filters(request)
    found = selectors.answers(session, **filters)
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/console/answers/list.html",
        {
            "session": session,
            "form": form,
            "page": page,
            "truncated": found.truncated,
            "query": query.urlencode(),
            "limit": selectors.MAX_ROWS_PER_KIND,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@require_GET
def export(request, slug):
    session = get_object_or_404(Session.objects.all(), slug=slug)
    form, filters = _filters(request)
    if form.is_bound and form.errors:
        # A spreadsheet is all or nothing: wrong filters are refused (400, DomainErrorMiddleware).
        raise DomainError(_("Ces filtres ne sont pas valides."), status=400)
    found = selectors.answers(session, **filters)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once streamed
    write_xlsx(
        file,
        title=_("Réponses"),
        header=[_("Date"), _("Type"), _("Personne"), _("Rôle"), _("Sujet"), _("Réponse"), _("Commentaire")],
        rows=(
            [
                timezone.localtime(row.answered_at).replace(tzinfo=None) if row.answered_at else None,
                row.kind_label,
                row.respondent,
                row.role,
                row.about,
                row.rating,
                row.text,
            ]
            for row in found.rows
        ),
    )
    file.seek(0)
    filename = f"declics-{session.slug}-reponses-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
