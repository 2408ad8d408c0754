#!/usr/bin/env python
"""Small-group suppression: what `declics.suppression.suppress` costs on the tables it protects.

    .venv/bin/python bench/bench_suppression.py             # 13 and 100 groups, the funnel
    .venv/bin/python bench/bench_suppression.py --groups 13 100 300 --repeat 5

Measured per size, on random but consistent figures (a third of the groups below 5 people):
- the staff impact page as one table (`programs.impact.impact.grouped_table`: the total's
  figures, each group's columns, every total as the sum of its groups), paid once per cached
  window (10 minutes) and scope;
- the adviser funnel (`programs.advisers.dashboard.funnel_table`), paid on every dashboard view.
The median of `--repeat` runs, and how many cells ended shown, "moins de 5" and "masqué".
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

import django  # noqa: E402

django.setup()

from programs.advisers.dashboard import BY_EMAIL, HEAD, SURVEY, funnel_table  # noqa: E402
from programs.impact.impact import AGE_BANDS, grouped_table  # noqa: E402
from programs.models import Step, SurveyKind  # noqa: E402


def group_counts(rng: random.Random, n: int) -> dict:
    def part(total):
        return rng.randint(0, total)

    qpv = part(n)
    ages, left = {}, n
    for code, _label in AGE_BANDS[:-1]:
        ages[f"age_{code}"] = part(left)
        left -= ages[f"age_{code}"]
    ages[f"age_{AGE_BANDS[-1][0]}"] = left
    respondents = part(n)
    surveys = {
        SurveyKind.SATISFACTION: {"n": respondents, "satisfied": part(respondents), "job": 0, "training": 0}
    }
    for kind in (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_6):
        answered = part(n)
        job = part(answered)
        surveys[kind] = {"n": answered, "satisfied": 0, "job": job, "training": part(answered - job)}
    return {
        "n": n,
        "women": part(n),
        "qpv": qpv,
        "rural": part(n - qpv),
        "rqth": part(n),
        **ages,
        "steps": {step.value: part(n) for step in Step},
        "surveys": surveys,
    }


def timed(build, repeat: int):
    times, figures = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        figures = build().figures()
        times.append(time.perf_counter() - start)
    return statistics.median(times), Counter(str(f.status) for f in figures.values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, nargs="+", default=[13, 100])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2020)
    for size in args.groups:
        groups = [
            (g, f"Groupe {g}", group_counts(rng, rng.choice([1, 3, 4, 12, 60, 600]))) for g in range(size)
        ]
        seconds, statuses = timed(lambda groups=groups: grouped_table(groups), args.repeat)
        print(f"impact page, {size} groups: {seconds * 1000:.0f} ms  {dict(statuses)}")
    counts = {HEAD: (580, 600, 560), BY_EMAIL: (300, 0, 0), SURVEY: (200, 0, 0)}
    counts |= {step.value: (600 - 90 * step.value + 3, 0, 600 - 90 * step.value) for step in Step}
    seconds, statuses = timed(lambda: funnel_table(counts=counts, emailed=400), args.repeat * 20)
    print(f"adviser funnel (600 people): {seconds * 1000:.2f} ms  {dict(statuses)}")


if __name__ == "__main__":
    main()
