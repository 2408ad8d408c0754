from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from declics.territories import services
from declics.territories.models import Commune

from .conftest import territory_data

SEARCH_URL = reverse("territories:commune_search")
FIND_URL = reverse("territories:find_commune")


@pytest.mark.django_db
def test_commune_search_returns_json_results(client, territories):
    montpellier = Commune.objects.get(code="34172")

    response = client.get(SEARCH_URL, {"q": "montpel"})

    assert response.json() == {
        "results": [
            {
                "id": montpellier.pk,
                "name": "Montpellier",
                "label": "Montpellier (34) – 34000, 34070, 34080…",
                "code": "34172",
                "postal_codes": ["34000", "34070", "34080", "34090"],
                "departement": {"code": "34", "name": "Hérault"},
            }
        ]
    }
    assert response["Cache-Control"] == "public, max-age=3600"


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "count"), [("bez", 1), ("montp", 3)])
def test_commune_search_query_count_is_constant(client, territories, django_assert_num_queries, query, count):
    # The prefix search, then the word search that fills the list; the département comes joined.
    with django_assert_num_queries(2):
        response = client.get(SEARCH_URL, {"q": query})
    assert len(response.json()["results"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "count"), [("34500", 1), ("31", 2)])
def test_commune_search_by_postal_code_uses_one_query(
    client, territories, django_assert_num_queries, query, count
):
    with django_assert_num_queries(1):
        response = client.get(SEARCH_URL, {"q": query})
    assert len(response.json()["results"]) == count


@pytest.mark.django_db
def test_commune_search_is_capped_at_ten_and_restricted_by_departement(client, db):
    many = [
        {
            "code": f"34{n:03d}",
            "nom": f"Mont {n}",
            "type": "commune-actuelle",
            "departement": "34",
            "population": n,
        }
        for n in range(1, 16)
    ]
    garonne = {"code": "31001", "nom": "Mont Garonne", "type": "commune-actuelle", "departement": "31"}
    services.load_territories(data=territory_data([*many, garonne]))

    assert len(client.get(SEARCH_URL, {"q": "mont"}).json()["results"]) == 10
    results = client.get(SEARCH_URL, {"q": "mont", "dep": "31"}).json()["results"]
    assert [r["name"] for r in results] == ["Mont Garonne"]


@pytest.mark.django_db
def test_commune_search_empty_or_short_query_returns_nothing(client, territories, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(SEARCH_URL, {"q": "m"}).json() == {"results": []}
        assert client.get(SEARCH_URL).json() == {"results": []}


@pytest.mark.django_db
def test_commune_search_is_rate_limited_per_client_behind_the_proxy(territories, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"commune_search": "3/m/ip"}
    # Both visitors reach the site through the same proxy, which names them in X-Forwarded-For.
    busy = Client(REMOTE_ADDR="172.18.0.5", headers={"x-forwarded-for": "203.0.113.66"})
    other = Client(REMOTE_ADDR="172.18.0.5", headers={"x-forwarded-for": "198.51.100.7"})

    statuses = [busy.get(SEARCH_URL, {"q": "x"}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = busy.get(SEARCH_URL, {"q": "x"})
    assert response.json() == {"error": "Trop de recherches : patientez une minute."}
    assert response["Retry-After"] == "60"
    assert other.get(SEARCH_URL, {"q": "montp"}).json()["results"][0]["name"] == "Montpellier"


@pytest.mark.django_db
def test_commune_search_refuses_post(client, territories):
    assert client.post(SEARCH_URL, {"q": "montp"}).status_code == 405


@pytest.mark.django_db
def test_find_commune_page_shows_the_empty_form_with_the_script(client, territories):
    response = client.get(FIND_URL)
    html = response.content.decode()

    assert response.context["form"].is_bound is False
    assert "<h1>Trouver ma commune</h1>" in html
    assert '<script src="/static/js/commune-autocomplete.js" defer></script>' in html
    assert 'data-search-url="/territoires/communes/recherche/"' in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.django_db
def test_find_commune_without_javascript_zero_match(client, territories):
    response = client.get(FIND_URL, {"commune": "Nullepart"})

    assert response.context["commune"] is None
    assert "Nous ne trouvons pas cette commune." in response.content.decode()


@pytest.mark.django_db
def test_find_commune_without_javascript_one_match(client, territories):
    services.import_qpvs(
        source_file="code_qp;lib_qp;insee_com\nEXEMPLE-34-01;Quartier exemple — Béziers;34032\n".encode(),
        valid_from=date(2024, 1, 1),
        source="exemple",
        is_sample=True,
    )

    response = client.get(FIND_URL, {"commune": "béziers"})

    assert response.context["commune"].code == "34032"
    assert [q.code for q in response.context["qpvs"]] == ["EXEMPLE-34-01"]
    assert response.context["rural_zone"] is None
    assert "Votre commune : Béziers, Hérault (34)" in response.content.decode()


@pytest.mark.django_db
def test_find_commune_without_javascript_several_matches_then_a_choice(client, territories):
    response = client.get(FIND_URL, {"commune": "montpeyroux"})

    assert response.context["commune"] is None
    html = response.content.decode()
    assert "Choisissez votre commune :" in html
    assert html.count('type="radio" name="commune_id"') == 2

    chosen = Commune.objects.get(code="34179")
    response = client.get(FIND_URL, {"commune": "montpeyroux", "commune_id": chosen.pk})
    assert response.context["commune"] == chosen


@pytest.mark.django_db
@pytest.mark.parametrize("commune_id", ["9" * 5000, "99999999999999999999", "²", "٣", "-1", "12\x00"])
def test_find_commune_with_a_commune_id_no_row_can_have_is_a_form_error(client, territories, commune_id):
    """A few thousand digits once crashed the page (int() refuses more than 4,300)."""
    response = client.get(FIND_URL, {"commune": "montpeyroux", "commune_id": commune_id})

    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        "Cette commune n'est pas proposée ici. Choisissez-en une autre."
    ]
