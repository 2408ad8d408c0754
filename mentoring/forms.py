import unicodedata
from dataclasses import dataclass, field

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.rome.families import FAMILIES, OTHERS, Family, family_of
from declics.rome.models import RomeJob
from declics.territories.models import Departement, Region

from .models import (
    AVAILABILITY_CHOICES,
    DAYS,
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    MIN_CAPACITY,
    PERIODS,
    EndReason,
    Gender,
    MenteePreferences,
    MentorProfile,
)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class _CrispyForm(forms.Form):
    """A form rendered by crispy inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


def _rome_jobs():
    digital = RomeJob.objects.digital()
    return digital if digital.exists() else RomeJob.objects.all()


class MentorProfileForm(bounded.ModelForm):
    rome_jobs = forms.ModelMultipleChoiceField(
        label=_("Vos métiers (codes ROME)"),
        queryset=RomeJob.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Choisissez un ou plusieurs métiers : ils servent à vous proposer des personnes intéressées."
        ),
    )
    region = forms.ModelChoiceField(label=_("Votre région"), queryset=Region.objects.all())
    departements = forms.ModelMultipleChoiceField(
        label=_("Départements (facultatif)"),
        queryset=Departement.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Le mentorat se fait en ligne : la région suffit."),
    )
    capacity = forms.TypedChoiceField(
        label=_("Combien de personnes pouvez-vous accompagner en même temps ?"),
        choices=[(i, str(i)) for i in range(MIN_CAPACITY, MAX_CAPACITY + 1)],
        coerce=int,
        initial=2,
    )
    availability = forms.MultipleChoiceField(
        label=_("Vos disponibilités"),
        choices=AVAILABILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["fr"],
        required=False,
    )

    class Meta(bounded.ModelForm.Meta):
        model = MentorProfile
        fields = [
            "job_title",
            "rome_jobs",
            "employer",
            "region",
            "departements",
            "nationwide",
            "capacity",
            "availability",
            "languages",
            "gender",
            "presentation",
        ]
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "gender": _(
                "Facultatif : une personne peut préférer être accompagnée par une femme ou un homme."
            ),
            "presentation": _("Quelques phrases : votre parcours, ce que vous pouvez apporter."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rome_jobs"].queryset = _rome_jobs()
        self.fields["gender"].required = False
        self.helper = _helper()

    def clean_gender(self):
        return self.cleaned_data.get("gender") or Gender.UNSAID


def fold(text: str) -> str:
    """Lower case without accents, for a search that finds "developpeur" in "Développeur"
    (static/js/job-search.js folds the same way)."""
    decomposed = unicodedata.normalize("NFD", str(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass
class JobOption:
    widget: object
    folded: str
    hidden: bool


@dataclass
class JobFamilyGroup:
    family: Family
    jobs: list[JobOption] = field(default_factory=list)
    selected: int = 0
    matches: int = 0


class MenteePreferencesForm(bounded.ModelForm):
    rome_jobs = forms.ModelMultipleChoiceField(
        label=_("Les métiers qui vous intéressent"),
        queryset=RomeJob.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("Quand êtes-vous disponible ?"),
        choices=AVAILABILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Les langues que vous parlez"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["fr"],
        required=False,
    )

    class Meta(bounded.ModelForm.Meta):
        model = MenteePreferences
        fields = ["rome_jobs", "availability", "languages", "mentor_gender", "goals"]
        widgets = {"mentor_gender": forms.RadioSelect, "goals": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jobs = self.fields["rome_jobs"]
        jobs.queryset = _rome_jobs()
        jobs.label_from_instance = lambda job: job.display_label  # the name a person knows, no code
        self.fields["mentor_gender"].label = _("Votre mentor·e sera plutôt")
        self.helper = _helper()

    def job_families(self, query: str = "") -> list[JobFamilyGroup]:
        """The job checkboxes by family, in FAMILIES order; with a search, the families that have a
        match are open and the other jobs hidden (still in the page: a ticked job stays ticked)."""
        words = fold(query).split()
        groups: dict[str, JobFamilyGroup] = {}
        for option in self["rome_jobs"]:
            family = family_of(str(option.data["value"]))
            group = groups.setdefault(family.key, JobFamilyGroup(family=family))
            # A search for "cybersécurité" finds its family's jobs too.
            folded = fold(f"{option.choice_label} {family.label}")
            matches = all(word in folded for word in words)
            group.jobs.append(JobOption(widget=option, folded=folded, hidden=bool(words) and not matches))
            group.selected += bool(option.data["selected"])
            group.matches += bool(words) and matches
        order = [family.key for family in FAMILIES] + [OTHERS.key]
        return [groups[key] for key in order if key in groups]

    @property
    def languages_chosen(self) -> list[str]:
        return [option.choice_label for option in self["languages"] if option.data["selected"]]

    @property
    def availability_periods(self) -> list[str]:
        return [label for _key, label in PERIODS]

    def availability_by_day(self) -> list[tuple[str, list]]:
        """The 18 availability checkboxes as a grid: one row per day, one column per period."""
        options = list(self["availability"])
        return [
            (label, options[n * len(PERIODS) : (n + 1) * len(PERIODS)])
            for n, (_key, label) in enumerate(DAYS)
        ]


class AskMentorForm(_CrispyForm):
    message = forms.CharField(
        label=_("Un petit mot pour vous présenter (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineForm(_CrispyForm):
    reason = forms.CharField(
        label=_("Raison (facultatif, transmise à la personne)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionLogForm(_CrispyForm):
    held_on = bounded.DateField(label=_("Date"), widget=bounded.DateInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=5, max_value=480, initial=60)
    topic = forms.CharField(label=_("Sujet"), max_length=200)
    private_notes = forms.CharField(
        label=_("Notes privées (visibles par vous seul·e)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, is_mentor: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_mentor:
            del self.fields["private_notes"]
        self.fields["held_on"].initial = timezone.localdate()


class GoalsForm(_CrispyForm):
    goals = forms.CharField(
        label=_("Objectifs du mentorat"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndMentorshipForm(_CrispyForm):
    reason = forms.ChoiceField(
        label=_("Pourquoi terminer ?"), choices=EndReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Précisions (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(_CrispyForm):
    rating = forms.TypedChoiceField(
        label=_("Votre note, de 1 (pas du tout satisfait·e) à 5 (très satisfait·e)"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.TypedChoiceField(
        label=_("Le mentorat vous a-t-il été utile ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposalForm(_CrispyForm):
    mentor = forms.ModelChoiceField(
        label=_("Mentor·e proposé·e"),
        queryset=MentorProfile.objects.none(),
        required=False,
        empty_label=_("Aucun·e (ne pas apparier cette personne)"),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["mentor"].queryset = candidates
