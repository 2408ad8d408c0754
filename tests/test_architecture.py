"""The architecture's rules are import-linter contracts (pyproject.toml, `[tool.importlinter]`):
the foundation imports no domain app, a step imports the spine and never another step, the
cross-step pages sit above the steps above the spine and read the steps through the registry,
services import neither views nor tasks. This runs them with the suite."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(contract for contract in config["contracts"] if contract["id"] == contract_id)


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_module_of_programs_is_in_a_layer():
    """A new module of programs must be placed in the layers contract, or it would go unchecked."""
    layered = {
        name.strip() for layer in _contract("layers")["layers"] for name in layer.replace("|", ":").split(":")
    }
    modules = {
        f"programs.{path.stem}"
        for path in (ROOT / "programs").iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
        and path.stem not in ("__init__", "migrations")
    }
    assert modules == {name for name in layered if name.startswith("programs.")}


# Views whose reads all go through selectors (item 6 of issue 12): they load through a scoped
# selector (`get_object_or_404` on it) and build no query themselves.
VIEWS_WITHOUT_QUERIES = (
    "programs/advisers/views.py",
    "programs/impact/views.py",
    "jobs/offers/views/partner.py",
    "jobs/trainings/views/partner.py",
)
QUERY_BUILDING = {
    "filter", "exclude", "annotate", "select_related", "prefetch_related", "order_by", "values",
    "values_list", "aggregate", "distinct", "objects",
}  # fmt: skip


def test_cross_step_and_partner_views_build_no_query():
    found = []
    for name in VIEWS_WITHOUT_QUERIES:
        for node in ast.walk(ast.parse((ROOT / name).read_text())):
            if isinstance(node, ast.Attribute) and node.attr in QUERY_BUILDING:
                found.append(f"{name}:{node.lineno} .{node.attr}")
    assert found == []
