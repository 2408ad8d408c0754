from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.errors import form_error, form_status

from . import selectors, services
from .forms import AcceptInvitationForm, InvitationForm, ProfileForm, RoleForm, UserChoiceForm, UserSearchForm
from .middleware import SETUP_NEXT_SESSION_KEY
from .models import Invitation, Role
from .permissions import staff_required


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos informations sont enregistrées."))
        return redirect("accounts:profile")
    status = form_status(form)
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@staff_required
def invitations(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_user(invited_by=request.user, **form.cleaned_data)
        except services.InvitationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    pending = Invitation.objects.pending().select_related("invited_by")[:100]
    status = form_status(form)
    return render(request, "accounts/invitations.html", {"form": form, "pending": pending}, status=status)


def accept_invitation(request, token):
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            form_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Bienvenue %(name)s, votre compte est prêt.") % {"name": user.first_name}
            )
            return redirect("home")
    status = form_status(form)
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}, status=status
    )


@login_required
def second_factor_continue(request):
    """After setting up the second factor (and noting the recovery codes): where the person was going."""
    next_url = request.session.pop(SETUP_NEXT_SESSION_KEY, "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(next_url)


# --- Staff: people, their role, deactivation --------------------------------------------------------

USERS_PAGE_SIZE = 25


@staff_required
def staff_users(request):
    """Every account, searched by name or address, filtered by role and state (constant queries)."""
    form = UserSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.users_for_staff(
        query=filters.get("q", ""), role=filters.get("role", ""), state=filters.get("state", "")
    )
    page = Paginator(users, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/staff/users.html",
        {"form": form, "page": page, "roles": Role.choices, "query": params.urlencode()},
    )


def _bound_or_refused(form):
    """The valid form, or a refusal (400) with its first message: these buttons have no page of their own."""
    if form.is_valid():
        return form
    message = next(iter(form.errors.values()))[0]
    raise services.AccountError(message, status=400)


@staff_required
@require_POST
def staff_user_role(request):
    form = _bound_or_refused(RoleForm(request.POST))
    user = services.change_role(
        user=form.cleaned_data["user"], role=form.cleaned_data["role"], by=request.user
    )
    messages.success(
        request,
        _("%(name)s est maintenant « %(role)s » ; un e-mail l'en informe.")
        % {"name": user, "role": user.get_role_display()},
    )
    return redirect("accounts:staff_users")


@staff_required
@require_POST
def staff_user_deactivate(request):
    form = _bound_or_refused(UserChoiceForm(request.POST))
    user = services.deactivate_user(user=form.cleaned_data["user"], by=request.user)
    messages.success(
        request, _("Le compte de %(name)s est désactivé ; un e-mail l'en informe.") % {"name": user}
    )
    return redirect("accounts:staff_users")


@staff_required
@require_POST
def staff_user_reactivate(request):
    form = _bound_or_refused(UserChoiceForm(request.POST))
    user = services.reactivate_user(user=form.cleaned_data["user"], by=request.user)
    messages.success(
        request, _("Le compte de %(name)s est de nouveau actif ; un e-mail l'en informe.") % {"name": user}
    )
    return redirect("accounts:staff_users")
