"""The project's own checks, so that CI catches what a reviewer would: migrations and lint."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    # Raises SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ruff_lint_and_format_are_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a dev dependency: `make test` installs it into .venv"
    lint = subprocess.run([ruff, "check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [ruff, "format", "--check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


# A fixed delay in a browser test is either too short on a busy machine (the test flakes) or too
# long on an idle one: every wait is on a condition (expect(...), wait_for_url, wait_for_selector,
# wait_for_function, a condition variable).
FIXED_DELAYS = re.compile(r"\b(?:time\.sleep|sleep|asyncio\.sleep|wait_for_timeout)\s*\(")


def fixed_delays(source: str) -> list[str]:
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), start=1)
        if FIXED_DELAYS.search(line.split("#", 1)[0])
    ]


def test_fixed_delays_are_found():
    assert fixed_delays("import time\ntime.sleep(0.5)\npage.wait_for_timeout(1000)\nsleep (2)\n") == [
        "2: time.sleep(0.5)",
        "3: page.wait_for_timeout(1000)",
        "4: sleep (2)",
    ]
    assert fixed_delays("expect(page).to_have_url(url)  # never time.sleep(1)\nwake_sleeper(x)\n") == []


def test_browser_tests_wait_on_conditions_never_on_fixed_delays():
    found = {
        str(path.relative_to(ROOT)): delays
        for path in sorted((ROOT / "tests" / "e2e").rglob("*.py"))
        if (delays := fixed_delays(path.read_text(encoding="utf-8")))
    }
    assert found == {}
