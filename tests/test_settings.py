"""Settings from the environment, checked in subprocesses so that the environment is exactly known."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "kq8-Zr2vP9xW4mT7nB1cY6uH3jL5sD0fG8aE2wQ9rT4yU7iO1pK3lZ6xC5vB8nM0"
PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://declics:secret@db.internal:5432/declics",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "declics.example.org,www.declics.example.org",
    "DEBUG": "false",
}
# Everything else is removed: the developer's or CI's own variables must not leak in.
CONFIG_VARIABLES = {
    "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "LOG_FORMAT",
    "LOG_LEVEL", "CELERY_BROKER_URL", "CELERY_BROKER_DIR", "DATABASE_POOL", "CONN_MAX_AGE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_AGE",
    "CELERY_TASK_ALWAYS_EAGER", "NOTIFICATIONS_KICK_ON_QUEUE", "DJANGO_SETTINGS_MODULE",
    "ALLAUTH_TRUSTED_PROXY_COUNT", "REDIS_LOCKS_URL", "BEAT_LOCK_TIMEOUT",
}  # fmt: skip

DUMP = r"""
import json, logging, sys
import django
django.setup()
from django.conf import settings as s
keys = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASES", "CACHES", "CELERY_BROKER_URL",
    "CELERY_BROKER_TRANSPORT_OPTIONS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS",
    "EMAIL_HOST_USER", "TIME_ZONE", "USE_TZ", "LANGUAGE_CODE", "LANGUAGES", "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "SESSION_REFRESH_INTERVAL",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS", "CONTENT_SECURITY_POLICY", "STORAGES",
    "TEMPLATES", "LOGGING", "MIDDLEWARE", "CELERY_BEAT_SCHEDULE", "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_BEAT_SCHEDULER", "CELERY_REDBEAT_REDIS_URL", "CELERY_REDBEAT_LOCK_TIMEOUT",
    "CELERY_BEAT_MAX_LOOP_INTERVAL",
]
with open(sys.argv[1], "w") as out:
    json.dump({k: getattr(s, k, None) for k in keys}, out, default=str)
logging.getLogger("declics.probe").warning("probe %s", "ok", extra={"component": "settings"})
"""


def run_django(
    code: str, env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run Python code with Django settings built from exactly `env` (plus PATH and HOME)."""
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "declics.settings", "PYTHONPATH": str(BASE_DIR), **env})
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=clean,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def dump_settings(env: dict[str, str], tmp_path: Path) -> tuple[dict, subprocess.CompletedProcess]:
    target = tmp_path / "settings.json"
    result = run_django(DUMP, env, str(target))
    assert result.returncode == 0, result.stderr
    return json.loads(target.read_text()), result


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return dump_settings({}, tmp_path_factory.mktemp("embedded"))


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return dump_settings(PRODUCTION_ENV, tmp_path_factory.mktemp("production"))


def test_settings_without_environment_run_embedded(embedded):
    values, result = embedded

    database = values["DATABASES"]["default"]
    assert values["DEBUG"] is True
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "var" / "declics.sqlite3")
    assert database["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    broker_dir = BASE_DIR / "var" / "broker"
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "control_folder": str(broker_dir / "control"),
        "processed_folder": str(broker_dir / "processed"),
        "store_processed": False,
    }
    assert all((broker_dir / name).is_dir() for name in ("queue", "control", "processed"))
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False  # a real worker, not in-process
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    # No Redis: beat keeps its schedule in a local file (celery's default scheduler), one beat only.
    assert (values["CELERY_BEAT_SCHEDULER"], values["CELERY_REDBEAT_REDIS_URL"]) == (None, None)
    assert (values["TIME_ZONE"], values["USE_TZ"], values["LANGUAGE_CODE"]) == ("Europe/Paris", True, "fr")
    assert [code for code, _ in values["LANGUAGES"]] == ["fr", "en"]
    assert values["SECRET_KEY"].startswith("django-insecure-")
    assert values["SESSION_COOKIE_SECURE"] is False  # http://127.0.0.1 in development
    # Logs are plain text in development.
    assert result.stdout.strip() == "WARNING declics.probe probe ok"


def test_settings_production_variables_select_postgres_redis_smtp(production):
    values, result = production

    database = values["DATABASES"]["default"]
    assert values["DEBUG"] is False
    assert (database["ENGINE"], database["HOST"], database["NAME"], database["USER"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        "declics",
        "declics",
    )
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (600, True)
    assert "pool" not in database.get("OPTIONS", {})
    # The cache on REDIS_URL's database, the broker and the beat lock on the next two.
    assert values["CELERY_BROKER_URL"] == "redis://redis.internal:6379/1"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"socket_connect_timeout": 5}
    assert values["CELERY_BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    assert values["CELERY_REDBEAT_REDIS_URL"] == "redis://redis.internal:6379/2"
    assert (values["CELERY_REDBEAT_LOCK_TIMEOUT"], values["CELERY_BEAT_MAX_LOOP_INTERVAL"]) == (60, 10)
    # Redis, with a fallback on local memory while it is away (declics/cache.py).
    assert values["CACHES"]["default"] == {
        "BACKEND": "declics.cache.ResilientRedisCache",
        "LOCATION": "redis://redis.internal:6379/0",
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0, "RETRY_AFTER": 5.0},
    }
    assert (
        values["EMAIL_BACKEND"],
        values["EMAIL_HOST"],
        values["EMAIL_PORT"],
        values["EMAIL_USE_TLS"],
        values["EMAIL_HOST_USER"],
    ) == ("django.core.mail.backends.smtp.EmailBackend", "smtp.internal", 587, True, "mailer")
    assert values["SECRET_KEY"] == STRONG_KEY
    assert values["ALLOWED_HOSTS"] == ["declics.example.org", "www.declics.example.org"]
    assert (
        values["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert (values["TIME_ZONE"], values["LANGUAGE_CODE"]) == ("Europe/Paris", "fr")
    # Structured logs: one JSON object per line on stdout.
    record = json.loads(result.stdout.strip())
    assert {k: record[k] for k in ("level", "logger", "message", "component")} == {
        "level": "WARNING",
        "logger": "declics.probe",
        "message": "probe ok",
        "component": "settings",
    }


def test_settings_redis_databases_follow_redis_url_or_their_own_variables(tmp_path):
    derived, _ = dump_settings({"REDIS_URL": "redis://:pw@cache.internal:6380/4?protocol=3"}, tmp_path)
    socket, _ = dump_settings({"REDIS_URL": "unix:///run/redis/redis.sock?db=3"}, tmp_path)
    own, _ = dump_settings(
        {
            "REDIS_URL": "redis://cache.internal:6379/0",
            "CELERY_BROKER_URL": "amqp://declics@rabbit.internal:5672/declics",
            "REDIS_LOCKS_URL": "redis://locks.internal:6379/7",
            "BEAT_LOCK_TIMEOUT": "15",
        },
        tmp_path,
    )

    assert (
        derived["CACHES"]["default"]["LOCATION"],
        derived["CELERY_BROKER_URL"],
        derived["CELERY_REDBEAT_REDIS_URL"],
    ) == (
        "redis://:pw@cache.internal:6380/4?protocol=3",
        "redis://:pw@cache.internal:6380/5?protocol=3",
        "redis://:pw@cache.internal:6380/6?protocol=3",
    )
    assert (socket["CELERY_BROKER_URL"], socket["CELERY_REDBEAT_REDIS_URL"]) == (
        "unix:///run/redis/redis.sock?db=4",
        "unix:///run/redis/redis.sock?db=5",
    )
    assert (own["CELERY_BROKER_URL"], own["CELERY_REDBEAT_REDIS_URL"]) == (
        "amqp://declics@rabbit.internal:5672/declics",
        "redis://locks.internal:6379/7",
    )
    assert (own["CELERY_REDBEAT_LOCK_TIMEOUT"], own["CELERY_BEAT_MAX_LOOP_INTERVAL"]) == (15, 5)


def test_settings_production_security_values(production):
    values, _ = production

    assert {k: values[k] for k in PRODUCTION_SECURITY_KEYS} == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 7200,
        "SESSION_SAVE_EVERY_REQUEST": False,
        "SESSION_REFRESH_INTERVAL": 300,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_REDIRECT_EXEMPT": ["^healthz$", "^readyz$", "^metrics$"],
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }
    script_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    assert script_src == ["'self'"]


PRODUCTION_SECURITY_KEYS = [
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST", "SESSION_REFRESH_INTERVAL", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS",
]  # fmt: skip


def test_settings_cached_template_loader_in_every_mode(embedded, production):
    for values, _ in (embedded, production):
        [(wrapper, [(cached, inner)])] = values["TEMPLATES"][0]["OPTIONS"]["loaders"]
        assert (wrapper, cached) == (
            "template_partials.loader.Loader",
            "django.template.loaders.cached.Loader",
        )
        assert inner == [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ]


def test_settings_database_pool_replaces_persistent_connections(tmp_path):
    values, _ = dump_settings(
        {**PRODUCTION_ENV, "DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "4"}, tmp_path
    )

    database = values["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10}
    assert database["CONN_MAX_AGE"] == 0


PROXY_PROBE = r"""
import django
django.setup()
from allauth import app_settings
from django.test import RequestFactory
from declics.ratelimits import client_address
request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", headers={"x-forwarded-for": "203.0.113.9"})
print(app_settings.TRUSTED_PROXY_COUNT, client_address(request))
"""


@pytest.mark.parametrize(
    ("env", "expected"), [({}, "0 172.18.0.5"), ({"ALLAUTH_TRUSTED_PROXY_COUNT": "1"}, "1 203.0.113.9")]
)
def test_settings_trusted_proxy_count_comes_from_the_environment(env, expected):
    # Without it (a server nobody stands in front of) X-Forwarded-For is not believed; compose sets 1.
    result = run_django(PROXY_PROBE, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_settings_without_debug_require_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_django("import django; django.setup()", env)

    assert result.returncode == 1
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_check_deploy_reports_no_issue_with_production_variables():
    result = run_django(
        "from django.core.management import execute_from_command_line as run; "
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_sqlite_options_give_wal_and_immediate_transactions(tmp_path):
    code = r"""
import json, django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA synchronous")
    synchronous = cursor.fetchone()[0]
with CaptureQueriesContext(connection) as queries:
    with transaction.atomic():
        connection.cursor().execute("SELECT 1")
first = queries.captured_queries[0]["sql"]
print(json.dumps({"journal": journal, "synchronous": synchronous, "first": first}))
"""
    result = run_django(code, {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})

    assert result.returncode == 0, result.stderr
    # synchronous=NORMAL is 1; BEGIN IMMEDIATE takes the write lock at once.
    assert json.loads(result.stdout) == {"journal": "wal", "synchronous": 1, "first": "BEGIN IMMEDIATE"}


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the psycopg pool needs PostgreSQL (set DATABASE_URL)"
)
@pytest.mark.django_db
def test_database_pool_serves_queries_on_postgres():
    settings_dict = connection.settings_dict
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    url = f"postgres://{settings_dict['USER']}@{host}:{port}/"
    code = r"""
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    print(cursor.fetchone()[0], type(connection.pool).__name__)
"""
    result = run_django(code, {"DATABASE_URL": url + settings_dict["NAME"], "DATABASE_POOL": "true"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "ConnectionPool"]
