from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.rome.models import RomeJob
from jobs.forms import CommunesField, digital_job_choices, form_helper
from programs.models import Session, SessionStatus

from .models import Training


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


class TrainingSearchForm(forms.Form):
    WHERE_CHOICES = [
        ("", _("Peu importe où")),
        ("commune", _("Dans ma commune, ou à distance")),
        ("departement", _("Dans mon département, ou à distance")),
        ("distance", _("À distance seulement")),
    ]
    COST_CHOICES = [
        ("", _("Peu importe")),
        ("funded", _("Gratuite ou payée pour vous (compte formation CPF, France Travail, Région)")),
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
        self.helper = form_helper()
        self.helper.form_method = "get"


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Un mot pour l'organisme (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    consent = forms.BooleanField(
        label=_("L'organisme peut avoir mon nom et mon e-mail pour me joindre. J'accepte."),
        required=True,
        error_messages={"required": _("Cochez cette case pour que l'organisme puisse vous contacter.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


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
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if data.get("format") in ("on_site", "mixed") and not data.get("communes"):
            self.add_error(
                "communes", _("Indiquez au moins une ville pour une formation sur place ou mixte.")
            )
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
        widget=bounded.DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=5, max_value=180, initial=20)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=1)
    video_url = forms.URLField(label=_("Lien de la visioconférence"), assume_scheme="https")

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = body.trainings.all()
        self.helper = form_helper()


class MeetingSlotChangeForm(forms.Form):
    """The training body moves a slot (new date, time, length) or changes its seats."""

    starts_at = bounded.DateTimeField(
        label=_("Date et heure de début"),
        widget=bounded.DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=5, max_value=180)
    seats = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=100,
        help_text=_("Jamais moins que les places déjà prises."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class MeetingSlotCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("La raison, pour les personnes inscrites"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Dites en quelques mots pourquoi la rencontre est annulée.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


def start_limit(months: str) -> date | None:
    if not months:
        return None
    today = timezone.localdate()
    month = today.month - 1 + int(months)
    year = today.year + month // 12
    month = month % 12 + 1
    day = min(today.day, 28)
    return date(year, month, day)
