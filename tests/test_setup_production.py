"""What the compose `migrate` service runs sets up a whole site on an empty PostgreSQL database.

The command is read from docker-compose.yml as it stands and run as the container would run it,
with the compose environment (DEBUG off and the rest), except that DATABASE_URL names a brand-new
database this test creates and drops, Redis is this machine's (or absent) and SECRET_KEY is the
test's. Then, against that database only: a second run changes nothing and is quick, the first
staff account is created as the README says, and tests/setup_scenario.py drives a first day
(staff opens a session; a job seeker signs up, takes the assessment and searches offers).
"""

import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
STAFF_PASSWORD = "Une-phrase-de-passe-2026"  # the scenario signs in with it

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the production stack runs on PostgreSQL (set DATABASE_URL)"
    ),
]


def interpolate(value: str) -> str:
    """Compose's `${NAME:-default}` and `${NAME:?message}` as an unset variable gives them."""

    def replace(match):
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if operator == ":?":
            raise KeyError(f"{name} must be set: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", replace, value)


def compose_environment(service: str, *, secret_key: str) -> dict[str, str]:
    raw = {name: str(value) for name, value in COMPOSE["services"][service]["environment"].items()}
    raw["SECRET_KEY"] = secret_key  # compose refuses to start without one
    return {name: interpolate(value) for name, value in raw.items()}


@pytest.fixture
def empty_database():
    """A new PostgreSQL database on the test's server, dropped at the end; yields its URL."""
    db = settings.DATABASES["default"]
    name = f"declics_setup_{uuid.uuid4().hex[:10]}"
    params = {
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def stack_environment(empty_database, tmp_path):
    env = compose_environment("migrate", secret_key="compose-setup-test-" + uuid.uuid4().hex)
    env["DATABASE_URL"] = empty_database
    # The compose network's Redis is this machine's when the tests have one, else none at all
    # (the site then falls back on local memory and the filesystem broker).
    for name, value in list(env.items()):
        if value.startswith("redis://"):
            if os.environ.get("REDIS_URL"):
                env[name] = os.environ["REDIS_URL"]
            else:
                del env[name]
    env.update(
        # What the image provides: the project's Python first on PATH, its folder as /app.
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        HOME=str(tmp_path),
        LANG="C.UTF-8",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="declics.settings",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
    )
    return env


def run(args, env, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_compose_migrate_command_sets_up_a_site_a_job_seeker_can_use(stack_environment):
    command = COMPOSE["services"]["migrate"]["command"]
    command = shlex.split(command) if isinstance(command, str) else command  # compose's two forms
    env = stack_environment

    started = time.perf_counter()
    first = run(command, env)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = run(command, env)
    second_seconds = time.perf_counter() - started

    assert re.search(r"^Migrations: \d+ applied", first.stdout, re.M)
    assert "ROME: 1584 created" in first.stdout
    assert "Assessment v1: created, 26 questions (in service)" in first.stdout
    # The second run finds everything at the same version and loads nothing.
    assert "Migrations: up to date" in second.stdout
    assert "Territoires déjà à jour" in second.stdout
    assert "ROME job sheets: up to date" in second.stdout
    assert "Digital job descriptions: 0 updated, 98 unchanged" in second.stdout
    assert "Assessment v1: unchanged" in second.stdout
    assert second_seconds < first_seconds
    print(f"setup_production: first run {first_seconds:.1f} s, second run {second_seconds:.1f} s")

    # The README's next step: the first staff account, its second factor printed once.
    staff = run(
        [
            "python",
            "manage.py",
            "create_first_staff",
            "ines@diversidays.example",
            "--first-name=Inès",
            "--last-name=Moreau",
        ],
        env,
        input=STAFF_PASSWORD + "\n",
    )
    key = re.search(r"^Key: ([A-Z2-7]+)$", staff.stdout, re.M).group(1)

    # The image collects the static files when it is built (the Dockerfile); the pages need them.
    run(["python", "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    scenario = run(["python", str(ROOT / "tests" / "setup_scenario.py"), key], env)
    assert scenario.stdout.strip().splitlines()[-1] == "ok", scenario.stdout + scenario.stderr
