"""The cached figures, in one place: their keys, their versions, how long they are kept, and the
one call that makes a session's figures stale.

What is cached (Redis in production; a cache outage only makes pages slower, `declics.cache`):

- the adviser dashboard's session header (step dates, invitations count), per adviser and
  session, its funnel, per session and adviser, and the order of the people in its table when no
  filter narrows it (their ids, per sort; the rows themselves are read live): `ADVISER_SECONDS`;
- the impact figures: a session's public summary and the staff dashboard, per language:
  `IMPACT_SECONDS`;
- the home page's list of open sessions and their places left, shared by every visitor:
  `OPEN_SESSIONS_SECONDS` (enrolment itself always counts the places under a lock).

A session's figures carry its *version* in their keys. A service that changes what they count (an
enrolment, a withdrawal and the promotion it frees, a step done, an e-mail invitation, a survey
answer) calls `figures_changed(session_id)` inside its transaction: once that commits the version
moves, every key built with the old one is never read again, and the next page recomputes. A
rollback changes nothing. Figures over several sessions (the staff impact dashboard of a region or
of everything, the home page) carry no version: they follow within their time.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .models import Session

ADVISER_SECONDS = 60
IMPACT_SECONDS = 10 * 60  # one pass over 100,000 enrolments costs seconds
IMPACT_SHAPE = 2  # bump when the cached impact figures change shape
OPEN_SESSIONS_SECONDS = 60
OPEN_SESSIONS_KEY = "programs:home:open-sessions"


def _version_key(session_id: int) -> str:
    return f"programs:session-figures-version:{session_id}"


def figures_changed(session_id: int) -> None:
    """Make `session_id`'s cached figures stale once the current transaction commits.

    The one invalidation of the adviser and impact figures: call it from the service that changes
    what they count, inside its transaction.
    """

    def bump():
        key = _version_key(session_id)
        try:
            cache.incr(key)
        except ValueError:  # no version yet: start one that never expires
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)

    transaction.on_commit(bump, robust=True)


# The former name, for branches written before the rename; use `figures_changed`.
bump_session_figures = figures_changed


def session_figures_version(session_id: int) -> int:
    return cache.get(_version_key(session_id), 0)


def read_ahead(keys: list[str]) -> dict[str, Any]:
    """The values of `keys` a page is about to ask `cached` for, in ONE cache round trip: {key:
    value, or None when missing}. Pass it to `cached(…, ahead=…)`, which then reads no more."""
    found = cache.get_many(keys)
    return {key: found.get(key) for key in keys}


def cached(key: str, compute: Callable[[], Any], seconds: int, *, ahead: dict | None = None) -> Any:
    """`compute()`'s result, kept `seconds` under `key`; a None result (nothing found) is not kept.
    `ahead` (`read_ahead`): the key's value when it was read there already."""
    result = ahead[key] if ahead is not None and key in ahead else cache.get(key)
    if result is None:
        result = compute()
        if result is not None:
            cache.set(key, result, seconds)
    return result


# --- Keys -------------------------------------------------------------------------------------------


def session_id_for_slug(slug: str) -> int | None:
    """The id of the session at `slug`: the pair is cached for good (a slug never changes), so
    finding a session's figures version from its URL is one cache read and no query, once warm."""
    key = f"programs:session-id:{slug}"
    session_id = cache.get(key)
    if session_id is None:
        session_id = Session.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if session_id is not None:
            cache.set(key, session_id, timeout=None)
    return session_id


def adviser_session_key(*, user_id: int, slug: str, version: int) -> str:
    """The adviser dashboard's session header (found by slug, before the session is read), under
    the session's figures `version` (`session_id_for_slug`, then `session_figures_version`)."""
    return f"programs:adviser-dashboard-session:{user_id}:{slug}:{version}"


def adviser_funnel_key(*, session_id: int, user_id: int, version: int | None = None) -> str:
    """The funnel's figures (suppressed, language-free); v3: the figures, no longer the counts."""
    version = session_figures_version(session_id) if version is None else version
    return f"programs:adviser-funnel:v3:{session_id}:{version}:{user_id}"


def adviser_people_key(*, session_id: int, user_id: int, sort: str, version: int | None = None) -> str:
    """The order of the adviser's people in the dashboard's table (their ids), per sort."""
    version = session_figures_version(session_id) if version is None else version
    return f"programs:adviser-people:{session_id}:{version}:{user_id}:{sort}"


def _impact_key(key: str) -> str:
    # Per language: the figures carry their labels.
    return f"programs:impact:v{IMPACT_SHAPE}:{get_language()}:{key}"


def impact_session_key(session_id: int) -> str:
    """A session's public impact summary."""
    return _impact_key(f"session:{session_id}:{session_figures_version(session_id)}")


def impact_dashboard_key(
    *, session_id: int | None, region_id: int | None, departement_id: int | None, grouping: str
) -> str:
    """The staff impact dashboard for a scope; one session's scope follows that session's version."""
    version = session_figures_version(session_id) if session_id is not None else ""
    scope = ":".join(map(str, (session_id, region_id, departement_id)))
    return _impact_key(f"dashboard:{scope}:{grouping}:{version}")
