#!/usr/bin/env python
"""Bulk mentor matching: time and peak memory of the computation a match run does.

    .venv/bin/python bench/bench_matching.py            # 600 × 150 and 5,000 × 1,200
    .venv/bin/python bench/bench_matching.py --sizes 600x150 --repeat 5

Measured per size, on random but realistic profiles of one session (one région, its
départements, ~30 digital ROME codes, 18 weekly slots, a few languages, capacities 1–5):
- `score`: the score matrix of every pair (`mentoring.scoring.score_matrix`);
- `assign`: the optimal assignment under capacity (`mentoring.matching.optimal_assignment`);
- `reasons`: the per-pair reasons of the matched pairs (`score_pair`), as stored on proposals;
- `total`: the three together, i.e. what `services.compute_match_run` computes between reading the
  profiles and writing the proposals (database reads/writes are not included);
- the greedy baseline's time and its matched count and total score, for comparison;
- peak memory: tracemalloc's peak during the run (numpy allocations included) and the process's
  maximum resident set size.
Budget (DESIGN.md): 600 mentees × 150 mentors under 2 s, capacity never exceeded (checked here).
"""

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from mentoring.matching import greedy_assignment, optimal_assignment, total_points  # noqa: E402
from mentoring.models import AVAILABILITY_CHOICES  # noqa: E402
from mentoring.scoring import MenteeFacts, MentorFacts, score_matrix, score_pair  # noqa: E402

ROME = (
    [f"M18{n:02d}" for n in range(1, 11)]
    + [f"E11{n:02d}" for n in range(1, 11)]
    + [f"H12{n:02d}" for n in range(1, 11)]
)
DEPARTEMENTS = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]
SLOTS = [code for code, _label in AVAILABILITY_CHOICES]
LANGUAGES = ["fr", "en", "ar", "es", "pt", "tr"]
REGION = "76"


def make_profiles(mentee_count: int, mentor_count: int, seed: int = 42):
    rng = random.Random(seed)
    mentees = [
        MenteeFacts(
            key=i,
            rome_codes=frozenset(rng.sample(ROME, rng.randint(0, 3))),
            departement=rng.choice(DEPARTEMENTS),
            region=REGION,
            availability=frozenset(rng.sample(SLOTS, rng.randint(0, 6))),
            languages=frozenset(["fr", *rng.sample(LANGUAGES[1:], rng.choice([0, 0, 1]))]),
            preferred_gender=rng.choice(["", "", "", "woman", "man"]),
        )
        for i in range(mentee_count)
    ]
    mentors = [
        MentorFacts(
            key=j,
            job_title=f"métier {j}",
            rome_codes=frozenset(rng.sample(ROME, rng.randint(1, 3))),
            region=REGION if rng.random() < 0.95 else "11",
            departements=frozenset(rng.sample(DEPARTEMENTS, rng.randint(0, 2))),
            nationwide=rng.random() < 0.1,
            availability=frozenset(rng.sample(SLOTS, rng.randint(1, 6))),
            languages=frozenset(["fr", *rng.sample(LANGUAGES[1:], rng.choice([0, 1, 1, 2]))]),
            gender=rng.choice(["woman", "man", "unsaid"]),
            approved=rng.random() < 0.97,
            remaining=rng.randint(1, 5),
        )
        for j in range(mentor_count)
    ]
    return mentees, mentors


def run_once(mentees, mentors):
    started = time.perf_counter()
    points, eligible = score_matrix(mentees, mentors, session_region=REGION)
    scored = time.perf_counter()
    capacity = np.array([max(m.remaining, 0) for m in mentors], dtype=np.int64)
    pairs = optimal_assignment(points, eligible, capacity)
    assigned = time.perf_counter()
    reasons = [score_pair(mentees[i], mentors[j], session_region=REGION).reasons_as_json() for i, j in pairs]
    finished = time.perf_counter()
    # Invariants, checked on every run.
    used = np.bincount([j for _i, j in pairs], minlength=len(mentors))
    assert (used <= capacity).all(), "capacity exceeded"
    assert len({i for i, _j in pairs}) == len(pairs), "a mentee matched twice"
    assert all(eligible[i, j] for i, j in pairs), "an excluded pair matched"
    assert len(reasons) == len(pairs)
    return {
        "score": scored - started,
        "assign": assigned - scored,
        "reasons": finished - assigned,
        "total": finished - started,
        "pairs": pairs,
        "points": points,
        "eligible": eligible,
        "capacity": capacity,
    }


def bench(mentee_count: int, mentor_count: int, repeat: int) -> None:
    mentees, mentors = make_profiles(mentee_count, mentor_count)
    runs = []
    tracemalloc.start()
    for _ in range(repeat):
        runs.append(run_once(mentees, mentors))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(runs, key=lambda r: r["total"])
    median = sorted(r["total"] for r in runs)[len(runs) // 2]
    started = time.perf_counter()
    greedy = greedy_assignment(best["points"], best["eligible"], best["capacity"])
    greedy_time = time.perf_counter() - started
    places = int(best["capacity"].sum())
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{mentee_count:>5} mentees × {mentor_count:>5} mentors ({places} places, {repeat} runs): "
        f"total best {best['total']:.3f} s, median {median:.3f} s "
        f"[score {best['score']:.3f} s, assign {best['assign']:.3f} s, reasons {best['reasons']:.3f} s]; "
        f"matched {len(best['pairs'])}, total score {total_points(best['points'], best['pairs'])}; "
        f"greedy {greedy_time:.3f} s: matched {len(greedy)}, "
        f"total score {total_points(best['points'], greedy)}; "
        f"peak traced memory {peak / 2**20:.0f} MiB, max RSS so far {maxrss_mb:.0f} MiB"
    )
    if (mentee_count, mentor_count) == (600, 150):
        verdict = "within" if best["total"] < 2.0 else "OVER"
        print(f"      budget 600 × 150 under 2 s: {verdict} budget")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["600x150", "5000x1200"], help="MENTEESxMENTORS")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        mentee_count, mentor_count = (int(part) for part in size.lower().split("x"))
        bench(mentee_count, mentor_count, args.repeat)


if __name__ == "__main__":
    main()
