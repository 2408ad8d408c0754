from datetime import date, datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.territories.models import Commune
from programs.models import Session, SessionStatus

from .models import (
    ApplicationStatus,
    ContractType,
    JobOffer,
    RejectionReason,
    RomeJob,
    Training,
)
from .validators import validate_cv


def _helper() -> FormHelper:
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


class StartDatesField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(day.strftime("%d/%m/%Y") for day in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        days = []
        for token in (value or "").replace(";", ",").split(","):
            token = token.strip()
            if not token:
                continue
            try:
                days.append(datetime.strptime(token, "%d/%m/%Y").date())  # noqa: DTZ007 (a date, no time)
            except ValueError as error:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas une date au format jj/mm/aaaa."), params={"value": token}
                ) from error
        return days


def digital_job_choices(*, with_suggested: bool, blank_label):
    choices = [("", blank_label)]
    if with_suggested:
        choices.append(("suggested", _("Les métiers suggérés par mon bilan")))
    choices += [(job.code, job.label) for job in RomeJob.objects.digital().only("code", "label")]
    return choices


class TrainingSearchForm(forms.Form):
    WHERE_CHOICES = [
        ("", _("Peu importe où")),
        ("commune", _("Dans ma commune, ou à distance")),
        ("departement", _("Dans mon département, ou à distance")),
        ("distance", _("À distance seulement")),
    ]
    COST_CHOICES = [
        ("", _("Peu importe")),
        ("funded", _("Financée (CPF, France Travail, Région) ou gratuite")),
        ("free", _("Gratuite pour moi")),
    ]
    START_CHOICES = [
        ("", _("Peu importe")),
        ("1", _("Dans le mois qui vient")),
        ("3", _("Dans les 3 mois")),
        ("6", _("Dans les 6 mois")),
    ]
    job = forms.ChoiceField(label=_("Métier visé"), required=False)
    where = forms.ChoiceField(label=_("Où"), choices=WHERE_CHOICES, required=False)
    cost = forms.ChoiceField(label=_("Coût"), choices=COST_CHOICES, required=False)
    start = forms.ChoiceField(label=_("Début de la formation"), choices=START_CHOICES, required=False)
    gen_label = forms.BooleanField(label=_("Label Grande École du Numérique"), required=False)
    disability_accessible = forms.BooleanField(label=_("Accessible en situation de handicap"), required=False)

    def __init__(self, *args, with_suggested=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = digital_job_choices(
            with_suggested=with_suggested, blank_label=_("Tous les métiers du numérique")
        )
        self.helper = _helper()
        self.helper.form_method = "get"


class OfferSearchForm(forms.Form):
    WHERE_CHOICES = [
        ("", _("Tout le territoire de ma session")),
        ("commune", _("Dans ma commune, ou en télétravail")),
        ("departement", _("Dans mon département, ou en télétravail")),
        ("remote", _("En télétravail seulement")),
    ]
    job = forms.ChoiceField(label=_("Métier"), required=False)
    where = forms.ChoiceField(label=_("Où"), choices=WHERE_CHOICES, required=False)
    contract = forms.ChoiceField(
        label=_("Contrat"), choices=[("", _("Tous les contrats")), *ContractType.choices], required=False
    )

    def __init__(self, *args, with_suggested=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = digital_job_choices(
            with_suggested=with_suggested, blank_label=_("Tous les métiers du numérique")
        )
        self.helper = _helper()


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour l'organisme (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'organisme reçoive mon nom et mon adresse e-mail pour me contacter."),
        required=True,
        error_messages={"required": _("Cochez cette case pour que l'organisme puisse vous contacter.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message à l'entreprise"),
        help_text=_("Quelques phrases : pourquoi ce poste vous intéresse, ce que vous savez faire."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
    )
    cv = forms.FileField(
        label=_("Votre CV"),
        help_text=_("Un fichier PDF ou Word (.docx), 5 Mo au maximum."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'entreprise reçoive mon nom, mon adresse e-mail, mon message et mon CV."),
        required=True,
        error_messages={"required": _("Cochez cette case pour envoyer votre candidature.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        validate_cv(cv)
        return cv


class TrainingForm(bounded.ModelForm):
    rome_jobs = forms.ModelMultipleChoiceField(
        label=_("Métiers visés"),
        queryset=RomeJob.objects.digital(),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    communes = CommunesField(label=_("Villes"), required=False)
    url = forms.URLField(label=_("Lien vers la formation"), required=False, assume_scheme="https")
    start_dates = StartDatesField(
        label=_("Prochaines dates de début"),
        required=False,
        help_text=_("Au format jj/mm/aaaa, séparées par des virgules."),
    )

    class Meta(bounded.ModelForm.Meta):
        model = Training
        fields = [
            "title", "summary", "rome_jobs", "certification_code", "level", "duration_hours", "format",
            "communes", "cost_eur", "is_free", "funding_cpf", "funding_aif", "funding_region", "gen_label",
            "disability_accessible", "url", "is_published",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["communes"] = list(self.instance.communes.all())
            self.initial["start_dates"] = [start.starts_on for start in self.instance.start_dates.all()]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("format") in ("on_site", "mixed") and not data.get("communes"):
            self.add_error(
                "communes", _("Indiquez au moins une ville pour une formation sur place ou mixte.")
            )
        return data


class JobOfferForm(bounded.ModelForm):
    commune = CommunesField(label=_("Ville"), many=False, required=False)
    rome_job = forms.ModelChoiceField(label=_("Métier (ROME)"), queryset=RomeJob.objects.digital())

    class Meta(bounded.ModelForm.Meta):
        model = JobOffer
        fields = [
            "title", "rome_job", "contract", "commune", "is_remote", "hours", "salary_min", "salary_max",
            "description", "requirements", "starts_on", "expires_on", "positions", "is_published",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not data.get("commune") and not data.get("is_remote"):
            self.add_error("commune", _("Indiquez la ville du poste, ou cochez « télétravail complet »."))
        low, high = data.get("salary_min"), data.get("salary_max")
        if low and high and low > high:
            self.add_error("salary_max", _("Le salaire maximum doit être supérieur au minimum."))
        expires_on = data.get("expires_on")
        if expires_on and not self.instance.pk and expires_on < timezone.localdate():
            self.add_error("expires_on", _("La date limite de candidature est déjà passée."))
        return data


class MeetingSlotForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.filter(status__in=[SessionStatus.REGISTRATION_OPEN, SessionStatus.RUNNING]),
    )
    training = forms.ModelChoiceField(
        label=_("Formation présentée (facultatif)"), queryset=Training.objects.none(), required=False
    )
    starts_at = bounded.DateTimeField(
        label=_("Début"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=5, max_value=180, initial=20)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=1)
    video_url = forms.URLField(label=_("Lien de la visioconférence"), assume_scheme="https")

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = body.trainings.all()
        self.helper = _helper()


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvelle étape"), choices=[])
    reason = forms.ChoiceField(
        label=_("Raison montrée à la personne (si non retenue)"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    message = forms.CharField(
        label=_("Message à la personne (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, allowed: set, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status in ApplicationStatus if status in allowed
        ]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("status") == ApplicationStatus.NOT_SELECTED and not data.get("reason"):
            self.add_error("reason", _("Choisissez la raison qui sera montrée à la personne."))
        return data


def start_limit(months: str) -> date | None:
    if not months:
        return None
    today = timezone.localdate()
    month = today.month - 1 + int(months)
    year = today.year + month // 12
    month = month % 12 + 1
    day = min(today.day, 28)
    return date(year, month, day)
