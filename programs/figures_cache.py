"""A version number per session for its cached figures (adviser funnel, dashboard header).

Those figures are cached a minute to keep dashboards cheap; bumping the session's version when
its people change (an enrolment, a withdrawal, a step done, an invitation, a survey answer) makes
the next dashboard view recompute them, so an adviser sees a new enrolment at once.
"""

from django.core.cache import cache
from django.db import transaction


def _key(session_id: int) -> str:
    return f"programs:session-figures-version:{session_id}"


def session_figures_version(session_id: int) -> int:
    return cache.get(_key(session_id), 0)


def bump_session_figures(session_id: int) -> None:
    """Bump the version once the current transaction commits (a rollback changes nothing)."""

    def bump():
        try:
            cache.incr(_key(session_id))
        except ValueError:  # no version yet: start one that never expires
            if not cache.add(_key(session_id), 1, timeout=None):
                cache.incr(_key(session_id))

    transaction.on_commit(bump, robust=True)
