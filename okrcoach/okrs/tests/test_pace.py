"""The pace-aware status rules and the forecast on known series (okrs/pace.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from okrcoach.okrs.pace import expected_progress, forecast, pace_status, worst

START = date(2026, 1, 1)
END = START + timedelta(days=91)  # 13 weeks


def status_at(day: int, progress: str, confidence: int | None, last: int | None) -> str:
    today = START + timedelta(days=day)
    return pace_status(
        progress=Decimal(progress),
        confidence=confidence,
        last_check_in=today - timedelta(days=last) if last is not None else None,
        starts_on=START,
        ends_on=END,
        today=today,
    ).status


def test_expected_progress_is_the_elapsed_share_of_the_cycle():
    assert expected_progress(starts_on=START, ends_on=END, today=START) == 0
    assert expected_progress(starts_on=START, ends_on=END, today=START + timedelta(days=91)) == 1
    assert expected_progress(starts_on=START, ends_on=END, today=END + timedelta(days=5)) == 1


def test_twenty_percent_in_week_three_is_on_pace_not_red():
    assert status_at(day=16, progress="0.20", confidence=7, last=3) == "on_track"


def test_behind_by_more_than_ten_points_is_at_risk_and_more_than_twenty_five_off_track():
    # Day 56 of 91: expected 0.615.
    assert status_at(56, "0.60", 8, 2) == "on_track"
    assert status_at(56, "0.45", 8, 2) == "at_risk"
    assert status_at(56, "0.30", 8, 2) == "off_track"


def test_low_confidence_downgrades_a_key_result_on_pace():
    assert status_at(56, "0.70", 5, 2) == "at_risk"
    assert status_at(56, "0.70", 3, 2) == "off_track"


def test_stale_check_in_is_at_risk_and_off_track_when_also_behind():
    assert status_at(56, "0.70", 8, 15) == "at_risk"
    assert status_at(56, "0.45", 8, 15) == "off_track"
    # Never checked in: stale once the cycle is two weeks old, not before.
    assert status_at(10, "0.05", None, None) == "on_track"
    assert status_at(20, "0.25", None, None) == "at_risk"


def test_the_reason_states_progress_week_expected_confidence_and_freshness():
    pace = pace_status(
        progress=Decimal("0.45"),
        confidence=4,
        last_check_in=START + timedelta(days=36),
        starts_on=START,
        ends_on=END,
        today=START + timedelta(days=56),
    )
    assert pace.reason == (
        "45% at week 9 of 13, expected 62%; confidence 4/10; last check-in 20 days ago"
    )
    assert pace.label == "Off track"


def test_worst_status():
    assert worst(["on_track", "off_track", "at_risk"]) == "off_track"
    assert worst([]) is None


def test_forecast_of_a_straight_line_lands_on_the_line_with_no_band():
    points = [(START + timedelta(days=7 * w), 100 + 10 * w) for w in range(4)]
    f = forecast(points, ends_on=START + timedelta(days=91))
    assert f is not None
    assert f.value == pytest.approx(100 + 10 * 13)
    assert f.low == pytest.approx(f.value)
    assert f.high == pytest.approx(f.value)


def test_forecast_of_a_noisy_series_has_a_band_around_the_trend():
    # y = 2x + noise (+1, -1, +1, -1): values 1, 19, 41, 59 on days 0, 10, 20, 30.
    days = [0, 10, 20, 30]
    noise = [1, -1, 1, -1]
    points = [(START + timedelta(days=d), 2 * d + e) for d, e in zip(days, noise, strict=True)]
    f = forecast(points, ends_on=START + timedelta(days=40))
    assert f is not None
    # Least squares: slope = 1.96, intercept = 0.6 → at day 40: 79.0
    assert f.value == pytest.approx(79.0)
    assert f.low < f.value < f.high
    assert f.high - f.value == pytest.approx(f.value - f.low)


def test_no_forecast_below_three_check_ins():
    points = [(START, 1.0), (START + timedelta(days=7), 2.0)]
    assert forecast(points, ends_on=END) is None
