import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mentoring.matching import greedy_assignment, optimal_assignment, total_points


def _check_valid(pairs, eligible, capacity):
    mentees = [i for i, _j in pairs]
    assert len(mentees) == len(set(mentees)), "a mentee is matched twice"
    for j, cap in enumerate(capacity):
        assert sum(1 for _i, m in pairs if m == j) <= cap, "a mentor's capacity is exceeded"
    assert all(eligible[i, j] for i, j in pairs), "an excluded pair was matched"


def _brute_force(points, eligible, capacity):
    """Best (matched count, total points) over every assignment; tiny instances only."""
    n, m = points.shape
    best = (0, 0)
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.zeros(m, dtype=int)
        ok = True
        total = count = 0
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if not eligible[i, j]:
                ok = False
                break
            used[j] += 1
            count += 1
            total += int(points[i, j])
        if ok and (used <= capacity).all():
            best = max(best, (count, total))
    return best


def test_optimal_assignment_beats_greedy_on_a_crafted_case():
    # Two mentors with one place each. Greedy takes the single best pair (Ana–A, 90) and leaves
    # Bilal with B (10): 100 points. The optimum gives Ana to B and Bilal to A: 80 + 85 = 165.
    points = np.array([[90, 80], [85, 10]], dtype=np.int16)
    eligible = np.ones((2, 2), dtype=bool)
    capacity = np.array([1, 1])

    optimal = optimal_assignment(points, eligible, capacity)
    greedy = greedy_assignment(points, eligible, capacity)

    assert optimal == [(0, 1), (1, 0)]
    assert greedy == [(0, 0), (1, 1)]
    assert (total_points(points, optimal), total_points(points, greedy)) == (165, 100)


def test_optimal_assignment_matches_more_people_than_greedy_when_places_are_scarce():
    # Mentor A (1 place) suits both; only Bilal may take mentor B. Greedy gives A to Bilal (best
    # pair) and leaves Ana alone; the optimum matches both.
    points = np.array([[50, 0], [60, 5]], dtype=np.int16)
    eligible = np.array([[True, False], [True, True]])
    capacity = np.array([1, 1])

    assert greedy_assignment(points, eligible, capacity) == [(1, 0)]
    assert optimal_assignment(points, eligible, capacity) == [(0, 0), (1, 1)]


def test_optimal_assignment_handles_no_place_and_no_mentor():
    empty = np.zeros((3, 0), dtype=np.int16)
    assert optimal_assignment(empty, empty.astype(bool), np.array([], dtype=int)) == []
    points = np.ones((2, 2), dtype=np.int16)
    assert optimal_assignment(points, np.ones((2, 2), dtype=bool), np.array([0, 0])) == []


problems = st.tuples(st.integers(1, 8), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        hnp.arrays(np.int16, shape, elements=st.integers(0, 100)),
        hnp.arrays(np.bool_, shape),
        hnp.arrays(np.int64, (shape[1],), elements=st.integers(0, 5)),
    )
)


@settings(max_examples=200, deadline=None)
@given(problems)
def test_optimal_assignment_never_exceeds_capacity_and_is_never_worse_than_greedy(problem):
    points, eligible, capacity = problem

    optimal = optimal_assignment(points, eligible, capacity)
    greedy = greedy_assignment(points, eligible, capacity)

    _check_valid(optimal, eligible, capacity)
    _check_valid(greedy, eligible, capacity)
    assert (len(optimal), total_points(points, optimal)) >= (len(greedy), total_points(points, greedy))


tiny = st.tuples(st.integers(1, 4), st.integers(1, 3)).flatmap(
    lambda shape: st.tuples(
        hnp.arrays(np.int16, shape, elements=st.integers(0, 100)),
        hnp.arrays(np.bool_, shape),
        hnp.arrays(np.int64, (shape[1],), elements=st.integers(0, 2)),
    )
)


@settings(max_examples=150, deadline=None)
@given(tiny)
def test_optimal_assignment_equals_brute_force_on_tiny_cases(problem):
    points, eligible, capacity = problem

    optimal = optimal_assignment(points, eligible, capacity)

    assert (len(optimal), total_points(points, optimal)) == _brute_force(points, eligible, capacity)
