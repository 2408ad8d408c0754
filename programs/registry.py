"""The registry of steps: what each step offers the spine and the cross-step pages.

A step's app fills its entry when it loads (`AppConfig.ready()` calls `register`), so the spine
(pathway, session copy) and the cross-step pages (adviser pages) read every step through here
without importing one, and a step reaches another step only through a named capability:

    codes = registry.capability("suggested_rome_codes")(user)

Every field of an entry is optional: a step that is absent, or offers nothing for a page, simply
shows nothing there, and a capability nobody provides answers with its declared default.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class StepLink:
    """A page where a job seeker acts on a step."""

    label: str
    url: str


@dataclass(frozen=True)
class ReferenceFigure:
    """One line of a step's reference data on the console's page (a version, a count…)."""

    label: str
    value: str


@dataclass(frozen=True)
class Panel:
    """A section of the adviser's person page: `template` rendered with `context` alone."""

    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class Segment:
    """A named group of a session's people the team may write to (the console's messages).

    `key` is stable and safe in a form (letters, digits, "-" and ":"), e.g. "workshop-no-show:12";
    `enrolment_ids` is a lazy queryset of enrolment ids (for `pk__in=`), evaluated only when the
    group is counted or written to. The spine keeps, of these, the session's active enrolments.
    """

    key: str
    label: str
    enrolment_ids: Any


@dataclass(frozen=True)
class FeedbackRow:
    """One answer a person gave about the programme (the console's "reading the answers").

    `respondent` is an opaque, stable key of who answered ("enrolment:<public id>", "mentor:<public
    id>"): the console shows a pseudonym of it, never a name. `about` says what the answer is about
    (a workshop and its date), `rating` the answer on the question's scale, `text` the free text
    ("" if none).
    """

    kind: str
    answered_at: Any
    respondent: str
    respondent_role: str
    about: str
    rating: str
    text: str


@dataclass(frozen=True)
class FeedbackSource:
    """A kind of answers a step collects: `rows(session, *, since, until, limit)` returns its
    `FeedbackRow`s of `session` answered in [since, until) (either may be None), latest first, at
    most `limit`, in one query."""

    kind: str
    label: str
    rows: Callable[..., Iterable[FeedbackRow]]


@dataclass(frozen=True)
class StepEntry:
    """What one step of the pathway (`programs.models.Step`) offers; each callable is optional.

    - `annotate_enrolments(queryset) -> queryset`: adds to an `Enrolment` queryset what
      `pathway_links` reads (subqueries, so a page of many enrolments still takes one query).
    - `pathway_links(enrolment) -> tuple[StepLink, ...]`: where the person acts on the step, the
      main page first; `enrolment` has its `session` loaded and, when it came through
      `annotate_enrolments`, the step's annotations (read them with `getattr(…, None)`).
    - `adviser_panel(enrolment) -> Panel | None`: the step's section of the adviser's person page.
    - `copy_into(*, source, target, shift)`: what launching session `target` as a copy of `source`
      brings along from this step, its dates moved by `shift` (inside the launch's transaction).
    - `calendar_events(user) -> list[programs.calendar_files.CalendarEvent]`: the person's live
      bookings of the step's slots, for their personal calendar feed (one query).
    - `capabilities`: functions other steps may call, by a name declared in `CAPABILITIES`.
    - `release(enrolment, *, reason, now)`: the enrolment ended (`reason`: "withdrawn"): give back
      what the step holds for it that has not happened yet, through the step's own services so
      their usual side effects (a freed seat offered, reminders cancelled, the other side told)
      happen once; what already happened stays for history and figures (inside the caller's
      transaction).
    - `segments(session, *, now) -> Iterable[Segment]`: the groups of the session's people this
      step can name for a message ("no-shows of a workshop"), at most one query.
    - `feedback`: the kinds of answers the step collects (`FeedbackSource`), for the console.
    - `release(enrolment, *, reason, now)`: the enrolment ended (`reason`: one of `END_REASONS`):
      give back what the step holds for it that has not happened yet, through the step's own
      services so their usual side effects (a freed seat offered, reminders cancelled, the other
      side told) happen once; what already happened stays for history and figures (inside the
      caller's transaction). The person themselves is told by the lifecycle, once.
    - `carry_over(*, source, target, now)`: enrolment `source` was transferred to `target` (another
      session, same person): what the step lets the person keep (the assessment result).
    - `reference_data() -> Iterable[ReferenceFigure]`: the state of the reference data the step
      loads (its versions, counts, last load), for the staff console (a few queries, not per row).
    """

    step: int
    annotate_enrolments: Callable | None = None
    pathway_links: Callable[..., Iterable[StepLink]] | None = None
    adviser_panel: Callable[..., Panel | None] | None = None
    copy_into: Callable[..., object] | None = None
    calendar_events: Callable[..., Iterable] | None = None
    capabilities: Mapping[str, Callable] = field(default_factory=dict)
    release: Callable[..., object] | None = None
    segments: Callable[..., Iterable[Segment]] | None = None
    feedback: tuple[FeedbackSource, ...] = ()
    carry_over: Callable[..., object] | None = None
    reference_data: Callable[[], Iterable[ReferenceFigure]] | None = None


# Why an enrolment ended, as `release` receives it (`programs.services.lifecycle`).
END_REASONS = ("withdrawn", "removed", "transferred", "erased", "session_cancelled")

# The capabilities a step may offer the others, and what a caller gets when no step offers one.
CAPABILITIES: Mapping[str, Callable] = MappingProxyType(
    {
        # Step 2, the skills assessment.
        # user -> the ROME codes their latest result suggests, best first.
        "suggested_rome_codes": lambda user: [],
        # enrolment ids -> {enrolment id: suggested ROME codes}, in one query.
        "suggested_rome_codes_by_enrolment": lambda enrolment_ids: {},
        # enrolment -> the result's summary (HTML) if the person shared it with their mentor, else None.
        "assessment_summary_for_mentor": lambda enrolment: None,
        # Step 3, mentoring.
        # enrolment id -> whether the person has an active mentorship.
        "has_active_mentor": lambda enrolment_id: False,
        # user -> the ids of the enrolments they mentor now (a subquery or a list, for `__in`).
        "mentored_enrolment_ids": lambda user: [],
        # Step 6, job offers.
        # (enrolment, *, now) -> withdraw its open applications, each company told; how many.
        "withdraw_applications": lambda enrolment, *, now: 0,
    }
)

_entries: dict[int, StepEntry] = {}


def register(entry: StepEntry) -> StepEntry:
    """Record `entry` for its step (called once, from the step's `AppConfig.ready()`).

    Registering a step again replaces its entry; a capability must be declared in `CAPABILITIES`
    and offered by one step only.
    """
    undeclared = set(entry.capabilities) - set(CAPABILITIES)
    if undeclared:
        raise ValueError(f"Undeclared capabilities: {sorted(undeclared)}")
    for other in _entries.values():
        if other.step != entry.step and set(other.capabilities) & set(entry.capabilities):
            shared = sorted(set(other.capabilities) & set(entry.capabilities))
            raise ValueError(f"Capabilities {shared} are already offered by step {other.step}")
    _entries[entry.step] = entry
    return entry


def entry(step: int) -> StepEntry | None:
    return _entries.get(int(step))


def entries() -> list[StepEntry]:
    """The registered steps, in pathway order."""
    return [_entries[step] for step in sorted(_entries)]


def capability(name: str) -> Callable:
    """The function a step offers under `name`, else the declared default (an unknown name raises)."""
    default = CAPABILITIES[name]
    for step_entry in _entries.values():
        if name in step_entry.capabilities:
            return step_entry.capabilities[name]
    return default


def annotate_enrolments(queryset):
    """`queryset` (of enrolments) with what every step's pathway links read, in the same query."""
    for step_entry in entries():
        if step_entry.annotate_enrolments is not None:
            queryset = step_entry.annotate_enrolments(queryset)
    return queryset


def pathway_links(step: int, enrolment) -> tuple[StepLink, ...]:
    step_entry = entry(step)
    if step_entry is None or step_entry.pathway_links is None:
        return ()
    return tuple(step_entry.pathway_links(enrolment))


def adviser_panels(enrolment) -> list[Panel]:
    """The steps' sections of the adviser's person page for `enrolment`, in pathway order."""
    panels = []
    for step_entry in entries():
        if step_entry.adviser_panel is not None:
            panel = step_entry.adviser_panel(enrolment)
            if panel is not None:
                panels.append(panel)
    return panels


def copy_session(*, source, target, shift: timedelta) -> None:
    """Let every step copy what it holds of `source` into `target` (see `StepEntry.copy_into`)."""
    for step_entry in entries():
        if step_entry.copy_into is not None:
            step_entry.copy_into(source=source, target=target, shift=shift)


def release_holdings(enrolment, *, reason: str, now) -> None:
    """Let every step give back what it holds for `enrolment`, which just ended (see `StepEntry.release`)."""
    if reason not in END_REASONS:
        raise ValueError(f"Unknown end reason: {reason!r}")
    for step_entry in entries():
        if step_entry.release is not None:
            step_entry.release(enrolment, reason=reason, now=now)


def carry_over(*, source, target, now) -> None:
    """Let every step carry what the person keeps from `source` into `target` (a transfer)."""
    for step_entry in entries():
        if step_entry.carry_over is not None:
            step_entry.carry_over(source=source, target=target, now=now)


def calendar_events(user) -> list:
    """Every step's calendar events for `user` (one query per step), in start order."""
    events = []
    for step_entry in entries():
        if step_entry.calendar_events is not None:
            events.extend(step_entry.calendar_events(user))
    return sorted(events, key=lambda event: (event.starts_at, event.uid))


def segments(session, *, now) -> list[Segment]:
    """Every step's groups of `session`'s people (see `StepEntry.segments`), in pathway order."""
    result = []
    for step_entry in entries():
        if step_entry.segments is not None:
            result.extend(step_entry.segments(session, now=now))
    return result


def feedback_sources() -> list[FeedbackSource]:
    """Every step's kinds of answers, in pathway order."""
    return [source for step_entry in entries() for source in step_entry.feedback]


def reference_data() -> list[tuple[int, list[ReferenceFigure]]]:
    """Each step's reference data (see `StepEntry.reference_data`), in pathway order."""
    return [
        (step_entry.step, list(step_entry.reference_data()))
        for step_entry in entries()
        if step_entry.reference_data is not None
    ]
