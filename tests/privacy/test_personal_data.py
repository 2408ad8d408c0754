"""Every field that may hold personal data is declared by the app that owns its model.

Which fields the check asks about:

- every field of a model *about a person*: one with a relation to the User or to an Enrolment,
  and the models that live and die with those (a cascading foreign key from one of them: the
  answers of an assessment, the logs of a mentorship);
- in every other model, every field of a kind that can hold personal data: text of any length
  (names, phone numbers, addresses, free text, e-mail addresses, links), JSON, files, IP
  addresses, binary data, and any relation to the User.

Each must be in exactly one of `personal`, `kept` or `not_personal` of one app's
`declics.personal_data.PersonalData`.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from declics import personal_data

# Kinds of field that can hold personal data in any model (EmailField, URLField, SlugField are
# CharFields; ImageField is a FileField).
SUSPECT_KINDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
    models.BinaryField,
)


def _fields(model):
    """The model's own fields (relations, many-to-many included), without an automatic key."""
    return [
        field
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]


def _models_about_a_person() -> set:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    roots = {user_model, apps.get_model("programs", "Enrolment")}
    # Rows deleted with a person's account or enrolment are about that person (the answers of an
    # assessment, the logs of a mentorship)...
    owned = set(roots)
    grown = True
    while grown:
        grown = False
        for model in apps.get_models():
            if model not in owned and any(
                (field.many_to_one or field.one_to_one)
                and field.related_model in owned
                and field.remote_field.on_delete is models.CASCADE
                for field in _fields(model)
            ):
                owned.add(model)
                grown = True
    # ... and so is every row that points at one (a session's author, a workshop's facilitators).
    pointing = {
        m for m in apps.get_models() for f in _fields(m) if f.is_relation and f.related_model in roots
    }
    return owned | pointing


def fields_to_declare() -> set[str]:
    """`"app_label.Model.field"` for every field the check asks about (see the module's docstring)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    about = _models_about_a_person()
    wanted = set()
    for model in apps.get_models():
        for field in _fields(model):
            if (
                model in about
                or isinstance(field, SUSPECT_KINDS)
                or (field.is_relation and field.related_model is user_model)
            ):
                wanted.add(f"{model._meta.label}.{field.name}")
    return wanted


def _declared(kind: str) -> dict[str, list[str]]:
    """`"app_label.Model.field"` -> the apps that put it in `kind`."""
    declared: dict[str, list[str]] = {}
    for entry in personal_data.entries():
        for label, names in getattr(entry, kind).items():
            for name in names:
                declared.setdefault(f"{label}.{name}", []).append(entry.app)
    return declared


KINDS = ("personal", "kept", "not_personal")


def test_every_field_that_may_hold_personal_data_is_declared():
    declared = set().union(*(_declared(kind) for kind in KINDS))

    undeclared = sorted(fields_to_declare() - declared)

    assert undeclared == [], "Declare these fields in the owning app's privacy.py: " + ", ".join(undeclared)


def test_declarations_name_real_fields_once():
    real = {f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in _fields(m)}
    by_kind = {kind: _declared(kind) for kind in KINDS}
    every = [
        (name, kind, app)
        for kind, names in by_kind.items()
        for name, owners in names.items()
        for app in owners
    ]

    assert sorted(name for name, _kind, _app in every if name not in real) == []  # no stale entry
    seen: dict[str, tuple[str, str]] = {}
    twice = []
    for name, kind, app in every:
        if name in seen:
            twice.append((name, seen[name], (kind, app)))
        seen[name] = (kind, app)
    assert twice == []


def test_each_model_is_declared_by_the_app_that_owns_it():
    # Django's and allauth's tables are declared by the accounts app, which runs them.
    misplaced = {}
    for entry in personal_data.entries():
        for label in entry.models():
            owner = apps.get_containing_app_config(apps.get_model(label).__module__)
            if (
                owner.name.split(".")[0] in ("declics", "programs", "mentoring", "jobs")
                and owner.label != entry.app
            ):
                misplaced[label] = (entry.app, owner.label)
    assert misplaced == {}


def test_a_new_personal_field_nobody_declared_fails_the_check(monkeypatch):
    # The check itself: a phone number added to a model of reference data is caught.
    commune = apps.get_model("territories", "Commune")
    phone = models.CharField(max_length=20)
    phone.set_attributes_from_name("mayor_phone")
    phone.model = commune
    monkeypatch.setattr(commune._meta, "fields", (*commune._meta.fields, phone))

    assert "territories.Commune.mayor_phone" in fields_to_declare()


@pytest.mark.parametrize(
    "app",
    [
        "accounts",
        "notifications",
        "territories",
        "rome",
        "programs",
        "role_models",
        "assessment",
        "workshops",
        "mentoring",
        "jobs",
        "trainings",
        "offers",
    ],
)
def test_every_app_with_models_declares_itself(app):
    assert app in {entry.app for entry in personal_data.entries()}


def test_erasure_runs_the_steps_then_the_spine_then_the_outbox_then_the_account():
    erasers = [entry.app for entry in reversed(personal_data.entries()) if entry.erase is not None]

    assert erasers == [
        "offers",
        "trainings",
        "workshops",
        "mentoring",
        "assessment",
        "programs",
        "jobs",
        "notifications",
        "accounts",
    ]


def test_a_model_is_declared_by_one_app_only():
    with pytest.raises(ValueError, match="already declared by accounts"):
        personal_data.register(
            personal_data.PersonalData(app="another", order=0, kept={"accounts.User": "last_login"})
        )
    assert "another" not in {entry.app for entry in personal_data.entries()}
