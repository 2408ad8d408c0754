"""What the two rooms' pages share: a partner's home and dashboard, and the helpers of the
job-seeker pages of steps 5 and 6.

A partner's dashboard shows the block of the room its kind belongs to (training bodies: step 5,
`jobs.trainings`; companies: step 6, `jobs.offers`). Each room registers its block when its app
loads (`register_dashboard_section`), so this base imports neither room.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, redirect, render

from declics.accounts.models import Role
from declics.accounts.permissions import role_required

from . import selectors
from .models import Partner

PAGE_SIZE = 20

partner_required = role_required(Role.PARTNER)


def job_codes(job: str, suggested: list[str]) -> list[str] | None:
    if job == "suggested":
        return suggested
    return [job] if job else None


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def partner_or_404(request, partner_id) -> Partner:
    return get_object_or_404(selectors.partners_managed_by(request.user), pk=partner_id)


@dataclass(frozen=True)
class DashboardSection:
    """A room's block of a partner's dashboard: its template and the context it reads."""

    template: str
    context: Callable[[Partner], dict]


DASHBOARD_SECTIONS: dict[str, DashboardSection] = {}


def register_dashboard_section(kind: str, *, template: str, context: Callable[[Partner], dict]) -> None:
    """Called by a room's AppConfig.ready(): the block shown on the dashboard of partners of `kind`."""
    DASHBOARD_SECTIONS[kind] = DashboardSection(template=template, context=context)


@partner_required
def partner_home(request):
    """A partner user goes to their partner's page; staff choose a partner."""
    partner = selectors.partner_of(request.user)
    if partner is not None:
        return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    partners = selectors.partners_managed_by(request.user).order_by("kind", "name")
    return render(request, "jobs/partner/home.html", {"partners": partners})


@partner_required
def partner_dashboard(request, partner_id):
    partner = partner_or_404(request, partner_id)
    section = DASHBOARD_SECTIONS[partner.kind]
    context = {"partner": partner, "section_template": section.template, **section.context(partner)}
    return render(request, "jobs/partner/dashboard.html", context)
