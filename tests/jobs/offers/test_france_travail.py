"""The France Travail client and importer, on fixtures: a fake transport, then a fake HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from jobs.offers import services
from jobs.offers.france_travail import (
    FranceTravailClient,
    FranceTravailError,
    HttpResponse,
    UrllibTransport,
    import_offers,
)
from jobs.offers.models import ContractType, JobOffer, OfferSource
from jobs.offers.tasks import import_france_travail_offers
from tests.factories import StaffFactory
from tests.jobs.factories import CommuneFactory, DepartementFactory, RomeJobFactory, SessionFactory

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeCache:
    """A cache whose entries expire when the test says so."""

    def __init__(self):
        self.data, self.timeouts = {}, {}

    def get(self, key):
        return self.data.get(key)

    def set(self, key, value, timeout):
        self.data[key], self.timeouts[key] = value, timeout

    def expire_all(self):
        self.data.clear()


class FakeTransport:
    """Answers from a queue of (status, headers, body) per kind of request; records every call."""

    def __init__(self, searches, tokens=None):
        self.searches = list(searches)
        self.tokens = list(tokens or [(200, {}, fixture("ft_token.json"))])
        self.calls = []

    def __call__(self, method, url, *, headers, data=None):
        self.calls.append((method, url, headers.get("Authorization")))
        queue = self.tokens if "access_token" in url else self.searches
        status, response_headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
        return HttpResponse(status, response_headers, body)

    @property
    def search_ranges(self):
        return [parse_qs(urlsplit(url).query)["range"][0] for method, url, _ in self.calls if "search" in url]

    @property
    def token_requests(self):
        return sum(1 for _, url, _ in self.calls if "access_token" in url)


def client_for(transport, **kwargs):
    sleeps = []
    client = FranceTravailClient(
        client_id="id",
        client_secret="secret",
        transport=transport,
        cache=FakeCache(),
        sleep=sleeps.append,
        **kwargs,
    )
    return client, sleeps


PAGE_1 = (206, {"Content-Range": "offres 0-149/152"}, fixture("ft_search_page1.json"))
PAGE_2 = (200, {"Content-Range": "offres 150-151/152"}, fixture("ft_search_page2.json"))


def test_search_follows_206_pages_until_the_last_one():
    transport = FakeTransport([PAGE_1, PAGE_2])
    client, _ = client_for(transport)
    offers = list(client.search(rome_codes=["M1805", "M1810", "E1206"], departement="34"))
    assert [offer["id"] for offer in offers] == ["190ABCD", "190EFGH", "190IJKL"]
    assert transport.search_ranges == ["0-149", "150-299"]
    assert transport.token_requests == 1


def test_search_with_204_returns_nothing():
    client, _ = client_for(FakeTransport([(204, {}, b"")]))
    assert list(client.search(rome_codes=["M1805"], departement="48")) == []


def test_token_is_cached_until_a_minute_before_expiry_then_fetched_again():
    transport = FakeTransport([PAGE_2])
    client, _ = client_for(transport)
    client.search_page(rome_codes=["M1805"], departement="34")
    client.search_page(rome_codes=["M1805"], departement="34")
    assert transport.token_requests == 1
    assert client.cache.timeouts == {"france-travail:token:id": 1499 - 60}

    client.cache.expire_all()
    client.search_page(rome_codes=["M1805"], departement="34")
    assert transport.token_requests == 2


def test_a_401_gets_one_fresh_token_and_retries():
    token_2 = json.dumps({"access_token": "anonymised-token-2", "expires_in": 1499}).encode()
    transport = FakeTransport(
        [(401, {}, b""), PAGE_2], tokens=[(200, {}, fixture("ft_token.json")), (200, {}, token_2)]
    )
    client, _ = client_for(transport)
    page = client.search_page(rome_codes=["M1805"], departement="34")
    assert [offer["id"] for offer in page.offers] == ["190IJKL"]
    assert [auth for _, url, auth in transport.calls if "search" in url] == [
        "Bearer anonymised-token-1",
        "Bearer anonymised-token-2",
    ]


def test_429_waits_retry_after_then_backs_off_and_gives_up():
    transport = FakeTransport([(429, {"Retry-After": "2"}, b""), (429, {}, b""), PAGE_2])
    client, sleeps = client_for(transport)
    assert len(client.search_page(rome_codes=["M1805"], departement="34").offers) == 1
    assert sleeps == [2.0, 2.0]  # Retry-After, then 2**1 s of back-off

    client, sleeps = client_for(FakeTransport([(429, {}, b"")]), max_retries=3)
    with pytest.raises(FranceTravailError, match="gave up after 3 retries: HTTP 429"):
        client.search_page(rome_codes=["M1805"], departement="34")
    assert sleeps == [1.0, 2.0, 4.0]


# --- a fake server, through the real urllib transport ------------------------------------------------
class FakeFranceTravail(BaseHTTPRequestHandler):
    state: dict = {}

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.state["tokens"] = self.state.get("tokens", 0) + 1
        self._send(200, fixture("ft_token.json"), {"Content-Type": "application/json"})

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        assert self.headers["Authorization"] == "Bearer anonymised-token-1"
        self.state.setdefault("searches", []).append((query["departement"][0], query["range"][0]))
        if self.state.get("throttle"):
            self.state["throttle"] -= 1
            return self._send(429, headers={"Retry-After": "0"})
        if query["range"][0] == "0-149":
            return self._send(206, PAGE_1[2], {"Content-Range": "offres 0-149/152"})
        return self._send(200, PAGE_2[2], {"Content-Range": "offres 150-151/152"})


@pytest.fixture
def fake_server():
    FakeFranceTravail.state = {"throttle": 1}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeFranceTravail)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base, FakeFranceTravail.state
    server.shutdown()
    server.server_close()


@pytest.fixture
def herault(db):
    departement = DepartementFactory()
    CommuneFactory()  # Montpellier, 34172
    CommuneFactory(code="34301", name="Sète", postal_codes="34200")
    RomeJobFactory()
    RomeJobFactory(code="M1810", label="Technicien / Technicienne d'exploitation informatique")
    return departement


def test_import_creates_then_refreshes_offers_idempotently(fake_server, herault):
    base, state = fake_server
    client = FranceTravailClient(
        client_id="id",
        client_secret="secret",
        transport=UrllibTransport(timeout=5),
        token_url=f"{base}/connexion/oauth2/access_token",
        api_url=f"{base}/v2",
        cache=FakeCache(),
        sleep=lambda seconds: None,
    )
    result = import_offers(client=client, departement=herault, rome_codes=["M1805", "M1810", "E1206"])
    assert (result.created, result.updated, result.skipped) == (2, 0, 1)  # the freelance one is skipped
    assert state["searches"] == [("34", "0-149"), ("34", "0-149"), ("34", "150-299")]  # one 429, retried

    web, support = JobOffer.objects.order_by("external_id")
    assert (
        web.source,
        web.external_id,
        web.company_name,
        web.contract,
        web.commune.name,
        web.rome_job_id,
    ) == (
        OfferSource.FRANCE_TRAVAIL,
        "190ABCD",
        "AGENCE EXEMPLE",
        ContractType.CDI,
        "Montpellier",
        "M1805",
    )
    assert web.external_url == "https://candidat.francetravail.fr/offres/recherche/detail/190ABCD"
    assert web.positions == 2
    assert "Salaire : Annuel de 30000.00 Euros à 36000.00 Euros sur 12 mois" in web.description
    assert (support.contract, support.commune.name, support.departement_id) == (
        ContractType.WORK_STUDY,
        "Sète",
        "34",
    )

    result = import_offers(client=client, departement=herault, rome_codes=["M1805", "M1810", "E1206"])
    assert (result.created, result.updated, JobOffer.objects.count()) == (0, 2, 2)
    assert state["tokens"] == 1


def test_import_task_does_nothing_without_credentials(settings, db):
    settings.FRANCE_TRAVAIL_CLIENT_ID = ""
    assert import_france_travail_offers() == {"skipped": "no credentials"}


def test_import_task_imports_for_running_sessions(settings, fake_server, herault):
    base, _ = fake_server
    settings.FRANCE_TRAVAIL_CLIENT_ID = "id"
    settings.FRANCE_TRAVAIL_CLIENT_SECRET = "secret"
    settings.FRANCE_TRAVAIL_TOKEN_URL = f"{base}/connexion/oauth2/access_token"
    settings.FRANCE_TRAVAIL_API_URL = f"{base}/v2"
    SessionFactory(departements=[herault])
    FakeFranceTravail.state["throttle"] = 0
    assert import_france_travail_offers() == {"created": 2, "updated": 0, "skipped": 1}


def test_a_refresh_does_not_republish_an_offer_staff_unpublished(fake_server, herault):
    base, _state = fake_server
    client = FranceTravailClient(
        client_id="id",
        client_secret="secret",
        transport=UrllibTransport(timeout=5),
        token_url=f"{base}/connexion/oauth2/access_token",
        api_url=f"{base}/v2",
        cache=FakeCache(),
        sleep=lambda seconds: None,
    )
    import_offers(client=client, departement=herault, rome_codes=["M1805", "M1810"])
    moderated = JobOffer.objects.get(external_id="190ABCD")
    services.unpublish_offer(offer=moderated, reason="Offre en double.", by=StaffFactory())

    import_offers(client=client, departement=herault, rome_codes=["M1805", "M1810"])

    moderated.refresh_from_db()
    assert (moderated.is_published, moderated.is_moderated) == (False, True)
    assert JobOffer.objects.exclude(pk=moderated.pk).get().is_published
