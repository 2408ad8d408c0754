"""A person's own data: see what is kept, download it, delete the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import privacy as privacy_rules

CONFIRMATION_WORD = "SUPPRIMER"


class DeleteAccountForm(forms.Form):
    """The person confirms with their password, or by typing a word when they have none."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=gettext_lazy("Votre mot de passe, pour confirmer"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=gettext_lazy("Écrivez %(word)s pour confirmer") % {"word": CONFIRMATION_WORD},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password

    def clean_confirmation(self):
        confirmation = self.cleaned_data["confirmation"]
        if confirmation.strip().upper() != CONFIRMATION_WORD:
            message = _("Écrivez %(word)s en toutes lettres.") % {"word": CONFIRMATION_WORD}
            raise forms.ValidationError(message)
        return confirmation


@login_required
@require_GET
def privacy(request):
    return render(request, "accounts/privacy_data.html")


@login_required
@require_GET
def privacy_export(request):
    content = privacy_rules.export_zip(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"declics-mes-donnees-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def privacy_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_rules.erase_user(user=request.user)
        except privacy_rules.ErasureError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Votre compte est supprimé et vos données personnelles effacées."))
            return redirect("accounts:privacy_deleted")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/privacy_delete.html", {"form": form}, status=status)


@require_GET
def privacy_deleted(request):
    return render(request, "accounts/privacy_deleted.html")
