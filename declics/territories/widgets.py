"""The commune autocomplete widget: a text box, plus the commune picked (hidden, or radios without JS)."""

from django import forms
from django.urls import reverse

from .models import Commune


class CommuneAutocompleteWidget(forms.Widget):
    """Renders `<name>` (what the person types) and `<name>_id` (the commune chosen).

    With JavaScript, static/js/commune-autocomplete.js turns the text box into an ARIA 1.2 combobox
    that fills the hidden `<name>_id`. Without it, the person submits the text; when several
    communes match, `CommuneField` sets `candidates` and the widget renders them as radio buttons.
    """

    template_name = "territories/widgets/commune_autocomplete.html"

    class Media:
        js = [forms.Script("js/commune-autocomplete.js", defer=True)]

    def __init__(self, attrs=None, departements: list[str] | None = None):
        super().__init__(attrs)
        self.departements = departements
        self.candidates: list[Commune] = []

    def value_from_datadict(self, data, files, name):
        return {"query": data.get(name, ""), "id": data.get(f"{name}_id", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_id" not in data

    def format_value(self, value):
        if isinstance(value, dict):
            return {"query": value.get("query") or "", "id": str(value.get("id") or "")}
        if isinstance(value, Commune):
            return {"query": commune_label(value), "id": str(value.pk)}
        if value in (None, ""):
            return {"query": "", "id": ""}
        commune = Commune.objects.select_related("departement").filter(pk=value).first()
        return {"query": commune_label(commune) if commune else "", "id": str(value) if commune else ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        input_id = widget["attrs"].get("id") or f"id_{name}"
        candidates = [(str(commune.pk), commune_label(commune)) for commune in self.candidates]
        widget.update(
            {
                "query": widget["value"]["query"],
                "selected_id": widget["value"]["id"],
                "candidates": candidates,
                "input_id": input_id,
                "search_url": reverse("territories:commune_search"),
                "departements": ",".join(self.departements or []),
            }
        )
        return context

    def id_for_label(self, id_):
        return id_


def commune_label(commune: Commune) -> str:
    """ "Montpellier (34) – 34000, 34070…": the name and what tells homonyms apart."""
    postal_codes = commune.postal_code_list
    shown = ", ".join(postal_codes[:3]) + ("…" if len(postal_codes) > 3 else "")
    label = f"{commune.name} ({commune.departement_id})"
    return f"{label} – {shown}" if shown else label
