from django import forms
from django.utils.translation import gettext_lazy as _

from declics.territories.models import Departement, Region

from ..models import Session


class ImpactFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    region = forms.ModelChoiceField(label=_("Région"), queryset=Region.objects.none(), required=False)
    departement = forms.ModelChoiceField(
        label=_("Département des personnes"), queryset=Departement.objects.none(), required=False
    )
    par = forms.ChoiceField(
        label=_("Détail par"),
        required=False,
        choices=[("session", _("session")), ("region", _("région")), ("departement", _("département"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.published().order_by("-starts_at")
        self.fields["region"].queryset = (
            Region.objects.filter(sessions__isnull=False).distinct().order_by("name")
        )
        self.fields["departement"].queryset = (
            Departement.objects.filter(sessions__isnull=False).distinct().order_by("code")
        )
