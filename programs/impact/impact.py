"""The programme's impact figures, computed by database aggregation, with small groups suppressed.

A figure never shows a group of 1 to 4 people exactly ("< 5"), and a share is only given when
neither the group nor the rest of its total is that small: otherwise a reader could subtract
one published figure from another and single out a person.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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

SMALL_GROUP = 5
SUPPRESSED = "< 5"

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
    """A count out of a total, with the disclosure rules applied to what is shown."""

    count: int
    total: int | None = None

    @property
    def small(self) -> bool:
        return 0 < self.count < SMALL_GROUP

    @property
    def small_rest(self) -> bool:
        return self.total is not None and 0 < self.total - self.count < SMALL_GROUP

    @property
    def display(self) -> str:
        if self.small:
            return SUPPRESSED
        if self.small_rest:
            # The rest (total − count) would be a group of 1 to 4. Out of a total of 5 or fewer,
            # "> 0" would say nothing and a plain 0 would single out the few: the figure is hidden.
            if self.total <= SMALL_GROUP:
                return SUPPRESSED
            return f"> {number_format(self.total - SMALL_GROUP)}"
        return number_format(self.count, force_grouping=True)

    @property
    def share(self) -> int | None:
        """Rounded percentage, or None when it would disclose a small group."""
        if not self.total or self.total < SMALL_GROUP or self.small or self.small_rest:
            return None
        return round(100 * self.count / self.total)

    @property
    def share_display(self) -> str:
        share = self.share
        if share is None:
            return "—" if not self.total else _("n. d.")
        return f"{share} %"

    @property
    def chart_value(self) -> int | None:
        return self.share

    def __str__(self):
        return self.display


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

    @property
    def is_small(self) -> bool:
        return self.participants.count < SMALL_GROUP


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
    """Active enrolments: the people who took part (a withdrawal is not counted)."""
    base = queryset if queryset is not None else Enrolment.objects.all()
    return base.filter(status=EnrolmentStatus.ACTIVE)


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


def _row(key, label: str, counts: dict) -> ImpactRow:
    total = counts["n"]
    satisfaction = counts["surveys"].get(SurveyKind.SATISFACTION, {})
    respondents = satisfaction.get("n", 0)
    outcomes = {}
    for kind in (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6):
        answers = counts["surveys"].get(kind, {})
        answered = answers.get("n", 0)
        outcomes[kind.value] = {
            "respondents": Figure(answered, total),
            "job": Figure(answers.get("job", 0), answered),
            "training": Figure(answers.get("training", 0), answered),
        }
    return ImpactRow(
        key=key,
        label=label,
        participants=Figure(total),
        women=Figure(counts["women"], total),
        qpv=Figure(counts["qpv"], total),
        rural=Figure(counts["rural"], total),
        rqth=Figure(counts["rqth"], total),
        ages={code: Figure(counts[f"age_{code}"], total) for code, _label in AGE_BANDS},
        steps={step.value: Figure(counts["steps"].get(step.value, 0), total) for step in Step},
        respondents=Figure(respondents, total),
        satisfied=Figure(satisfaction.get("satisfied", 0), respondents),
        outcomes=outcomes,
    )


def compute(*, enrolments, grouping: str | None = None) -> list[ImpactRow]:
    """Figures for `enrolments` (already filtered and active), in three grouped queries.

    `grouping` is None (one row for everything) or a key of GROUPINGS.
    """
    return [
        _row(key, label, counts) for key, label, counts in _counts(enrolments=enrolments, grouping=grouping)
    ]


def compute_with_total(*, enrolments, grouping: str) -> tuple[ImpactRow, list[ImpactRow]]:
    """(the whole selection, its groups) in the three queries of the grouped pass: the total is
    the sum of the groups' counts (suppression applies to each figure as shown)."""
    groups = _counts(enrolments=enrolments, grouping=grouping)
    total = _row(None, str(_("Ensemble")), add_up([counts for _key, _label, counts in groups]))
    return total, [_row(key, label, counts) for key, label, counts in groups]


# Figures are cached this long (Redis in production): the staff dashboard and the public summaries
# are read far more often than they change (closed sessions only change when a follow-up survey is
# answered), and one pass over 100,000 enrolments costs seconds. A new answer shows within 10 min.
CACHE_SECONDS = 10 * 60
CACHE_VERSION = 1  # bump when the cached figures change shape


def cached(*, key: str, compute):
    """`compute()`'s result, kept CACHE_SECONDS under `key` (its language included: labels)."""
    full_key = f"programs:impact:v{CACHE_VERSION}:{get_language()}:{key}"
    result = cache.get(full_key)
    if result is None:
        result = compute()
        cache.set(full_key, result, CACHE_SECONDS)
    return result


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
