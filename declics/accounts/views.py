from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from declics.errors import form_error, form_status

from . import services
from .forms import AcceptInvitationForm, InvitationForm, ProfileForm
from .middleware import SETUP_NEXT_SESSION_KEY
from .models import Invitation
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
