from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.territories.models import Departement, Region
from programs.forms import DateTimeInput, DepartementsByRegion, departement_choices_by_region
from programs.models import SessionTemplate


class SaveTemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du modèle"),
        max_length=120,
        help_text=_("Par exemple : « Session régionale de six semaines »."),
    )


class LaunchFromTemplateForm(forms.Form):
    """One form to launch a région: the template gives the calendar, rules, texts and content."""

    template = forms.ModelChoiceField(label=_("Modèle"), queryset=SessionTemplate.objects.order_by("name"))
    title = forms.CharField(label=_("Titre"), max_length=200)
    region = forms.ModelChoiceField(label=_("Région"), queryset=Region.objects.order_by("name"))
    departements = forms.ModelMultipleChoiceField(
        label=_("Départements"),
        queryset=Departement.objects.select_related("region").order_by("code"),
        widget=DepartementsByRegion(region_field="region", attrs={"size": 8}),
        help_text=_("Dans la région choisie. Ctrl ou Cmd pour en choisir plusieurs."),
    )
    starts_at = bounded.DateTimeField(
        label=_("Début de la session"),
        widget=DateTimeInput(),
        help_text=_("Les autres dates suivent, aux mêmes écarts que dans le modèle."),
    )
    capacity = bounded.IntegerField(label=_("Nombre de places"), min_value=1, max_value=100_000)

    class Media:
        js = ("js/departement-filter.js",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements"].choices = departement_choices_by_region()
        self.helper = FormHelper()
        self.helper.form_tag = False
