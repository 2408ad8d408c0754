"""The cache backend: Django's RedisCache that never fails a page because Redis is away.

While Redis does not answer, every operation goes to a local-memory store of this process
instead: cached values are computed again (and kept there a while), rate-limit counters keep
counting there (per process, so a limit is at worst multiplied by the number of web processes,
never lifted). One thread tries Redis again every `RETRY_AFTER` seconds, the others do not wait
for it. The outage is logged once when it starts and once when it ends, not per request.

No library fits: django-redis's DJANGO_REDIS_IGNORE_EXCEPTIONS answers None to every failed
operation, and allauth's rate limiter takes a lock with `cache.add()`: None means "not acquired",
so every login and sign-up would wait a second and be refused (429) for the whole outage.
django-cache-fallback logs a traceback on every call, has no retry window (every call pays the
connection attempt) and takes any exception (a missing key's `incr` included) for an outage.

    CACHES = {"default": {
        "BACKEND": "declics.cache.ResilientRedisCache",
        "LOCATION": "redis://redis:6379/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1,   # redis-py's own options
                    "RETRY_AFTER": 5, "FALLBACK_MAX_ENTRIES": 10_000},  # this backend's
    }}
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from .outages import outage_for


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool.

    Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every operation, and
    building one fills its table of about 170 reply callbacks: 100 µs of a 160 µs `cache.get`
    on the benchmark machine (`bench/README.md`). A `redis.Redis` holds no connection of its own
    (it borrows one from the pool per command) and is safe to share, so one per pool is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose every operation falls back on this process's local memory on a Redis error.

    Only Redis's own errors (connection refused, timeout, a server refusing writes…) switch to
    the fallback; anything else (a missing key's `incr`, a value that cannot be pickled) is raised
    as Django's RedisCache would.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("RETRY_AFTER", 5))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 10_000))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        location = server if isinstance(server, str) else ",".join(server)
        self._outage = outage_for(component="cache", location=location, retry_after=retry_after)
        # LocMemCache instances of one name share their store: one per process and location.
        self._fallback = LocMemCache(
            f"declics.cache.fallback:{location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                # Rate-limit counters live here during an outage: room for many clients.
                "OPTIONS": {"MAX_ENTRIES": max_entries},
            },
        )

    @property
    def is_down(self) -> bool:
        """Whether this process currently works from its fallback store."""
        return self._outage.down

    def ping(self) -> None:
        """Ask Redis itself (no fallback): raises RedisError when it does not answer. For /healthz."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._outage.failed(error)
            raise
        if self._outage.recovered():
            self._fallback.clear()

    def _call(self, name: str, *args, **kwargs):
        if self._outage.may_try():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                self._outage.failed(error)
            else:
                if self._outage.recovered():
                    self._fallback.clear()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")
