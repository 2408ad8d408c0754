from django import forms
from django.utils.translation import gettext_lazy as _


class AttendanceForm(forms.Form):
    """The registrations present at a talk, as checkboxes (the others are recorded absent)."""

    present = forms.MultipleChoiceField(
        label=_("Personnes présentes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(r.pk), r.enrolment.job_seeker.get_full_name() or r.enrolment.job_seeker.email)
            for r in registrations
        ]
        self.fields["present"].error_messages["invalid_choice"] = _(
            "Cette personne n'est pas inscrite à ce témoignage."
        )
