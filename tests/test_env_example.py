""".env.example documents every variable the project reads, and nothing else."""

import ast
import re
from pathlib import Path

from tests.test_compose import settings_variables

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / ".env.example").read_text()
SETTINGS_TITLE = "Read by declics/settings.py"
COMPOSE_TITLE = "Read by docker-compose.yml and docker/gunicorn.conf.py, not by settings.py"
ASSIGNMENT = re.compile(r"^# ([A-Z][A-Z0-9_]*)=(.*)$")


def sections() -> dict[str, list[str]]:
    """{section title: its lines}, sections being opened by `# ===== <title> =====` lines."""
    found: dict[str, list[str]] = {}
    current = None
    for line in TEXT.splitlines():
        heading = re.fullmatch(r"# =+ (.+?) =+", line)
        if heading:
            current = heading.group(1)
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return found


def entries(lines: list[str]) -> dict[str, dict[str, str]]:
    """{name: {"description", "default", "example"}} from the three-line blocks of a section."""
    found = {}
    for index, line in enumerate(lines):
        match = ASSIGNMENT.match(line)
        if match:
            name = match.group(1)
            assert name not in found, f"{name} is documented twice"
            description, default = lines[index - 2], lines[index - 1]
            found[name] = {"description": description, "default": default, "example": match.group(2)}
    return found


def compose_and_gunicorn_variables() -> set[str]:
    compose = (ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose))
    gunicorn = set(
        re.findall(r'os\.environ\.get\("([A-Z][A-Z0-9_]*)"', (ROOT / "docker/gunicorn.conf.py").read_text())
    )
    return interpolated | gunicorn


def _literal(node: ast.expr):
    """The value of a default made of literals and arithmetic, else raise ValueError."""
    allowed = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.List, ast.Tuple, ast.operator, ast.unaryop, ast.Load)
    if not all(isinstance(part, allowed) for part in ast.walk(node)):
        raise ValueError("not a literal")
    return eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}})  # literals only


def _as_documented(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def test_env_example_has_the_two_sections():
    assert list(sections()) == [SETTINGS_TITLE, COMPOSE_TITLE]


def test_env_example_documents_every_variable_settings_reads_and_no_other():
    documented = set(entries(sections()[SETTINGS_TITLE]))
    read = set(settings_variables())
    assert read - documented == set(), "read by settings.py but not documented"
    assert documented - read == set(), "documented but not read by settings.py"


def test_env_example_documents_the_compose_and_gunicorn_variables():
    documented = set(entries(sections()[COMPOSE_TITLE]))
    expected = compose_and_gunicorn_variables() - set(settings_variables())
    assert expected == documented
    assert {"POSTGRES_PASSWORD", "HTTP_PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"} <= documented


def test_env_example_entries_have_a_description_a_default_and_an_example():
    for lines in sections().values():
        for name, entry in entries(lines).items():
            assert (
                entry["description"].startswith(f"# {name}: ") and len(entry["description"]) > len(name) + 12
            ), name
            assert entry["default"].startswith("# Default: "), name
            assert entry["example"], name


def test_env_example_defaults_match_the_literal_defaults_in_settings():
    documented = entries(sections()[SETTINGS_TITLE])
    checked = 0
    for name, defaults in settings_variables().items():
        if name not in documented:
            continue  # reported by the test above
        for node in defaults:
            if node is None:
                continue
            try:
                value = _literal(node)
            except ValueError:
                continue  # computed from another setting: described in words
            text = documented[name]["default"].removeprefix("# Default: ")
            expected = _as_documented(value)
            if expected == "":
                assert text.startswith("(empty"), name
            else:
                assert text == expected, name
            checked += 1
    assert checked >= 25


def test_env_example_sets_nothing_when_copied_to_env():
    active = [line for line in TEXT.splitlines() if line.strip() and not line.startswith("#")]
    assert active == []
