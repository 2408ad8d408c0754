"""Extreme values in every form of the site and in the query strings of its pages: never a 500.

The forms are not listed by hand: each URL of access.py is opened as its insider (the person who
may use it), every form found in the page is filled plausibly, then each field in turn receives the
extreme values of its kind (tests/security/fuzz.py). Each request is undone afterwards, so every
form is fuzzed against the same world. A crash, or an error logged, is a finding.
"""

import logging

from django.urls import reverse

from tests.security.access import entries
from tests.security.fuzz import BLIND_CASES, HUGE, forms_in
from tests.security.http import fetch

# The parameters the site's pages read (page, question number, filters, commune), at their extremes.
QUERY_CASES = (
    {"page": "9999999999999", "n": "0", "commune_id": "99999999999999999999", "etape": "-1"},
    {"page": HUGE, "n": HUGE, "q": "\x00", "commune": "\x00", "commune_id": HUGE, "tri": "\x00"},
    {"page": "-1", "n": "²", "commune_id": "²", "etape": HUGE, "dep": "9" * 300, "q": "x" * 10_000},
)


def _server_errors(answer, caplog) -> str | None:
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    caplog.clear()
    if answer.error is not None:
        return repr(answer.error)[:300]
    if answer.status >= 500:
        return f"HTTP {answer.status}"
    if logged:
        return f"logged: {logged[0].getMessage()[:200]}"
    return None


def _report(failures) -> str:
    return f"{len(failures)} server errors:\n" + "\n".join(str(failure)[:400] for failure in failures)


def _pages(client, world):
    """(entry, url, answer) for every page its insider can open."""
    for entry in entries():
        if "get" not in entry.methods:
            continue
        world.login(client, entry.policy.insider)
        url = reverse(entry.name, kwargs=entry.kwargs(world))
        answer = fetch(client, "get", url)
        yield entry, url, answer


def test_forms_fuzz(client, world, caplog):
    failures, fuzzed, seen = [], set(), set()
    for entry, url, page in _pages(client, world):
        if page.status != 200 or "<form" not in page.text:
            continue
        for form in forms_in(page.text, url):
            fuzzed.add(form.action.split("?")[0])
            if form.signature in seen:
                continue
            seen.add(form.signature)
            for label, data in form.cases():
                answer = fetch(client, form.method, form.action, data)
                error = _server_errors(answer, caplog)
                if error:
                    failures.append((entry.name, form.method, form.action, label, error))
    # Every URL that takes a POST is fuzzed: the ones no page offered a form for, blind.
    for entry in entries():
        url = reverse(entry.name, kwargs=entry.kwargs(world))
        if "post" not in entry.methods or url in fuzzed:
            continue
        world.login(client, entry.policy.insider)
        for data in BLIND_CASES:
            error = _server_errors(fetch(client, "post", url, data), caplog)
            if error:
                failures.append((entry.name, "post", url, f"blind {sorted(data)}", error))

    assert failures == [], _report(failures)
    assert len(seen) > 40


def test_query_strings_fuzz(client, world, caplog):
    failures = []
    for entry, url, _page in _pages(client, world):
        for query in QUERY_CASES:
            answer = fetch(client, "get", url, query)
            error = _server_errors(answer, caplog)
            if error:
                failures.append((entry.name, sorted(query), error))

    assert failures == [], _report(failures)


def test_ids_in_urls_past_any_row_fuzz(client, world, caplog):
    """Every numeric id of a URL replaced by one no column holds: a 404, never an overflow."""
    failures = []
    for entry in entries():
        kwargs = entry.kwargs(world)
        numeric = [name for name, value in kwargs.items() if isinstance(value, int)]
        if not numeric:
            continue
        world.login(client, entry.policy.insider)
        for name in numeric:
            for value in (2**63, 10**30):
                url = reverse(entry.name, kwargs={**kwargs, name: value})
                for method in entry.methods:
                    error = _server_errors(fetch(client, method, url), caplog)
                    if error:
                        failures.append((entry.name, name, value, method, error))

    assert failures == [], _report(failures)
