from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
