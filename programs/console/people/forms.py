from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import EnrolmentStatus, Step

REASON_HELP = _("Elle est envoyée à la personne avec le message qui l'informe.")


class PeopleFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("tous"))] + list(EnrolmentStatus.choices)
    )
    etape = forms.TypedChoiceField(
        label=_("A terminé l'étape"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("peu importe"))] + [(step.value, f"{step.value}. {step.label}") for step in Step],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du retrait"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class TransferForm(forms.Form):
    to_session = forms.ModelChoiceField(label=_("Nouvelle session"), queryset=None, empty_label=None)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_session"].queryset = sessions
