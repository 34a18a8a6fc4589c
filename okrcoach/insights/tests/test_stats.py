"""The estimators against worked examples whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from okrcoach.insights.stats import (
    CalibrationBin,
    Observation,
    brier,
    calibration,
    staggered_did,
)


def test_brier_of_perfect_and_coin_toss_forecasts():
    assert brier([(1.0, 1), (0.0, 0)]) == 0
    assert brier([(0.5, 1), (0.5, 0)]) == pytest.approx(0.25)
    assert brier([]) is None


def test_calibration_score_from_binned_counts_matches_the_pairwise_brier():
    # Four forecasts at 8/10: 3 finished ≥ 0.7, one did not; two at 3/10: neither finished.
    pairs = [(0.8, 1), (0.8, 1), (0.8, 1), (0.8, 0), (0.3, 0), (0.3, 0)]
    result = calibration(
        [
            CalibrationBin(8, 2, 2, 1.6),
            CalibrationBin(8, 2, 1, 1.2),  # same confidence, merged
            CalibrationBin(3, 2, 0, 0.4),
        ]
    )
    # By hand: 3×0.04 + 1×0.64 + 2×0.09 = 0.94 over 6 = 0.156666…
    assert result.brier == pytest.approx(0.94 / 6)
    assert result.brier == pytest.approx(brier(pairs))
    assert [b.confidence for b in result.bins] == [3, 8]
    eight = result.bins[1]
    assert (eight.n, eight.successes, eight.observed, eight.mean_score) == (4, 3, 0.75, 0.7)


def test_calibration_of_nothing_has_no_score():
    assert calibration([]).brier is None


def _panel(effect: float, noise: float = 0.0, seed: int = 1) -> list[Observation]:
    """12 managers over 5 cycles: unit and cycle effects, certification in cycle 1, 2 or 3 for
    three cohorts of 3, three never certified; the outcome rises by `effect` once certified."""
    rng = np.random.default_rng(seed)
    cohorts = [1, 1, 1, 2, 2, 2, 3, 3, 3, None, None, None]
    cycle_effect = [0.0, 0.05, -0.02, 0.08, 0.03]
    out = []
    for unit, first in enumerate(cohorts):
        base = 0.3 + 0.04 * unit
        for period in range(5):
            treated = first is not None and period >= first
            value = base + cycle_effect[period] + (effect if treated else 0.0)
            value += float(rng.normal(0, noise)) if noise else 0.0
            out.append(Observation(unit, period, value, first))
    return out


def test_did_recovers_a_known_effect_exactly_without_noise():
    result = staggered_did(_panel(effect=0.2), samples=50)
    assert result.enough
    assert result.estimate == pytest.approx(0.2)
    assert result.low == pytest.approx(0.2)
    assert result.high == pytest.approx(0.2)
    assert (result.treated_units, result.comparison_units, result.periods) == (9, 3, 5)


def test_did_interval_covers_the_known_effect_with_noise():
    result = staggered_did(_panel(effect=0.2, noise=0.03), samples=300)
    assert result.enough
    assert result.low is not None and result.high is not None
    assert result.low < 0.2 < result.high
    assert result.estimate == pytest.approx(0.2, abs=0.05)


def test_did_finds_no_effect_when_there_is_none():
    result = staggered_did(_panel(effect=0.0, noise=0.03), samples=300)
    assert result.low is not None and result.high is not None
    assert result.low < 0 < result.high


def test_did_says_what_is_missing():
    obs = [Observation(1, 0, 0.5, 1), Observation(1, 1, 0.6, 1), Observation(2, 0, 0.4, None)]
    result = staggered_did(obs)
    assert not result.enough
    assert result.estimate is None
    assert any("past cycles" in m for m in result.missing)
    assert any("managers certified" in m for m in result.missing)
