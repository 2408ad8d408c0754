"""The programme's impact figures, computed by database aggregation, with small groups suppressed.

Every published table is built as a `Table` of cells and the sums a reader knows between them
(participants = women + others, a total = the sum of its groups, the four age bands = the
participants, …) and goes through `declics.suppression.suppress`: a figure below 5 reads "moins
de 5", and a second figure is "masqué" wherever the first could otherwise be found by
subtraction. A share is only given when its count and its denominator are both shown.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from declics.suppression import SMALL_GROUP, Relation, Status, suppress

from .. import figures_cache
from ..models import (
    Enrolment,
    EnrolmentStatus,
    JobSeekerProfile,
    Situation,
    Step,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)

LESS_THAN_FIVE = _("moins de 5")
MASKED = _("masqué")
MASKED_SHARE = _("masquée")

AGE_BANDS = (
    ("under_26", _("moins de 26 ans")),
    ("26_44", _("26 à 44 ans")),
    ("45_plus", _("45 ans et plus")),
    ("unknown", _("âge non renseigné")),
)

GROUPINGS = {
    "session": ("session_id", "session__title"),
    "region": ("session__region_id", "session__region__name"),
    "departement": ("commune__departement_id", "commune__departement__name"),
}


@dataclass(frozen=True)
class Figure:
    """A count out of a total, shown as `suppress` decided (`status`): a number, "moins de 5" or
    "masqué". Build figures with `Table`, never by hand: the status comes from the whole table."""

    count: int
    total: int | None
    status: Status
    total_status: Status = Status.SHOWN

    @property
    def hidden(self) -> bool:
        return self.status != Status.SHOWN

    @property
    def display(self) -> str:
        if self.status == Status.SHOWN:
            return number_format(self.count, force_grouping=True)
        if self.status == Status.SMALL:
            return str(LESS_THAN_FIVE)
        return str(MASKED)

    @property
    def share(self) -> int | None:
        """Rounded percentage, or None when the count or its total is hidden (or the total is 0)."""
        if self.hidden or not self.total or self.total_status not in (Status.SHOWN, Status.UNPUBLISHED):
            return None
        if self.total < SMALL_GROUP:
            return None
        return round(100 * self.count / self.total)

    @property
    def share_display(self) -> str:
        """The share beside its count: "n %", "—" without a total, else "masquée"."""
        share = self.share
        if share is not None:
            return f"{share} %"
        if self.total is None:
            return "—"
        return str(MASKED_SHARE)

    @property
    def share_cell(self) -> str:
        """The share alone in a cell (no count beside it): why it is missing when it is."""
        return self.display if self.hidden else self.share_display

    @property
    def chart_value(self) -> int | None:
        return self.share

    def __str__(self):
        return self.display


class Table:
    """The cells of one published table and the sums a reader knows between them; `figures()`
    suppresses them together (`declics.suppression.suppress`)."""

    def __init__(self):
        self.values: dict = {}
        self.relations: list[Relation] = []
        self.unpublished: set = set()
        self.known: set = set()
        self.denominators: dict = {}

    def cell(self, key, value: int, *, of=None, published: bool = True, known: bool = False):
        """A cell; `of` names the cell its share is out of; `known`: the reader has it from
        elsewhere (never hidden, never used to hide another)."""
        self.values[key] = value
        if of is not None:
            self.denominators[key] = of
        if not published:
            self.unpublished.add(key)
        if known:
            self.known.add(key)

    def adds_up(self, total, parts):
        """`total` is the sum of `parts` (all cells of this table)."""
        self.relations.append(Relation(total, parts))

    def share(self, key, value: int, *, of, rest, published: bool = True):
        """A count out of `of`, with the rest (`of` − count) as the unpublished cell `rest`: so the
        count is hidden when the rest is a small group."""
        self.cell(key, value, of=of, published=published)
        self.cell(rest, self.values[of] - value, published=False)
        self.adds_up(of, [key, rest])

    def figures(self) -> dict:
        statuses = suppress(self.values, self.relations, unpublished=self.unpublished, known=self.known)
        figures = {}
        for key, value in self.values.items():
            of = self.denominators.get(key)
            figures[key] = Figure(
                value,
                None if of is None else self.values[of],
                statuses[key],
                Status.SHOWN if of is None else statuses[of],
            )
        return figures


@dataclass
class ImpactRow:
    """One group's figures (the whole selection, a session, a région, a département)."""

    key: object
    label: str
    participants: Figure
    women: Figure
    qpv: Figure
    rural: Figure
    rqth: Figure
    ages: dict[str, Figure]
    steps: dict[int, Figure] = field(default_factory=dict)
    respondents: Figure | None = None
    satisfied: Figure | None = None
    outcomes: dict[str, dict[str, Figure]] = field(default_factory=dict)


def _age_band():
    """(band, age): the age in the session's year, and its band (computed in SQL)."""
    age = ExtractYear("session__starts_at") - F("job_seeker__job_seeker_profile__birth_year")
    band = Case(
        When(job_seeker__job_seeker_profile__birth_year__isnull=True, then=Value("unknown")),
        When(Q(_age__lt=26), then=Value("under_26")),
        When(Q(_age__lt=45), then=Value("26_44")),
        default=Value("45_plus"),
    )
    return band, age


def participants(queryset=None):
    """The people who took part: active enrolments, and those of people who since erased their
    account (their figures stay, anonymised); a withdrawal, a removal or a transfer is not counted
    (a transfer counts in the new session). An erased enrolment that was still on the waiting list
    counts too: the erasure does not keep which it was."""
    base = queryset if queryset is not None else Enrolment.objects.all()
    return base.filter(status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.ERASED))


def _counts(*, enrolments, grouping: str | None) -> list[tuple[object, str, dict]]:
    """[(key, label, counts)] per group, in three grouped queries. `counts` holds plain integers
    (people, women, …, `steps` {n: done}, `surveys` {kind: {n, satisfied, job, training}}), all
    additive: a total over groups is their sum (`add_up`), not another pass over the people."""
    key_field, label_field = GROUPINGS[grouping] if grouping else (None, None)
    group_by = [key_field, label_field] if grouping else []
    band, age = _age_band()
    profile = "job_seeker__job_seeker_profile__"
    # The age band is a GROUP BY key (computed once per person), not four filtered counts that
    # each recomputed it: a group comes back as up to four rows, one per band, added up below.
    people = enrolments.annotate(_age=age).annotate(_band=band).values(*group_by, "_band")
    base_rows = people.annotate(
        n=Count("pk"),
        women=Count("pk", filter=Q(**{f"{profile}gender": JobSeekerProfile.Gender.WOMAN})),
        qpv=Count("pk", filter=Q(eligibility__basis="qpv")),
        rural=Count("pk", filter=Q(eligibility__basis="frr")),
        rqth=Count("pk", filter=Q(**{f"{profile}rqth": True})),
    ).order_by(*([label_field, key_field] if grouping else []))

    step_rows = (
        StepProgress.objects.filter(enrolment__in=enrolments.values("pk"), completed_at__isnull=False)
        .values(*([f"enrolment__{key_field}"] if grouping else []), "step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    survey_rows = (
        SurveyResponse.objects.answered()
        .filter(enrolment__in=enrolments.values("pk"))
        .values(*([f"enrolment__{key_field}"] if grouping else []), "kind")
        .annotate(
            n=Count("pk"),
            satisfied=Count("pk", filter=Q(overall__gte=4)),
            job=Count("pk", filter=Q(situation=Situation.JOB)),
            training=Count("pk", filter=Q(situation=Situation.TRAINING)),
        )
        .order_by()
    )
    steps: dict[object, dict[int, int]] = {}
    for row in step_rows:
        key = row.get(f"enrolment__{key_field}") if grouping else None
        steps.setdefault(key, {})[row["step"]] = row["n"]
    surveys: dict[object, dict[str, dict]] = {}
    for row in survey_rows:
        key = row.get(f"enrolment__{key_field}") if grouping else None
        surveys.setdefault(key, {})[row["kind"]] = {
            name: row[name] for name in ("n", "satisfied", "job", "training")
        }
    groups: dict[object, tuple[str, dict]] = {}  # in the people query's order
    for row in base_rows:
        key = row[key_field] if grouping else None
        if key not in groups:
            counts = dict.fromkeys(("n", "women", "qpv", "rural", "rqth"), 0)
            counts.update({f"age_{code}": 0 for code, _label in AGE_BANDS})
            counts["steps"] = steps.get(key, {})
            counts["surveys"] = surveys.get(key, {})
            groups[key] = (str(row[label_field]) if grouping else str(_("Ensemble")), counts)
        counts = groups[key][1]
        for name in ("n", "women", "qpv", "rural", "rqth"):
            counts[name] += row[name]
        counts[f"age_{row['_band']}"] += row["n"]
    if not grouping and not groups:  # one row for everything, even when there is nobody
        counts = dict.fromkeys(("n", "women", "qpv", "rural", "rqth"), 0)
        counts.update({f"age_{code}": 0 for code, _label in AGE_BANDS})
        counts["steps"], counts["surveys"] = {}, {}
        groups[None] = (str(_("Ensemble")), counts)
    return [(key, label, counts) for key, (label, counts) in groups.items()]


def add_up(groups: list[dict]) -> dict:
    """The counts of the union of disjoint groups (each person is in exactly one)."""
    total = dict.fromkeys(("n", "women", "qpv", "rural", "rqth"), 0)
    total.update({f"age_{code}": 0 for code, _label in AGE_BANDS})
    total["steps"], total["surveys"] = {}, {}
    for counts in groups:
        for name, value in counts.items():
            if name == "steps":
                for step, n in value.items():
                    total["steps"][step] = total["steps"].get(step, 0) + n
            elif name == "surveys":
                for kind, answers in value.items():
                    into = total["surveys"].setdefault(kind, dict.fromkeys(answers, 0))
                    for field_name, n in answers.items():
                        into[field_name] += n
            else:
                total[name] += value
    return total


FOLLOW_UPS = (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6)
# What the table of groups shows of each group (its other figures are not published there).
GROUP_COLUMNS = frozenset(
    {"n", "women", "qpv", "rural", "rqth", f"step:{len(Step)}", "sat", f"{SurveyKind.FOLLOW_UP_6}:job"}
)


def _add_row(table: Table, prefix, counts: dict, *, published) -> None:
    """The cells of one row (a group, or the whole selection) and the sums between them;
    `published(name)` says whether the page shows that figure."""

    def key(name):
        return (prefix, name)

    def share(name, value, *, of="n"):
        table.share(key(name), value, of=key(of), rest=key(f"{name}:rest"), published=published(name))

    n = counts["n"]
    table.cell(key("n"), n, published=published("n"))
    for name in ("women", "qpv", "rural", "rqth"):
        share(name, counts[name])
    table.cell(key("basis:other"), n - counts["qpv"] - counts["rural"], published=False)
    table.adds_up(key("n"), [key("qpv"), key("rural"), key("basis:other")])
    for code, _label in AGE_BANDS:
        table.cell(key(f"age:{code}"), counts[f"age_{code}"], of=key("n"), published=published(f"age:{code}"))
    table.adds_up(key("n"), [key(f"age:{code}") for code, _label in AGE_BANDS])
    for step in Step:
        share(f"step:{step.value}", counts["steps"].get(step.value, 0))
    satisfaction = counts["surveys"].get(SurveyKind.SATISFACTION, {})
    share("resp", satisfaction.get("n", 0))
    share("sat", satisfaction.get("satisfied", 0), of="resp")
    for kind in FOLLOW_UPS:
        answers = counts["surveys"].get(kind, {})
        share(f"{kind}:n", answers.get("n", 0))
        for outcome in ("job", "training"):
            share(f"{kind}:{outcome}", answers.get(outcome, 0), of=f"{kind}:n")
        other = answers.get("n", 0) - answers.get("job", 0) - answers.get("training", 0)
        table.cell(key(f"{kind}:other"), other, published=False)
        table.adds_up(key(f"{kind}:n"), [key(f"{kind}:job"), key(f"{kind}:training"), key(f"{kind}:other")])


def _row(key, label: str, figures: dict, prefix) -> ImpactRow:
    def figure(name):
        return figures[(prefix, name)]

    return ImpactRow(
        key=key,
        label=label,
        participants=figure("n"),
        women=figure("women"),
        qpv=figure("qpv"),
        rural=figure("rural"),
        rqth=figure("rqth"),
        ages={code: figure(f"age:{code}") for code, _label in AGE_BANDS},
        steps={step.value: figure(f"step:{step.value}") for step in Step},
        respondents=figure("resp"),
        satisfied=figure("sat"),
        outcomes={
            kind.value: {
                "respondents": figure(f"{kind}:n"),
                "job": figure(f"{kind}:job"),
                "training": figure(f"{kind}:training"),
            }
            for kind in FOLLOW_UPS
        },
    )


def row_table(counts: dict, *, rqth: bool = True) -> Table:
    """One row on its own (a session's public summary): `rqth=False` when the page does not show
    the RQTH figure."""
    table = Table()
    _add_row(table, "row", counts, published=lambda name: rqth or name != "rqth")
    return table


def compute(*, enrolments, grouping: str | None = None, rqth: bool = True) -> list[ImpactRow]:
    """Figures for `enrolments` (already filtered and active), in three grouped queries; each row
    is a table of its own.

    `grouping` is None (one row for everything) or a key of GROUPINGS.
    """
    return [
        _row(key, label, row_table(counts, rqth=rqth).figures(), "row")
        for key, label, counts in _counts(enrolments=enrolments, grouping=grouping)
    ]


def grouped_table(groups: list[tuple[object, str, dict]]) -> Table:
    """The staff page as one table: the total's figures (all shown), each group's columns, and
    every total as the sum of its groups."""
    table = Table()
    _add_row(table, "total", add_up([counts for _key, _label, counts in groups]), published=lambda name: True)
    for key, _label, counts in groups:
        _add_row(table, ("group", key), counts, published=GROUP_COLUMNS.__contains__)
    if groups:
        for name in [name for prefix, name in table.values if prefix == "total"]:
            table.adds_up(("total", name), [(("group", key), name) for key, _label, _counts in groups])
    return table


def compute_with_total(*, enrolments, grouping: str) -> tuple[ImpactRow, list[ImpactRow]]:
    """(the whole selection, its groups) in the three queries of the grouped pass: the total is
    the sum of the groups' counts, and the page is suppressed as one table (`grouped_table`)."""
    groups = _counts(enrolments=enrolments, grouping=grouping)
    figures = grouped_table(groups).figures()
    total = _row(None, str(_("Ensemble")), figures, "total")
    return total, [_row(key, label, figures, ("group", key)) for key, label, _counts in groups]


# The figures are cached (programs.figures_cache): the staff dashboard and the public summaries are
# read far more often than they change, and one pass over 100,000 enrolments costs seconds. A
# session's own figures are recomputed as soon as they change (an enrolment, a step done, a survey
# answered…); figures over several sessions follow within IMPACT_SECONDS.


def dashboard_figures(*, session=None, region=None, departement=None, grouping: str = "session"):
    """(total, groups) of the staff dashboard over the participants of a scope (any of a session,
    a region of sessions, the people's département), grouped by `grouping`."""
    enrolments = participants()
    if session is not None:
        enrolments = enrolments.filter(session=session)
    if region is not None:
        enrolments = enrolments.filter(session__region=region)
    if departement is not None:
        enrolments = enrolments.filter(commune__departement=departement)
    key = figures_cache.impact_dashboard_key(
        session_id=session and session.pk,
        region_id=region and region.pk,
        departement_id=departement and departement.pk,
        grouping=grouping,
    )
    return figures_cache.cached(
        key,
        lambda: compute_with_total(enrolments=enrolments, grouping=grouping),
        figures_cache.IMPACT_SECONDS,
    )


def session_figures(session) -> list[ImpactRow]:
    """A session's public figures (one row, or none without participants): disability stays with
    staff, it is not published, so not part of the table."""
    return figures_cache.cached(
        figures_cache.impact_session_key(session.pk),
        lambda: compute(enrolments=participants(Enrolment.objects.filter(session=session)), rqth=False),
        figures_cache.IMPACT_SECONDS,
    )


def chart_data(row: ImpactRow) -> dict:
    """What the charts draw: shares only, None where a figure is suppressed."""
    return {
        "steps": {
            "labels": [str(step.label) for step in Step],
            "values": [row.steps[step.value].chart_value for step in Step],
        },
        "outcomes": {
            "labels": [
                str(_("Emploi à 3 mois")),
                str(_("Formation à 3 mois")),
                str(_("Emploi à 6 mois")),
                str(_("Formation à 6 mois")),
            ],
            "values": [
                row.outcomes[SurveyKind.FOLLOW_UP_3]["job"].chart_value,
                row.outcomes[SurveyKind.FOLLOW_UP_3]["training"].chart_value,
                row.outcomes[SurveyKind.FOLLOW_UP_6]["job"].chart_value,
                row.outcomes[SurveyKind.FOLLOW_UP_6]["training"].chart_value,
            ],
        },
    }
