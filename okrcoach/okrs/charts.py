"""Server-rendered SVG line charts of a key result's check-ins: no JavaScript library, no inline
style (the CSP forbids it); the template draws the numbers computed here.

The chart spans the whole cycle: date ticks along the bottom, a value axis in the key result's
unit on the left, the target, the expected pace (a straight line from the baseline at the start
to the target at the end), the check-ins, today, and the forecast band to the end of the cycle.
Its text alternative (`summary`, `description`, `rows`) says the same in words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Cycle, KeyResult
from .pace import MIN_CHECK_INS, Forecast, forecast

WIDTH = 480
HEIGHT = 240
LEFT = 56  # room for the value labels
RIGHT = 14
TOP = 14
BOTTOM = 40  # room for the date labels and the axis title
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


class Plotted(Protocol):
    """What the chart reads of a check-in: a CheckIn, or the objective page's ChartPoint (three
    columns, no model instance)."""

    @property
    def created_at(self) -> datetime: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def progress(self) -> Decimal: ...


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    at: float  # x for date ticks, y for value ticks
    label: str


@dataclass(frozen=True)
class Row:
    """One check-in in the text alternative."""

    day: date
    value: str
    expected: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    target_y: float
    baseline_y: float | None
    target_label: str
    summary: str  # one line: the <title>
    # The forecast to the end of the cycle: a dashed line from the last check-in and its band.
    forecast: Forecast | None = None
    forecast_line: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2
    forecast_band: str = ""  # polygon points
    forecast_note: str = ""
    # Axes and guides.
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    unit: str = ""  # the value axis's title
    pace_line: tuple[float, float, float, float] | None = None  # expected pace: start → end
    today_x: float | None = None
    description: str = ""  # the text alternative, in sentences
    rows: list[Row] = field(default_factory=list)  # ... and as a table

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def unit_y(self) -> float:
        return (self.top + self.bottom) / 2


def _x(day: date, cycle: Cycle) -> float:
    span = max(1, (cycle.ends_on - cycle.starts_on).days)
    share = min(1.0, max(0.0, (day - cycle.starts_on).days / span))
    return LEFT + share * PLOT_W


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _format(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _date_ticks(cycle: Cycle) -> list[Tick]:
    """The first of each month inside the cycle (every other month in a long cycle), and the
    start when it is not a first of the month."""
    span = (cycle.ends_on - cycle.starts_on).days
    every = 1 if span <= 200 else 2 if span <= 400 else 3
    ticks = [Tick(_x(cycle.starts_on, cycle), date_format(cycle.starts_on, "j M"))]
    day = (cycle.starts_on.replace(day=1) + timedelta(days=32)).replace(day=1)
    n = 0
    while day <= cycle.ends_on:
        if n % every == 0 and (day - cycle.starts_on).days >= span / 12:
            ticks.append(Tick(_x(day, cycle), date_format(day, "j M")))
        n += 1
        day = (day + timedelta(days=32)).replace(day=1)
    return ticks


def _unit(kr: KeyResult, metric: bool) -> str:
    if not metric:
        return _("progress, %")
    if kr.unit_kind == KeyResult.UnitKind.PERCENT:
        return "%"
    return kr.unit_label or kr.get_unit_kind_display().lower()


def check_in_chart(
    kr: KeyResult, cycle: Cycle, history: Sequence[Plotted], today: date | None = None
) -> Chart | None:
    """`history` oldest first. Metric key results plot values against their target; the others
    plot progress (in %) against 100%."""
    if not history:
        return None
    today = today or timezone.localdate()
    metric = kr.kr_type == KeyResult.KRType.METRIC and kr.target is not None
    scale = 1.0 if metric else 100.0
    values = [
        float((c.value if c.value is not None else Decimal(0)) if metric else c.progress) * scale
        for c in history
    ]
    target = float(kr.target) if metric and kr.target is not None else 100.0
    baseline: float | None = (
        (float(kr.baseline) if kr.baseline is not None else None) if metric else 0.0
    )
    projection = (
        forecast(
            [(c.created_at.date(), v) for c, v in zip(history, values, strict=True)],
            ends_on=cycle.ends_on,
        )
        if metric
        else None
    )
    bounds = [*values, target] + ([baseline] if baseline is not None else [])
    low, high = min(bounds), max(bounds)
    if projection is not None:
        # The band may widen the axis, but not beyond a fifth of the data's own span.
        extra = (high - low) * 0.2 or 1.0
        low = min(low, max(low - extra, projection.low))
        high = max(high, min(high + extra, projection.high))
    if low == high:
        high = low + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step

    def y(v: float) -> float:
        v = min(high, max(low, v))
        return TOP + PLOT_H - (v - low) / (high - low) * PLOT_H

    y_ticks = []
    n = 0
    while low + n * step <= high + step / 1000:
        value = low + n * step
        y_ticks.append(Tick(y(value), _format(value)))
        n += 1
    unit = _unit(kr, metric)
    points = [
        Point(
            _x(c.created_at.date(), cycle),
            y(v),
            f"{date_format(c.created_at.date(), 'j M')}: {_format(v)} {unit}",
        )
        for c, v in zip(history, values, strict=True)
    ]
    start = baseline if baseline is not None else values[0]
    span_days = max(1, (cycle.ends_on - cycle.starts_on).days)

    def expected_at(day: date) -> float:
        share = min(1.0, max(0.0, (day - cycle.starts_on).days / span_days))
        return start + (target - start) * share

    pace_line = (float(LEFT), y(start), float(LEFT + PLOT_W), y(target))
    line: tuple[float, float, float, float] | None = None
    band = ""
    note = ""
    if projection is not None:
        end_x = _x(cycle.ends_on, cycle)
        last_point = points[-1]
        line = (last_point.x, last_point.y, end_x, y(projection.value))
        band = (
            f"{last_point.x:.1f},{last_point.y:.1f} {end_x:.1f},{y(projection.high):.1f} "
            f"{end_x:.1f},{y(projection.low):.1f}"
        )
        note = (
            f"; forecast {projection.value:,.1f} ({projection.low:,.1f} to {projection.high:,.1f})"
        )
    elif metric:
        note = f"; not enough check-ins yet for a forecast (needs {MIN_CHECK_INS})"
    last = values[-1]
    last_day = history[-1].created_at.date()
    description = _(
        "%(n)d check-ins from %(first)s to %(last_day)s. Latest %(last)s %(unit)s on %(last_day)s, "
        "where the expected pace (from %(start)s at the start to the target %(target)s at the "
        "end, %(end)s) was %(expected)s."
    ) % {
        "n": len(points),
        "first": date_format(history[0].created_at.date(), "j M"),
        "last_day": date_format(last_day, "j M"),
        "last": _format(last),
        "unit": unit,
        "start": _format(start),
        "target": _format(target),
        "end": date_format(cycle.ends_on, "j M Y"),
        "expected": _format(round(expected_at(last_day), 1)),
    }
    if projection is not None:
        description += " " + _(
            "Forecast at the end of the cycle: %(v)s (80%% band %(lo)s to %(hi)s)."
        ) % {
            "v": _format(round(projection.value, 1)),
            "lo": _format(round(projection.low, 1)),
            "hi": _format(round(projection.high, 1)),
        }
    rows = [
        Row(c.created_at.date(), _format(v), _format(round(expected_at(c.created_at.date()), 1)))
        for c, v in zip(history, values, strict=True)
    ]
    today_x = _x(today, cycle) if cycle.starts_on <= today <= cycle.ends_on else None
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        target_y=y(target),
        baseline_y=y(baseline) if baseline is not None else None,
        target_label=_format(target),
        summary=f"{len(points)} check-ins; latest {_format(last)}, target {_format(target)}{note}",
        forecast=projection,
        forecast_line=line,
        forecast_band=band,
        forecast_note=note.lstrip("; "),
        x_ticks=_date_ticks(cycle),
        y_ticks=y_ticks,
        unit=unit,
        pace_line=pace_line,
        today_x=today_x,
        description=description,
        rows=rows,
    )
