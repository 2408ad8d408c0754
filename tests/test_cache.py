"""The cache backend (declics/cache.py): with Redis away every page answers and rate limits hold.

Redis "away" is real here: the cache points at a port where nothing listens, so redis-py's own
connection fails on every operation, exactly as when the Redis container is stopped.
"""

import contextlib
import logging
import re
import socket
import threading
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from declics import outages
from declics.accounts.models import User
from declics.cache import ResilientRedisCache
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.programs.advisers.factories import AgencyFactory, agency_adviser
from tests.programs.factories import CommuneFactory, DepartementFactory, EnrolmentFactory, OpenSessionFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there: connection refused at once


def _resilient(location, **options):
    """The project's caches, with the default one on `location` (the layout's fragments stay)."""
    return {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "declics.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **options},
        },
    }


def _outage_records(caplog):
    return [(r.getMessage(), r.component) for r in caplog.records if r.name == "declics.outages"]


@pytest.fixture
def redis_down(settings):
    """The site's cache is the production backend, on a Redis that does not answer."""
    settings.CACHES = _resilient(CLOSED_PORT)
    outages.forget_all()
    caches["default"]._fallback.clear()  # another test's counters must not leak in
    yield
    outages.forget_all()


@pytest.fixture
def people(db):
    """An open session with a job seeker who shares their progress with an adviser; staff; a commune."""
    departement = DepartementFactory(code="34", name="Hérault")
    session = OpenSessionFactory(title="DéClics Hérault printemps", departements=[departement])
    adviser = agency_adviser(agency=AgencyFactory(departement=departement))
    enrolment = EnrolmentFactory(
        session=session,
        job_seeker=UserFactory(first_name="Aïcha", last_name="Benali"),
        adviser=adviser,
        share_with_adviser=True,
    )
    CommuneFactory(code="34142", name="Lodève", postal_codes="34700", departement=departement)
    return type(
        "People",
        (),
        {"session": session, "job_seeker": enrolment.job_seeker, "adviser": adviser, "staff": StaffFactory()},
    )


def test_every_listed_page_answers_with_redis_down_and_the_outage_is_logged_once(
    client, redis_down, people, caplog
):
    slug = people.session.slug
    with caplog.at_level(logging.INFO, logger="declics.outages"):
        home = client.get(reverse("home"))
        signup_page = client.get(reverse("account_signup"))
        signup = client.post(
            reverse("account_signup"),
            {
                "first_name": "Bruno",
                "last_name": "Petit",
                "email": "bruno.petit@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "role": "job_seeker",
            },
        )
        login_page = client.get(reverse("account_login"))
        login = client.post(
            reverse("account_login"), {"login": people.job_seeker.email, "password": PASSWORD}
        )
        reset_page = client.get(reverse("account_reset_password"))
        reset = client.post(reverse("account_reset_password"), {"email": people.job_seeker.email})
        search = client.get(reverse("territories:commune_search"), {"q": "Lod"})
        client.force_login(people.job_seeker)
        pathway = client.get(reverse("programs:pathway", args=[slug]))
        client.force_login(people.adviser)
        dashboard = client.get(reverse("programs:adviser_dashboard", args=[slug]))
        client.force_login(people.staff)
        impact = client.get(reverse("programs:impact_dashboard"))

    # The open sessions were computed (not cached) for the home page.
    assert home.status_code == 200
    assert "DéClics Hérault printemps" in unescape(home.content.decode())
    assert signup_page.status_code == 200
    assert (signup.status_code, signup.url) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email="bruno.petit@example.org").exists()
    assert login_page.status_code == 200
    assert (login.status_code, login.url) == (302, reverse("programs:pathway", args=[slug]))  # their space
    assert login.wsgi_request.user == people.job_seeker
    assert reset_page.status_code == 200
    assert (reset.status_code, reset.url) == (302, reverse("account_reset_password_done"))
    assert (search.status_code, [c["name"] for c in search.json()["results"]]) == (200, ["Lodève"])
    assert pathway.status_code == 200
    assert pathway.context["enrolment"].job_seeker == people.job_seeker
    assert dashboard.status_code == 200
    assert "Benali" in unescape(dashboard.content.decode())
    assert impact.status_code == 200
    assert impact.context["summary"] is not None
    # One record for the whole outage, not one per request.
    assert _outage_records(caplog) == [("cache unreachable", "cache")]
    assert caches["default"].is_down


def test_rate_limits_still_apply_from_the_fallback_store(client, redis_down, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    credentials = {"login": "personne@example.org", "password": "faux-mot-de-passe"}

    statuses = [client.post(reverse("account_login"), credentials).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_failed_login_lockout_still_applies_from_the_fallback_store(client, redis_down, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    user = UserFactory(email="ana@example.org")

    for _ in range(2):
        client.post(reverse("account_login"), {"login": user.email, "password": "faux-mot-de-passe"})
    locked = client.post(reverse("account_login"), {"login": user.email, "password": "faux-mot-de-passe"})

    assert locked.status_code == 200
    assert locked.context["form"].non_field_errors() == [
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    ]


def _links(response) -> list[str]:
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return []
    found = re.findall(r'href="(/[^"#?]*)', response.content.decode())
    return [unescape(url) for url in found]


SKIPPED = ("/static/", "/media/", "/i18n/", "/comptes/logout/")


def _crawl(client, start: str, *, limit: int = 80) -> dict[str, int]:
    """Every page reachable by links from `start` (GET only, up to `limit` pages): {url: status}."""
    seen, queue, statuses = {start}, deque([start]), {}
    while queue and len(statuses) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.streaming:  # a download: read it through, which closes its file
            b"".join(response.streaming_content)
        statuses[url] = response.status_code
        for link in _links(response):
            if link not in seen and not link.startswith(SKIPPED):
                seen.add(link)
                queue.append(link)
    return statuses


def test_no_page_reachable_by_links_fails_with_redis_down(client, redis_down, people):
    crawled = {}
    for who in (None, people.job_seeker, people.adviser, people.staff):
        if who is not None:
            client.force_login(who)
        crawled.update(_crawl(client, reverse("home")))
        client.logout()

    assert {url: status for url, status in crawled.items() if status >= 500} == {}
    assert len(crawled) > 30  # the crawl did reach the site, not just the home page
    assert caches["default"].is_down


# --- The backend itself ---------------------------------------------------------------------------


def test_backend_operations_fall_back_on_local_memory_while_redis_is_down(redis_down):
    backend = caches["default"]

    assert backend.add("a", 1) is True
    assert backend.add("a", 2) is False
    backend.set("b", 2)
    assert backend.get("a") == 1
    assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert backend.incr("a") == 2
    assert backend.decr("b") == 1
    with pytest.raises(ValueError):  # a missing key stays an error, as with Redis
        backend.incr("missing")
    assert backend.get_or_set("c", lambda: 3) == 3
    assert backend.has_key("c") is True
    assert backend.touch("c", 10) is True
    backend.set_many({"d": 4, "e": 5})
    backend.delete_many(["d"])
    assert backend.delete("e") is True
    assert backend.get_many(["a", "b", "c", "d", "e"]) == {"a": 2, "b": 1, "c": 3}
    backend.clear()
    assert backend.get("a") is None


def test_ping_raises_while_redis_is_down(redis_down):
    with pytest.raises(RedisConnectionError):
        caches["default"].ping()


def test_other_errors_are_not_taken_for_an_outage(redis_down):
    backend = caches["default"]

    with pytest.raises(TypeError):  # cannot be pickled: the caller's error, raised as RedisCache does
        backend.set("lock", threading.Lock())

    assert backend.get("lock") is None


def test_outage_lets_one_caller_retry_after_the_delay(caplog, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(outages.Outage, "clock", staticmethod(lambda: now[0]))
    outage = outages.Outage(component="cache", location="redis://:secret@redis:6379/0", retry_after=5)

    with caplog.at_level(logging.INFO, logger="declics.outages"):
        before = outage.may_try()
        outage.failed(OSError("refused"))
        outage.failed(OSError("refused"))
        now[0] += 4.9
        during = [outage.may_try(), outage.may_try()]
        now[0] += 0.1
        after = [outage.may_try(), outage.may_try()]
        ended = outage.recovered()
        again = outage.recovered()

    assert (before, during, after, ended, again) == (True, [False, False], [True, False], True, False)
    assert [r.getMessage() for r in caplog.records] == ["cache unreachable", "cache reachable again"]
    # The password in the URL never reaches the logs.
    assert {r.location for r in caplog.records} == {"redis://redis:6379/0"}


# --- A Redis that goes away and comes back (a real Redis behind a proxy the test cuts) -------------


class Cuttable:
    """A TCP proxy to a real Redis: `cut()` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.listening = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass

    def cut(self):
        with contextlib.suppress(OSError):  # wakes the accepting thread up (Linux)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()


@pytest.fixture
def redis_behind_proxy(settings):
    """The site's cache on the real Redis (REDIS_URL), through a proxy the test can cut."""
    if not isinstance(caches["default"], ResilientRedisCache):
        pytest.skip("needs a real Redis: set REDIS_URL")
    url = urlsplit(caches["default"]._servers[0])
    proxy = Cuttable((url.hostname, url.port or 6379))
    credentials = url.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    settings.CACHES = _resilient(url._replace(netloc=netloc).geturl(), RETRY_AFTER=0)
    outages.forget_all()
    yield proxy
    proxy.cut()
    outages.forget_all()


def test_redis_going_away_and_coming_back(client, redis_behind_proxy, caplog):
    backend = caches["default"]
    backend.set("greeting", "from redis")

    with caplog.at_level(logging.INFO, logger="declics.outages"):
        redis_behind_proxy.cut()
        during = [client.get(reverse("home")).status_code for _ in range(3)]
        health_during = client.get(reverse("healthz")).json()
        backend.set("greeting", "from memory")
        fallback_value = backend.get("greeting")
        redis_behind_proxy.restore()
        redis_value = backend.get("greeting")
        health_after = client.get(reverse("healthz")).json()

    assert during == [200, 200, 200]
    assert (health_during["status"], health_during["cache"]) == ("degraded", "error")
    assert (fallback_value, redis_value) == ("from memory", "from redis")
    assert (health_after["status"], health_after["cache"]) == ("ok", "ok")
    assert not backend.is_down
    assert _outage_records(caplog) == [("cache unreachable", "cache"), ("cache reachable again", "cache")]


def test_one_redis_client_serves_every_operation_of_a_cache():
    """Django builds a `redis.Redis` per operation (its ~170 reply callbacks: 100 µs of a 160 µs get);
    ours keeps one per connection pool, and a pool per server as Django does."""
    cache = ResilientRedisCache(CLOSED_PORT, {})

    client = cache._cache.get_client("a")

    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client  # one server: one pool for both
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


def test_the_kept_client_reads_and_writes_on_a_real_redis():
    if not isinstance(caches["default"], ResilientRedisCache):
        pytest.skip("needs a real Redis: set REDIS_URL")
    cache = caches["default"]

    cache.set("declics-test-kept-client", {"n": 1}, 30)

    assert cache.get("declics-test-kept-client") == {"n": 1}
    assert cache.get_many(["declics-test-kept-client", "absent"]) == {"declics-test-kept-client": {"n": 1}}
    cache.delete("declics-test-kept-client")
    assert cache.get("declics-test-kept-client") is None
