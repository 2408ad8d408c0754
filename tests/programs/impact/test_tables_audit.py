"""Every table the platform publishes, audited: no hidden figure can be recovered from the shown
ones and the sums a reader knows (the exact integer audit of `tests/test_suppression.py`), on
random figures."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.advisers.dashboard import BY_EMAIL, HEAD, SURVEY, funnel_table
from programs.impact.impact import AGE_BANDS, grouped_table, row_table
from programs.models import Step, SurveyKind
from tests.test_suppression import assert_nothing_recovered

AUDIT = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
people = st.integers(min_value=0, max_value=9) | st.integers(min_value=0, max_value=40)


@st.composite
def part_of(draw, total):
    return draw(st.integers(min_value=0, max_value=total))


@st.composite
def row_counts(draw):
    """One group's counts, consistent with each other (as `impact._counts` gives them)."""
    n = draw(people)
    qpv = draw(part_of(n))
    ages, left = {}, n
    for code, _label in AGE_BANDS[:-1]:
        ages[f"age_{code}"] = draw(part_of(left))
        left -= ages[f"age_{code}"]
    ages[f"age_{AGE_BANDS[-1][0]}"] = left
    respondents = draw(part_of(n))
    surveys = {
        SurveyKind.SATISFACTION: {
            "n": respondents,
            "satisfied": draw(part_of(respondents)),
            "job": 0,
            "training": 0,
        }
    }
    for kind in (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6):
        answered = draw(part_of(n))
        job = draw(part_of(answered))
        surveys[kind] = {"n": answered, "satisfied": 0, "job": job, "training": draw(part_of(answered - job))}
    return {
        "n": n,
        "women": draw(part_of(n)),
        "qpv": qpv,
        "rural": draw(part_of(n - qpv)),
        "rqth": draw(part_of(n)),
        **ages,
        "steps": {step.value: draw(part_of(n)) for step in Step},
        "surveys": surveys,
    }


def _audit(table):
    statuses = {key: figure.status for key, figure in table.figures().items()}
    assert_nothing_recovered(table.values, table.relations, statuses, table.known)


@AUDIT
@given(row_counts(), st.booleans())
def test_a_session_summary_gives_no_small_group_away(counts, rqth):
    _audit(row_table(counts, rqth=rqth))


@AUDIT
@given(st.lists(row_counts(), min_size=1, max_size=3))
def test_the_staff_impact_page_gives_no_small_group_away(groups):
    _audit(grouped_table([(n, f"Groupe {n}", counts) for n, counts in enumerate(groups)]))


@st.composite
def funnel_counts(draw):
    everyone = draw(people)
    enrolled = draw(part_of(everyone))
    seen = draw(part_of(enrolled))
    counts = {HEAD: (enrolled, everyone, seen), BY_EMAIL: (draw(part_of(everyone)), 0, 0)}
    for step in Step:
        done = draw(part_of(enrolled))
        counts[step.value] = (
            done,
            0,
            draw(st.integers(min_value=max(0, done - (enrolled - seen)), max_value=min(done, seen))),
        )
    counts[SURVEY] = (draw(part_of(enrolled)), 0, 0)
    return counts


@AUDIT
@given(funnel_counts(), st.integers(min_value=0, max_value=20))
def test_the_adviser_funnel_gives_no_small_group_away(counts, extra_emails):
    emailed = counts[BY_EMAIL][0] + extra_emails
    _audit(funnel_table(counts=counts, emailed=emailed))
