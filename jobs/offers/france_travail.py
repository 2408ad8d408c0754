"""Client of France Travail's *Offres d'emploi v2* API, and the import of its offers.

One class, `FranceTravailClient`, whose HTTP transport is injected: production uses
`UrllibTransport` (the standard library, no extra dependency); tests use a fake server or a
fake transport, never the network.

- OAuth2 client credentials; the token is kept in the cache until shortly before it expires,
  and fetched again if the API answers 401.
- Search by ROME codes and département, 150 offers a page (`range=0-149`): 200 is the last page,
  206 a partial page (`Content-Range: offres 0-149/612`), 204 nothing found.
- 429 (rate limit): wait `Retry-After` seconds (or back off exponentially) and try again.
"""

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import transaction
from django.utils import timezone

from declics.rome.models import RomeJob
from declics.territories.models import Commune, Departement

from .models import ContractType, JobOffer, OfferSource

logger = logging.getLogger(__name__)

TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
API_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2"
SCOPE = "api_offresdemploiv2 o2dsoffre"
PAGE_SIZE = 150
MAX_START = 3000  # the API refuses a range starting after 3000
MAX_ROME_CODES_PER_SEARCH = 10
# How long an imported offer stays listed without being seen again in an import.
IMPORTED_OFFER_LIFETIME = timedelta(days=14)


class FranceTravailError(Exception):
    """The API could not be used (credentials, server error, too many retries)."""


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def header(self, name: str) -> str:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return ""


Transport = Callable[..., HttpResponse]


class UrllibTransport:
    """`transport(method, url, *, headers, data=None) -> HttpResponse` over urllib, with a timeout."""

    def __init__(self, timeout: float = 20.0):
        self.timeout = timeout

    def __call__(self, method: str, url: str, *, headers: dict, data: bytes | None = None) -> HttpResponse:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https only in production)
                return HttpResponse(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, dict(error.headers.items()), error.read())


@dataclass
class SearchPage:
    offers: list[dict]
    total: int | None
    partial: bool


@dataclass
class FranceTravailClient:
    client_id: str
    client_secret: str
    transport: Transport = field(default_factory=UrllibTransport)
    token_url: str = TOKEN_URL
    api_url: str = API_URL
    cache: object = None
    sleep: Callable[[float], None] = time.sleep
    max_retries: int = 5

    def __post_init__(self):
        if self.cache is None:
            self.cache = default_cache

    # --- token -------------------------------------------------------------------------------
    @property
    def _token_key(self) -> str:
        return f"france-travail:token:{self.client_id}"

    def token(self, *, refresh: bool = False) -> str:
        if not refresh:
            cached = self.cache.get(self._token_key)
            if cached:
                return cached
        data = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": SCOPE,
            }
        ).encode()
        response = self._send(
            "POST", self.token_url, headers={"Content-Type": "application/x-www-form-urlencoded"}, data=data
        )
        if response.status != 200:
            raise FranceTravailError(f"token request refused: HTTP {response.status}")
        payload = response.json()
        token = payload["access_token"]
        # Kept until a minute before it expires, so a request never carries a stale token.
        lifetime = max(int(payload.get("expires_in", 0)) - 60, 1)
        self.cache.set(self._token_key, token, timeout=lifetime)
        return token

    # --- requests ----------------------------------------------------------------------------
    def _send(self, method, url, *, headers, data=None) -> HttpResponse:
        """One request, retried on 429 (Retry-After or exponential back-off) and on 5xx."""
        for attempt in range(self.max_retries + 1):
            response = self.transport(method, url, headers=headers, data=data)
            if response.status == 429 or response.status >= 500:
                if attempt == self.max_retries:
                    break
                retry_after = response.header("Retry-After")
                delay = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else 2.0**attempt
                logger.info("france travail: HTTP %s, retrying in %.1fs", response.status, delay)
                self.sleep(min(delay, 60.0))
                continue
            return response
        raise FranceTravailError(f"gave up after {self.max_retries} retries: HTTP {response.status}")

    def _get(self, path: str, params: dict) -> HttpResponse:
        url = f"{self.api_url}{path}?{urllib.parse.urlencode(params)}"
        response = self._send("GET", url, headers=self._auth_headers(refresh=False))
        if response.status == 401:  # expired or revoked token: one fresh token, one more try
            response = self._send("GET", url, headers=self._auth_headers(refresh=True))
        return response

    def _auth_headers(self, *, refresh: bool) -> dict:
        return {"Authorization": f"Bearer {self.token(refresh=refresh)}", "Accept": "application/json"}

    def search_page(self, *, rome_codes: list[str], departement: str, start: int = 0) -> SearchPage:
        response = self._get(
            "/offres/search",
            {
                "codeROME": ",".join(rome_codes),
                "departement": departement,
                "range": f"{start}-{start + PAGE_SIZE - 1}",
            },
        )
        if response.status == 204:
            return SearchPage(offers=[], total=0, partial=False)
        if response.status not in (200, 206):
            raise FranceTravailError(f"search refused: HTTP {response.status}")
        payload = response.json() or {}
        total = None
        content_range = response.header("Content-Range")  # "offres 0-149/612"
        if "/" in content_range:
            try:
                total = int(content_range.rsplit("/", 1)[1])
            except ValueError:
                total = None
        return SearchPage(offers=payload.get("resultats", []), total=total, partial=response.status == 206)

    def search(self, *, rome_codes: list[str], departement: str) -> Iterator[dict]:
        """Every offer for these ROME codes in this département, page after page."""
        for index in range(0, len(rome_codes), MAX_ROME_CODES_PER_SEARCH):
            chunk = rome_codes[index : index + MAX_ROME_CODES_PER_SEARCH]
            start = 0
            while start <= MAX_START:
                page = self.search_page(rome_codes=chunk, departement=departement, start=start)
                yield from page.offers
                start += PAGE_SIZE
                if not page.partial or (page.total is not None and start >= page.total):
                    break


def client_from_settings(**kwargs) -> FranceTravailClient | None:
    """The configured client, or None when no credentials are set (the import then does nothing)."""
    if not (settings.FRANCE_TRAVAIL_CLIENT_ID and settings.FRANCE_TRAVAIL_CLIENT_SECRET):
        return None
    return FranceTravailClient(
        client_id=settings.FRANCE_TRAVAIL_CLIENT_ID,
        client_secret=settings.FRANCE_TRAVAIL_CLIENT_SECRET,
        token_url=settings.FRANCE_TRAVAIL_TOKEN_URL,
        api_url=settings.FRANCE_TRAVAIL_API_URL,
        **kwargs,
    )


# --- import -------------------------------------------------------------------------------------
CONTRACTS = {
    "CDI": ContractType.CDI,
    "DIN": ContractType.CDI,  # CDI intérimaire
    "CDD": ContractType.CDD,
    "DDI": ContractType.CDD,  # CDD d'insertion
    "SAI": ContractType.CDD,  # saisonnier
    "MIS": ContractType.INTERIM,
}


def _contract(raw: dict) -> str | None:
    if raw.get("alternance"):
        return ContractType.WORK_STUDY
    return CONTRACTS.get(raw.get("typeContrat", ""))


def offer_fields(raw: dict, *, departement: Departement, communes: dict, rome_codes: set) -> dict | None:
    """The JobOffer fields of one API offer, or None if it cannot be shown (no contract we know)."""
    contract = _contract(raw)
    if contract is None:
        return None
    place = raw.get("lieuTravail") or {}
    commune = communes.get(place.get("commune", ""))
    rome_code = raw.get("romeCode", "")
    offer_id = str(raw["id"])
    origin = (raw.get("origineOffre") or {}).get("urlOrigine") or (
        f"https://candidat.francetravail.fr/offres/recherche/detail/{offer_id}"
    )
    description = (raw.get("description") or "").strip()
    salary = ((raw.get("salaire") or {}).get("libelle") or "").strip()
    if salary:
        description = f"{description}\n\nSalaire : {salary}"
    return {
        "title": (raw.get("intitule") or "")[:200] or "Offre France Travail",
        "company_name": ((raw.get("entreprise") or {}).get("nom") or "")[:200],
        "rome_job_id": rome_code if rome_code in rome_codes else None,
        "contract": contract,
        "commune": commune,
        "departement": commune.departement if commune else departement,
        "is_remote": False,
        "hours": (raw.get("dureeTravailLibelle") or "")[:100],
        "description": description or (raw.get("intitule") or ""),
        "requirements": "\n".join(
            item.get("libelle", "") for item in raw.get("competences") or [] if item.get("libelle")
        ),
        "positions": max(int(raw.get("nombrePostes") or 1), 1),
        "external_url": origin[:500],
        "expires_on": timezone.localdate() + IMPORTED_OFFER_LIFETIME,
        "is_published": True,
    }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def import_offers(
    *, client: FranceTravailClient, departement: Departement, rome_codes: list[str]
) -> ImportResult:
    """Import (or refresh) the digital-job offers of one département; idempotent by offer id."""
    result = ImportResult()
    known_rome = set(RomeJob.objects.values_list("code", flat=True))
    raws = {str(raw["id"]): raw for raw in client.search(rome_codes=rome_codes, departement=departement.code)}
    insee_codes = {(raw.get("lieuTravail") or {}).get("commune", "") for raw in raws.values()}
    communes = {
        commune.code: commune
        for commune in Commune.objects.current()
        .filter(code__in=insee_codes - {""})
        .select_related("departement")
    }
    with transaction.atomic():
        existing = {
            offer.external_id: offer
            for offer in JobOffer.objects.filter(
                source=OfferSource.FRANCE_TRAVAIL, external_id__in=list(raws)
            )
        }
        for offer_id, raw in raws.items():
            fields = offer_fields(raw, departement=departement, communes=communes, rome_codes=known_rome)
            if fields is None:
                result.skipped += 1
                continue
            offer = existing.get(offer_id)
            if offer is None:
                JobOffer.objects.create(source=OfferSource.FRANCE_TRAVAIL, external_id=offer_id, **fields)
                result.created += 1
            else:
                for name, value in fields.items():
                    setattr(offer, name, value)
                if offer.is_moderated:
                    offer.is_published = False  # unpublished by staff: a refresh does not republish it
                offer.save()
                result.updated += 1
    return result
