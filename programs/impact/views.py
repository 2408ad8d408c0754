"""The impact dashboard (staff) and the public summary of a closed session."""

from django.shortcuts import get_object_or_404, render

from declics.accounts.permissions import staff_required

from ..models import Enrolment, Session, SessionStatus, SurveyKind
from . import impact
from .forms import ImpactFilterForm


@staff_required
def impact_dashboard(request):
    form = ImpactFilterForm(request.GET or None)
    enrolments = impact.participants(Enrolment.objects.all())
    grouping = "session"
    scope = (None, None, None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        scope = (
            data["session"] and data["session"].pk,
            data["region"] and data["region"].pk,
            data["departement"] and data["departement"].pk,
        )
        if data["session"]:
            enrolments = enrolments.filter(session=data["session"])
        if data["region"]:
            enrolments = enrolments.filter(session__region=data["region"])
        if data["departement"]:
            enrolments = enrolments.filter(commune__departement=data["departement"])
        grouping = data["par"] or "session"
    summary, groups = impact.cached(
        key=f"dashboard:{':'.join(map(str, scope))}:{grouping}",
        compute=lambda: impact.compute_with_total(enrolments=enrolments, grouping=grouping),
    )
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
    session = get_object_or_404(
        Session.objects.published()
        .filter(status__in=(SessionStatus.CLOSED, SessionStatus.ARCHIVED))
        .select_related("region"),
        slug=slug,
    )
    rows = impact.cached(
        key=f"session:{session.pk}",
        compute=lambda: impact.compute(
            enrolments=impact.participants(Enrolment.objects.filter(session=session)),
            rqth=False,  # disability stays with staff: not published, so not part of the table
        ),
    )
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
