"""Server-rendered SVG line charts of a key result's check-ins: no JavaScript library, no inline
style (the CSP forbids it); the template draws the numbers computed here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import CheckIn, Cycle, KeyResult
from .pace import MIN_CHECK_INS, Forecast, forecast

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
    # The forecast to the end of the cycle: a dashed line from the last check-in and its band.
    forecast: Forecast | None = None
    forecast_line: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2
    forecast_band: str = ""  # polygon points
    forecast_note: str = ""

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
    projection = (
        forecast(
            [(c.created_at.date(), float(v)) for c, v in zip(history, values, strict=True)],
            ends_on=cycle.ends_on,
        )
        if metric
        else None
    )
    line: tuple[float, float, float, float] | None = None
    band = ""
    note = ""
    if projection is not None:
        low_f, high_f = float(low), float(high)
        span = high_f - low_f

        def fy(v: float) -> float:
            v = min(high_f + span * 0.2, max(low_f - span * 0.2, v))
            return HEIGHT - PAD_Y - (v - low_f) / span * (HEIGHT - 2 * PAD_Y)

        end_x = _x(cycle.ends_on, cycle)
        last_point = points[-1]
        line = (last_point.x, last_point.y, end_x, fy(projection.value))
        band = (
            f"{last_point.x:.1f},{last_point.y:.1f} {end_x:.1f},{fy(projection.high):.1f} "
            f"{end_x:.1f},{fy(projection.low):.1f}"
        )
        note = (
            f"; forecast {projection.value:,.1f} ({projection.low:,.1f} to {projection.high:,.1f})"
        )
    elif metric:
        note = f"; not enough check-ins yet for a forecast (needs {MIN_CHECK_INS})"
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        target_y=y(target),
        baseline_y=y(baseline) if baseline is not None else None,
        target_label=f"{target.normalize():f}",
        summary=f"{len(points)} check-ins; latest {last:f}, target {target.normalize():f}{note}",
        forecast=projection,
        forecast_line=line,
        forecast_band=band,
        forecast_note=note.lstrip("; "),
    )
