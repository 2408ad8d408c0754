"""Form pieces shared by the two rooms: the crispy helper, towns typed as codes, the digital-job choices."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.rome.models import RomeJob
from declics.territories.models import Commune, Region

from .models import Partner, PartnerKind


def form_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def resolve_commune(token: str) -> Commune:
    """A commune from its INSEE code or a postal code that names only one commune."""
    token = token.strip()
    communes = Commune.objects.current().select_related("departement")
    if len(token) != 5:
        raise forms.ValidationError(
            _("« %(value)s » : indiquez un code INSEE ou un code postal à 5 caractères."),
            params={"value": token},
        )
    found = list(communes.filter(code=token)[:1])
    if not found:
        found = list(communes.filter(postal_codes__contains=token)[:5])
        found = [commune for commune in found if token in commune.postal_code_list]
    if not found:
        raise forms.ValidationError(
            _("Aucune commune ne correspond à « %(value)s »."), params={"value": token}
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Le code postal %(value)s désigne plusieurs communes (%(names)s) : indiquez le code INSEE."),
            params={"value": token, "names": ", ".join(f"{c.name} {c.code}" for c in found)},
        )
    return found[0]


class CommunesField(forms.CharField):
    """Towns typed as INSEE or postal codes separated by commas; works without JavaScript.

    (To be replaced by the territories app's autocomplete `CommuneField` once it exists.)
    """

    def __init__(self, *, many: bool = True, **kwargs):
        self.many = many
        kwargs.setdefault(
            "help_text",
            _("Codes INSEE ou codes postaux, séparés par des virgules (par exemple 34172, 31000).")
            if many
            else _("Code INSEE ou code postal (par exemple 34172 pour Montpellier)."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return value.code
        if isinstance(value, list | tuple) or hasattr(value, "__iter__") and not isinstance(value, str):
            return ", ".join(
                commune.code if isinstance(commune, Commune) else str(commune) for commune in value
            )
        return value

    def clean(self, value):
        value = super().clean(value)
        tokens = [token for token in (value or "").replace(";", ",").split(",") if token.strip()]
        if not self.many and len(tokens) > 1:
            raise forms.ValidationError(_("Une seule commune."))
        communes = [resolve_commune(token) for token in tokens]
        return communes if self.many else (communes[0] if communes else None)


def digital_job_choices(*, with_suggested: bool, blank_label):
    choices = [("", blank_label)]
    if with_suggested:
        choices.append(("suggested", _("Les métiers suggérés par mon bilan")))
    choices += [(job.code, job.label) for job in RomeJob.objects.digital().only("code", "label")]
    return choices


# --- Staff: partners and their users ---------------------------------------------------------------


class PartnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou SIRET"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Tous")), *PartnerKind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PartnerForm(bounded.ModelForm):
    website = forms.URLField(label=_("Site internet"), required=False, assume_scheme="https")
    regions = forms.ModelMultipleChoiceField(
        label=_("Régions"),
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    communes = CommunesField(label=_("Villes (organismes de formation)"), required=False)

    class Meta(bounded.ModelForm.Meta):
        model = Partner
        fields = [
            "kind",
            "name",
            "siret",
            "sector",
            "logo",
            "regions",
            "qualiopi",
            "communes",
            "website",
            "contact_email",
        ]
        help_texts = {"siret": _("14 chiffres, sans espace.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["communes"] = list(self.instance.communes.all())
        self.helper = form_helper()

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())


class PartnerInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Adresse e-mail"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PartnerLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail du compte"),
        help_text=_("Un compte qui existe déjà, avec le rôle « Partenaire »."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PartnerMemberForm(forms.Form):
    """The member to detach, posted back in a hidden field."""

    user = bounded.IdField()
