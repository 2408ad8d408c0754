"""The adviser dashboard of one session: the funnel (counted in SQL) and the table of their people."""

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, Q, Value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programs import figures_cache
from programs.templatetags.french_dates import full_date

from ..impact.impact import Figure, Table
from ..models import (
    CURRENT_STATUSES,
    EnrolmentStatus,
    Session,
    Step,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)
from . import selectors

DONE, OPEN, LOCKED = "done", "open", "locked"
STATE_LABELS = {DONE: _("terminée"), OPEN: _("ouverte"), LOCKED: _("pas encore ouverte")}
DEFAULT_STUCK_DAYS = 7

SORTS = {
    "nom": ("job_seeker__last_name", "job_seeker__first_name", "pk"),
    "-nom": ("-job_seeker__last_name", "-job_seeker__first_name", "-pk"),
    "etape": ("current_step", "job_seeker__last_name", "pk"),
    "-etape": ("-current_step", "job_seeker__last_name", "pk"),
    "activite": ("last_activity_at", "pk"),
    "-activite": ("-last_activity_at", "pk"),
}


@dataclass(frozen=True)
class FunnelStage:
    label: str
    figure: Figure


def stuck_days(session: Session) -> int:
    return session.nudge_after_days or DEFAULT_STUCK_DAYS


def opened_steps(session_steps, now: datetime) -> list[int]:
    return sorted(s.step for s in session_steps if s.opens_at is not None and s.opens_at <= now)


@dataclass(frozen=True)
class StepDate:
    step: int
    label: str
    opens_at: datetime | None


def session_steps(session) -> list[StepDate]:
    return [
        StepDate(step.value, str(step.label), getattr(session, f"opens_{step.value}", None)) for step in Step
    ]


HEAD, BY_EMAIL, SURVEY = 0, -1, len(Step) + 1  # the funnel query's row keys besides the steps (1 … 6)


def funnel_counts(*, session: Session, user) -> dict[int, tuple[int, int, int]]:
    """{key: (a, b, c)} in ONE query, a UNION ALL of four grouped scans (no per-row subquery):
    HEAD → (enrolled, everyone, enrolled whom the user sees one by one), BY_EMAIL → (people whose
    address was e-mailed an invitation, 0, 0), 1 … 6 → (people who did that step, 0, those of them
    the user sees one by one), SURVEY → (satisfaction surveys answered, 0, 0). Counted over `user`'s
    people, consenting or not; the third figure is what the table below the funnel discloses.

    Checking each step with an EXISTS per person cost six index probes per row (108 ms for
    10,000 people); grouping StepProgress by step reads each done step once.
    """
    counted = selectors.enrolments_counted_for(user).filter(session=session).order_by()
    active = counted.filter(status=EnrolmentStatus.ACTIVE).values("pk")
    emailed = selectors.email_invitations_counted_for(user).filter(session=session).values("email")
    zero = Value(0, output_field=IntegerField())
    seen = selectors.consent_filter(user)
    seen_step = selectors.consent_filter(user, prefix="enrolment__")
    head = counted.values(key=Value(HEAD, output_field=IntegerField())).annotate(
        a=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
        b=Count("pk"),
        c=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE) & (seen or Q())),
    )
    # Driven by the (few) invitations, so that the 10,000 people are not joined to their accounts.
    by_email = (
        counted.filter(job_seeker__email__in=emailed)
        .values(key=Value(BY_EMAIL, output_field=IntegerField()))
        .annotate(a=Count("pk"), b=zero, c=zero)
    )
    steps = (
        StepProgress.objects.done()
        .filter(enrolment__in=active)
        .order_by()
        .values(key=F("step"))
        .annotate(a=Count("pk"), b=zero, c=Count("pk", filter=seen_step) if seen_step else Count("pk"))
    )
    survey = (
        SurveyResponse.objects.answered()
        .filter(kind=SurveyKind.SATISFACTION, enrolment__in=active)
        .order_by()
        .values(key=Value(SURVEY, output_field=IntegerField()))
        .annotate(a=Count("pk"), b=zero, c=zero)
    )
    rows = head.union(by_email, steps, survey, all=True).values_list("key", "a", "b", "c")
    return {key: (a, b, c) for key, a, b, c in rows}


def funnel(*, session: Session, user, emailed: int | None = None) -> list[FunnelStage]:
    """Invited → enrolled → each step done → survey answered, over the user's people (one query,
    none while cached, one more without `emailed`).

    Everyone counts here, consenting or not, and the funnel is suppressed as one table
    (`programs.impact.impact.Table`): below 5 it reads "moins de 5", and a figure is "masqué" when
    it would give away a small group by subtraction: the rest of its total, or the people the
    table below does not list (those who did not agree to share their progress), when they are
    1 to 4.
    """
    # The funnel moves slowly and costs a scan of the session's people: it is kept a minute per
    # (session, user), which the page says, or until the session's figures change
    # (programs.figures_cache). The table below is always read live.
    # The figures themselves are kept (language-free: the labels are added below), so that the
    # suppression of small groups runs once per window, not on every page.
    figures = figures_cache.cached(
        figures_cache.adviser_funnel_key(
            session_id=session.pk, user_id=user.pk, version=getattr(session, "figures_version", None)
        ),
        lambda: _funnel_figures(session=session, user=user, emailed=emailed),
        figures_cache.ADVISER_SECONDS,
        ahead=getattr(session, "cached_parts", None),
    )
    labels = {
        "invited": _("Invité·es"),
        "enrolled": _("Inscrit·es"),
        **{step.value: _("Étape %(n)s terminée") % {"n": step.value} for step in Step},
        "survey": _("Questionnaire de satisfaction rempli"),
    }
    return [FunnelStage(label, figures[key]) for key, label in labels.items()]


def _funnel_figures(*, session: Session, user, emailed: int | None) -> dict:
    counts = funnel_counts(session=session, user=user)
    # Invited: the addresses e-mailed, plus the people who came through the link without an e-mail.
    if emailed is None:
        invitations = selectors.email_invitations_counted_for(user).filter(session=session)
        emailed = invitations.values("email").distinct().count()
    return funnel_table(counts=counts, emailed=emailed).figures()


def funnel_table(*, counts: dict, emailed: int) -> Table:
    """The funnel's figures (from `funnel_counts`) and the sums a reader knows between them."""
    enrolled, everyone, enrolled_seen = counts.get(HEAD, (0, 0, 0))
    came_by_link = everyone - counts.get(BY_EMAIL, (0, 0, 0))[0]
    table = Table()
    table.cell("invited", emailed + came_by_link)
    _funnel_stage(table, "enrolled", enrolled, of="invited", seen=enrolled_seen)
    for step in Step:
        done, _zero, done_seen = counts.get(step.value, (0, 0, 0))
        _funnel_stage(table, step.value, done, of="enrolled", seen=done_seen)
    _funnel_stage(table, "survey", counts.get(SURVEY, (0, 0, 0))[0], of="enrolled")
    return table


def _funnel_stage(table: Table, key, count: int, *, of, seen: int | None = None) -> None:
    """A funnel figure out of `of`; `seen`: how many of them the table below lists one by one, so
    that the others (`count − seen`) are protected like any small group."""
    table.share(key, count, of=of, rest=(key, "rest"))
    if seen is not None:
        table.cell((key, "seen"), seen, known=True)
        table.cell((key, "unseen"), count - seen, published=False)
        table.adds_up(key, [(key, "seen"), (key, "unseen")])


# What a row (`build_row`, the table and the export) reads: nothing else is loaded.
ROW_FIELDS = (
    "public_id",
    "status",
    "last_activity_at",
    "created_at",
    "eligibility",
    "commune__name",
    "job_seeker__first_name",
    "job_seeker__last_name",
    "job_seeker__email",
)


def people(*, session: Session, user, filters: dict, now: datetime, open_steps: list[int]):
    """The user's consenting people in `session`, annotated, filtered and sorted (not evaluated)."""
    queryset = (
        selectors.enrolments_visible_to(user)
        .filter(session=session)
        .filter(status__in=CURRENT_STATUSES)
        .select_related("job_seeker", "commune")
        .only(*ROW_FIELDS)
    )
    sort = filters.get("tri") or "nom"
    if filters.get("etape") or filters.get("bloque") or sort in ("etape", "-etape"):
        queryset = selectors.with_progress(queryset)  # `current_step` in SQL
    else:
        queryset = selectors.with_done_mask(queryset)  # the page's rows compute it
    step = filters.get("etape")
    if step:
        queryset = queryset.filter(current_step=int(step))
    if filters.get("bloque"):
        queryset = queryset.filter(stuck_filter(session=session, now=now, open_steps=open_steps))
    if filters.get("commune"):
        queryset = queryset.filter(
            Q(commune__name__icontains=filters["commune"]) | Q(commune__code=filters["commune"])
        )
    if filters.get("zone"):
        queryset = queryset.filter(eligibility__basis=filters["zone"])
    if filters.get("q"):
        for word in filters["q"].split()[:5]:
            queryset = queryset.filter(
                Q(job_seeker__first_name__icontains=word)
                | Q(job_seeker__last_name__icontains=word)
                | Q(job_seeker__email__icontains=word)
                | Q(job_seeker__phone__icontains=word)
            )
    return queryset.order_by(*SORTS[sort])


def cached_order_sort(filters: dict) -> str | None:
    """The sort whose order of people `people_page` keeps in the cache, or None when a filter
    narrows the list (then counted and paged in SQL on every request)."""
    if set(filters) - {"tri"}:
        return None
    return filters.get("tri") or "nom"


def people_page(
    *, session: Session, user, filters: dict, now: datetime, open_steps: list[int], number, per_page: int
) -> Page:
    """The page `number` of `people(…)`, its rows read live.

    Without a filter (a sort at most), who is listed and in which order is kept a minute, like the
    funnel, or until the session's figures change (an enrolment, a withdrawal, a removal, a consent
    withdrawn: `programs.figures_cache`): sorting the 10,000 people of a session by name on every
    page was most of the page's time. The page's rows are then read by id with the same visibility
    rule, so a person no longer shown to the adviser is never listed, and their progress is live.
    With a filter, the people are counted and paged in SQL on every request.
    """
    queryset = people(session=session, user=user, filters=filters, now=now, open_steps=open_steps)
    sort = cached_order_sort(filters)
    if sort is None:
        return Paginator(queryset, per_page).get_page(number)
    ids = figures_cache.cached(
        figures_cache.adviser_people_key(
            session_id=session.pk,
            user_id=user.pk,
            sort=sort,
            version=getattr(session, "figures_version", None),
        ),
        lambda: list(queryset.values_list("pk", flat=True)),
        figures_cache.ADVISER_SECONDS,
        ahead=getattr(session, "cached_parts", None),
    )
    page = Paginator(ids, per_page).get_page(number)
    shown = {enrolment.pk: enrolment for enrolment in queryset.filter(pk__in=list(page.object_list))}
    page.object_list = [shown[pk] for pk in page.object_list if pk in shown]
    return page


def stuck_filter(*, session: Session, now: datetime, open_steps: list[int]) -> Q:
    """No action for N days while their current step is open."""
    cutoff = now - timedelta(days=stuck_days(session))
    return Q(status=EnrolmentStatus.ACTIVE, current_step__in=open_steps) & (
        Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
    )


@dataclass
class PersonRow:
    enrolment: object
    name: str
    email: str
    commune: str
    zone: str
    current_step: int
    states: list[tuple[int, str, str]]
    last_activity_at: datetime | None
    stuck: bool
    # The table's parts, built once per page by `table_rows` (the export reads the fields above).
    url: str = ""
    cells: str = ""  # the six step cells, HTML
    step_label: str = ""
    last_activity: str = ""  # as the `date:"j M Y"` filter shows it
    html: str = ""  # the whole <tr>

    @property
    def current_step_label(self) -> str:
        if self.current_step > len(Step):
            return str(_("Parcours terminé"))
        return str(_("Étape %(n)s") % {"n": self.current_step})


@functools.cache
def _state_labels(language: str | None) -> dict[str, str]:
    return {state: str(label) for state, label in STATE_LABELS.items()}


def build_row(enrolment, *, session: Session, now: datetime, open_steps: list[int]) -> PersonRow:
    cutoff = now - timedelta(days=stuck_days(session))
    labels = _state_labels(get_language())
    done = selectors.steps_done(enrolment.done_mask)
    current_step = selectors.current_step(enrolment.done_mask)
    states = []
    for step in Step:
        if step.value in done:
            state = DONE
        elif step.value in open_steps and enrolment.status == EnrolmentStatus.ACTIVE:
            state = OPEN
        else:
            state = LOCKED
        states.append((step.value, state, labels[state]))
    last = enrolment.last_activity_at or enrolment.created_at
    stuck = enrolment.status == EnrolmentStatus.ACTIVE and current_step in open_steps and last < cutoff
    user = enrolment.job_seeker
    return PersonRow(
        enrolment=enrolment,
        name=user.get_full_name() or user.contact,
        email=user.contact,  # the phone number of a person who signed up without an address
        commune=enrolment.commune.name,
        zone={"qpv": "QPV", "frr": "FRR/ZRR"}.get((enrolment.eligibility or {}).get("basis"), ""),
        current_step=current_step,
        states=states,
        last_activity_at=enrolment.last_activity_at,
        stuck=stuck,
    )


STATE_SYMBOLS = {DONE: "✔", OPEN: "○", LOCKED: "·"}


@functools.cache
def _step_cells(language: str | None) -> dict[tuple[int, str], str]:
    """The 18 possible step cells, in `language` (built once per process and language)."""
    # Each cell says its step's number (data-label): on a phone the table is stacked (.table-stack).
    return {
        (number, state): format_html(
            '<td class="text-center step-cell" data-label="{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></td>',
            number,
            symbol,
            STATE_LABELS[state],
        )
        for number in Step.values
        for state, symbol in STATE_SYMBOLS.items()
    }


# One row of the people's table. Its cells say their column (data-label): on a phone the table is
# stacked (.table-stack). Built in Python once per row: the template's 16 variables per row (each
# localised and escaped) were half of the page's rendering time.
ROW_HTML = (
    '<tr><td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>{}'
    '<td data-label="{}">{}{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td></tr>'
)


def _row_labels() -> dict[str, str]:
    """The column names repeated on every row, and the "stuck" answers, translated once per page."""
    return {
        "name": str(_("Prénom et nom")),
        "step": str(_("Étape en cours")),
        "commune": str(_("Commune")),
        "activity": str(_("Dernière activité")),
        "stuck": str(_("Bloqué·e")),
        "stuck_yes": format_html('<span class="badge text-bg-warning">{}</span>', _("bloqué·e")),
        "stuck_no": str(_("non")),
    }


def row_html(row: "PersonRow", labels: dict[str, str]) -> str:
    zone = format_html(' <span class="badge text-bg-light">{}</span>', row.zone) if row.zone else ""
    return format_html(
        ROW_HTML,
        labels["name"],
        row.url,
        row.name,
        labels["step"],
        row.step_label,
        row.cells,
        labels["commune"],
        row.commune,
        zone,
        labels["activity"],
        row.last_activity or "—",
        labels["stuck"],
        labels["stuck_yes"] if row.stuck else labels["stuck_no"],
    )


def table_rows(enrolments, *, session: Session, now: datetime, open_steps: list[int]) -> list[PersonRow]:
    """The page's rows with their link, step cells and HTML ready: the template's inner loop over
    25 × 6 cells (with a translation and a comparison each) was most of its rendering time."""
    cell = _step_cells(get_language())
    labels = _row_labels()
    # Step labels translated once per page, not once per row (the `date` filter
    # and the translations were half of the rows' rendering time).
    step_labels = {}
    # One reverse() for the page: the person's URL with a placeholder id, split around it.
    placeholder = uuid.UUID(int=0)
    url_head, url_tail = reverse("programs:adviser_person", args=[session.slug, placeholder]).rsplit(
        str(placeholder), 1
    )
    rows = []
    for enrolment in enrolments:
        row = build_row(enrolment, session=session, now=now, open_steps=open_steps)
        row.url = f"{url_head}{enrolment.public_id}{url_tail}"
        if row.current_step not in step_labels:
            step_labels[row.current_step] = row.current_step_label
        row.step_label = step_labels[row.current_step]
        if row.last_activity_at:
            row.last_activity = full_date(row.last_activity_at)  # "1er juin 2020", not "1 Jui 2020"
        row.cells = mark_safe("".join(cell[(n, state)] for n, state, _label in row.states))  # noqa: S308 - escaped above
        row.html = row_html(row, labels)
        rows.append(row)
    return rows
