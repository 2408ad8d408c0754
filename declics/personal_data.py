"""The registry of personal data: what each app holds about people, and how it leaves.

Every app that has models declares, when it loads (`AppConfig.ready()` calls `register`), a
`PersonalData` entry: which fields of its models hold personal data, which it keeps after an
erasure, which hold none; how to export a person's rows, how to erase them, which of their files
it stores. `declics.privacy` reads this registry for the export ZIP, the erasure and retention,
so it imports no domain app; `tests/privacy/test_personal_data.py` fails when a model has a field
that no app declared.

This module sits at the bottom of the foundation (it imports no app of the project): the apps,
foundation ones included, import it to declare themselves, and `declics.privacy` above them all
reads it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS_DOMAIN = "invalid"

# The order of erasure, highest first (the export goes the other way): the steps cancel what the
# person holds through their own services (which may queue messages), then the spine, then the
# foundation's outbox (those messages are cancelled too), and the account itself last, because
# every app before it still finds the person by their e-mail address.
ACCOUNT = 0
FOUNDATION = 10
SPINE = 20
STEP = 30  # + the step's number


def anonymised_email(user) -> str:
    """The address an erased account keeps (unique, and undeliverable by construction)."""
    return f"anonymised-{user.pk}@{ANONYMOUS_DOMAIN}"


def field_names(names: str | Iterable[str]) -> frozenset[str]:
    """`"a b c"` or `["a", "b", "c"]` as a set of field names."""
    return frozenset(names.split() if isinstance(names, str) else names)


def _models(declared: Mapping[str, str | Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return {label: field_names(names) for label, names in declared.items()}


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about people. Fields are given per model (`"app_label.Model"`), as a
    string of names separated by spaces:

    - `personal`: fields holding personal data — exported to their person and erased with them
      (blanked, or the row deleted); for people without an account (role models, partners'
      contacts), held with their consent and removed by the team.
    - `kept`: fields about a person that an erasure keeps, since once the personal fields are
      gone they identify no one: the counted figures (gender, birth year, commune, outcomes),
      dates and statuses, the link to the deactivated account.
    - `not_personal`: fields holding no personal data (reference data, the team's content,
      technical values).

    A model is declared by the app that owns it, every field the check asks about in exactly one
    of the three (see `tests/privacy/test_personal_data.py` for which fields it asks about).

    Callables, each optional:

    - `export(user) -> dict`: the app's sections of the person's export (JSON-ready). A section
      that is a dict merges with the same section of other apps (e.g. `roles`).
    - `export_enrolments(enrolment_ids) -> {enrolment id: dict}`: what each of the person's
      enrolments carries from this app in the export (read by the spine, see
      `enrolment_sections`).
    - `erase(user=, now=)`: erase the person's data in this app, inside the erasure's transaction;
      free what they held (seats, requests, mentorships) through the app's own services first.
      Called with the account as it was (its e-mail still the person's); idempotent.
    - `files(user) -> [(name in the export archive, FieldFile)]`: the person's files. They go in
      the export ZIP; an erasure blanks the fields (`erase`) and `declics.privacy` deletes the
      files once the erasure has committed.
    """

    app: str
    order: int
    personal: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kept: Mapping[str, frozenset[str]] = field(default_factory=dict)
    not_personal: Mapping[str, frozenset[str]] = field(default_factory=dict)
    export: Callable[[Any], Mapping[str, Any]] | None = None
    export_enrolments: Callable[[Sequence[int]], Mapping[int, Mapping[str, Any]]] | None = None
    erase: Callable[..., None] | None = None
    files: Callable[[Any], Iterable[tuple[str, Any]]] | None = None

    def __post_init__(self):
        for name in ("personal", "kept", "not_personal"):
            object.__setattr__(self, name, _models(getattr(self, name)))

    def models(self) -> set[str]:
        return set(self.personal) | set(self.kept) | set(self.not_personal)


_entries: dict[str, PersonalData] = {}


def register(entry: PersonalData) -> PersonalData:
    """Record `entry` (called once, from the app's `AppConfig.ready()`); registering an app again
    replaces its entry. A model belongs to one app: declaring another app's model raises."""
    for other in _entries.values():
        if other.app != entry.app and other.models() & entry.models():
            shared = sorted(other.models() & entry.models())
            raise ValueError(f"{shared} already declared by {other.app}")
    _entries[entry.app] = entry
    return entry


def unregister(app: str) -> None:
    _entries.pop(app, None)


def entries() -> list[PersonalData]:
    """Every app's entry, in export order (the account first); erasure goes the other way."""
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.app))


def enrolment_sections(enrolment_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Every app's part of each enrolment's export: {enrolment id: {section: data}}."""
    sections: dict[int, dict[str, Any]] = {pk: {} for pk in enrolment_ids}
    for entry in entries():
        if entry.export_enrolments is None:
            continue
        for pk, section in entry.export_enrolments(enrolment_ids).items():
            sections.setdefault(pk, {}).update(section)
    return sections


# Small helpers the apps' exports share, so that every section reads the same way.


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def full_name(user) -> str:
    return user.get_full_name() if user is not None else ""


def choice(obj, name: str) -> dict | None:
    """A choice field as `{"value": …, "label": …}` (None when empty)."""
    value = getattr(obj, name)
    return {"value": value, "label": str(getattr(obj, f"get_{name}_display")())} if value else None
