from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from declics.forms import parse_id

from .models import Commune, Departement
from .selectors import search_communes, searchable_communes
from .text import normalize_name
from .widgets import CommuneAutocompleteWidget, commune_label


class CommuneField(forms.Field):
    """A commune picked by name or postal code, with or without JavaScript; cleans to a `Commune`.

    The widget posts the typed text and, when the autocomplete or a radio button chose one, the
    commune's id. Without an id the text is searched: one commune (or a single exact name) is taken,
    none is an error, several are offered as radio buttons with an error asking to choose.
    """

    widget = CommuneAutocompleteWidget
    default_error_messages = {
        "required": _("Indiquez votre commune (son nom ou son code postal)."),
        "not_found": _(
            "Nous ne trouvons pas cette commune. "
            "Vérifiez l'orthographe ou saisissez son code postal (5 chiffres)."
        ),
        "choose": _("Plusieurs communes correspondent : choisissez la vôtre dans la liste."),
        "invalid_choice": _("Cette commune n'est pas proposée ici. Choisissez-en une autre."),
    }

    def __init__(self, *, departements: list[Departement | str] | None = None, **kwargs):
        self.departements = (
            [d.code if isinstance(d, Departement) else str(d) for d in departements] if departements else None
        )
        kwargs.setdefault("label", _("Commune"))
        super().__init__(**kwargs)
        self.widget.departements = self.departements

    def clean(self, value) -> Commune | None:
        value = value if isinstance(value, dict) else {"query": value or "", "id": ""}
        query, selected = (value.get("query") or "").strip(), (value.get("id") or "").strip()
        self.widget.candidates = []
        matches = None
        if selected:
            commune_id = parse_id(selected)
            commune = (
                searchable_communes(self.departements).filter(pk=commune_id).first() if commune_id else None
            )
            if commune is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            # Without JavaScript nothing clears the chosen id when the text is edited: the id holds
            # only while the text still names that commune (its label, or a search that finds it).
            if not query or query == commune_label(commune):
                return commune
            matches = search_communes(query, departements=self.departements)
            if commune in matches:
                return commune
        if not query:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if matches is None:
            matches = search_communes(query, departements=self.departements)
        if not matches:
            raise ValidationError(self.error_messages["not_found"], code="not_found")
        exact = [commune for commune in matches if commune.search_name == normalize_name(query)]
        if len(matches) == 1:
            return matches[0]
        if len(exact) == 1:
            return exact[0]
        self.widget.candidates = matches
        raise ValidationError(self.error_messages["choose"], code="choose")

    def has_changed(self, initial, data):
        initial_pk = str(initial.pk if isinstance(initial, Commune) else initial or "")
        return initial_pk != str((data or {}).get("id") or "")


class FindCommuneForm(forms.Form):
    """The demo page's form: find your commune, see whether it has QPVs or an FRR/ZRR classification."""

    commune = CommuneField(help_text=_("Par exemple : Montpellier, Saint-Jean-de-Védas ou 31000."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
