from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import AcceptInvitationForm, InvitationForm, ProfileForm
from .models import Invitation
from .permissions import staff_required


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos informations sont enregistrées."))
        return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@staff_required
def invitations(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_user(invited_by=request.user, **form.cleaned_data)
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    pending = Invitation.objects.pending().select_related("invited_by")[:100]
    status = 400 if request.method == "POST" else 200
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
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Bienvenue %(name)s, votre compte est prêt.") % {"name": user.first_name}
            )
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}, status=status
    )
