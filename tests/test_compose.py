"""docker-compose.yml, the Dockerfile and the proxy agree with the code they run.

No Docker engine runs the tests: they read the files and check them against the project, so a
renamed module, a new required setting or a fixed container name shows up here.
"""

import ast
import importlib
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve, reverse

from declics import views
from declics.celery import app as celery_app
from declics.operations import health

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DJANGO_SERVICES = ("migrate", "web", "worker", "beat")
SCALABLE_SERVICES = ("web", "worker")
# The issue's production set (also in declics/settings.py's docstring); settings' own required
# variables (read without a default) are added to it by `required_in_production()`.
PRODUCTION_VARIABLES = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
# Read by gunicorn through docker/gunicorn.conf.py, not by Django.
GUNICORN_CONFIG = ROOT / "docker" / "gunicorn.conf.py"
GUNICORN_VARIABLES = {"WEB_CONCURRENCY", "GUNICORN_THREADS"}


def _env_calls(tree: ast.AST):
    """Yield (name, call) for every `env("NAME", ...)` and `env.<type>("NAME", ...)` call."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
        )
        first = node.args[0]
        if is_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, node


def _default_of(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def settings_variables() -> dict[str, list[ast.expr | None]]:
    """{variable name: the default expression of each call reading it} from declics/settings.py."""
    tree = ast.parse((ROOT / "declics" / "settings.py").read_text())
    found: dict[str, list[ast.expr | None]] = {}
    for name, call in _env_calls(tree):
        found.setdefault(name, []).append(_default_of(call))
    return found


def required_in_production() -> set[str]:
    """Variables settings.py reads somewhere without a default, plus the issue's production set."""
    no_default = {name for name, defaults in settings_variables().items() if any(d is None for d in defaults)}
    return no_default | PRODUCTION_VARIABLES


def environment(service: str) -> dict[str, str]:
    value = SERVICES[service].get("environment", {})
    if isinstance(value, list):
        return dict(item.split("=", 1) for item in value)
    return {name: str(val) for name, val in value.items()}


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def healthcheck_text(service: str) -> str:
    test = SERVICES[service]["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_settings_variables_parser_finds_single_and_multi_line_reads():
    found = settings_variables()
    # One-line reads, multi-line reads, and a variable read twice (with and without a default).
    assert {"DEBUG", "DATABASE_URL", "PASSWORD_HASHERS", "DEFAULT_FROM_EMAIL", "SECRET_KEY"} <= set(found)
    assert None in found["SECRET_KEY"]
    assert "SECRET_KEY" in required_in_production()


def test_compose_uses_the_specification_format_without_version():
    assert "version" not in COMPOSE
    assert set(SERVICES) == {"postgres", "redis", "mailpit", "migrate", "web", "worker", "beat", "proxy"}


def test_compose_images_are_the_expected_ones():
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["mailpit"]["image"].startswith("axllent/mailpit")
    for service in DJANGO_SERVICES:
        assert SERVICES[service]["build"] == {"context": ".", "dockerfile": "Dockerfile"}, service


def test_compose_healthchecks_probe_each_service():
    assert "pg_isready" in healthcheck_text("postgres")
    assert "redis-cli ping" in healthcheck_text("redis")
    assert "/mailpit readyz" in healthcheck_text("mailpit")
    assert "wget" in healthcheck_text("proxy")
    assert "celery -A declics inspect ping" in healthcheck_text("worker")
    # migrate is a one-shot job.
    assert "healthcheck" not in SERVICES["migrate"]


READINESS_COMMAND = ["python", "manage.py", "health_check", "readyz", "--no-http"]


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_worker_and_beat_healthchecks_run_the_readiness_checks_in_process(service):
    """The checks of /readyz (database, cache, broker, disk, outbox lag), without an HTTP server."""
    test = SERVICES[service]["healthcheck"]["test"]
    steps = [shlex.split(step) for step in " ".join(test[1:]).split("&&")]
    assert steps[-1] == READINESS_COMMAND
    if service == "worker":
        assert test[0] == "CMD-SHELL"
        # First this very worker must answer (its name is the container's host name).
        assert steps[0][:5] == ["celery", "-A", "declics", "inspect", "ping"]
        assert "celery@$$HOSTNAME" in steps[0]
    else:
        assert test[0] == "CMD"
    assert "health_check" in get_commands()
    # The command resolves the URL name and runs that view's checks in the process.
    assert resolve(reverse("readyz")).func.view_class is health.ReadinessView
    assert [check.__name__ for check in health.ReadinessView.checks] == [
        "Database",
        "Cache",
        "Broker",
        "Disk",
        "OutboxLag",
    ]
    # The whole chain must end well inside the healthcheck's timeout (5 s ping + the checks).
    assert SERVICES[service]["healthcheck"]["timeout"] == "30s"


def test_web_healthcheck_calls_the_healthz_view_without_curl():
    test = healthcheck_text("web")
    url = re.search(r"http://[^'\" ]+", test).group(0)
    assert url == "http://localhost:8000/healthz"
    assert "urllib.request.urlopen" in test and "curl" not in test
    assert resolve(urlsplit(url).path).func is views.healthz
    # The host of the URL must be allowed by the compose default of ALLOWED_HOSTS.
    assert "localhost" in environment("web")["ALLOWED_HOSTS"]


def test_web_runs_gunicorn_on_the_wsgi_module_with_the_shared_config():
    assert command("web") == ["gunicorn", "declics.wsgi", "--config", "docker/gunicorn.conf.py"]
    assert callable(importlib.import_module("declics.wsgi").application)
    assert settings.WSGI_APPLICATION == "declics.wsgi.application"
    config = GUNICORN_CONFIG.read_text()
    for name in GUNICORN_VARIABLES:
        assert f'os.environ.get("{name}"' in config, name
    # The port gunicorn binds by default is the one the healthcheck and the proxy use.
    assert 'os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")' in config
    assert SERVICES["web"]["expose"] == ["8000"]


def test_worker_and_beat_run_the_celery_app_and_its_schedule():
    assert command("worker")[:4] == ["celery", "-A", "declics", "worker"]
    assert command("beat")[:4] == ["celery", "-A", "declics", "beat"]
    assert celery_app.main == "declics"
    schedule = celery_app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert "send-due-notifications" in schedule
    celery_app.loader.import_default_modules()
    missing = {entry["task"] for entry in schedule.values()} - set(celery_app.tasks)
    assert missing == set(), f"beat schedules tasks that do not exist: {missing}"


def test_migrate_runs_the_one_set_up_command():
    # tests/test_setup_production.py runs this very command on an empty PostgreSQL database.
    assert command("migrate") == ["python", "manage.py", "setup_production"]
    assert "setup_production" in get_commands()
    assert SERVICES["migrate"]["restart"] == "no"


def test_django_services_pass_only_variables_that_settings_reads():
    known = set(settings_variables())
    for service in DJANGO_SERVICES:
        passed = set(environment(service))
        extra = GUNICORN_VARIABLES if service == "web" else set()
        assert passed - known - extra == set(), service
    assert set(environment("web")) >= GUNICORN_VARIABLES


def test_django_services_pass_every_variable_production_requires():
    for service in DJANGO_SERVICES:
        assert required_in_production() - set(environment(service)) == set(), service


def test_django_services_are_configured_for_the_compose_network():
    env = environment("web")
    assert env["DEBUG"] == "false"
    assert env["SECURE_SSL_REDIRECT"] == "false"  # no TLS inside compose
    # Behind the one proxy: the rate limits see each visitor, not the proxy (issue 11).
    assert env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"
    assert env["LOG_FORMAT"] == "json"
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"
    assert urlsplit(env["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    # Operations: off unless set in the shell or .env (an empty token keeps /metrics a 404).
    assert env["METRICS_TOKEN"] == "${METRICS_TOKEN:-}"
    assert env["SENTRY_DSN"] == "${SENTRY_DSN:-}"
    # No secret key in the file: compose refuses to start without one.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    # The database credentials agree between PostgreSQL and Django.
    database = urlsplit(env["DATABASE_URL"])
    postgres = environment("postgres")
    assert database.username == postgres["POSTGRES_USER"]
    assert database.path == f"/{postgres['POSTGRES_DB']}"
    assert database.password == postgres["POSTGRES_PASSWORD"]
    # Web, worker, beat and migrate run the same Django configuration.
    django_env = {name: value for name, value in env.items() if name not in GUNICORN_VARIABLES}
    for service in DJANGO_SERVICES:
        assert environment(service) == (env if service == "web" else django_env), service


@pytest.mark.parametrize("service", SCALABLE_SERVICES)
def test_scalable_service_has_no_container_name_nor_host_port(service):
    assert "container_name" not in SERVICES[service]
    assert "ports" not in SERVICES[service]


def test_only_the_proxy_and_mailpit_publish_host_ports():
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"proxy", "mailpit"}
    assert SERVICES["proxy"]["ports"] == ["${HTTP_PORT:-8000}:80"]
    assert all("container_name" not in service for service in SERVICES.values())


def test_proxy_balances_over_every_web_container():
    caddyfile = (ROOT / "docker" / "Caddyfile").read_text()
    assert re.search(r"dynamic a \{\s*name web\s*port 8000", caddyfile)
    assert "auto_https off" in caddyfile
    assert "./docker/Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["proxy"]["volumes"]


def test_cache_broker_and_beat_lock_use_separate_databases_of_the_compose_redis():
    env = environment("beat")
    urls = [urlsplit(env[name]) for name in ("REDIS_URL", "CELERY_BROKER_URL", "REDIS_LOCKS_URL")]
    assert {(url.scheme, url.hostname, url.port) for url in urls} == {("redis", "redis", 6379)}
    assert [url.path for url in urls] == ["/0", "/1", "/2"]
    # The same split as settings.py derives from REDIS_URL alone (tests/test_settings.py).
    assert "--appendonly" in SERVICES["redis"]["command"]  # the queued tasks and the lock survive a restart


def test_a_second_beat_is_harmless_the_lock_is_in_redis():
    # Any number of beat replicas: with a Redis for locks, settings choose celery-redbeat, whose
    # lock lets one beat schedule (tests/test_beat_lock.py runs two). No file, no replica count to keep.
    assert "REDIS_LOCKS_URL" in environment("beat")
    assert "--schedule" not in command("beat") and "-s" not in command("beat")
    header = (ROOT / "docker-compose.yml").read_text().split("\nname:")[0]
    assert "ONE beat" not in header and "celery-" in header and "BEAT_LOCK_TIMEOUT" in header


def test_depends_on_conditions_reference_existing_services():
    allowed = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in SERVICES.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in SERVICES, f"{name} depends on unknown {target}"
            condition = rule["condition"]
            assert condition in allowed, f"{name} -> {target}: {condition}"
            if condition == "service_healthy":
                assert "healthcheck" in SERVICES[target], (
                    f"{name} waits for {target}, which has no healthcheck"
                )
            if condition == "service_completed_successfully":
                assert SERVICES[target].get("restart") == "no", f"{target} must be a one-shot service"
    for service in ("web", "worker", "beat"):
        assert SERVICES[service]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert SERVICES["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_dockerfile_builds_a_non_root_gunicorn_image_from_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "\nFROM python:3.11-slim\n" in dockerfile
    assert "RUN pip install -c requirements.lock .\n" in dockerfile
    assert "python manage.py collectstatic" in dockerfile
    assert "\nUSER declics\n" in dockerfile
    assert dockerfile.rstrip().endswith(
        'CMD ["gunicorn", "declics.wsgi", "--config", "docker/gunicorn.conf.py"]'
    )
    for line in dockerfile.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *sources, _destination = line.split()[1:]
            missing = [source for source in sources if not (ROOT / source).exists()]
            assert missing == [], f"{line!r} copies files that do not exist"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".git", ".venv", "var"} <= ignored
    assert "docker" not in ignored  # the gunicorn config and the Caddyfile live there
