from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.rome.models import RomeJob
from declics.territories.models import Departement, Region

from .models import (
    AVAILABILITY_CHOICES,
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    MIN_CAPACITY,
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
        widgets = {"mentor_gender": forms.RadioSelect, "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rome_jobs"].queryset = _rome_jobs()
        self.helper = _helper()


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
