"""Launch-a-region templates: save a session as a template, launch a new région from one."""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from declics.territories.models import Departement, Region

from .. import registry
from ..models import Session, SessionTemplate, Step
from .errors import SessionError
from .sessions import _shifted, launch_session

# The per-session rules a template keeps (the same that launching a copy takes from its source).
TEMPLATE_SETTINGS = (
    "nudge_after_days",
    "role_model_job_pages_required",
    "workshops_required",
    "max_simultaneous_bookings",
    "mentor_request_expiry_days",
    "mentor_direct_match",
)
PLACEHOLDERS = ("{region}", "{departements}", "{start}", "{end}", "{places}")
_CALENDAR_FIELDS = ("registration_opens_at", "registration_closes_at", "ends_at", "survey_at")


class TemplateError(SessionError):
    """Saving a session as a template, or launching from one, was refused; the message is French."""


def _french_list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _long_date(when: datetime) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(when), "j F Y")


def _to_skeleton(text: str, *, session: Session, departements: list[Departement]) -> str:
    """The session's own words (région, départements, dates, places) replaced by placeholders."""
    names = [d.name for d in departements]
    words = [
        (_french_list(names), "{departements}"),
        (", ".join(names), "{departements}"),
    ]
    if len(names) == 1:
        words.append((names[0], "{departements}"))
    words += [
        (session.region.name, "{region}"),
        (_long_date(session.starts_at), "{start}"),
        (_long_date(session.ends_at), "{end}"),
    ]
    for word, placeholder in words:
        if word:
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", placeholder, text)
    return re.sub(rf"(?<![\w{{]){session.capacity}(?![\w}}])", "{places}", text)


def fill_skeleton(
    text: str, *, region: Region, departements: list[Departement], starts_at, ends_at, capacity
) -> str:
    values = {
        "{region}": region.name,
        "{departements}": _french_list([d.name for d in departements]),
        "{start}": _long_date(starts_at),
        "{end}": _long_date(ends_at),
        "{places}": str(capacity),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


@transaction.atomic
def save_session_as_template(*, session: Session, name: str, by) -> SessionTemplate:
    """Keep `session` as a template named `name` (staff only).

    Its dates become offsets from its start, its rules are kept, and in its texts the names of its
    région and départements, its start and end dates (written "22 juin 2026") and its number of
    places become {region}, {departements}, {start}, {end} and {places} where they are found.
    """
    if not (by and by.is_staff):
        raise TemplateError(_("Seule l'équipe DéClics peut enregistrer un modèle."))
    name = name.strip()
    if not name:
        raise TemplateError(_("Donnez un nom au modèle."))
    steps = {step.step: step.opens_at for step in session.steps.all()}
    if len(steps) != len(Step):
        raise TemplateError(
            _("Il manque des étapes au calendrier de cette session : elle ne peut pas servir de modèle.")
        )

    def offset(when: datetime) -> int:
        # On the local clock (the same time zone on both sides): 10:00 stays 10:00 across a change
        # of summer time.
        return int((timezone.localtime(when) - timezone.localtime(session.starts_at)).total_seconds())

    calendar = {field: offset(getattr(session, field)) for field in _CALENDAR_FIELDS}
    calendar["steps"] = {str(step): offset(when) for step, when in steps.items()}
    departements = list(session.departements.order_by("code"))
    try:
        with transaction.atomic():
            return SessionTemplate.objects.create(
                name=name,
                source=session,
                calendar=calendar,
                capacity=session.capacity,
                settings={field: getattr(session, field) for field in TEMPLATE_SETTINGS},
                description=_to_skeleton(session.description, session=session, departements=departements),
                faq=_to_skeleton(session.faq, session=session, departements=departements),
                created_by=by,
            )
    except IntegrityError:
        raise TemplateError(_("Un modèle porte déjà ce nom : choisissez-en un autre.")) from None


@transaction.atomic
def launch_from_template(
    *,
    template: SessionTemplate,
    title: str,
    region: Region,
    departements: Iterable[Departement],
    starts_at: datetime,
    capacity: int,
    by,
) -> Session:
    """Launch a draft session for a new région from `template` (staff only).

    The session goes through `launch_session` (the same checks of calendar and territory, the
    same free address). Its dates are `starts_at` plus the template's offsets (on the local
    clock); its texts are the
    template's skeletons filled in for this région — written for it, so NOT marked to review (a
    copy of another session's texts is). Its rules are the template's. The workshops, talks and
    other per-step content of the template's source session are copied through
    `registry.copy_session`, shifted by the gap between the two start dates (the source as it is
    now: its content moved with it if it was rescheduled). A source deleted since leaves only the
    calendar, rules and texts.
    """
    if not (by and by.is_staff):
        raise TemplateError(_("Seule l'équipe DéClics peut lancer une session depuis un modèle."))
    departements = list(departements)
    offsets = template.calendar

    local_start = timezone.localtime(starts_at)

    def at(seconds) -> datetime:
        return _shifted(local_start, timedelta(seconds=seconds))

    dates = {field: at(offsets[field]) for field in _CALENDAR_FIELDS}
    step_dates = {int(step): at(seconds) for step, seconds in offsets["steps"].items()}
    filled = {
        key: fill_skeleton(
            getattr(template, key),
            region=region,
            departements=departements,
            starts_at=starts_at,
            ends_at=dates["ends_at"],
            capacity=capacity,
        )
        for key in ("description", "faq")
    }
    session = launch_session(
        title=title,
        region=region,
        departements=departements,
        capacity=capacity,
        starts_at=starts_at,
        step_dates=step_dates,
        created_by=by,
        **dates,
        **filled,
    )
    rules = {field: value for field, value in template.settings.items() if field in TEMPLATE_SETTINGS}
    source = template.source
    Session.objects.filter(pk=session.pk).update(copied_from=source, **rules)
    session.refresh_from_db()
    if source is not None:
        # In UTC: the gap in real time (two datetimes of one tzinfo subtract on the wall clock).
        shift = starts_at.astimezone(UTC) - source.starts_at.astimezone(UTC)
        registry.copy_session(source=source, target=session, shift=shift)
    return session
