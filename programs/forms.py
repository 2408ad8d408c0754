from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.forms import DateTimeInput
from declics.territories.forms import CommuneField
from declics.territories.models import QPV, Commune, Departement, Region
from declics.territories.selectors import qpvs_for_commune, search_communes
from declics.territories.text import normalize_name
from declics.territories.widgets import commune_label

from .models import JobSeekerProfile, Session, Step
from .services import SessionError, calendar_errors, copy_session_calendar
from .services.eligibility import outside_territory_reason

NO_QPV = "none"


class EligibilityForm(forms.Form):
    """The commune (typed, then picked in the list, or among radio buttons without JavaScript),
    then the QPV when the commune has some.

    The commune field offers only the communes of the session's départements. A name found only
    elsewhere in France is answered ("not in this session's territory") rather than "not found".
    After `is_valid()`: `complete` when the answer can be decided (`chosen_commune`, `chosen_qpv`, or
    `homonyms_outside` when several communes of that name all lie elsewhere); else
    `qpv_choices` says what to ask next (the commune field's own radios cover several matches).
    """

    qpv = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.departements = list(session.departements.all())
        self.fields["commune"] = CommuneField(
            departements=self.departements,
            label=_("Votre commune (nom ou code postal)"),
            help_text=_("Tapez les premières lettres ou le code postal, puis choisissez votre commune."),
        )
        self.order_fields(["commune", "qpv"])
        self.qpv_choices: list[QPV] = []
        self.homonyms_outside: list[Commune] = []
        self.chosen_commune: Commune | None = None
        self.chosen_qpv: QPV | None = None
        self.complete = False
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def commune_label(self) -> str:
        return commune_label(self.chosen_commune) if self.chosen_commune else ""

    def clean(self):
        cleaned = super().clean()
        if self.has_error("commune", "invalid_choice"):
            # The page only offers the session's communes: another id is a forged request.
            raise forms.ValidationError(self._refused_commune_message(), code="tampered")
        if self.has_error("commune", "not_found"):
            self._look_elsewhere()
            return cleaned
        self.chosen_commune = cleaned.get("commune")
        if self.chosen_commune is None:
            return cleaned
        qpvs = list(qpvs_for_commune(self.chosen_commune, on=self.session.reference_date))
        answer = (cleaned.get("qpv") or "").strip()
        if qpvs and not answer:
            self.qpv_choices = qpvs
            return cleaned
        if answer and answer != NO_QPV:
            self.chosen_qpv = next((qpv for qpv in qpvs if str(qpv.pk) == answer), None)
            if self.chosen_qpv is None and (qpv_id := bounded.parse_id(answer)):
                # Another commune's QPV: the eligibility service refuses it as a malformed request.
                self.chosen_qpv = QPV.objects.filter(pk=qpv_id).first()
            if self.chosen_qpv is None:
                raise forms.ValidationError(_("Ce quartier est inconnu."), code="tampered")
        self.complete = True
        return cleaned

    def _refused_commune_message(self) -> str:
        posted = bounded.parse_id(self.data.get(f"{self.add_prefix('commune')}_id"))
        commune = Commune.objects.current().filter(pk=posted).first() if posted else None
        if commune is None:
            return _("Cette commune est inconnue.")
        return outside_territory_reason(name=commune.name)

    def _look_elsewhere(self) -> None:
        """Nothing matched in the session's départements: search all of France to say why."""
        query = (self.data.get(self.add_prefix("commune")) or "").strip()
        matches = search_communes(query)
        exact = [commune for commune in matches if commune.search_name == normalize_name(query)]
        found = exact or matches
        if not found:
            return  # the field's "not found" stands
        del self._errors["commune"]
        if len(found) == 1:
            self.chosen_commune = found[0]
            self.complete = True
        elif exact:
            self.homonyms_outside = exact
            self.complete = True
        else:
            self.add_error(
                "commune",
                _(
                    "Nous ne trouvons pas cette commune dans le territoire de cette session (%(territory)s). "
                    "Vérifiez l'orthographe ou saisissez son code postal (5 chiffres)."
                )
                % {"territory": ", ".join(str(departement) for departement in self.departements)},
            )

    def is_tampered(self) -> bool:
        return any(error.code == "tampered" for error in self.non_field_errors().as_data())


EDUCATION_LEVELS = [
    ("", _("Choisir…")),
    ("none", _("Sans diplôme")),
    ("cap_bep", _("CAP ou BEP")),
    ("bac", _("Bac")),
    ("bac2", _("Bac +2")),
    ("bac3plus", _("Bac +3 ou plus")),
]
SITUATIONS = [
    ("", _("Choisir…")),
    ("job_seeker", _("Je cherche un emploi")),
    ("training", _("Je suis en formation")),
    ("part_time", _("J'ai un emploi à temps partiel ou précaire")),
    ("other", _("Autre situation")),
]
HEARD_FROM = [
    ("", _("Choisir…")),
    ("france_travail", _("France Travail")),
    ("mission_locale", _("Mission locale")),
    ("cap_emploi", _("Cap emploi")),
    ("association", _("Une association ou une structure de mon quartier")),
    ("social_media", _("Les réseaux sociaux")),
    ("word_of_mouth", _("Le bouche-à-oreille")),
    ("other", _("Autre")),
]
RQTH_CHOICES = [("yes", _("Oui")), ("no", _("Non")), ("", _("Je ne souhaite pas répondre"))]


class EnrolmentForm(forms.Form):
    """The short profile, in plain French; the eligibility answer rides along in hidden fields."""

    session_id = bounded.IdField()
    commune = bounded.IdField()
    qpv = bounded.IdField(required=False)

    birth_year = bounded.IntegerField(
        # Four digits; `clean_birth_year` says which years are accepted.
        min_value=1000,
        max_value=9999,
        label=_("Votre année de naissance"),
        help_text=_("Par exemple : 1990."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    gender = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=JobSeekerProfile.Gender.choices,
        initial=JobSeekerProfile.Gender.UNSAID,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Facultatif."),
    )
    education_level = forms.ChoiceField(label=_("Votre dernier diplôme"), choices=EDUCATION_LEVELS)
    situation = forms.ChoiceField(label=_("Votre situation aujourd'hui"), choices=SITUATIONS)
    france_travail_id = forms.CharField(
        label=_("Votre identifiant France Travail"),
        max_length=20,
        required=False,
        help_text=_("Facultatif. Si vous êtes inscrit·e à France Travail."),
    )
    heard_from = forms.ChoiceField(
        label=_("Comment avez-vous connu DéClics Numériques ?"), choices=HEARD_FROM
    )
    rqth = forms.ChoiceField(
        label=_("Avez-vous une reconnaissance de la qualité de travailleur handicapé (RQTH) ?"),
        choices=RQTH_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_("Facultatif. Cela nous aide à adapter les ateliers. Seule l'équipe DéClics le voit."),
    )
    rqth_consent = forms.BooleanField(
        label=_("J'accepte que cette information soit enregistrée (seule l'équipe DéClics la voit)."),
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("J'ai lu et j'accepte la politique de données personnelles."),
        error_messages={"required": _("Cochez cette case pour vous inscrire.")},
    )
    share_with_adviser = forms.BooleanField(
        label=_("J'accepte que mon ou ma conseiller·ère voie mon avancement dans le parcours."),
        required=False,
        help_text=_("Facultatif. Vous pouvez changer d'avis à tout moment."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not this_year - 80 <= year <= this_year - 15:
            raise forms.ValidationError(
                _("Indiquez une année entre %(a)s et %(b)s.")
                % {
                    "a": this_year - 80,
                    "b": this_year - 15,
                }
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rqth") and not cleaned.get("rqth_consent"):
            self.add_error(
                "rqth_consent",
                _(
                    "Pour enregistrer votre réponse sur la RQTH, cochez cette case "
                    "(ou choisissez de ne pas répondre)."
                ),
            )
        return cleaned

    def profile_data(self) -> dict:
        data = self.cleaned_data
        rqth = {"yes": True, "no": False}.get(data.get("rqth") or "")
        return {
            "birth_year": data["birth_year"],
            "gender": data.get("gender") or JobSeekerProfile.Gender.UNSAID,
            "education_level": data["education_level"],
            "situation": data["situation"],
            "france_travail_id": data.get("france_travail_id", "").strip(),
            "heard_from": data["heard_from"],
            "rqth": rqth,
            "rqth_consent": data.get("rqth_consent", False),
            "privacy_consent": data["privacy_consent"],
        }


def _datetime_field(label, required=True, help_text=""):
    return bounded.DateTimeField(label=label, required=required, widget=DateTimeInput(), help_text=help_text)


class DepartementsByRegion(forms.SelectMultiple):
    """The départements grouped by région: one <optgroup data-region="pk"> per région (the choices'
    group names are the Region objects). departement-filter.js then shows only the chosen région's
    group; without JavaScript the groups still say which région each département is in."""

    # In the app's templates folder: the default form renderer reads widgets from apps only.
    template_name = "programs/widgets/departements_by_region.html"

    def __init__(self, *, region_field: str, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-region-field": f"id_{region_field}"})


def departement_choices_by_region() -> list:
    groups: dict[Region, list] = {}
    for departement in Departement.objects.select_related("region").order_by("region__name", "code"):
        groups.setdefault(departement.region, []).append((departement.pk, str(departement)))
    return list(groups.items())


class LaunchSessionForm(forms.Form):
    """The staff's launch form. With a session to copy, blank dates are that session's, shifted."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    region = forms.ModelChoiceField(label=_("Région"), queryset=Region.objects.order_by("name"))
    departements = forms.ModelMultipleChoiceField(
        label=_("Départements"),
        queryset=Departement.objects.select_related("region").order_by("code"),
        widget=DepartementsByRegion(region_field="region", attrs={"size": 8}),
        help_text=_("Dans la région choisie. Ctrl ou Cmd pour en choisir plusieurs."),
    )
    capacity = bounded.IntegerField(label=_("Nombre de places"), min_value=1, max_value=100_000)
    copy_from = forms.ModelChoiceField(
        label=_("Copier le calendrier d'une session précédente"),
        queryset=Session.objects.order_by("-starts_at"),
        required=False,
        help_text=_("Facultatif. Les dates laissées vides reprennent celles de cette session, décalées."),
    )
    starts_at = _datetime_field(_("Début de la session"))
    registration_opens_at = _datetime_field(_("Ouverture des inscriptions"), required=False)
    registration_closes_at = _datetime_field(_("Clôture des inscriptions"), required=False)
    ends_at = _datetime_field(_("Fin de la session"), required=False)
    step_1 = _datetime_field(Step.ROLE_MODELS.label, required=False)
    step_2 = _datetime_field(Step.ASSESSMENT.label, required=False)
    step_3 = _datetime_field(Step.MENTOR.label, required=False)
    step_4 = _datetime_field(Step.WORKSHOPS.label, required=False)
    step_5 = _datetime_field(Step.TRAININGS.label, required=False)
    step_6 = _datetime_field(Step.JOBS.label, required=False)
    survey_at = _datetime_field(_("Envoi du questionnaire de satisfaction"), required=False)
    nudge_after_days = bounded.IntegerField(
        label=_("Relance après (jours)"),
        min_value=0,
        max_value=60,
        initial=5,
        help_text=_("Une relance aux personnes qui n'ont pas agi sur une étape ouverte. 0 : jamais."),
    )
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    faq = forms.CharField(
        label=_("Questions fréquentes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    DATE_FIELDS = ("registration_opens_at", "registration_closes_at", "ends_at", "survey_at") + tuple(
        f"step_{step.value}" for step in Step
    )

    class Media:
        js = ("js/departement-filter.js",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped for display only: validation still reads the field's queryset.
        self.fields["departements"].choices = departement_choices_by_region()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        source, starts_at = cleaned.get("copy_from"), cleaned.get("starts_at")
        if source and starts_at:
            try:
                copied = copy_session_calendar(source=source, starts_at=starts_at)
            except SessionError as error:
                self.add_error("starts_at", str(error))
                copied = {}
            for name, value in copied.items():
                if not cleaned.get(name):
                    cleaned[name] = value
        for name in self.DATE_FIELDS:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Indiquez cette date (ou choisissez une session à copier)."))
        region, departements = cleaned.get("region"), cleaned.get("departements")
        if region and departements:
            outside = [d for d in departements if d.region_id != region.pk]
            if outside:
                self.add_error(
                    "departements",
                    _("Ces départements ne sont pas en %(region)s : %(names)s.")
                    % {"region": region.name, "names": ", ".join(str(d) for d in outside)},
                )
        errors = calendar_errors(
            registration_opens_at=cleaned.get("registration_opens_at"),
            registration_closes_at=cleaned.get("registration_closes_at"),
            starts_at=starts_at,
            ends_at=cleaned.get("ends_at"),
            survey_at=cleaned.get("survey_at"),
            step_dates={step.value: cleaned.get(f"step_{step.value}") for step in Step},
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def launch_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "region": data["region"],
            "departements": data["departements"],
            "capacity": data["capacity"],
            "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "survey_at": data["survey_at"],
            "step_dates": {step.value: data[f"step_{step.value}"] for step in Step},
            "copy_from": data["copy_from"],
            "description": data["description"],
            "faq": data["faq"],
            "nudge_after_days": data["nudge_after_days"],
        }


class WithdrawForm(forms.Form):
    """Leaving a session: the person says what becomes of the job applications they made in it."""

    KEEP, WITHDRAW = "keep", "withdraw"

    applications = forms.ChoiceField(
        label=_("Vos candidatures aux offres d'emploi"),
        choices=[
            (KEEP, _("Je les garde : les entreprises peuvent encore me répondre.")),
            (WITHDRAW, _("Je les retire : chaque entreprise en est informée.")),
        ],
        initial=KEEP,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Seules les candidatures encore en cours sont concernées."),
    )

    def withdraw_applications(self) -> bool:
        return self.cleaned_data.get("applications") == self.WITHDRAW
