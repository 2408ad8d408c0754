"""Forms read from a rendered page, a plausible filling of each, and the extreme values sent instead.

Values are chosen per kind of field (a few each, never a product of them): what a hurried user,
a broken browser or an attacker sends — numbers past every integer limit, dates outside any
calendar, text of 10,000 characters, NUL bytes, right-to-left marks, several values for one name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from tests.factories import PASSWORD
from tests.test_templates_a11y import Node, parse_html

HUGE = "9" * 5000  # past Python's 4,300-digit limit on int(str)
LONG = "x" * 10_000

NUMBER = (HUGE, "99999999999999999999", "-1", "²")
DATE = ("0001-01-01", "9999-12-31", "2023-02-30")
DATETIME = ("0001-01-01T12:00", "9999-12-31T23:59", "2023-02-30T10:00")
# NUL bytes with emoji, a right-to-left override and a byte-order mark; dates as free text, repeated.
TEXT = (LONG, "😀\u202e\ufeff a\x00b ÿ", "31/12/9999, 01/01/0001, 01/01/0001")
CHOICE = (HUGE, "\x00")
KINDS = {
    "number": NUMBER,
    "range": NUMBER,
    "date": DATE,
    "datetime-local": DATETIME,
    "month": DATE,
    "hidden": (HUGE, "99999999999999999999", "²", "a\x00b"),
    "choice": CHOICE,
    "file": ("pas un fichier",),
}
PLAUSIBLE = {
    "email": "fuzz@example.org",
    "number": "1",
    "range": "1",
    "date": "2030-01-15",
    "datetime-local": "2030-01-15T10:00",
    "url": "https://example.org/",
    "tel": "0601020304",
    "password": PASSWORD,
}


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"\x00\xff" * 64, content_type="application/pdf")


@dataclass
class Field:
    name: str
    kind: str  # an input type, "choice" (select, radio, checkbox) or "textarea"
    value: object
    options: list[str] = field(default_factory=list)

    def extremes(self):
        return KINDS.get(self.kind, TEXT)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field]
    buttons: list[tuple[str, str]]

    @property
    def signature(self):
        """Forms that send the same fields to the same view (an edit and a create page) are one."""
        view = resolve(urlsplit(self.action).path).func
        return (self.method, view, tuple(sorted(self.fields)), tuple(self.buttons))

    def baseline(self, button=None) -> dict:
        data = {name: f.value for name, f in self.fields.items() if f.value is not None}
        if button:
            data[button[0]] = button[1]
        return {name: (value() if callable(value) else value) for name, value in data.items()}

    def cases(self):
        """(label, data): each field alone set to each of its extreme values, then every field at once
        to its kind's first, then every field given two values; each submit button once."""
        buttons = self.buttons or [None]
        for button in buttons[1:]:
            yield f"button {button}", self.baseline(button)
        first = buttons[0]
        if not self.fields:
            yield "as it is", self.baseline(first)
            return
        for name, fuzz_field in self.fields.items():
            for value in fuzz_field.extremes():
                data = self.baseline(first)
                data[name] = value
                yield f"{name}={_short(value)}", data
        for index in range(2):
            data = self.baseline(first)
            for name, fuzz_field in self.fields.items():
                values = fuzz_field.extremes()
                data[name] = values[index % len(values)]
            yield f"every field, value #{index}", data
        doubled = self.baseline(first)
        for name, fuzz_field in self.fields.items():
            doubled[name] = [str(doubled.get(name) or ""), fuzz_field.extremes()[0]]
        yield "two values each", doubled


# Names the views read from request.POST themselves (outside a form class), for the POST endpoints
# no page showed a form for in the world's state: bare buttons, forms shown at another time.
BLIND_NAMES = ("action", "answer", "attended", "decision", "present", "reason", "message", "question")
BLIND_CASES = (
    {},
    {name: (HUGE, "a\x00b", [LONG, "-1"])[index % 3] for index, name in enumerate(BLIND_NAMES)},
    {name: (HUGE, "a\x00b", [LONG, "-1"])[(index + 1) % 3] for index, name in enumerate(BLIND_NAMES)},
)


def _field_value(node: Node) -> tuple[str, object] | None:
    kind = (node.attrs.get("type") or "text").lower()
    if kind in ("submit", "button", "reset", "image"):
        return None
    if kind == "file":
        return "file", _upload
    if kind in ("checkbox", "radio"):
        value = node.attrs.get("value")
        return "choice", "on" if value is None else value
    value = node.attrs.get("value")
    return kind, value if value else PLAUSIBLE.get(kind, "" if kind == "hidden" else "Texte")


def forms_in(html: str, page_url: str) -> list[Form]:
    """Every form of the page, with a plausible value for each field (what a person would send)."""
    forms = []
    for node in parse_html(html).find_all("form"):
        fields: dict[str, Field] = {}
        buttons = []
        for child in node.iter():
            name = child.attrs.get("name")
            if not name or "disabled" in child.attrs:
                continue
            if child.tag == "button" or (child.tag == "input" and child.attrs.get("type") == "submit"):
                buttons.append((name, child.attrs.get("value") or ""))
            elif child.tag == "input":
                found = _field_value(child)
                if found is None:
                    continue
                kind, value = found
                existing = fields.get(name)
                if existing and kind == "choice":
                    existing.options.append(value)
                    # A radio group keeps its checked (or first) value; a checkbox group sends all.
                    if child.attrs.get("type") == "checkbox":
                        existing.value = [*_as_list(existing.value), value]
                    elif "checked" in child.attrs:
                        existing.value = value
                    continue
                fields[name] = Field(name, kind, value, [value] if kind == "choice" else [])
            elif child.tag == "select":
                options = [o.attrs.get("value", o.text) for o in child.find_all("option")]
                chosen = [
                    o.attrs.get("value", o.text) for o in child.find_all("option") if "selected" in o.attrs
                ]
                filled = [value for value in chosen if value] or [value for value in options if value][:1]
                value = filled if "multiple" in child.attrs else (filled[0] if filled else "")
                fields[name] = Field(name, "choice", value, options)
            elif child.tag == "textarea":
                fields[name] = Field(name, "textarea", child.text or "Texte")
        fields.pop("csrfmiddlewaretoken", None)
        action = urljoin(page_url, node.attrs.get("action") or page_url)
        forms.append(Form((node.attrs.get("method") or "get").lower(), action, fields, buttons))
    return forms


def _short(value: str) -> str:
    return repr(value) if len(value) <= 24 else f"{value[:12]!r}… ({len(value)} characters)"


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
