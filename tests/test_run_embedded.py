"""`make run` (bin/run_embedded.py): links in e-mails follow the port served unless SITE_URL is set."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "run_embedded.py"


@pytest.fixture(scope="module")
def run_embedded():
    spec = importlib.util.spec_from_file_location("run_embedded", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("port", "environ", "expected"),
    [
        ("8000", {}, "http://127.0.0.1:8000"),
        ("8080", {}, "http://127.0.0.1:8080"),
        (8091, {"SITE_URL": ""}, "http://127.0.0.1:8091"),
        ("8080", {"SITE_URL": "https://declics.example.org/"}, "https://declics.example.org"),
    ],
)
def test_site_url_follows_the_port_unless_set(run_embedded, port, environ, expected):
    assert run_embedded.site_url(port, environ) == expected


def test_the_site_and_the_worker_get_the_site_url_of_the_port(run_embedded, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    if (ROOT / ".env").exists() and "SITE_URL" in (ROOT / ".env").read_text():
        pytest.fail(".env sets SITE_URL: this test needs a checkout without one")
    env = run_embedded.child_environment(8080)
    assert env["SITE_URL"] == "http://127.0.0.1:8080"
    # Django reads it: the links of a `PORT=8080 make run` e-mail point to that port.
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "declics.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8080"


def test_the_makefile_serves_the_port_it_is_given():
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile
    assert "bin/run_embedded.py --port $(PORT)" in makefile
    assert os.access(SCRIPT, os.X_OK) or SCRIPT.read_text().startswith("#!")


def test_seed_demo_writes_its_e_mails_with_the_site_url_of_the_port():
    # seed_demo queues e-mails (the candidate's bookings…) before the site starts: same address.
    makefile = (ROOT / "Makefile").read_text()
    assert (
        'SITE_URL="$$($(BIN)/python bin/run_embedded.py --port $(PORT) --print-site-url)" '
        "$(BIN)/python manage.py seed_demo" in makefile
    )
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    printed = subprocess.run(
        [sys.executable, str(SCRIPT), "--port", "8091", "--print-site-url"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "http://127.0.0.1:8091"
    printed = subprocess.run(
        [sys.executable, str(SCRIPT), "--port", "8091", "--print-site-url"],
        cwd=ROOT,
        env={**env, "SITE_URL": "https://declics.example.org"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "https://declics.example.org"
