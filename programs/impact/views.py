"""The impact dashboard (staff) and the public summary of a closed session."""

from django.shortcuts import get_object_or_404, render

from declics.accounts.permissions import staff_required

from ..models import SurveyKind
from . import impact, selectors
from .forms import ImpactFilterForm


@staff_required
def impact_dashboard(request):
    form = ImpactFilterForm(request.GET or None)
    scope, grouping = {}, "session"
    if request.GET and form.is_valid():
        data = form.cleaned_data
        scope = {name: data[name] for name in ("session", "region", "departement")}
        grouping = data["par"] or "session"
    summary, groups = impact.dashboard_figures(**scope, grouping=grouping)
    summary = summary if groups else None
    return render(
        request,
        "programs/impact/dashboard.html",
        {
            "form": form,
            "summary": summary,
            "groups": groups,
            "grouping": grouping,
            "charts": impact.chart_data(summary) if summary else None,
            "age_bands": impact.AGE_BANDS,
            "kinds": (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6),
        },
    )


def impact_session(request, slug):
    """Public figures of a closed session: aggregates only, small groups suppressed."""
    session = get_object_or_404(selectors.public_summary_sessions(), slug=slug)
    rows = impact.session_figures(session)
    summary = rows[0] if rows else None
    return render(
        request,
        "programs/impact/session.html",
        {
            "session": session,
            "summary": summary,
            "charts": impact.chart_data(summary) if summary else None,
            "age_bands": impact.AGE_BANDS,
            "kinds": (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6),
        },
    )
