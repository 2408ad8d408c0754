"""Queries of hot pages built by the ORM once, then run with new values.

Turning a queryset into SQL costs the web process far more than the database's answer for the
small queries of a person's page: the pathway's dates and done steps (a UNION ALL of two
`values_list`) took 670 µs of Python to build against 130 µs to run (`bench/README.md`). A
`PreparedValues` keeps the ORM as the one definition of the query (`StepProgress.objects.done()`
stays the rule of a done step), builds its SQL once per thread and database connection, and then
only sends it with the values of the request, reading the rows through the same converters the
ORM uses (time zones, SQLite's dates).

It fits a query whose shape never changes between calls: only the values named as placeholders
vary (ids), nothing is read from the clock or the settings when it is built. A placeholder is a
sentinel integer standing for the value while the ORM builds the SQL; each must turn up among the
query's parameters, or building fails loudly.

No library does this: django-cachalot and cacheops cache *results* (invalidated by writes to the
tables), which a person's own rows read once per page do not need, and Django has no API for
reusing a compiled query.
"""

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

_SENTINEL_BASE = -7_349_000_000  # far from any id or value a query of ours holds


class PreparedValues:
    """`build(**placeholders)` → a `values_list` queryset; calling the object runs it with values.

    dates = PreparedValues(lambda session_id: Step.objects.filter(session_id=session_id)
                           .values_list("step", "opens_at"), "session_id")
    dates(session_id=12)  # → [(1, datetime…), …]
    """

    def __init__(self, build: Callable[..., QuerySet], *placeholders: str, using: str = "default"):
        self._build = build
        self._placeholders = placeholders
        self._sentinels = {name: _SENTINEL_BASE - index for index, name in enumerate(placeholders)}
        self._using = using
        self._local = threading.local()

    def _compiled(self):
        connection = connections[self._using]
        cached = getattr(self._local, "compiled", None)
        if cached is not None and cached[0] is connection:
            return cached
        queryset = self._build(**self._sentinels)
        compiler = queryset.query.get_compiler(using=self._using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, sentinel in self._sentinels.items():
            slots[name] = [index for index, value in enumerate(params) if value == sentinel]
            if not slots[name]:
                raise ValueError(f"placeholder {name!r} is not a parameter of the built query")
        cached = self._local.compiled = (connection, compiler, sql, tuple(params), slots)
        return cached

    def __call__(self, **values) -> list[tuple]:
        if set(values) != set(self._placeholders):
            raise TypeError(f"expected values for {', '.join(self._placeholders)}")
        connection, compiler, sql, params, slots = self._compiled()
        params = list(params)
        for name, indexes in slots.items():
            for index in indexes:
                params[index] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return list(compiler.results_iter(results=[rows], tuple_expected=True))
