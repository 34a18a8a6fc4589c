"""The statistics behind insights: pure functions on numbers (numpy), no database.

- Calibration: how well confidence (0–10, read as a probability /10 of finishing at or above
  SUCCESS_SCORE) predicted the final grade. The Brier score is the mean squared difference
  between the stated probability and the outcome (0 is perfect, 0.25 is a coin toss at 5/10).
- Training impact: a staggered difference-in-differences. Each manager is a unit, each
  past cycle a period; a manager counts as treated from the first cycle that starts after their
  certificate. For every cohort g (managers first treated in period g) and every later period t,
  the change in the outcome from g-1 to t of the cohort is compared with the same change among
  managers not yet treated at t (never-treated included): ATT(g, t). The estimate is their
  average weighted by the number of treated managers, the interval a percentile bootstrap that
  resamples managers (the clusters) with replacement. This avoids the bias of a two-way
  fixed-effects regression when effects differ between cohorts (Callaway & Sant'Anna, 2021, in
  its simplest form)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SUCCESS_SCORE = 0.7
BOOTSTRAP_SAMPLES = 999
SEED = 20261202

# Below these the training-impact page says "not enough data yet" and what is missing.
MIN_PERIODS = 3
MIN_TREATED = 3
MIN_COMPARISON = 2


@dataclass(frozen=True)
class CalibrationBin:
    confidence: int  # 0–10
    n: int
    successes: int
    score_sum: float

    @property
    def predicted(self) -> float:
        return self.confidence / 10

    @property
    def observed(self) -> float:
        return self.successes / self.n if self.n else 0.0

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.n if self.n else 0.0


@dataclass(frozen=True)
class Calibration:
    bins: list[CalibrationBin]  # only confidences that occurred, ascending
    n: int
    brier: float | None

    @property
    def is_empty(self) -> bool:
        return self.n == 0


def calibration(bins: Iterable[CalibrationBin]) -> Calibration:
    """Merge bins of the same confidence and compute the Brier score from the counts:
    a bin of n forecasts p with k successes contributes k(1-p)^2 + (n-k)p^2."""
    merged: dict[int, list[float]] = {}
    for b in bins:
        m = merged.setdefault(b.confidence, [0, 0, 0.0])
        m[0] += b.n
        m[1] += b.successes
        m[2] += b.score_sum
    out = [CalibrationBin(c, int(v[0]), int(v[1]), float(v[2])) for c, v in sorted(merged.items())]
    n = sum(b.n for b in out)
    if n == 0:
        return Calibration(out, 0, None)
    total = sum(
        b.successes * (1 - b.predicted) ** 2 + (b.n - b.successes) * b.predicted**2 for b in out
    )
    return Calibration(out, n, total / n)


def brier(pairs: Iterable[tuple[float, int]]) -> float | None:
    """Mean of (p - outcome)^2 over (probability, 0/1 outcome) pairs."""
    arr = np.array(list(pairs), dtype=float)
    if arr.size == 0:
        return None
    return float(np.mean((arr[:, 0] - arr[:, 1]) ** 2))


@dataclass(frozen=True)
class Observation:
    unit: int  # the manager
    period: int  # index of the cycle, oldest first
    value: float
    first_treated: int | None  # period index of the first treated cycle, None = never


@dataclass(frozen=True)
class DidResult:
    estimate: float | None
    low: float | None
    high: float | None
    treated_units: int
    comparison_units: int
    periods: int
    cells: int  # ATT(g, t) cells averaged
    missing: list[str] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.estimate is not None and not self.missing


def _panel(
    observations: Sequence[Observation],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    units = sorted({o.unit for o in observations})
    index = {u: i for i, u in enumerate(units)}
    periods = max(o.period for o in observations) + 1
    y = np.full((len(units), periods), np.nan)
    g = np.full(len(units), np.inf)
    for o in observations:
        i = index[o.unit]
        y[i, o.period] = o.value
        if o.first_treated is not None:
            g[i] = o.first_treated
    return y, g, periods


def _att(y: npt.NDArray[np.float64], g: npt.NDArray[np.float64], periods: int) -> tuple[float, int]:
    total = 0.0
    weight = 0
    cells = 0
    for cohort in np.unique(g[np.isfinite(g)]):
        c = int(cohort)
        if c < 1 or c >= periods:
            continue  # treated before the first period or after the last: no before/after
        treated = g == cohort
        for t in range(c, periods):
            control = g > t
            d_t = y[treated, t] - y[treated, c - 1]
            d_c = y[control, t] - y[control, c - 1]
            d_t = d_t[~np.isnan(d_t)]
            d_c = d_c[~np.isnan(d_c)]
            if d_t.size == 0 or d_c.size == 0:
                continue
            total += (float(d_t.mean()) - float(d_c.mean())) * d_t.size
            weight += d_t.size
            cells += 1
    return (total / weight if weight else float("nan")), cells


def staggered_did(
    observations: Sequence[Observation],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
    min_periods: int = MIN_PERIODS,
    min_treated: int = MIN_TREATED,
    min_comparison: int = MIN_COMPARISON,
) -> DidResult:
    """The estimate with its 95% cluster-bootstrap interval, or what is missing."""
    if not observations:
        return DidResult(None, None, None, 0, 0, 0, 0, ["no past cycles with key results yet"])
    y, g, periods = _panel(observations)
    usable = np.isfinite(g) & (g >= 1) & (g < periods)
    treated_units = int(usable.sum())
    comparison_units = int((~np.isfinite(g) | (g >= periods)).sum())
    missing: list[str] = []
    if periods < min_periods:
        missing.append(f"{min_periods} past cycles (have {periods})")
    if treated_units < min_treated:
        missing.append(
            f"{min_treated} managers certified between two past cycles (have {treated_units})"
        )
    if comparison_units + int((usable & (g > 1)).sum()) < min_comparison:
        missing.append(
            f"{min_comparison} managers not yet certified to compare with (have {comparison_units})"
        )
    estimate, cells = _att(y, g, periods)
    if np.isnan(estimate):
        missing.append("a cycle before and after a certification with a comparison team")
    if missing:
        return DidResult(None, None, None, treated_units, comparison_units, periods, cells, missing)
    rng = np.random.default_rng(seed)
    n = y.shape[0]
    draws = []
    for _ in range(samples):
        pick = rng.integers(0, n, n)
        value, _cells = _att(y[pick], g[pick], periods)
        if not np.isnan(value):
            draws.append(value)
    low, high = (
        (float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5)))
        if draws
        else (None, None)
    )
    return DidResult(
        float(estimate), low, high, treated_units, comparison_units, periods, cells, []
    )
