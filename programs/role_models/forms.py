"""Forms of the talk pages. They validate input; the services decide the business rules."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class AttendanceForm(forms.Form):
    """The confirmed registrations of a talk, as checkboxes (the others are recorded absent)."""

    present = forms.MultipleChoiceField(
        label=_("Personnes présentes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(r.pk), r.job_seeker.get_full_name() or r.job_seeker.email) for r in registrations
        ]
        self.fields["present"].error_messages["invalid_choice"] = _(
            "Cette personne n'est pas inscrite à ce témoignage."
        )


class MoveTalkForm(forms.Form):
    """Staff: a talk's new date (everyone registered or waiting is told)."""

    starts_at = bounded.DateTimeField(label=_("Nouvelle date et heure de début"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CancelTalkForm(forms.Form):
    """Staff: cancel a talk, with a reason told to the people registered (optional)."""

    reason = forms.CharField(
        label=_("La raison, dite aux personnes inscrites (facultatif)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
