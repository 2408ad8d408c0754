"""Track a backing service's outage in this process: log it once, retry it now and then.

Used by the cache backend (declics/cache.py) and the task queue (declics/queueing.py): while a
service is away, callers skip it (falling back on something else) instead of each paying a
connection attempt; one caller every `retry_after` seconds tries it again. The start and the end
of an outage are logged once each, with the service's name as `component`.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


class Outage:
    """Whether `component` at `location` is down for this process, since when, when to try again."""

    clock = staticmethod(time.monotonic)

    def __init__(self, *, component: str, location: str, retry_after: float):
        self.component = component
        self.location = _without_credentials(location)
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self.since: float | None = None  # time.time() of the first failure; None while it answers
        self._next_try = 0.0  # on `clock`

    @property
    def down(self) -> bool:
        return self.since is not None

    def may_try(self) -> bool:
        """Always while the service answers; during an outage, one caller every `retry_after` s."""
        if self.since is None:
            return True
        with self._lock:
            now = self.clock()
            if now < self._next_try:
                return False
            self._next_try = now + self.retry_after
            return True

    def failed(self, error: Exception) -> None:
        """The service did not answer: the first failure of an outage is logged, the others not."""
        with self._lock:
            self._next_try = self.clock() + self.retry_after
            if self.since is not None:
                return
            self.since = time.time()
        logger.warning(
            "%s unreachable",
            self.component,
            extra={"component": self.component, "location": self.location, "error": repr(error)},
        )

    def recovered(self) -> bool:
        """The service answered: True when that ends an outage (logged once)."""
        if self.since is None:
            return False
        with self._lock:
            if self.since is None:
                return False
            lasted = time.time() - self.since
            self.since = None
        logger.warning(
            "%s reachable again",
            self.component,
            extra={
                "component": self.component,
                "location": self.location,
                "outage_seconds": round(lasted, 1),
            },
        )
        return True


_registry: dict[tuple[str, str], Outage] = {}
_registry_lock = threading.Lock()


def outage_for(*, component: str, location: str, retry_after: float) -> Outage:
    """The one Outage of this process for `component` at `location` (shared by every thread)."""
    with _registry_lock:
        key = (component, location)
        if key not in _registry:
            _registry[key] = Outage(component=component, location=location, retry_after=retry_after)
        return _registry[key]


def forget_all() -> None:
    """Forget every outage of this process (tests start from services that answer)."""
    with _registry_lock:
        for outage in _registry.values():
            with outage._lock:
                outage.since, outage._next_try = None, 0.0


def _without_credentials(location: str) -> str:
    """redis://:secret@host:6379/0 → redis://host:6379/0: logs never carry a password."""
    try:
        parts = urlsplit(location)
    except ValueError:
        return "?"
    if parts.password is None and parts.username is None:
        return location
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
