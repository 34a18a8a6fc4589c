"""Pace-aware status and forecasts: pure functions, no database.

During an active cycle a key result is judged against the progress expected at this point of the
cycle (a straight line from 0 at the start to 1 at the end), its latest confidence and how fresh
its last check-in is. Grading bands (progress.score_band) stay for grading: 20% in week 3 of 13 is
on pace, not red.

A forecast projects a metric key result's value to the end of the cycle with a least-squares line
through its check-ins, and an 80% prediction band around it; below MIN_CHECK_INS there is none."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

Status = Literal["on_track", "at_risk", "off_track"]
STATUSES: tuple[Status, ...] = ("on_track", "at_risk", "off_track")

# Behind the expected progress by more than this many points of progress (0–1 scale): at risk / off
# track.
AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.25
# Confidence out of 10 at or below these: at risk / off track.
AT_RISK_CONFIDENCE = 6
OFF_TRACK_CONFIDENCE = 3
# A key result whose last check-in is older than this (or that never had one once the cycle is
# this old) is stale: at risk on its own, off track when also behind.
STALE_AFTER_DAYS = 14
MIN_CHECK_INS = 3


@dataclass(frozen=True)
class Pace:
    status: Status
    progress: float
    expected: float
    week: int
    weeks: int
    confidence: int | None
    stale: bool
    days_since_check_in: int | None

    @property
    def label(self) -> str:
        return {
            "on_track": _("On track"),
            "at_risk": _("At risk"),
            "off_track": _("Off track"),
        }[self.status]

    @property
    def band(self) -> str:
        return {"on_track": "green", "at_risk": "yellow", "off_track": "red"}[self.status]

    @property
    def reason(self) -> str:
        """ "45% at week 8 of 13, expected 62%; confidence 4/10; last check-in 20 days ago"."""
        parts = [
            _("%(p)d%% at week %(w)d of %(n)d, expected %(e)d%%")
            % {
                "p": round(self.progress * 100),
                "w": self.week,
                "n": self.weeks,
                "e": round(self.expected * 100),
            }
        ]
        if self.confidence is not None:
            parts.append(_("confidence %(c)d/10") % {"c": self.confidence})
        if self.days_since_check_in is None:
            if self.stale:
                parts.append(_("no check-in yet"))
        elif self.stale:
            parts.append(_("last check-in %(d)d days ago") % {"d": self.days_since_check_in})
        return "; ".join(parts)


def expected_progress(*, starts_on: date, ends_on: date, today: date) -> float:
    """The share of the cycle elapsed, clamped to [0, 1]."""
    span = max(1, (ends_on - starts_on).days)
    return min(1.0, max(0.0, (today - starts_on).days / span))


def _weeks(starts_on: date, ends_on: date, today: date) -> tuple[int, int]:
    weeks = max(1, math.ceil((ends_on - starts_on).days / 7))
    week = min(weeks, max(1, (today - starts_on).days // 7 + 1))
    return week, weeks


def pace_status(
    *,
    progress: Decimal | float,
    confidence: int | None,
    last_check_in: date | datetime | None,
    starts_on: date,
    ends_on: date,
    today: date,
) -> Pace:
    """The status rules (tests pin them):
    - off track: more than 25 points behind the expected progress, or confidence 0–3, or stale and
      more than 10 points behind;
    - at risk: more than 10 points behind, or confidence 4–6, or stale (no check-in for 14 days,
      or none at all once the cycle is 14 days old);
    - on track otherwise."""
    value = float(progress)
    expected = expected_progress(starts_on=starts_on, ends_on=ends_on, today=today)
    week, weeks = _weeks(starts_on, ends_on, today)
    last = last_check_in.date() if isinstance(last_check_in, datetime) else last_check_in
    days = (today - last).days if last is not None else None
    stale = (
        days > STALE_AFTER_DAYS if days is not None else (today - starts_on).days > STALE_AFTER_DAYS
    )
    gap = expected - value
    status: Status
    if (
        gap > OFF_TRACK_GAP
        or (confidence is not None and confidence <= OFF_TRACK_CONFIDENCE)
        or (stale and gap > AT_RISK_GAP)
    ):
        status = "off_track"
    elif (
        gap > AT_RISK_GAP or (confidence is not None and confidence <= AT_RISK_CONFIDENCE) or stale
    ):
        status = "at_risk"
    else:
        status = "on_track"
    return Pace(status, value, expected, week, weeks, confidence, stale, days)


def worst(statuses: Sequence[Status]) -> Status | None:
    if not statuses:
        return None
    return max(statuses, key=STATUSES.index)


# One-sided 90% quantiles of Student's t (an 80% two-sided band) by degrees of freedom.
_T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397}
_T80_LARGE = 1.282


def _t80(df: int) -> float:
    if df in _T80:
        return _T80[df]
    if df <= 12:
        return 1.36
    if df <= 30:
        return 1.32
    return _T80_LARGE


@dataclass(frozen=True)
class Forecast:
    value: float  # expected value at the end of the cycle
    low: float  # 80% prediction band
    high: float
    check_ins: int


def forecast(points: Sequence[tuple[date, float]], *, ends_on: date) -> Forecast | None:
    """Least-squares line through (day, value) points, projected to `ends_on`, with an 80%
    prediction interval. None below MIN_CHECK_INS points or when every point falls on one day."""
    if len(points) < MIN_CHECK_INS:
        return None
    origin = min(d for d, _v in points)
    xs = [float((d - origin).days) for d, _v in points]
    ys = [float(v) for _d, v in points]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    x0 = float((ends_on - origin).days)
    value = intercept + slope * x0
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    df = n - 2
    s = math.sqrt(sum(r * r for r in residuals) / df) if df > 0 else 0.0
    half = _t80(df) * s * math.sqrt(1 + 1 / n + (x0 - mx) ** 2 / sxx) if df > 0 else 0.0
    return Forecast(value=value, low=value - half, high=value + half, check_ins=n)
