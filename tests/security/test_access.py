"""Every URL of the site, as every role, with job seeker B's objects (tables in access.py).

A refused role gets exactly the refusal its policy says (login page, 403 or 404) on GET and on an
empty POST, and never sees B's name or e-mail; staff may. The insider (B, B's mentor, adviser,
company…) reaches every page, so a refusal is never a wrong id in the table.
"""

import pytest
from django.urls import reverse

from tests.security.access import ADMIN, ADMIN_NAMESPACE, LOGIN, REFUSALS, entries
from tests.security.http import b_secrets_in, fetch, outcome
from tests.security.urls import admin_urls, named_patterns
from tests.security.world import ROLES

METHOD_NOT_ALLOWED = 405


def _url(entry, world, *, forge=False):
    kwargs = entry.kwargs(world)
    if forge and entry.policy.forge_token:
        kwargs = {name: value[:-6] + "AAAAAA" for name, value in kwargs.items()}
    return reverse(entry.name, kwargs=kwargs)


def _failed(got) -> bool:
    return isinstance(got, int) and got >= 500


def _differences(actual: dict, expected: dict) -> dict:
    """`{key: (actual, expected)}` where they differ: the failure lists every wrong outcome at once."""
    return {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}


def test_every_url_is_covered():
    names = set(named_patterns())
    declared = {entry.name for entry in entries()}

    missing = sorted(name for name in names - declared if not name.startswith(f"{ADMIN_NAMESPACE}:"))
    stale = sorted(declared - names)

    assert (missing, stale) == ([], []), "declare each URL name in tests/security/access.py ACCESS"


@pytest.mark.parametrize("role", ROLES)
def test_role_view_matrix(client, world, role):
    world.login(client, role)
    actual, expected, leaks = {}, {}, []
    for entry in entries():
        url = _url(entry, world, forge=True)
        for method in entry.methods:
            want = entry.policy.expected(role, method)
            answer = fetch(client, method, url)
            got = outcome(answer)
            if method == "post" and want not in REFUSALS and got not in REFUSALS and not _failed(got):
                got = want  # an allowed empty POST may answer 200, 302, 400 or 409: not an access matter
            actual[(entry.name, method)] = (got, repr(answer.error) if answer.error else None)
            expected[(entry.name, method)] = (want, None)
            if role != "staff" and b_secrets_in(answer):
                leaks.append((entry.name, method, got, b_secrets_in(answer)))

    assert (_differences(actual, expected), leaks) == ({}, [])


@pytest.mark.parametrize("role", [role for role in ROLES if role != "staff"])
def test_admin_is_for_staff_only(client, world, role):
    world.login(client, role)
    urls = admin_urls(world.user("b").pk)
    # Its own sign-in and sign-out pages answer anybody.
    public = {f"{ADMIN_NAMESPACE}:login", f"{ADMIN_NAMESPACE}:logout"}

    actual = {name: outcome(fetch(client, "get", url)) for name, url in urls.items() if name not in public}

    assert _differences(actual, dict.fromkeys(actual, ADMIN.expected(role))) == {}
    assert len(actual) > 200  # every model's pages, not just the index


def test_insiders_reach_every_page_and_undeclared_methods_answer_405(client, world):
    actual, expected = {}, {}
    for entry in entries():
        world.login(client, entry.policy.insider)
        url = _url(entry, world)
        if "get" in entry.methods:
            actual[(entry.name, "get")] = outcome(fetch(client, "get", url))
            expected[(entry.name, "get")] = entry.policy.expected("insider")
        for method in {"get", "post"} - set(entry.methods):
            actual[(entry.name, method)] = outcome(fetch(client, method, url))
            expected[(entry.name, method)] = METHOD_NOT_ALLOWED

    assert _differences(actual, expected) == {}


def test_anonymous_visitors_are_sent_to_the_login_page_with_their_way_back(client, world):
    entry = next(entry for entry in entries() if entry.name == "programs:adviser_person")
    url = _url(entry, world)

    answer = fetch(client, "get", url)

    assert (outcome(answer), answer.location) == (LOGIN, f"{reverse('account_login')}?next={url}")
