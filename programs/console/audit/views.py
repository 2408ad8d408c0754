from django.core.paginator import Paginator
from django.shortcuts import render

from declics.accounts.permissions import staff_required

from . import selectors
from .forms import AuditFilterForm

PAGE_SIZE = 50


@staff_required
def audit_log(request):
    """The team's actions, newest first: three queries whatever the rows (the team for the filter,
    the count, the page), plus the login session and user."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(selectors.entries(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "action": selectors.ACTIONS.get(entry.action, ""),
            "changes": selectors.changes(entry),
        }
        for entry in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/console/audit/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
