"""Launching, copying and publishing a regional session."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from declics.db import is_unique_violation
from declics.forms import EARLIEST_DATE, LATEST_DATE, in_calendar
from declics.territories.models import Departement, Region

from .. import notifications, registry
from ..models import Session, SessionStatus, SessionStep, Step
from ..selectors import advisers_for_departements
from .errors import SessionError

# Paths under /sessions/ (and /sessions/equipe/) that a session's slug must never take.
RESERVED_SLUGS = {
    "equipe",
    "mon-parcours",
    "ouvertes",
    "donnees-de-reference",
    "modeles",
    "modeles-de-session",
}


def _shifted(when: datetime, shift: timedelta) -> datetime:
    """A copied date moved by `shift`; out of the 1900–2100 calendar (or of Python's) is refused."""
    try:
        moved = when + shift
    except OverflowError:
        moved = None
    if moved is None or not in_calendar(moved):
        raise SessionError(
            _(
                "Avec cette date de début, les dates copiées sortiraient du calendrier "
                "(%(earliest)s à %(latest)s) : choisissez une autre date."
            )
            % {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year}
        )
    return moved


def calendar_errors(
    *,
    registration_opens_at: datetime | None,
    registration_closes_at: datetime | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    survey_at: datetime | None,
    step_dates: Mapping[int, datetime | None],
) -> dict[str, str]:
    """Every rule a session's calendar must follow, as {field name: French message}.

    Used by the launch form (errors tied to fields) and by the services (the last guard). Step
    fields are named `step_<n>`.
    """
    errors: dict[str, str] = {}
    named = {
        "registration_opens_at": registration_opens_at,
        "registration_closes_at": registration_closes_at,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "survey_at": survey_at,
        **{f"step_{step}": when for step, when in step_dates.items()},
    }
    outside = {name for name, when in named.items() if when and not in_calendar(when)}
    if outside:
        # Nothing else is compared: a date of year 1 or 9999 is a typing error, said as such.
        message = _("Indiquez une date entre %(earliest)s et %(latest)s.") % {
            "earliest": EARLIEST_DATE.year,
            "latest": LATEST_DATE.year,
        }
        return dict.fromkeys(sorted(outside), message)
    if registration_opens_at and registration_closes_at and registration_opens_at >= registration_closes_at:
        errors["registration_closes_at"] = _("La clôture des inscriptions doit suivre leur ouverture.")
    if registration_opens_at and starts_at and registration_opens_at > starts_at:
        errors["registration_opens_at"] = _("Les inscriptions doivent ouvrir avant le début de la session.")
    if starts_at and ends_at and starts_at >= ends_at:
        errors["ends_at"] = _("La fin de la session doit suivre son début.")
    if registration_closes_at and ends_at and registration_closes_at > ends_at:
        errors.setdefault(
            "registration_closes_at",
            _("Les inscriptions doivent fermer au plus tard à la fin de la session."),
        )
    previous = None
    for step in Step:
        when = step_dates.get(step.value)
        if when is None:
            continue
        name = f"step_{step.value}"
        if (starts_at and when < starts_at) or (ends_at and when > ends_at):
            errors[name] = _("L'étape doit ouvrir pendant la session, entre son début et sa fin.")
        elif previous and when < previous:
            errors[name] = _(
                "Les étapes s'ouvrent dans l'ordre : celle-ci ne peut pas ouvrir avant la précédente."
            )
        previous = when
    last_step = max((when for when in step_dates.values() if when), default=None)
    if survey_at and last_step and survey_at < last_step:
        errors["survey_at"] = _(
            "Le questionnaire de satisfaction part après l'ouverture de la dernière étape."
        )
    elif survey_at and starts_at and survey_at <= starts_at:
        errors["survey_at"] = _("Le questionnaire de satisfaction part après le début de la session.")
    return errors


def _territory_errors(*, region: Region, departements: Iterable[Departement]) -> dict[str, str]:
    departements = list(departements)
    if not departements:
        return {"departements": _("Choisissez au moins un département.")}
    outside = [d for d in departements if d.region_id != region.pk]
    if outside:
        names = ", ".join(str(d) for d in outside)
        return {
            "departements": _("Ces départements ne sont pas en %(region)s : %(names)s.")
            % {
                "region": region.name,
                "names": names,
            }
        }
    return {}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "session"
    if base in RESERVED_SLUGS:
        base = f"session-{base}"
    slug, n = base, 2
    while Session.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _create_with_free_slug(*, title: str, **fields) -> Session:
    """Create the session at the next free address; a launch of the same title at the same moment
    may take that address between the check and the insert: then the one after is tried."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Session.objects.create(title=title, slug=_unique_slug(title), **fields)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
    raise SessionError(_("Une session de ce titre vient d'être créée à l'instant : réessayez."))


def _first_error(errors: Mapping[str, str]) -> SessionError:
    return SessionError(next(iter(errors.values())))


@transaction.atomic
def launch_session(
    *,
    title: str,
    region: Region,
    departements: Iterable[Departement],
    capacity: int,
    registration_opens_at: datetime,
    registration_closes_at: datetime,
    starts_at: datetime,
    ends_at: datetime,
    survey_at: datetime | None = None,
    step_dates: Mapping[int, datetime | None] | None = None,
    copy_from: Session | None = None,
    description: str = "",
    faq: str = "",
    nudge_after_days: int | None = None,
    created_by=None,
) -> Session:
    """Create a draft session with its six steps; publishing is a separate, explicit action.

    With `copy_from`, missing step dates (and the survey date) are the source's, shifted by the
    gap between the two start dates; its texts and per-session rules are copied when not given,
    and every step copies what it holds (talks, workshops…: `StepEntry.copy_into` in the registry).
    """
    departements = list(departements)
    step_dates = dict(step_dates or {})
    shift = starts_at - copy_from.starts_at if copy_from else timedelta(0)
    if copy_from:
        for source_step in copy_from.steps.all():
            if not step_dates.get(source_step.step):
                step_dates[source_step.step] = _shifted(source_step.opens_at, shift)
        survey_at = survey_at or _shifted(copy_from.survey_at, shift)
    # A text taken from the source must be reviewed before publishing (its region, figures…).
    description_to_review = bool(copy_from and not description and copy_from.description)
    faq_to_review = bool(copy_from and not faq and copy_from.faq)
    if copy_from:
        description = description or copy_from.description
        faq = faq or copy_from.faq
    missing = [step for step in Step if not step_dates.get(step.value)]
    if missing:
        raise SessionError(
            _("Indiquez la date d'ouverture de chaque étape (manquante : %(step)s).")
            % {"step": missing[0].label}
        )
    if survey_at is None:
        raise SessionError(_("Indiquez la date du questionnaire de satisfaction."))
    if capacity is None or capacity <= 0:
        raise SessionError(_("Le nombre de places doit être positif."))
    errors = {
        **_territory_errors(region=region, departements=departements),
        **calendar_errors(
            registration_opens_at=registration_opens_at,
            registration_closes_at=registration_closes_at,
            starts_at=starts_at,
            ends_at=ends_at,
            survey_at=survey_at,
            step_dates=step_dates,
        ),
    }
    if errors:
        raise _first_error(errors)

    rules = {}
    if copy_from:
        rules = {
            field: getattr(copy_from, field)
            for field in (
                "nudge_after_days",
                "role_model_job_pages_required",
                "workshops_required",
                "max_simultaneous_bookings",
                "mentor_request_expiry_days",
                "mentor_direct_match",
            )
        }
    if nudge_after_days is not None:
        rules["nudge_after_days"] = nudge_after_days
    session = _create_with_free_slug(
        title=title,
        region=region,
        capacity=capacity,
        description=description,
        faq=faq,
        description_to_review=description_to_review,
        faq_to_review=faq_to_review,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        starts_at=starts_at,
        ends_at=ends_at,
        survey_at=survey_at,
        copied_from=copy_from,
        created_by=created_by,
        **rules,
    )
    session.departements.set(departements)
    SessionStep.objects.bulk_create(
        [SessionStep(session=session, step=step.value, opens_at=step_dates[step.value]) for step in Step]
    )
    if copy_from:
        registry.copy_session(source=copy_from, target=session, shift=shift)
    return session


def copy_session_calendar(*, source: Session, starts_at: datetime) -> dict[str, datetime]:
    """The source's dates shifted so that the copy starts at `starts_at` (for the launch form).

    Raises SessionError when a shifted date would leave the 1900–2100 calendar.
    """
    shift = starts_at - source.starts_at
    dates = {
        "registration_opens_at": _shifted(source.registration_opens_at, shift),
        "registration_closes_at": _shifted(source.registration_closes_at, shift),
        "starts_at": starts_at,
        "ends_at": _shifted(source.ends_at, shift),
        "survey_at": _shifted(source.survey_at, shift),
    }
    for step in source.steps.all():
        dates[f"step_{step.step}"] = _shifted(step.opens_at, shift)
    return dates


@transaction.atomic
def publish_session(*, session: Session, by=None, now: datetime | None = None) -> Session:
    """Make a draft's landing page live and announce it to the advisers of its départements.

    The status then follows the calendar (announced, or registration open at once if its date
    has come); the announcement is queued once per adviser and session.
    """
    from .calendar import advance_session

    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.DRAFT or session.published_at is not None:
        raise SessionError(_("Cette session est déjà publiée."))
    if session.registration_closes_at <= now:
        raise SessionError(_("Les inscriptions de cette session seraient déjà closes : changez ses dates."))
    steps = {step.step: step.opens_at for step in session.steps.all()}
    errors = calendar_errors(
        registration_opens_at=session.registration_opens_at,
        registration_closes_at=session.registration_closes_at,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        survey_at=session.survey_at,
        step_dates=steps,
    )
    if len(steps) != len(Step):
        errors["steps"] = _("Il manque des étapes au calendrier de cette session.")
    if session.texts_to_review:
        errors["texts"] = _(
            "Relisez les textes copiés d'une autre session avant de publier (à relire : %(texts)s)."
        ) % {"texts": ", ".join(session.texts_to_review)}
    if errors:
        raise _first_error(errors)
    session.status = SessionStatus.PUBLISHED
    session.published_at = now
    session.save(update_fields=["status", "published_at"])
    advance_session(session=session, now=now)
    departements = list(session.departements.all())
    for adviser in advisers_for_departements(departements):
        notifications.queue_session_announcement(session=session, adviser=adviser)
    session.refresh_from_db()
    return session
