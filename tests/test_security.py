"""Production headers on real responses: the production values come from settings.py itself,
computed in a subprocess with the production variables, then applied to this test process."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from tests.test_settings import PRODUCTION_ENV, PRODUCTION_SECURITY_KEYS, dump_settings

pytestmark = pytest.mark.django_db

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
}


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    values, _ = dump_settings(PRODUCTION_ENV, tmp_path_factory.mktemp("security"))
    return values


@pytest.fixture
def production(settings, production_values):
    for key in [*PRODUCTION_SECURITY_KEYS, "CONTENT_SECURITY_POLICY"]:
        value = production_values[key]
        setattr(settings, key, tuple(value) if key == "SECURE_PROXY_SSL_HEADER" else value)
    settings.DEBUG = False
    return settings


def _https(client, path, **kwargs):
    return client.get(path, secure=True, **kwargs)


def test_production_page_sends_hsts_csp_and_frame_denial(client, production):
    response = _https(client, reverse("account_login"))

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert {d.strip() for d in response["Content-Security-Policy"].split(";")} == CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_csrf_cookie_is_secure_httponly_lax(client, production):
    response = _https(client, reverse("account_login"))

    cookie = response.cookies["csrftoken"]
    assert (bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"]) == (True, True, "Lax")


def test_production_session_cookie_is_secure_httponly_and_ends_with_the_browser(client, production):
    UserFactory(email="ana@example.org")

    response = client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert (bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"]) == (True, True, "Lax")
    assert (cookie["max-age"], cookie["expires"]) == ("", "")  # a browser-session cookie


def test_production_plain_http_is_redirected_to_https_except_healthz(client, production):
    page = client.get(reverse("account_login"))
    health = client.get("/healthz")

    assert (page.status_code, page["Location"]) == (301, "https://testserver/comptes/login/")
    assert health.status_code == 200
    assert health["Content-Type"] == "application/json"
    # The readiness probe and the metrics' scrape come from inside the network too.
    assert client.get("/readyz").status_code in (200, 500)
    assert client.get("/metrics").status_code == 404  # METRICS_TOKEN unset: not a redirect


def test_production_proxy_header_marks_the_request_secure(client, production):
    response = client.get(reverse("account_login"), headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_pages_have_no_inline_script(client):
    client.force_login(UserFactory())
    for name in ("home", "account_signup", "accounts:profile"):
        html = client.get(reverse(name)).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert all("src=" in attrs and not body.strip() for attrs, body in scripts), (name, scripts)
        assert not re.search(r"\son[a-z]+\s*=", html), name  # no inline event handlers either


def test_logged_in_pages_are_never_stored(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:profile"))

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private", "must-revalidate", "max-age=0"} <= directives
    assert "Expires" in response


def test_anonymous_public_pages_keep_their_caching(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_session_expiry_moves_with_each_request_and_ends_after_inactivity(client, settings):
    client.force_login(UserFactory())
    session_key = client.session.session_key
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() + timedelta(minutes=5))

    client.get(reverse("accounts:profile"))

    expire_date = Session.objects.get(pk=session_key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expire_date - expected).total_seconds()) < 60

    # Two hours without a request: the session is over.
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('accounts:profile')}"


def test_session_is_written_at_most_once_per_refresh_interval(client, settings, django_assert_num_queries):
    settings.SESSION_REFRESH_INTERVAL = 300
    client.force_login(UserFactory())
    session_key = client.session.session_key
    client.get(reverse("accounts:profile"))  # first request after login: the expiry is pushed back
    first_expiry = Session.objects.get(pk=session_key).expire_date

    # Within the interval: the session is read (session + user) and never written.
    with django_assert_num_queries(2):
        client.get(reverse("accounts:profile"))
    assert Session.objects.get(pk=session_key).expire_date == first_expiry

    # Once the interval has passed, the next request writes it with a new expiry.
    settings.SESSION_REFRESH_INTERVAL = 0
    client.get(reverse("accounts:profile"))
    assert Session.objects.get(pk=session_key).expire_date > first_expiry


def test_static_csp_middleware_reuses_the_policy_and_honours_per_view_changes(rf):
    from csp.constants import SELF
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from declics.middleware import StaticCSPMiddleware

    plain = StaticCSPMiddleware(lambda request: HttpResponse("ok"))
    first = plain(rf.get("/"))["Content-Security-Policy"]
    second = plain(rf.get("/"))["Content-Security-Policy"]
    assert first == second
    assert "script-src 'self'" in first and "unsafe-inline" not in first

    @csp_update({"img-src": [SELF, "https://tiles.example.org"]})
    def map_view(request):
        return HttpResponse("map")

    customised = StaticCSPMiddleware(map_view)(rf.get("/carte/"))["Content-Security-Policy"]
    assert "https://tiles.example.org" in customised
    assert plain(rf.get("/"))["Content-Security-Policy"] == first
