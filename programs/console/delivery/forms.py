from django import forms
from django.utils.translation import gettext_lazy as _

from declics.notifications.models import OutboxMessage


class DeliveryFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous"))] + list(OutboxMessage.Status.choices),
    )
    canal = forms.ChoiceField(
        label=_("Canal"),
        required=False,
        choices=[("", _("Tous"))] + list(OutboxMessage.Channel.choices),
    )
    destinataire = forms.CharField(
        label=_("Destinataire (adresse e-mail ou numéro)"), required=False, max_length=254
    )
