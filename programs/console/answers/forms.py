from django import forms
from django.utils.translation import gettext_lazy as _

from declics.forms import DateField, DateInput


class AnswersFilterForm(forms.Form):
    """The filters of the answers page (GET): a kind of answers, a period, only those with a text."""

    kind = forms.ChoiceField(label=_("Type de réponses"), required=False)
    since = DateField(label=_("Du"), required=False, widget=DateInput())
    until = DateField(label=_("Au (inclus)"), required=False, widget=DateInput())
    with_text = forms.BooleanField(label=_("Seulement les réponses avec un commentaire"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Toutes")), *kinds]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("La fin de la période doit venir après son début."))
        return data
