from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import normalise_french_mobile


class MobilePhoneField(forms.CharField):
    """A French mobile number (metropolitan or overseas), cleaned to E.164; a landline is refused
    with its own message, since codes and reminders go to it by SMS."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Numéro de portable"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_french_mobile(value) if value else value
