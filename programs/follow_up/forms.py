from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ContractKind, Situation, Step

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class SatisfactionForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_(
            "Dans l'ensemble, quelle note donnez-vous au parcours ? "
            "(1 : pas du tout satisfait·e, 5 : très satisfait·e)"
        ),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Recommanderiez-vous DéClics à une personne de votre entourage ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step in Step:
            self.fields[f"step_{step.value}"] = forms.TypedChoiceField(
                label=_("Utilité de l'étape %(n)s, « %(label)s » (1 à 5)")
                % {"n": step.value, "label": step.label},
                choices=[("", _("Je n'y ai pas participé"))] + SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.order_fields(["overall", *[f"step_{s.value}" for s in Step], "would_recommend", "comment"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def step_usefulness(self) -> dict[int, int]:
        return {
            step.value: self.cleaned_data[f"step_{step.value}"]
            for step in Step
            if self.cleaned_data.get(f"step_{step.value}") is not None
        }


class FollowUpForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Quelle est votre situation aujourd'hui ?"),
        choices=Situation.choices,
        widget=forms.RadioSelect,
    )
    contract = forms.ChoiceField(
        label=_("Si vous êtes en emploi : quel contrat ?"),
        choices=[("", "—"), *ContractKind.choices],
        required=False,
    )
    rome_code = forms.RegexField(
        label=_("Si vous êtes en emploi : code ROME du métier (facultatif, par exemple M1805)"),
        regex=r"^[A-Na-n]\d{4}$",
        required=False,
        max_length=5,
        error_messages={
            "invalid": _("Un code ROME s'écrit avec une lettre et quatre chiffres, par exemple M1805.")
        },
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("situation") == Situation.JOB and not cleaned.get("contract"):
            self.add_error("contract", _("Indiquez le type de contrat."))
        return cleaned
