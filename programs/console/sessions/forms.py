from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from programs.forms import DateTimeInput
from programs.models import Session, Step
from programs.services import SESSION_DATE_FIELDS, calendar_errors, frozen_dates

FROZEN_HELP = _("Cette étape du calendrier est passée : la date ne change plus.")


def _datetime_field(label):
    return bounded.DateTimeField(label=label, widget=DateTimeInput())


class SessionCalendarForm(forms.Form):
    """Every date of a session; those already passed on its calendar are shown but locked."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        for name in SESSION_DATE_FIELDS:
            self.fields[name] = _datetime_field(Session._meta.get_field(name).verbose_name.capitalize())
            self.initial[name] = getattr(session, name)
        for step in session.steps.all():
            name = f"step_{step.step}"
            self.fields[name] = _datetime_field(
                _("Ouverture de l'étape %(number)s : %(label)s")
                % {"number": step.step, "label": step.get_step_display()}
            )
            self.initial[name] = step.opens_at
        for name in frozen_dates(session):
            self.fields[name].disabled = True
            self.fields[name].help_text = FROZEN_HELP
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        errors = calendar_errors(
            **{name: cleaned.get(name) for name in SESSION_DATE_FIELDS},
            step_dates={step.value: cleaned.get(f"step_{step.value}") for step in Step},
        )
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def _value(self, name):
        # The fields show minutes: a date left as shown keeps its seconds (it did not change).
        value, initial = self.cleaned_data[name], self.initial[name]
        same_minute = value.replace(second=0, microsecond=0) == initial.replace(second=0, microsecond=0)
        return initial if same_minute else value

    def reschedule_kwargs(self) -> dict:
        steps = [step.value for step in Step if f"step_{step.value}" in self.fields]
        return {
            "dates": {name: self._value(name) for name in SESSION_DATE_FIELDS},
            "step_dates": {step: self._value(f"step_{step}") for step in steps},
        }


class CapacityForm(forms.Form):
    capacity = bounded.IntegerField(label=_("Nombre de places"), min_value=1, max_value=100_000)


class PublicTextsForm(forms.Form):
    """The landing page's texts; a text copied from another session asks to be said reviewed."""

    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20_000
    )
    faq = forms.CharField(
        label=_("Questions fréquentes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
    )
    description_reviewed = forms.BooleanField(label=_("J'ai relu la présentation copiée"), required=False)
    faq_reviewed = forms.BooleanField(label=_("J'ai relu les questions fréquentes copiées"), required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, initial={"description": session.description, "faq": session.faq}, **kwargs)
        for name in ("description", "faq"):
            if not getattr(session, f"{name}_to_review"):
                del self.fields[f"{name}_reviewed"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def reviewed(self) -> set[str]:
        return {name for name in ("description", "faq") if self.cleaned_data.get(f"{name}_reviewed")}


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de l'annulation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Elle est envoyée à chaque personne inscrite ou en attente, avec l'annulation."),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : toutes les inscriptions et réservations de la session prennent fin."),
    )
