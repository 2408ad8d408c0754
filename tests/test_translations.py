"""The English catalogue: complete, compiled from the current .po, and used by the pages.

The .po is read with a small parser of our own (no polib in the project), the committed .mo is read
back with the standard library's gettext, and the strings marked in the code are found the way
makemessages finds them (Python's ast for .py files, Django's own templatize for templates), so these
tests need neither gettext tools nor extra packages.
"""

import ast
import gettext
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from programs.advisers.forms import PeopleFilterForm
from programs.models import Step
from tests.programs.factories import SessionFactory
from tests.test_templates_a11y import by_id, parse_html

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"

ENGLISH_STEPS = [
    "Meet role models",
    "Take stock of your skills",
    "Get support from a mentor",
    "Take part in workshops",
    "Discover training courses",
    "Apply for jobs",
]


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which a Python string literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Every non-obsolete entry of a .po file, the header (msgid "") included."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if target is not None and target[0] != "msgctxt":
                flush()
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation line outside an entry"
            _append(current, target, _unquote(line))
        else:
            match = _KEYWORD.match(line)
            assert match, f"{path}:{number}: unreadable line {raw!r}"
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0].startswith("msgstr"):
                flush()
            if not current.line:
                current.line = number
            target = ("msgstr", int(index)) if index is not None else (keyword, None)
            if keyword == "msgstr" and index is None:
                target = ("msgstr", 0)
            _append(current, target, _unquote(text), start=True)
    flush()
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str, *, start: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    else:
        setattr(entry, name, ("" if start else getattr(entry, name) or "") + text)


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run `make messages`"
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """The translatable entries, without the header."""
    return [entry for entry in po_entries if entry.msgid]


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%%|%\(\w+\)[sd]|%[sd]", text))


def test_english_catalogue_header_is_usable(po_entries):
    header = po_entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]


def test_english_catalogue_has_every_entry_translated_and_none_fuzzy(messages):
    assert len(messages) > 1500
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    expected_forms = {True: [0, 1], False: [0]}
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages
        if sorted(e.msgstr) != expected_forms[e.msgid_plural is not None] or not all(e.msgstr.values())
    ]
    assert fuzzy == []
    assert untranslated == []


def test_english_catalogue_keeps_every_placeholder(messages):
    wrong = []
    for entry in messages:
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, translated in entry.msgstr.items():
            if _placeholders(translated) != _placeholders(sources[min(index, 1)]):
                wrong.append(f"line {entry.line}: {entry.msgid!r} -> {translated!r}")
    assert wrong == []


def test_english_mo_is_compiled_from_the_current_po(messages):
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run `make messages`"
    data = MO_PATH.read_bytes()
    magic, _revision, count = struct.unpack("<3I", data[:12])
    assert magic == 0x950412DE
    # One string per entry, plus the header.
    assert count == len(messages) + 1, "the .mo does not match the .po: run `make messages`"
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if entry.msgid_plural is not None and entry.msgctxt is not None:
            got = [catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        elif entry.msgid_plural is not None:
            got = [catalogue.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        elif entry.msgctxt is not None:
            got = [catalogue.pgettext(entry.msgctxt, entry.msgid)]
        else:
            got = [catalogue.gettext(entry.msgid)]
        wanted = [entry.msgstr[index] for index in sorted(entry.msgstr)]
        if got != wanted:
            stale.append(f"line {entry.line}: {entry.msgid!r}")
    assert stale == [], "the .mo is older than the .po: run `make messages`"


def test_step_names_translate_to_english():
    with translation.override("en"):
        assert [str(step.label) for step in Step] == ENGLISH_STEPS
    with translation.override("fr"):
        assert str(Step.ROLE_MODELS.label) == "Rencontrer des modèles"


def _english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_home_page_renders_in_english_with_the_language_cookie():
    response = _english_client().get(reverse("home"))

    assert response.status_code == 200
    document = parse_html(response.content.decode())
    assert document.find_all("html")[0].attrs["lang"] == "en"
    assert document.find_all("title")[0].text == "Find your way into digital jobs · DéClics Numériques"
    assert document.find_all("h1")[0].text == "The digital sector is hiring. What if it were for you?"
    assert by_id(document)["who-title"].text == "Who can take part?"


@pytest.mark.django_db
def test_signup_page_renders_in_english_with_the_language_cookie():
    response = _english_client().get(reverse("account_signup"))

    assert response.status_code == 200
    document = parse_html(response.content.decode())
    assert document.find_all("h1")[0].text == "Create an account"
    labels = {label.attrs.get("for"): label.text for label in document.find_all("label")}
    assert labels["id_first_name"].startswith("First name")
    assert labels["id_last_name"].startswith("Last name")
    assert [legend.text for legend in document.find_all("legend")][0].startswith("You are")
    buttons = [button.text for button in document.find_all("button")]
    assert "Create my account" in buttons


@pytest.mark.django_db
def test_session_page_lists_the_six_steps_in_english():
    session = SessionFactory()

    response = _english_client().get(reverse("programs:landing", args=[session.slug]))

    assert response.status_code == 200
    document = parse_html(response.content.decode())
    steps_section = by_id(document)["steps-title"].ancestors()
    section = next(node for node in steps_section if node.tag == "section")
    items = [item.text.split(" — ")[0] for item in section.find_all("li")]
    assert items == ENGLISH_STEPS
    assert by_id(document)["steps-title"].text == "The six steps and their dates"


def test_adviser_filter_step_choices_follow_the_language():
    # The labels are built lazily: a form class defined at import time must not freeze them in French.
    with translation.override("en"):
        labels = [str(label) for _value, label in PeopleFilterForm().fields["etape"].choices]
    assert labels == ["All"] + [f"{n}. {name}" for n, name in enumerate(ENGLISH_STEPS, start=1)] + [
        "Pathway completed"
    ]


# --- Every marked string of the code is in the catalogue ------------------------------------------

SKIPPED_DIRS = {".venv", "var", "node_modules", "__pycache__"}
SIMPLE_KEYWORDS = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL_KEYWORDS = {"ngettext", "ngettext_lazy"}
CONTEXT_KEYWORDS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(rf"\b(_|n?p?gettext)\(\s*({_LITERAL})(?:\s*,\s*({_LITERAL}))?")


def _source_files():
    for root, dirs, names in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".py", ".html", ".txt")):
                yield Path(root) / name


def _constant(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _marked_in_python(source: str) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        args = [_constant(arg) for arg in node.args]
        if name in SIMPLE_KEYWORDS | PLURAL_KEYWORDS and args[:1] and args[0] is not None:
            found.add((None, args[0]))
        elif name in CONTEXT_KEYWORDS and len(args) >= 2 and None not in args[:2]:
            found.add((args[0], args[1]))
    return found


def _marked_in_template(source: str, origin: str) -> set[tuple[str | None, str]]:
    found = set()
    for name, first, second in _TEMPLATE_CALL.findall(templatize(source, origin=origin)):
        if name in CONTEXT_KEYWORDS:
            found.add((ast.literal_eval(first), ast.literal_eval(second)))
        else:
            found.add((None, ast.literal_eval(first)))
    return found


def marked_strings() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string marked for translation in the project's code and templates."""
    found = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".py":
            found |= _marked_in_python(text)
        elif "trans" in text:
            found |= _marked_in_template(text, str(path))
    return found


def test_every_marked_string_is_in_the_english_catalogue(messages):
    catalogue = {(entry.msgctxt, entry.msgid) for entry in messages}
    missing = sorted(marked_strings() - catalogue, key=lambda key: (key[0] or "", key[1]))

    assert missing == [], (
        "strings marked for translation but missing from the English catalogue: run `make messages` "
        "and translate them (a string inside an f-string is never extracted: write one string with "
        "%(name)s placeholders instead)"
    )


def test_marked_strings_are_found_in_python_and_templates():
    python = """
label = _("Bonjour")
many = ngettext("%(n)s place", "%(n)s places", n)
menu = pgettext_lazy("menu", "Fichier")
joined = _("Une phrase "
           "en deux morceaux.")
skipped = _(variable)
"""
    template = (
        '{% load i18n %}{% translate "Accueil" %}{% translate "Ouvrir" context "verbe" %}'
        "{% blocktranslate trimmed with name=user.name %}Bonjour {{ name }}{% endblocktranslate %}"
        '{{ ok|yesno:_("oui,non") }}'
    )

    assert _marked_in_python(python) == {
        (None, "Bonjour"),
        (None, "%(n)s place"),
        ("menu", "Fichier"),
        (None, "Une phrase en deux morceaux."),
    }
    assert _marked_in_template(template, "example.html") == {
        (None, "Accueil"),
        ("verbe", "Ouvrir"),
        (None, "Bonjour %(name)s"),
        (None, "oui,non"),
    }
