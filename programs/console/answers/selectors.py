"""The answers of a session, from the spine's surveys and from every step (`registry.feedback_sources`).

Who answered is shown as a pseudonym ("P-3F9A2C", with their role), never a name or an address:
the team reads the answers to improve the programme, not to judge a person, and people answer
more freely when their words are not read next to their name; a first name would also single
people out in a small group. The pseudonym is stable (an HMAC of the person's enrolment, or of
the mentor's profile), so the answers of one person can be read together, and it cannot be
turned back into a person from the page or the export.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import registry
from programs.models import Session, SurveyKind, SurveyResponse

# Each kind of answers is read up to this many rows, the latest first (the page says so when a
# kind has more): a session has a few hundred people, each answering each kind about once.
MAX_ROWS_PER_KIND = 2000
ROLES = {"job_seeker": gettext_lazy("Candidat·e"), "mentor": gettext_lazy("Mentor·e")}


def pseudonym(respondent: str) -> str:
    digest = salted_hmac("programs.console.answers.respondent", respondent, algorithm="sha256").hexdigest()
    return f"P-{digest[:6].upper()}"


def _survey_rows(kinds: tuple[str, ...]):
    def rows(session, *, since, until, limit) -> list[registry.FeedbackRow]:
        responses = SurveyResponse.objects.answered().filter(enrolment__session=session, kind__in=kinds)
        if since is not None:
            responses = responses.filter(answered_at__gte=since)
        if until is not None:
            responses = responses.filter(answered_at__lt=until)
        responses = responses.select_related("enrolment").order_by("-answered_at", "-pk")[:limit]
        return [_survey_row(response) for response in responses]

    return rows


def _survey_row(response: SurveyResponse) -> registry.FeedbackRow:
    if response.kind == SurveyKind.SATISFACTION:
        parts = []
        if response.overall is not None:
            parts.append(_("%(n)s/5") % {"n": response.overall})
        if response.would_recommend is not None:
            parts.append(
                _("recommande le programme") if response.would_recommend else _("ne le recommande pas")
            )
        rating, kind = ", ".join(parts), "satisfaction"
    else:
        rating = ", ".join(filter(None, [response.get_situation_display(), response.get_contract_display()]))
        kind = "follow_up"
    return registry.FeedbackRow(
        kind=kind,
        answered_at=response.answered_at,
        respondent=f"enrolment:{response.enrolment.public_id}",
        respondent_role="job_seeker",
        about=str(response.get_kind_display()).capitalize(),
        rating=rating,
        text=response.comment,
    )


def sources() -> list[registry.FeedbackSource]:
    """Every kind of answers: the spine's surveys, then the steps' (pathway order)."""
    return [
        registry.FeedbackSource(
            "satisfaction",
            gettext_lazy("Questionnaire de satisfaction"),
            _survey_rows((SurveyKind.SATISFACTION,)),
        ),
        registry.FeedbackSource(
            "follow_up",
            gettext_lazy("Suivis à 3 et 6 mois"),
            _survey_rows((SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6)),
        ),
        *registry.feedback_sources(),
    ]


@dataclass(frozen=True)
class Answer:
    kind: str
    kind_label: str
    answered_at: datetime
    respondent: str  # the pseudonym
    role: str
    about: str
    rating: str
    text: str


@dataclass(frozen=True)
class Answers:
    rows: list[Answer]
    truncated: list[str]  # the kinds that had more than MAX_ROWS_PER_KIND answers


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def answers(
    session: Session,
    *,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
    with_text: bool = False,
    limit: int = MAX_ROWS_PER_KIND,
) -> Answers:
    """The answers of `session`, latest first: of one `kind` (else all), answered from the day
    `since` to the day `until` included (Paris time). One query per kind read."""
    start = _day_start(since) if since else None
    end = _day_start(until + timedelta(days=1)) if until else None
    rows: list[Answer] = []
    truncated = []
    for source in sources():
        if kind and source.kind != kind:
            continue
        found = list(source.rows(session, since=start, until=end, limit=limit + 1))
        if len(found) > limit:
            truncated.append(str(source.label))
            found = found[:limit]
        rows.extend(_answer(row, source) for row in found if not with_text or row.text.strip())
    rows.sort(key=lambda row: row.answered_at.timestamp() if row.answered_at else 0.0, reverse=True)
    return Answers(rows=rows, truncated=truncated)


def _answer(row: registry.FeedbackRow, source: registry.FeedbackSource) -> Answer:
    return Answer(
        kind=row.kind,
        kind_label=str(source.label),
        answered_at=row.answered_at,
        respondent=pseudonym(row.respondent),
        role=str(ROLES.get(row.respondent_role, "")),
        about=str(row.about),
        rating=str(row.rating),
        text=row.text,
    )


def kind_choices() -> Iterable[tuple[str, str]]:
    return [(source.kind, source.label) for source in sources()]
