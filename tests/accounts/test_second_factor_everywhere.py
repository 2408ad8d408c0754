"""Every page of the site, the Django admin included, refuses a staff or adviser session that has not
passed the second factor: the URL patterns are walked, so a page added tomorrow is checked too."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils.http import urlencode

from declics.accounts.middleware import ALWAYS_OPEN, CONFIRM_VIEWS, SETUP_VIEWS
from tests.factories import AdviserFactory, StaffFactory, with_totp

pytestmark = pytest.mark.django_db

SAMPLES = {
    "int": "1",
    "slug": "exemple",
    "str": "exemple",
    "path": "exemple",
    "uuid": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)")


def _regex_sample(group: re.Match) -> str:
    body = group.group(1)
    words = body.split("|")
    if len(words) > 1 and all(re.fullmatch(r"\w+", word) for word in words):
        return words[0]  # e.g. the admin's app labels
    return "1"


def _text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAMETER.sub(lambda m: SAMPLES.get(m.group("converter") or "str", "1"), str(pattern))
    regex = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    return _REGEX_GROUP.sub(_regex_sample, regex).replace("\\", "")


def every_url() -> list[str]:
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + _text(entry.pattern))
            else:
                found.append("/" + prefix + _text(entry.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_the_walk_finds_the_pages_of_every_app():
    urls = every_url()

    assert len(urls) > 150
    for prefix in ("/sessions/", "/mentorat/", "/emplois/", "/compte/", "/comptes/", "/admin/"):
        assert any(url.startswith(prefix) for url in urls), prefix


@pytest.mark.parametrize("factory", [StaffFactory, AdviserFactory])
def test_every_page_refuses_a_session_that_did_not_pass_the_second_factor(factory):
    browser = Client()
    browser.force_login(with_totp(factory(is_superuser=factory is StaffFactory)))  # no second factor
    open_views = ALWAYS_OPEN | CONFIRM_VIEWS
    checked, wrong = 0, []

    for url in every_url():
        try:
            match = resolve(url)
        except Exception:  # noqa: BLE001 — a sample that does not fit its pattern: not a page
            continue
        if match.view_name in open_views:
            continue
        for method in ("get", "post"):
            response = getattr(browser, method)(url)
            expected = f"/comptes/2fa/reauthenticate/?{urlencode({'next': url})}"
            if (response.status_code, response.get("Location")) != (302, expected):
                wrong.append(f"{method.upper()} {url} ({match.view_name}): {response.status_code}")
        checked += 1

    assert wrong == []
    assert checked > 150


def test_without_an_authenticator_only_the_set_up_pages_open():
    browser = Client()
    browser.force_login(StaffFactory())
    wrong = []

    for url in every_url():
        try:
            match = resolve(url)
        except Exception:  # noqa: BLE001
            continue
        if match.view_name in ALWAYS_OPEN | SETUP_VIEWS:
            continue
        response = browser.get(url)
        if (response.status_code, response.get("Location")) != (302, "/comptes/2fa/totp/activate/"):
            wrong.append(f"{url} ({match.view_name}): {response.status_code}")

    assert wrong == []
