"""Small-group suppression: no hidden figure can be recovered from the shown ones and the sums.

The audit is independent of `declics.suppression`'s own reasoning: an exact integer solver
(scipy's `milp`) looks for the smallest and largest value each hidden cell can take given everything a
reader knows (the shown figures, "moins de 5" = 0 to 4, "masqué" ≥ 5, unpublished ≥ 0, and every
sum); a recovered cell is one whose smallest and largest values are equal.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from declics.suppression import (
    SMALL_GROUP,
    Relation,
    Status,
    is_protected,
    is_small,
    known_to_reader,
    reader_bounds,
    suppress,
)


def recovered(values, relations, statuses, known=()) -> list:
    """The hidden cells (that must stay hidden) a reader can pin to one value from everything
    they know: a cell is free when some solution gives it another value than its true one."""
    keys = list(values)
    index = {key: i for i, key in enumerate(keys)}
    rows = []
    for relation in relations:
        row = np.zeros(len(keys))
        row[index[relation.total]] += 1
        for part in relation.parts:
            row[index[part]] -= 1
        rows.append(row)
    lows, highs = zip(*(reader_bounds(values[k], statuses[k]) for k in keys), strict=True)
    bounds = Bounds(np.array(lows, dtype=float), np.array(highs, dtype=float))
    constraints = [LinearConstraint(np.array(rows), 0, 0)] if rows else []
    integral = np.ones(len(keys))
    feasible = milp(np.zeros(len(keys)), integrality=integral, bounds=bounds, constraints=constraints)
    assert feasible.success, feasible.message  # the true table is always a solution
    pinned = []
    seen = known_to_reader(values, relations, known)
    for key in keys:
        if not is_protected(values[key], statuses[key], known=key in seen):
            continue
        for sign in (1, -1):  # the smallest value, then (if it is the true one) the largest
            cost = np.zeros(len(keys))
            cost[index[key]] = sign
            result = milp(cost, integrality=integral, bounds=bounds, constraints=constraints)
            if result.status in (3, 4):  # unbounded (the problem is feasible: see above)
                break
            assert result.success, result.message
            if round(sign * result.fun) != values[key]:
                break
        else:
            pinned.append(key)
    return pinned


def assert_nothing_recovered(values, relations, statuses, known=()):
    assert recovered(values, relations, statuses, known) == [], statuses
    seen = known_to_reader(values, relations, known)
    for relation in relations:
        hidden = [p for p in relation.parts if statuses[p] != Status.SHOWN]
        if statuses[relation.total] == Status.SHOWN and not all(p in seen for p in hidden):
            # Total − shown parts: the hidden parts together are never a small group.
            assert not is_small(sum(values[p] for p in hidden)), relation


def one_way(parts):
    values = {"total": sum(parts), **{f"g{i}": n for i, n in enumerate(parts)}}
    return values, [Relation("total", [f"g{i}" for i in range(len(parts))])]


def test_one_small_group_is_not_left_alone_next_to_its_total():
    """The issue's case: 100 people in three groups of 3, 40 and 57."""
    values, relations = one_way([3, 40, 57])
    statuses = suppress(values, relations)
    assert statuses == {"total": "shown", "g0": "small", "g1": "masked", "g2": "shown"}
    assert_nothing_recovered(values, relations, statuses)


def test_a_table_without_small_groups_shows_everything_but_its_zeros():
    values, relations = one_way([12, 40, 0, 57])
    statuses = suppress(values, relations)
    assert [statuses[k] for k in ("total", "g0", "g1", "g2", "g3")] == [
        "shown",
        "shown",
        "shown",
        "small",
        "shown",
    ]


def test_two_small_groups_that_add_up_to_a_small_group_hide_a_third():
    values, relations = one_way([1, 2, 30, 40])
    statuses = suppress(values, relations)
    assert [statuses[k] for k in ("g0", "g1", "g2", "g3")] == ["small", "small", "masked", "shown"]
    assert_nothing_recovered(values, relations, statuses)


def test_the_small_rest_of_a_share_hides_the_figure():
    """38 of 40 people enrolled: the 2 others are a small group, so the 38 is masked."""
    values = {"invited": 40, "enrolled": 38, "others": 2}
    relations = [Relation("invited", ["enrolled", "others"])]
    statuses = suppress(values, relations, unpublished={"others"})
    assert statuses == {"invited": "shown", "enrolled": "masked", "others": "unpublished"}
    assert_nothing_recovered(values, relations, statuses)


def test_known_cells_are_never_hidden_and_protect_the_rest():
    """An adviser sees 30 consenting people who did step 1; 32 did it: the 2 others are protected."""
    values = {"step": 32, "consenting": 30, "others": 2}
    relations = [Relation("step", ["consenting", "others"])]
    statuses = suppress(values, relations, unpublished={"others"}, known={"consenting"})
    assert statuses == {"step": "masked", "consenting": "shown", "others": "unpublished"}


counts = st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=60)
AUDIT = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@AUDIT
@given(st.lists(counts, min_size=1, max_size=7))
def test_no_hidden_group_is_recovered_in_a_one_way_table(parts):
    values, relations = one_way(parts)
    statuses = suppress(values, relations)
    assert_nothing_recovered(values, relations, statuses)
    assert all(statuses[k] != Status.SHOWN for k, v in values.items() if v < SMALL_GROUP)


@AUDIT
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=5))
def test_no_hidden_group_is_recovered_with_unpublished_rests(groups):
    """Per group: people and women (the rest unpublished); column totals of both."""
    values, relations, unpublished = {}, [], set()
    for g, (women, others) in enumerate(groups):
        values |= {(g, "n"): women + others, (g, "women"): women, (g, "rest"): others}
        relations.append(Relation((g, "n"), [(g, "women"), (g, "rest")]))
        unpublished.add((g, "rest"))
    for name in ("n", "women", "rest"):
        values[("all", name)] = sum(values[(g, name)] for g in range(len(groups)))
        relations.append(Relation(("all", name), [(g, name) for g in range(len(groups))]))
    unpublished.add(("all", "rest"))
    relations.append(Relation(("all", "n"), [("all", "women"), ("all", "rest")]))
    statuses = suppress(values, relations, unpublished=unpublished)
    assert_nothing_recovered(values, relations, statuses)


def test_small_group_is_five():
    assert SMALL_GROUP == 5
    assert [is_small(n) for n in range(7)] == [False, True, True, True, True, False, False]


@pytest.mark.parametrize("status", list(Status))
def test_reader_bounds_hold_the_true_value(status):
    value = {Status.SHOWN: 12, Status.SMALL: 3, Status.MASKED: 40, Status.UNPUBLISHED: 0}[status]
    low, high = reader_bounds(value, status)
    assert low <= value <= high
