"""Server-rendered SVG line charts of a key result's check-ins: no JavaScript library, no inline
style (the CSP forbids it); the template draws the numbers computed here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import CheckIn, Cycle, KeyResult

WIDTH = 320
HEIGHT = 120
PAD_X = 8
PAD_Y = 12


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    target_y: float
    baseline_y: float | None
    target_label: str
    summary: str  # the text alternative

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _x(day: date, cycle: Cycle) -> float:
    span = max(1, (cycle.ends_on - cycle.starts_on).days)
    share = min(1.0, max(0.0, (day - cycle.starts_on).days / span))
    return PAD_X + share * (WIDTH - 2 * PAD_X)


def check_in_chart(kr: KeyResult, cycle: Cycle, history: Sequence[CheckIn]) -> Chart | None:
    """`history` oldest first. Metric key results plot values against their target; the others
    plot progress against 1.0."""
    if not history:
        return None
    metric = kr.kr_type == KeyResult.KRType.METRIC and kr.target is not None
    values: list[Decimal] = [
        (c.value if c.value is not None else Decimal(0)) if metric else c.progress for c in history
    ]
    target = kr.target if metric and kr.target is not None else Decimal(1)
    baseline = (kr.baseline if kr.baseline is not None else None) if metric else Decimal(0)
    bounds = [*values, target] + ([baseline] if baseline is not None else [])
    low, high = min(bounds), max(bounds)
    if low == high:
        high = low + 1

    def y(v: Decimal) -> float:
        share = float((v - low) / (high - low))
        return HEIGHT - PAD_Y - share * (HEIGHT - 2 * PAD_Y)

    points = [
        Point(_x(c.created_at.date(), cycle), y(v), f"{c.created_at:%d %b}: {v.normalize():f}")
        for c, v in zip(history, values, strict=True)
    ]
    last = values[-1].normalize()
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        target_y=y(target),
        baseline_y=y(baseline) if baseline is not None else None,
        target_label=f"{target.normalize():f}",
        summary=f"{len(points)} check-ins; latest {last:f}, target {target.normalize():f}",
    )
