"""Set up, or bring up to date, the database of a site: what the compose `migrate` service runs.

Each step is the project's own command, run only when it has something to do: the migrations when
one is unapplied, each reference data set when its vendored file differs from the one loaded last
(the loaders compare checksums or versions). A second run on an up-to-date database therefore reads
a few rows and exits. On PostgreSQL an advisory lock makes two runs started at once (two deploys)
go one after the other.
"""

import time
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from declics.rome import services as rome

# Any constant shared by every run of this command: the key of its PostgreSQL advisory lock.
ADVISORY_LOCK_KEY = 16_2026_0001


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> int:
    connection = connections[database]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@contextmanager
def one_run_at_a_time(database: str = DEFAULT_DB_ALIAS):
    connection = connections[database]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


class Command(BaseCommand):
    help = (
        "Set up the database for production, or bring it up to date: migrations, territories "
        "(INSEE COG), ROME job sheets, digital-job descriptions, skills-assessment questionnaire. "
        "Idempotent; a step whose data is already loaded at the same version is skipped."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        with one_run_at_a_time():
            self._step("Migrations", self._migrate)
            self._step("Territories", lambda: self._call("load_territories"))
            self._step("ROME job sheets", self._load_rome)
            self._step("Digital-job descriptions", lambda: self._call("load_job_descriptions"))
            self._step("Assessment questionnaire", lambda: self._call("load_assessment"))
        self.stdout.write(
            self.style.SUCCESS(f"Database ready ({time.perf_counter() - started:.1f} s in all).")
        )

    def _step(self, label: str, run) -> None:
        started = time.perf_counter()
        report = run().strip().replace("\n", "; ")
        self.stdout.write(f"{label}: {report} ({time.perf_counter() - started:.2f} s)")

    def _call(self, name: str, **options) -> str:
        out = StringIO()
        call_command(name, stdout=out, **options)
        return out.getvalue()

    def _migrate(self) -> str:
        pending = pending_migrations()
        if not pending:
            return "up to date"
        self._call("migrate", interactive=False, verbosity=0)
        return f"{pending} applied"

    def _load_rome(self) -> str:
        if rome.is_up_to_date():
            return "up to date"
        return self._call("load_rome")
