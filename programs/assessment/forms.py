from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded


class AnswerForm(forms.Form):
    """One question's answer, as radio buttons: the choices are the question's own (by value)."""

    answer = forms.ChoiceField(
        widget=forms.RadioSelect, error_messages={"required": _("Choisissez une réponse.")}
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = question.display_text
        field.help_text = question.display_help_text
        field.choices = [(choice.value, choice.display_label) for choice in question.choices.all()]
        field.error_messages["invalid_choice"] = _("Choisissez une des réponses proposées.")


class ShareForm(forms.Form):
    audience = forms.ChoiceField(choices=[("adviser", "adviser"), ("mentor", "mentor")])
    shared = forms.BooleanField(required=False)


class ActivateQuestionnaireForm(forms.Form):
    """The version to put in service, posted back in a hidden field."""

    questionnaire = bounded.IdField()
