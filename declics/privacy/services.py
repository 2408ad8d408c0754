"""A person's data: export, erasure — over what every app declares in `declics.personal_data`.

This package imports no domain app: each app declares which of its fields hold personal data and
how to export and erase them (its own `privacy.py`, registered when it loads), and this module
runs them in order.

Export (`export_user_data`, `export_zip`): every app's sections in one JSON-ready dict, and the
person's files (their CVs) in the ZIP.

Erasure (`erase_user`), in one transaction, app after app from the steps down to the account
(`declics.personal_data` says why this order):

- each step first frees what the person holds through its own services (upcoming workshop and
  meeting bookings cancelled, pending mentoring requests cancelled or declined, mentorships
  ended), then blanks or deletes the fields it declared personal: free text of every kind, the
  skills assessment, mentoring preferences, CVs, the calendar feed;
- the spine drops the profile's commune and details, the enrolment's QPV and the address part of
  its eligibility snapshot, survey comments;
- the outbox cancels what was still to be sent (the cancellations just queued included) and
  blanks every message to the person;
- the account goes last: name, e-mail (→ `anonymised-<id>@invalid`), phone, password, e-mail
  addresses, second factors, staff invitations.

What the impact figures count is kept with no direct identifier (each app's `kept` fields, e.g.
the enrolment's session, status, commune and QPV/FRR basis, step progress, attendance, survey
scores and outcomes, the profile's gender, birth year and RQTH flag), published only with the
small-group suppression of the impact page. The account row stays, deactivated, so that these
rows keep their owner. Files (CVs) are deleted only once the erasure has committed: an erasure
that fails or is rolled back leaves every file in place.

Retention (`declics.privacy.retention`) erases accounts inactive for 2 years the same way.
"""

import io
import json
import logging
import zipfile
from datetime import datetime
from functools import partial

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics import personal_data
from declics.accounts.models import Role, User

logger = logging.getLogger(__name__)


def export_user_data(*, user: User) -> dict:
    """Everything the platform holds about `user`, as plain JSON-ready data (files apart)."""

    data: dict = {"generated_at": personal_data.iso(timezone.now())}
    for entry in personal_data.entries():
        if entry.export is None:
            continue
        for key, section in entry.export(user).items():
            if isinstance(section, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **section}  # a section several apps fill, e.g. `roles`
            else:
                data[key] = section
    return data


def _files(user: User) -> list[tuple[str, object]]:
    return [
        item for entry in personal_data.entries() if entry.files is not None for item in entry.files(user)
    ]


def export_zip(*, user: User) -> bytes:
    """The export as a ZIP: `donnees.json`, a short `LISEZMOI.txt`, the person's files (CVs in `cv/`)."""

    data = export_user_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "LISEZMOI.txt",
            _(
                "Vos données sur DéClics, au %(date)s.\n"
                "donnees.json : tout ce que la plateforme enregistre à votre sujet.\n"
                "cv/ : les CV que vous avez envoyés avec vos candidatures.\n"
            )
            % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        )
        for name, stored in _files(user):
            try:
                with stored.open("rb") as content:
                    archive.writestr(name, content.read())
            except FileNotFoundError:
                logger.warning("file missing from the export", extra={"file": stored.name})
    return buffer.getvalue()


class ErasureError(Exception):
    """The account cannot be erased this way; the message is safe to show."""


def _delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # one file that cannot go must not keep the others
            logger.exception("erased person's file not deleted", extra={"file": name})


@transaction.atomic
def erase_user(*, user: User, now: datetime | None = None) -> User:
    """Erase or anonymise `user`'s personal data, keep what the aggregated figures count, deactivate.

    See the module's docstring for what goes and what stays. Idempotent; the caller logs the
    person out. Their files are deleted after the commit, never before.
    """

    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser or user.role == Role.STAFF:
        raise ErasureError(_("Un compte de l'équipe DéClics se ferme par l'administration."))
    files = [(stored.storage, stored.name) for _name, stored in _files(user)]
    for entry in reversed(personal_data.entries()):
        if entry.erase is not None:
            entry.erase(user=user, now=now)
    if files:
        transaction.on_commit(partial(_delete_files, files))
    logger.info("account erased", extra={"user": user.pk})
    return user
