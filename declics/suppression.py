"""Small-group suppression for every table the platform publishes: primary and complementary.

No published figure may let a reader find a group of 1 to 4 people, not even by subtraction.

A table is described as cells (key → count) and the additive relations a reader knows between
them (`Relation(total, parts)`: the total is the sum of the parts: participants = women + others,
a column total = the sum of its groups, …). Some cells are never shown but still count in the
sums (`unpublished`, e.g. "not women"); some are known to the reader from elsewhere (`known`, e.g.
the people an adviser sees one by one) and can be neither hidden nor used to hide another.

`suppress` decides each cell's status:

1. primary: every published count below 5 is SMALL ("moins de 5"), zero included: were zeros
   shown, "moins de 5" would mean 1 to 4, and a table of four groups of one person under a total
   "moins de 5" would give each group away;
2. complementary: a hidden group must not be recoverable. The reader knows each shown figure, that
   a SMALL cell is 0 to 4, that a MASKED cell is at least 5 (masked cells were shown figures) and
   that an unpublished cell is 0 or more. From these bounds and the relations, the range of every
   hidden cell is narrowed (interval propagation); while a hidden cell — a published one of 1 or
   more people, or an unpublished one of 1 to 4 — is left with a single possible value, or a total
   minus its shown parts leaves 1 to 4 people, the smallest shown part of that relation (else its
   total) is MASKED ("masqué"), and all is checked again.

Interval propagation sees what one relation, then chains of relations, give away: exact for
one-way tables and for the sums the platform publishes, which the tests audit against an exact
integer solver (scipy's `milp`) on random figures (`tests/test_suppression.py`,
`tests/programs/impact/test_tables_audit.py`: a new published table gets an audit there). It
does not see every combination of relations: a two-way table whose rows and columns are both
exact sums of bounded cells can pin a cell through a cycle of them; no page publishes one.
"""

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

SMALL_GROUP = 5
INF = math.inf
MAX_PROPAGATION_PASSES = 50


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 to 4 people
    MASKED = "masked"  # hidden so that a small group cannot be found by subtraction (≥ 5)
    UNPUBLISHED = "unpublished"  # never shown, counted in the sums


HIDDEN = (Status.SMALL, Status.MASKED, Status.UNPUBLISHED)


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`, and a reader may know it."""

    total: Hashable
    parts: tuple[Hashable, ...]

    def __init__(self, total, parts):
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "parts", tuple(parts))


def is_small(count: int) -> bool:
    return 0 < count < SMALL_GROUP


def reader_bounds(value: int, status: Status) -> tuple[float, float]:
    """What a reader knows of one cell from its status alone."""
    if status == Status.SHOWN:
        return value, value
    if status == Status.SMALL:
        return 0, SMALL_GROUP - 1
    if status == Status.MASKED:
        return SMALL_GROUP, INF
    return 0, INF


def propagate(
    values: Mapping, statuses: Mapping, relations: list[Relation]
) -> dict[Hashable, tuple[float, float]]:
    """The range of every cell as a reader can narrow it with the relations (a sound
    over-approximation: the true value is always inside; a single value means it is found)."""
    bounds = {key: reader_bounds(values[key], statuses[key]) for key in values}
    for _ in range(MAX_PROPAGATION_PASSES):
        changed = False
        for relation in relations:
            changed |= _narrow(relation, bounds)
        if not changed:
            break
    return bounds


def _narrow(relation: Relation, bounds: dict) -> bool:
    parts = relation.parts
    lo_sum = sum(bounds[p][0] for p in parts)  # lower bounds are finite
    hi_finite = sum(bounds[p][1] for p in parts if bounds[p][1] != INF)
    hi_infinite = sum(1 for p in parts if bounds[p][1] == INF)
    changed = False
    t_lo, t_hi = bounds[relation.total]
    new_t = (max(t_lo, lo_sum), min(t_hi, INF if hi_infinite else hi_finite))
    if new_t != (t_lo, t_hi):
        bounds[relation.total] = new_t
        t_lo, t_hi = new_t
        changed = True
    for part in parts:
        p_lo, p_hi = bounds[part]
        if p_lo == p_hi:
            continue
        others_lo = lo_sum - p_lo
        if p_hi == INF:
            others_hi = INF if hi_infinite > 1 else hi_finite
        else:
            others_hi = INF if hi_infinite else hi_finite - p_hi
        new_lo = max(p_lo, t_lo - others_hi)
        new_hi = min(p_hi, t_hi - others_lo)
        if (new_lo, new_hi) != (p_lo, p_hi):
            bounds[part] = (new_lo, new_hi)
            lo_sum += new_lo - p_lo
            if p_hi == INF and new_hi != INF:
                hi_infinite -= 1
                hi_finite += new_hi
            elif p_hi != INF:
                hi_finite += new_hi - p_hi
            changed = True
    return changed


def known_to_reader(values: Mapping, relations: Iterable[Relation], known: Collection) -> set:
    """The cells whose people the reader already knows one by one: the `known` cells, the empty
    ones, and, in a relation, the last cell once all the others are such cells (so the funnel of
    an adviser whose people all share their progress gives nobody away)."""
    relations = list(relations)
    result = set(known) | {key for key, value in values.items() if value == 0}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [key for key in (relation.total, *relation.parts) if key not in result]
            if len(unknown) == 1:
                result.add(unknown[0])
                changed = True
    return result


def is_protected(value: int, status: Status, *, known: bool = False) -> bool:
    """Whether a hidden cell must keep more than one possible value: a published one that holds
    someone the reader does not already know, an unpublished one of 1 to 4 people (a hidden zero
    may be found: it is nobody)."""
    if known:
        return False
    if status in (Status.SMALL, Status.MASKED):
        return value > 0
    return status == Status.UNPUBLISHED and is_small(value)


def is_pinned(low: float, high: float) -> bool:
    """Whether a range holds a single whole number (or none)."""
    return high != INF and math.floor(high) - math.ceil(low) < 1


def suppress(
    values: Mapping[Hashable, int],
    relations: Iterable[Relation],
    *,
    unpublished: Collection[Hashable] = (),
    known: Collection[Hashable] = (),
) -> dict[Hashable, Status]:
    """Each cell's status (see the module's docstring). `values` holds every cell of `relations`."""
    relations = list(relations)
    unpublished, known = set(unpublished), set(known)
    statuses = {}
    for key, value in values.items():
        if key in unpublished:
            statuses[key] = Status.UNPUBLISHED
        elif key not in known and value < SMALL_GROUP:
            statuses[key] = Status.SMALL
        else:
            statuses[key] = Status.SHOWN
    by_cell: dict[Hashable, list[Relation]] = {}
    for relation in relations:
        for key in (relation.total, *relation.parts):
            by_cell.setdefault(key, []).append(relation)

    seen = known_to_reader(values, relations, known)

    def protected(key) -> bool:
        return is_protected(values[key], statuses[key], known=key in seen)

    def maskable(key) -> bool:
        # Masking a figure the reader can work out from the people they know would hide nothing.
        return statuses[key] == Status.SHOWN and values[key] > 0 and key not in seen

    def complement(relation: Relation):
        """The cell to mask so that `relation` hides more: its smallest shown non-zero part, else
        its total."""
        candidates = [p for p in relation.parts if maskable(p)]
        if candidates:
            return min(candidates, key=lambda p: values[p])  # the first of equals: stable
        return relation.total if maskable(relation.total) else None

    while True:
        bounds = propagate(values, statuses, relations)
        to_mask = set()
        for relation in relations:
            if statuses[relation.total] != Status.SHOWN:
                continue
            hidden = [p for p in relation.parts if statuses[p] != Status.SHOWN]
            rest = sum(values[p] for p in hidden)
            # The hidden parts, together, would be a small group (one the reader does not know).
            small = is_small(rest) and not all(p in seen for p in hidden)
            if small and (cell := complement(relation)) is not None:
                to_mask.add(cell)
        for key in values:
            if not (protected(key) and is_pinned(*bounds[key])):
                continue
            around = sorted(by_cell.get(key, ()), key=lambda r: r.total == key)  # where it is a part first
            if any(cell in to_mask for r in around for cell in (r.total, *r.parts)):
                continue  # a relation around it already changes: check again after
            cell = next((c for r in around if (c := complement(r)) is not None), None)
            if cell is not None:
                to_mask.add(cell)
        if not to_mask:
            return statuses
        for cell in to_mask:
            statuses[cell] = Status.MASKED
