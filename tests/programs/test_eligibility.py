"""The eligibility page: the territories' commune field (combobox, radio choices without JavaScript),
the QPV question, the decision, and forged requests refused with a 400."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.territories.widgets import commune_label

from .factories import CommuneFactory, DepartementFactory, QPVFactory, RuralZoneFactory, SessionFactory

pytestmark = pytest.mark.django_db

PENDING = "programs_pending_enrolment"


def _eligibility(client, session, **data):
    return client.post(reverse("programs:eligibility", args=[session.slug]), data)


def _text(response) -> str:
    return unescape(response.content.decode())


def test_eligibility_page_offers_the_commune_combobox_of_the_session(client, session):
    response = client.get(reverse("programs:eligibility", args=[session.slug]))

    content = _text(response)
    label = response.context["form"]["commune"]
    assert (label.id_for_label, label.label) == ("id_commune", "Votre commune (nom ou code postal)")
    assert 'for="id_commune" class="form-label requiredField">' in content
    assert 'name="commune" value="" autocomplete="address-level2"' in content
    assert 'data-search-url="/territoires/communes/recherche/" data-departements="34"' in content
    assert '<script src="/static/js/commune-autocomplete.js" defer></script>' in content
    assert '<input type="hidden" name="commune_id" value="" data-commune-id>' in content


def test_eligibility_unknown_commune_says_so(client, session):
    response = _eligibility(client, session, commune="Nullepart")

    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        "Nous ne trouvons pas cette commune. "
        "Vérifiez l'orthographe ou saisissez son code postal (5 chiffres)."
    ]
    assert response.context["decision"] is None
    assert PENDING not in client.session


def test_eligibility_by_postal_code_for_a_rural_commune_is_remembered(client, session, rural_commune):
    response = _eligibility(client, session, commune="34700")

    assert response.context["decision"].eligible is True
    assert "Lodève est une commune rurale classée France Ruralités Revitalisation (FRR, ex-ZRR)." in _text(
        response
    )
    assert client.session[PENDING] == {"session": session.pk, "commune": rural_commune.pk, "qpv": None}


def test_eligibility_choice_made_in_the_combobox_is_taken_as_is(client, session, rural_commune):
    response = _eligibility(
        client, session, commune=commune_label(rural_commune), commune_id=str(rural_commune.pk)
    )

    assert response.context["decision"].basis == "frr"
    assert client.session[PENDING]["commune"] == rural_commune.pk


def test_eligibility_several_communes_of_the_territory_offers_radios_then_takes_the_pick(client):
    aveyron = DepartementFactory(code="12", name="Aveyron")
    session = SessionFactory(departements=[DepartementFactory(), aveyron])
    in_herault = CommuneFactory(code="34179", name="Montpeyroux", postal_codes="34150", population=1400)
    in_aveyron = CommuneFactory(
        code="12145", name="Montpeyroux", departement=aveyron, postal_codes="12210", population=400
    )
    RuralZoneFactory(commune=in_aveyron)

    response = _eligibility(client, session, commune="montpeyroux")

    assert response.context["form"].errors["commune"] == [
        "Plusieurs communes correspondent : choisissez la vôtre dans la liste."
    ]
    assert response.context["decision"] is None
    content = _text(response)
    assert content.count('type="radio" name="commune_id"') == 2
    assert f'value="{in_herault.pk}">' in content
    assert "Montpeyroux (34) – 34150" in content
    assert "Montpeyroux (12) – 12210" in content

    response = _eligibility(client, session, commune="montpeyroux", commune_id=str(in_aveyron.pk))

    assert response.context["decision"].eligible is True
    assert client.session[PENDING]["commune"] == in_aveyron.pk


def test_eligibility_homonym_outside_the_territory_is_not_offered(client, session):
    here = CommuneFactory(name="Saint-Pons-de-Thomières", code="34284", postal_codes="34220")
    RuralZoneFactory(commune=here)
    CommuneFactory(
        name="Saint-Pons-de-Thomières", code="04001", departement=DepartementFactory(code="04", name="Alpes")
    )

    response = _eligibility(client, session, commune="st pons de thomieres")

    assert response.context["decision"].eligible is True
    assert client.session[PENDING]["commune"] == here.pk
    assert 'type="radio"' not in _text(response)


def test_eligibility_city_asks_for_the_qpv_then_decides(client, session, city):
    response = _eligibility(client, session, commune="Montpellier")

    assert response.context["form"].qpv_choices == [city.sample_qpv]
    content = _text(response)
    label = "Montpellier (34) – 34000, 34070, 34080…"
    assert f'<input type="hidden" name="commune" value="{label}">' in content
    assert f'<input type="hidden" name="commune_id" value="{city.pk}">' in content
    assert "Habitez-vous dans un de ces quartiers de Montpellier ?" in content
    assert PENDING not in client.session

    response = _eligibility(client, session, commune=label, commune_id=city.pk, qpv=city.sample_qpv.pk)

    assert response.context["decision"].basis == "qpv"
    assert "Vous habitez le quartier prioritaire Quartier exemple Mosson, à Montpellier." in _text(response)
    assert client.session[PENDING] == {"session": session.pk, "commune": city.pk, "qpv": city.sample_qpv.pk}

    response = _eligibility(client, session, commune=label, commune_id=city.pk, qpv="none")

    assert response.context["decision"].eligible is False
    assert "il faut habiter un de ses quartiers prioritaires" in _text(response)


def test_qpv_choices_are_only_the_communes_own(client, session, city):
    other = CommuneFactory(name="Lunel")
    QPVFactory(name="Quartier de Lunel", communes=[other])

    response = _eligibility(client, session, commune_id=city.pk)

    assert [qpv.name for qpv in response.context["form"].qpv_choices] == ["Quartier exemple Mosson"]


@pytest.mark.parametrize("typed", ["Nîmes", "nimes", "30000"])
def test_eligibility_commune_outside_says_so_and_lists_other_sessions(client, session, typed):
    gard = DepartementFactory(code="30", name="Gard")
    nimes = CommuneFactory(name="Nîmes", code="30189", departement=gard, postal_codes="30000 30900")
    QPVFactory(name="Pissevin", communes=[nimes])
    other = SessionFactory(title="DéClics Gard", departements=[gard])

    response = _eligibility(client, session, commune=typed)

    decision = response.context["decision"]
    assert decision.eligible is False
    assert decision.reason.startswith("Nîmes n'est pas dans le territoire de cette session.")
    assert response.context["form"].qpv_choices == []
    assert response.context["other_sessions"] == [other]
    assert "DéClics Gard" in _text(response)
    assert PENDING not in client.session


def test_eligibility_homonyms_all_outside_are_refused_together(client, session):
    aveyron = DepartementFactory(code="12", name="Aveyron")
    puy = DepartementFactory(code="63", name="Puy-de-Dôme", region__code="84", region__name="Auvergne")
    CommuneFactory(name="Montpeyroux", code="12145", departement=aveyron, postal_codes="12210")
    CommuneFactory(name="Montpeyroux", code="63241", departement=puy, postal_codes="63114")
    in_aveyron = SessionFactory(title="DéClics Aveyron", departements=[aveyron])
    in_puy = SessionFactory(title="DéClics Puy-de-Dôme", departements=[puy])
    SessionFactory(title="DéClics Gard", departements=[DepartementFactory(code="30", name="Gard")])

    response = _eligibility(client, session, commune="Montpeyroux")

    assert response.context["decision"].reason.startswith(
        "Montpeyroux n'est pas dans le territoire de cette session."
    )
    assert sorted(s.title for s in response.context["other_sessions"]) == [in_aveyron.title, in_puy.title]


def test_eligibility_partial_name_found_only_elsewhere_names_the_territory(client, session):
    aveyron = DepartementFactory(code="12", name="Aveyron")
    CommuneFactory(name="Montpeyroux", code="12145", departement=aveyron)
    CommuneFactory(name="Montbazens", code="12150", departement=aveyron)

    response = _eligibility(client, session, commune="Mont")

    assert response.context["form"].errors["commune"] == [
        "Nous ne trouvons pas cette commune dans le territoire de cette session (Hérault (34)). "
        "Vérifiez l'orthographe ou saisissez son code postal (5 chiffres)."
    ]
    assert response.context["decision"] is None


# --- forged requests --------------------------------------------------------------------------------


def test_eligibility_qpv_of_another_commune_is_a_bad_request(client, session, city, rural_commune):
    response = _eligibility(client, session, commune_id=rural_commune.pk, qpv=city.sample_qpv.pk)

    assert response.status_code == 400
    assert "Le quartier choisi n'est pas un quartier prioritaire de Lodève." in _text(response)
    assert PENDING not in client.session


def test_eligibility_unknown_qpv_is_a_bad_request(client, session, city):
    response = _eligibility(client, session, commune_id=city.pk, qpv="abc")

    assert response.status_code == 400
    assert "Ce quartier est inconnu." in _text(response)


def test_eligibility_unknown_commune_id_is_a_bad_request(client, session):
    response = _eligibility(client, session, commune_id=999999)

    assert response.status_code == 400
    assert "Cette commune est inconnue." in _text(response)


def test_eligibility_commune_id_outside_the_session_is_a_bad_request(client, session):
    nimes = CommuneFactory(name="Nîmes", code="30189", departement=DepartementFactory(code="30", name="Gard"))
    RuralZoneFactory(commune=nimes)

    response = _eligibility(client, session, commune="Nîmes", commune_id=nimes.pk)

    assert response.status_code == 400
    assert "Nîmes n'est pas dans le territoire de cette session." in _text(response)
    assert "Recommencer la vérification" in _text(response)
    assert PENDING not in client.session


def test_eligibility_closed_session_redirects_to_its_page(client):
    session = SessionFactory(registration_closes_at=timezone.now() - timedelta(hours=1))

    response = client.get(reverse("programs:eligibility", args=[session.slug]))

    assert response.url == reverse("programs:landing", args=[session.slug])
