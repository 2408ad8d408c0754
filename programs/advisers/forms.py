from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.accounts.models import Role, User
from declics.territories.models import Departement

from ..models import Agency, AgencyKind, Step
from .dashboard import SORTS


class PeopleFilterForm(forms.Form):
    """The table's filters, read from the query string (the export uses the same ones)."""

    q = forms.CharField(label=_("Rechercher (nom, e-mail)"), required=False, max_length=100)
    etape = forms.TypedChoiceField(
        label=_("Étape en cours"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Toutes"))]
        + [(step.value, format_lazy("{}. {}", step.value, step.label)) for step in Step]
        + [(len(Step) + 1, _("Parcours terminé"))],
    )
    bloque = forms.BooleanField(label=_("Seulement les personnes bloquées"), required=False)
    commune = forms.CharField(label=_("Commune (nom ou code INSEE)"), required=False, max_length=100)
    zone = forms.ChoiceField(
        label=_("Quartier ou zone rurale"),
        required=False,
        choices=[("", _("Tous")), ("qpv", _("QPV")), ("frr", _("FRR/ZRR"))],
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("nom", _("nom (A → Z)")),
            ("-nom", _("nom (Z → A)")),
            ("etape", _("étape (la moins avancée d'abord)")),
            ("-etape", _("étape (la plus avancée d'abord)")),
            ("activite", _("dernière activité (la plus ancienne d'abord)")),
            ("-activite", _("dernière activité (la plus récente d'abord)")),
        ],
    )

    def clean_tri(self):
        value = self.cleaned_data["tri"]
        return value if value in SORTS else "nom"


class InviteJobSeekersForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses e-mail"),
        help_text=_("Une adresse par ligne (50 au plus). Chaque personne reçoit votre lien d'invitation."),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def email_list(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        return [line for line in raw.splitlines() if line.strip()]


class InviteByPhoneForm(forms.Form):
    """Mobile numbers, one per line; posted with the prefix "sms" next to the e-mail form."""

    phones = forms.CharField(
        label=_("Numéros de portable"),
        help_text=_(
            "Un numéro par ligne (50 au plus), par exemple 06 12 34 56 78. Chaque personne reçoit "
            "un SMS avec un lien court pour s'inscrire : elle vous est rattachée."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "inputmode": "tel"}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "sms")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def phone_list(self) -> list[str]:
        raw = self.cleaned_data["phones"].replace(",", "\n").replace(";", "\n")
        return [line for line in raw.splitlines() if line.strip()]


class AgencyForm(bounded.ModelForm):
    class Meta(bounded.ModelForm.Meta):
        model = Agency
        fields = ["name", "kind", "departement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.order_by("code")
        self.fields["kind"].choices = AgencyKind.choices
        self.helper = FormHelper()
        self.helper.form_tag = False


class InviteAdviserForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Adresse e-mail"))
    agency = forms.ModelChoiceField(label=_("Agence"), queryset=Agency.objects.none())
    is_head = forms.BooleanField(
        label=_("Responsable de l'agence (voit toutes les personnes de l'agence)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.select_related("departement").order_by(
            "departement__code", "name"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class AttachAdviserForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du compte conseiller·ère"))
    agency = forms.ModelChoiceField(label=_("Agence"), queryset=Agency.objects.none())
    is_head = forms.BooleanField(label=_("Responsable de l'agence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.select_related("departement").order_by(
            "departement__code", "name"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.user = User.objects.filter(email__iexact=email, role=Role.ADVISER).first()
        if self.user is None:
            raise forms.ValidationError(_("Aucun compte conseiller·ère avec cette adresse."))
        return email
