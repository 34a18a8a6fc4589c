"""Progress and score arithmetic: pure functions on Decimals, no database.

A key result's progress is the share of the way from its baseline to its target, clamped to
[0, 1]; the unclamped figure is kept as `raw` so overachievement (1.3) and regression (-0.2)
remain visible. An objective's progress is the weighted average of its parts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

ZERO = Decimal("0")
ONE = Decimal("1")
_PLACES = Decimal("0.0001")
_RAW_LIMIT = Decimal("99999999")

# Ordinal key results: reaching the commit level is half the way, the target is the whole way,
# the stretch level is recorded as overachievement.
ORDINAL_PROGRESS: Mapping[int, Decimal] = {
    0: ZERO,
    1: Decimal("0.5"),
    2: ONE,
    3: Decimal("1.5"),
}

# What counts as "met" when grading: committed objectives are promises (1.0 expected);
# aspirational ones are set so that 0.7 is already a good outcome.
MET_THRESHOLD: Mapping[str, Decimal] = {
    "committed": ONE,
    "aspirational": Decimal("0.7"),
}

Band = Literal["red", "yellow", "green"]


@dataclass(frozen=True)
class KRProgress:
    progress: Decimal  # clamped to [0, 1]
    raw: Decimal  # unclamped


def quantize(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = ONE) -> Decimal:
    return max(low, min(high, value))


def _from_raw(raw: Decimal) -> KRProgress:
    raw = quantize(clamp(raw, -_RAW_LIMIT, _RAW_LIMIT))
    return KRProgress(progress=clamp(raw), raw=raw)


def metric_progress(
    *, baseline: Decimal | None, target: Decimal | None, current: Decimal | None
) -> KRProgress:
    """Share of the way from baseline to target. The direction follows from the numbers: a
    decrease from 40 to 10 standing at 25 is halfway (0.5). A missing baseline counts as 0; a
    missing target or current value as no progress."""
    if target is None or current is None:
        return KRProgress(ZERO, ZERO)
    start = baseline if baseline is not None else ZERO
    span = target - start
    if span == 0:
        return _from_raw(ONE if current == target else ZERO)
    return _from_raw((current - start) / span)


def milestone_progress(*, done: bool) -> KRProgress:
    return KRProgress(ONE, ONE) if done else KRProgress(ZERO, ZERO)


def ordinal_progress(*, level: int) -> KRProgress:
    return _from_raw(ORDINAL_PROGRESS.get(level, ZERO))


def key_result_progress(
    *,
    kr_type: str,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    current: Decimal | None = None,
    milestone_done: bool = False,
    ordinal_level: int = 0,
) -> KRProgress:
    if kr_type == "milestone":
        return milestone_progress(done=milestone_done)
    if kr_type == "ordinal":
        return ordinal_progress(level=ordinal_level)
    return metric_progress(baseline=baseline, target=target, current=current)


def weighted_average(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """(weight, value) pairs → their weighted mean; no parts (or zero total weight) → 0."""
    total_weight = ZERO
    total = ZERO
    for weight, value in parts:
        total_weight += weight
        total += weight * value
    if total_weight <= 0:
        return ZERO
    return quantize(clamp(total / total_weight))


def objective_progress(
    *,
    key_results: Sequence[tuple[Decimal, Decimal]],
    children: Sequence[tuple[Decimal, Decimal]] = (),
    links: Sequence[tuple[Decimal, Decimal]] = (),
    include_children: bool = False,
) -> Decimal:
    """Weighted average of the objective's own key results, the key results of other teams
    linked to it, and (when the organisation says so) its aligned child objectives."""
    parts = [*key_results, *links]
    if include_children:
        parts.extend(children)
    return weighted_average(parts)


def score_band(score: Decimal | None) -> Band | None:
    """Red 0.0–0.3, yellow 0.4–0.6, green 0.7–1.0, after rounding to one decimal."""
    if score is None:
        return None
    tenths = score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if tenths <= Decimal("0.3"):
        return "red"
    if tenths <= Decimal("0.6"):
        return "yellow"
    return "green"


def is_met(*, objective_type: str, score: Decimal) -> bool:
    return score >= MET_THRESHOLD.get(objective_type, ONE)


def confidence_band(confidence: int | None) -> Band | None:
    """Confidence out of 10 in the same colours: 0–3 red, 4–6 yellow, 7–10 green."""
    if confidence is None:
        return None
    return score_band(Decimal(confidence) / 10)


def default_score(progress: Decimal) -> Decimal:
    """A key result's grade starts as its final progress, to two decimals."""
    return clamp(progress).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ObjectiveNode:
    """What the roll-up needs to know about one objective."""

    pk: int
    parent_id: int | None
    weight: Decimal
    counts_in_parent: bool = True


def rollup(
    *,
    nodes: Sequence[ObjectiveNode],
    kr_parts: Mapping[int, Sequence[tuple[Decimal, Decimal]]],
    link_parts: Mapping[int, Sequence[tuple[Decimal, Decimal]]],
    outside_children: Mapping[int, Sequence[tuple[Decimal, Decimal]]],
    include_children: bool,
) -> dict[int, Decimal]:
    """Progress of every node, children before parents.

    `nodes` must be closed under "parent of" for the parents that need recomputing: a node's
    children inside `nodes` contribute their freshly computed progress, children outside it
    (siblings that did not change) contribute their stored progress via `outside_children`."""
    by_id = {n.pk: n for n in nodes}
    inside_children: dict[int, list[int]] = {}
    for n in nodes:
        if n.parent_id in by_id:
            inside_children.setdefault(n.parent_id, []).append(n.pk)
    result: dict[int, Decimal] = {}
    # Iterative post-order: never recursion, so a deep tree cannot overflow the stack.
    for root in [n.pk for n in nodes if n.parent_id not in by_id]:
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            pk, expanded = stack.pop()
            if pk in result:
                continue
            if not expanded:
                stack.append((pk, True))
                stack.extend((c, False) for c in inside_children.get(pk, []) if c not in result)
                continue
            children = list(outside_children.get(pk, ()))
            children.extend(
                (by_id[c].weight, result[c])
                for c in inside_children.get(pk, [])
                if by_id[c].counts_in_parent
            )
            result[pk] = objective_progress(
                key_results=kr_parts.get(pk, ()),
                links=link_parts.get(pk, ()),
                children=children,
                include_children=include_children,
            )
    return result
