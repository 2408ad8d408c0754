"""Forms of the workshop pages. They validate input; the services decide the business rules."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.accounts.models import Role, User
from declics.forms import DateTimeInput

from .models import FeedbackAnswer, WorkshopTopic


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class FacilitatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.email
        return f"{name} ({obj.get_role_display()})"


def facilitator_queryset():
    return User.objects.filter(is_active=True, role__in=(Role.MENTOR, Role.PARTNER, Role.STAFF)).order_by(
        "last_name", "first_name", "pk"
    )


class WorkshopForm(forms.Form):
    """Staff: a new workshop (or its details; the date moves through `MoveWorkshopForm`)."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    topic = forms.ChoiceField(label=_("Thème"), choices=WorkshopTopic.choices)
    description = forms.CharField(
        label=_("Présentation en mots simples"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Deux ou trois phrases courtes : ce que l'on fait et ce que l'on y gagne."),
    )
    starts_at = bounded.DateTimeField(label=_("Début"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480, initial=90)
    seats = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=500, initial=12)
    video_url = forms.URLField(label=_("Lien de la visioconférence"), assume_scheme="https", max_length=200)
    accessibility_notes = forms.CharField(
        label=_("Accessibilité"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sous-titres, accès par téléphone, etc."),
    )
    replay_url = forms.URLField(
        label=_("Lien du replay"), required=False, assume_scheme="https", max_length=200
    )
    facilitators = FacilitatorChoiceField(
        label=_("Animateur·ices"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_queryset()
        if editing:
            # The date has its own form: moving tells everyone and updates their calendars.
            del self.fields["starts_at"]
            del self.fields["duration_minutes"]
        else:
            del self.fields["replay_url"]
        self.helper = _helper()


class MoveWorkshopForm(forms.Form):
    starts_at = bounded.DateTimeField(label=_("Nouvelle date et heure de début"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AttendanceForm(forms.Form):
    """One checkbox per confirmed booking: checked means present."""

    present = forms.MultipleChoiceField(
        label=_("Personnes présentes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette liste contient une personne inconnue pour cet atelier.")},
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(booking.pk), booking.job_seeker.get_full_name() or booking.job_seeker.email)
            for booking in bookings
        ]
        self.helper = _helper()

    def present_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Cet atelier vous a-t-il été utile ?"),
        choices=FeedbackAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une réponse.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
