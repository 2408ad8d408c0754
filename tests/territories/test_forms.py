import pytest
from django import forms

from declics.territories.forms import CommuneField
from declics.territories.models import Commune


class CommuneForm(forms.Form):
    commune = CommuneField()


class HeraultForm(forms.Form):
    commune = CommuneField(departements=["34"], required=False)


@pytest.mark.django_db
def test_commune_field_no_match_says_so_in_french(territories):
    form = CommuneForm({"commune": "Nullepart"})

    assert form.is_valid() is False
    assert form.errors["commune"] == [
        "Nous ne trouvons pas cette commune. "
        "Vérifiez l'orthographe ou saisissez son code postal (5 chiffres)."
    ]
    assert 'type="radio"' not in str(form["commune"])


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["beziers", "34500", "Montpellier"])
def test_commune_field_one_match_or_one_exact_name_resolves(territories, query):
    form = CommuneForm({"commune": query})

    assert form.is_valid() is True
    assert (
        form.cleaned_data["commune"].code
        == {"beziers": "34032", "34500": "34032", "Montpellier": "34172"}[query]
    )


@pytest.mark.django_db
def test_commune_field_several_matches_offers_radio_choices(territories):
    form = CommuneForm({"commune": "montpeyroux"})

    assert form.is_valid() is False
    assert form.errors["commune"] == ["Plusieurs communes correspondent : choisissez la vôtre dans la liste."]
    html = str(form["commune"])
    assert html.count('type="radio" name="commune_id"') == 2
    assert "Montpeyroux (34) – 34150" in html
    assert "Montpeyroux (12) – 12210" in html
    assert '<input type="hidden" name="commune_id" value="" data-commune-id disabled>' in html

    chosen = Commune.objects.get(code="12145")
    form = CommuneForm({"commune": "montpeyroux", "commune_id": str(chosen.pk)})
    assert form.is_valid() is True
    assert form.cleaned_data["commune"] == chosen


@pytest.mark.django_db
def test_commune_field_rejects_an_unknown_or_out_of_scope_id(territories):
    toulouse = Commune.objects.get(code="31555")

    assert HeraultForm({"commune": "x", "commune_id": str(toulouse.pk)}).errors["commune"] == [
        "Cette commune n'est pas proposée ici. Choisissez-en une autre."
    ]
    assert CommuneForm({"commune": "x", "commune_id": "abc"}).errors["commune"] == [
        "Cette commune n'est pas proposée ici. Choisissez-en une autre."
    ]


@pytest.mark.django_db
def test_commune_field_required_and_optional(territories):
    assert CommuneForm({"commune": " "}).errors["commune"] == [
        "Indiquez votre commune (son nom ou son code postal)."
    ]
    optional = HeraultForm({"commune": ""})
    assert optional.is_valid() is True
    assert optional.cleaned_data["commune"] is None


@pytest.mark.django_db
def test_commune_field_restricted_to_departements(territories):
    form = HeraultForm({"commune": "toulouse"})

    assert form.is_valid() is False
    assert "Nous ne trouvons pas cette commune" in form.errors["commune"][0]
    assert 'data-departements="34"' in str(form["commune"])


@pytest.mark.django_db
def test_commune_field_renders_an_initial_commune(territories):
    montpellier = Commune.objects.get(code="34172")
    form = CommuneForm(initial={"commune": montpellier})

    html = str(form["commune"])
    assert 'value="Montpellier (34) – 34000, 34070, 34080…"' in html
    assert f'<input type="hidden" name="commune_id" value="{montpellier.pk}" data-commune-id>' in html
    assert form["commune"].field.has_changed(montpellier, {"query": "x", "id": str(montpellier.pk)}) is False


@pytest.mark.django_db
def test_commune_field_ignores_a_stale_id_when_the_text_names_another_commune(territories):
    montpellier = Commune.objects.get(code="34172")

    # The JS autocomplete filled the label; a no-JS radio left the typed text: both keep the id.
    label = CommuneForm(
        {"commune": "Montpellier (34) – 34000, 34070, 34080…", "commune_id": str(montpellier.pk)}
    )
    typed = CommuneForm({"commune": "montp", "commune_id": str(montpellier.pk)})
    assert label.is_valid() and typed.is_valid()
    assert label.cleaned_data["commune"] == typed.cleaned_data["commune"] == montpellier

    # Without JS nothing clears the hidden id when the person types another commune.
    other = CommuneForm({"commune": "beziers", "commune_id": str(montpellier.pk)})
    unknown = CommuneForm({"commune": "Nullepart", "commune_id": str(montpellier.pk)})
    assert other.is_valid() is True
    assert other.cleaned_data["commune"].code == "34032"
    assert unknown.is_valid() is False
    assert unknown.errors["commune"][0].startswith("Nous ne trouvons pas cette commune.")
