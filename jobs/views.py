"""What the two rooms' pages share: a partner's home and dashboard, and the helpers of the
job-seeker pages of steps 5 and 6.

A partner's dashboard shows the block of the room its kind belongs to (training bodies: step 5,
`jobs.trainings`; companies: step 6, `jobs.offers`). Each room registers its block when its app
loads (`register_dashboard_section`), so this base imports neither room.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Invitation, Role
from declics.accounts.permissions import role_required, staff_required
from declics.accounts.services import InvitationError
from declics.errors import form_error, form_status

from . import selectors, services
from .forms import PartnerForm, PartnerInviteForm, PartnerLinkForm, PartnerMemberForm, PartnerSearchForm
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


# --- Staff: partners and their users (/emplois/equipe/partenaires/…) -------------------------------


@staff_required
def staff_partners(request):
    """Every partner, by name or SIRET and kind, with its number of users (constant queries)."""
    form = PartnerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = selectors.partners_for_staff(query=filters.get("q", ""), kind=filters.get("kind", ""))
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/staff/partners.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _save_partner(request, form):
    partner = form.save(commit=False)
    return services.save_partner(
        partner=partner,
        by=request.user,
        regions=form.cleaned_data["regions"],
        communes=form.cleaned_data["communes"],
    )


@staff_required
def staff_partner_create(request):
    form = PartnerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = _save_partner(request, form)
        except services.PartnerError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Le partenaire %(name)s est créé.") % {"name": partner.name})
            return redirect("jobs:staff_partner", partner_id=partner.pk)
    return render(request, "jobs/staff/partner_create.html", {"form": form}, status=form_status(form))


def _partner_page(request, partner, *, form=None, invite_form=None, link_form=None):
    forms = {
        "form": form or PartnerForm(instance=partner),
        "invite_form": invite_form or PartnerInviteForm(),
        "link_form": link_form or PartnerLinkForm(),
    }
    context = {
        "partner": partner,
        "members": partner.memberships.select_related("user").order_by("user__last_name", "user__email"),
        "pending": Invitation.objects.pending().filter(partner_invitation__partner=partner).order_by("email"),
        **forms,
    }
    return render(request, "jobs/staff/partner.html", context, status=form_status(*forms.values()))


@staff_required
def staff_partner(request, partner_id):
    """A partner's details (edited here), its users, pending invitations, and the forms to add one."""
    partner = get_object_or_404(Partner, pk=partner_id)
    if request.method != "POST":
        return _partner_page(request, partner)
    form = PartnerForm(request.POST, request.FILES or None, instance=partner)
    if form.is_valid():
        try:
            _save_partner(request, form)
        except services.PartnerError as error:
            form_error(form, error, field="kind")
        else:
            messages.success(request, _("Les informations du partenaire sont enregistrées."))
            return redirect("jobs:staff_partner", partner_id=partner.pk)
    partner.refresh_from_db()
    return _partner_page(request, partner, form=form)


@staff_required
@require_POST
def staff_partner_invite(request, partner_id):
    partner = get_object_or_404(Partner, pk=partner_id)
    form = PartnerInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_partner_user(partner=partner, by=request.user, **form.cleaned_data)
        except (services.PartnerError, InvitationError) as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s : son compte sera rattaché à %(name)s.")
                % {"email": invitation.email, "name": partner.name},
            )
            return redirect("jobs:staff_partner", partner_id=partner.pk)
    return _partner_page(request, partner, invite_form=form)


@staff_required
@require_POST
def staff_partner_link(request, partner_id):
    partner = get_object_or_404(Partner, pk=partner_id)
    form = PartnerLinkForm(request.POST)
    if form.is_valid():
        try:
            membership = services.link_partner_user(
                partner=partner, email=form.cleaned_data["email"], by=request.user
            )
        except services.PartnerError as error:
            form_error(form, error, field="email")
        else:
            messages.success(
                request,
                _("%(user)s est rattaché·e à %(name)s ; un e-mail l'en informe.")
                % {"user": membership.user, "name": partner.name},
            )
            return redirect("jobs:staff_partner", partner_id=partner.pk)
    return _partner_page(request, partner, link_form=form)


@staff_required
@require_POST
def staff_partner_unlink(request, partner_id):
    partner = get_object_or_404(Partner, pk=partner_id)
    form = PartnerMemberForm(request.POST)
    if not form.is_valid():
        raise services.PartnerError(_("Choisissez le compte à retirer."), status=400)
    membership = get_object_or_404(
        partner.memberships.select_related("user"), user_id=form.cleaned_data["user"]
    )
    services.unlink_partner_user(partner=partner, user=membership.user, by=request.user)
    messages.success(
        request,
        _("%(user)s n'est plus rattaché·e à %(name)s.") % {"user": membership.user, "name": partner.name},
    )
    return redirect("jobs:staff_partner", partner_id=partner.pk)
