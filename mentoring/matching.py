"""The bulk assignment of mentees to mentors under capacity: optimal, and a greedy baseline.

Objective: match as many mentees as possible with an eligible mentor, and among those
assignments the one with the highest total score. It is solved exactly as a rectangular
assignment problem (scipy's `linear_sum_assignment`, a shortest-augmenting-path solver) on a
cost matrix whose columns are the mentors repeated once per remaining place. A large constant
added to every eligible pair makes "more people matched" dominate "more points", so the
order of the two goals is exact, not a weighting.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment

Pairs = list[tuple[int, int]]


def optimal_assignment(points: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> Pairs:
    """Return (mentee index, mentor index) pairs; a mentee appears at most once, a mentor at most
    `capacity[j]` times, every pair is eligible. `points` and `eligible` are mentees × mentors."""
    n, m = points.shape
    capacity = np.minimum(np.maximum(np.asarray(capacity, dtype=np.int64), 0), n)
    if n == 0 or m == 0 or capacity.sum() == 0:
        return []
    columns = np.repeat(np.arange(m), capacity)
    # Bonus bigger than any possible total of points: cardinality first, then points.
    bonus = float(int(points.max(initial=0)) * n + 1)
    weight = np.where(eligible, points.astype(np.float64) + bonus, 0.0)[:, columns]
    rows, cols = linear_sum_assignment(weight, maximize=True)
    mentors = columns[cols]
    keep = eligible[rows, mentors]
    return sorted(zip(rows[keep].tolist(), mentors[keep].tolist(), strict=True))


def greedy_assignment(points: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> Pairs:
    """The baseline: take the best remaining pair while places last (what a hand-made loop does)."""
    n, m = points.shape
    left = np.asarray(capacity, dtype=np.int64).copy()
    done = np.zeros(n, dtype=bool)
    pairs: Pairs = []
    order = np.argsort(-points, axis=None, kind="stable")
    for flat in order:
        i, j = divmod(int(flat), m)
        if done[i] or left[j] <= 0 or not eligible[i, j]:
            continue
        pairs.append((i, j))
        done[i] = True
        left[j] -= 1
    return sorted(pairs)


def total_points(points: np.ndarray, pairs: Pairs) -> int:
    return int(sum(int(points[i, j]) for i, j in pairs))
