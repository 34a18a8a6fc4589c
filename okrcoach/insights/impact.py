"""Training impact: do teams change after their manager is certified? The data for the
difference-in-differences (stats.staggered_did), one grouped query per source whatever the size
of the organisation; the result is stored by services.compute_training_impact (nightly) because
the bootstrap is too slow to run on every page view in a large organisation.

A manager's team is their direct reports; outcomes are measured on the key results and objectives
those people owned in each past (closed or grading) cycle."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Min, Q, Sum, Value, When
from django.db.models.expressions import Case
from django.utils import timezone

from okrcoach.academy.models import Certificate
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.orgs.models import Organisation

from .stats import SUCCESS_SCORE, Observation, staggered_did

PAST = (Cycle.State.CLOSED, Cycle.State.GRADING)
LIMITS = [
    "This is observational data, not an experiment: managers chose (or were chosen) to train, "
    "so a difference can come from who trains, not from the training. It is not proof of cause.",
    "The comparison assumes that certified and not-yet-certified managers' teams would have "
    "moved alike without the training (parallel trends); nothing here can check that fully.",
    "Teams change people and managers; a team is counted under its manager of today.",
    "The coach's rating is today's verdict on each key result, not necessarily the one given "
    "when it was published; check-in regularity counts check-ins against the cadence, not the "
    "day each was due.",
    "The interval comes from resampling managers (each manager's team is one cluster); with few "
    "managers it is wide, and it says how sure we can be, not how big the effect is everywhere.",
]


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    better: str  # "higher" or "lower"


OUTCOMES = [
    Outcome("check_in_rate", "On-time check-in rate", "higher"),
    Outcome("coach_good", "Key results the coach rates good", "higher"),
    Outcome("brier", "Confidence calibration (Brier score)", "lower"),
    Outcome("committed_met", "Committed key results met", "higher"),
    Outcome("alignment", "Objectives aligned to a parent", "higher"),
]


METHOD_CERTIFICATION = (
    "Who is certified is read from the academy's certificates only (not from course progress "
    "or assignments). Each manager counts from the day their first certificate was issued; "
    "a revoked certificate does not count, an expired one does (the training happened). "
    "The first cycle that starts on or after that day is the manager's first cycle after "
    "certification; the cycle during which the certificate was issued, and every cycle before "
    "it, count as before. Managers certified at different times are compared only with "
    "managers not yet certified at that time."
)


def _first_treated(cert_at: datetime | None, cycles: list[Cycle]) -> int | None:
    """Index of the first cycle that started on or after the day of the certificate (in the
    site's time zone, as cycles' dates are), None if none did."""
    if cert_at is None:
        return None
    day = timezone.localtime(cert_at).date()
    for i, c in enumerate(cycles):
        if c.starts_on >= day:
            return i
    return None


def panel(organisation: Organisation) -> tuple[list[Cycle], dict[str, list[Observation]], int]:
    """(past cycles oldest first, {outcome key: observations}, managers with a certificate).
    Five queries."""
    org = organisation
    cycles = list(Cycle.objects.for_org(org).filter(state__in=PAST).order_by("starts_on", "pk"))
    index = {c.pk: i for i, c in enumerate(cycles)}
    certs = dict(
        Certificate.objects.for_org(org)
        .filter(revoked_at__isnull=True)
        .order_by()
        .values("membership_id")
        .annotate(first=Min("issued_at"))
        .values_list("membership_id", "first")
    )
    treated = {m: _first_treated(at, cycles) for m, at in certs.items()}
    cadence = max(1, org.check_in_cadence_days)
    success = Decimal(str(SUCCESS_SCORE))
    published = Objective.Status.PUBLISHED
    krs = (
        KeyResult.objects.for_org(org)
        .filter(
            objective__cycle__state__in=PAST,
            objective__status=published,
            owner__manager__isnull=False,
        )
        .order_by()
        .values(u=F("owner__manager_id"), c=F("objective__cycle_id"))
        .annotate(
            krs=Count("pk"),
            rated=Count("pk", filter=Q(coach_verdict__has_key="verdict")),
            good=Count("pk", filter=Q(coach_verdict__verdict="good")),
            committed=Count(
                "pk",
                filter=Q(objective__type=Objective.Type.COMMITTED, score__isnull=False),
            ),
            met=Count(
                "pk",
                filter=Q(objective__type=Objective.Type.COMMITTED, score__gte=Decimal("1")),
            ),
        )
    )
    share = Value(0.1, output_field=FloatField()) * F("confidence")
    miss = (Value(1.0, output_field=FloatField()) - share) * (
        Value(1.0, output_field=FloatField()) - share
    )
    checkins = (
        CheckIn.objects.for_org(org)
        .filter(
            key_result__objective__cycle__state__in=PAST,
            key_result__objective__status=published,
            key_result__owner__manager__isnull=False,
        )
        .order_by()
        .values(u=F("key_result__owner__manager_id"), c=F("key_result__objective__cycle_id"))
        .annotate(
            n=Count("pk"),
            scored=Count("pk", filter=Q(key_result__score__isnull=False)),
            brier_sum=Sum(
                Case(
                    When(key_result__score__gte=success, then=miss),
                    When(key_result__score__isnull=False, then=share * share),
                    default=None,
                    output_field=FloatField(),
                )
            ),
        )
    )
    objectives = (
        Objective.objects.for_org(org)
        .filter(cycle__state__in=PAST, status=published, owner__manager__isnull=False)
        .exclude(level=Objective.Level.COMPANY)
        .order_by()
        .values(u=F("owner__manager_id"), c=F("cycle_id"))
        .annotate(n=Count("pk"), aligned=Count("pk", filter=Q(parent__isnull=False)))
    )
    kr_rows: dict[tuple[int, int], dict[str, Any]] = {(r["u"], r["c"]): dict(r) for r in krs}
    none: dict[str, Any] = {}
    values: dict[str, dict[tuple[int, int], float]] = defaultdict(dict)
    for key, r in kr_rows.items():
        if r["rated"]:
            values["coach_good"][key] = r["good"] / r["rated"]
        if r["committed"]:
            values["committed_met"][key] = r["met"] / r["committed"]
    for ci in checkins:
        key = (ci["u"], ci["c"])
        kr_count = kr_rows.get(key, none).get("krs", 0)
        cycle = cycles[index[ci["c"]]]
        expected = kr_count * max(1, math.ceil((cycle.ends_on - cycle.starts_on).days / cadence))
        if expected:
            values["check_in_rate"][key] = min(1.0, ci["n"] / expected)
        if ci["scored"]:
            values["brier"][key] = float(ci["brier_sum"] or 0) / ci["scored"]
    for ob in objectives:
        if ob["n"]:
            values["alignment"][(ob["u"], ob["c"])] = ob["aligned"] / ob["n"]
    # A team with key results but no check-in in a cycle checked in 0% of the time.
    for key, r in kr_rows.items():
        if r["krs"]:
            values["check_in_rate"].setdefault(key, 0.0)
    observations = {
        o.key: [Observation(u, index[c], v, treated.get(u)) for (u, c), v in values[o.key].items()]
        for o in OUTCOMES
    }
    return cycles, observations, len(certs)


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def compute(
    organisation: Organisation, *, samples: int | None = None, clock: Callable[[], float]
) -> dict[str, Any]:
    """The JSON stored in InsightsState.impact."""
    start = clock()
    cycles, observations, certified = panel(organisation)
    last = len(cycles) - 1
    outcomes = []
    managers: set[int] = set()
    for o in OUTCOMES:
        obs = observations[o.key]
        managers.update(x.unit for x in obs)
        result = staggered_did(obs, **({"samples": samples} if samples else {}))
        latest = [x for x in obs if x.period == last]
        outcomes.append(
            {
                "key": o.key,
                "label": o.label,
                "better": o.better,
                "estimate": result.estimate,
                "low": result.low,
                "high": result.high,
                "treated": result.treated_units,
                "comparison": result.comparison_units,
                "periods": result.periods,
                "missing": result.missing,
                "certified_mean": _mean(
                    [
                        x.value
                        for x in latest
                        if x.first_treated is not None and x.first_treated <= last
                    ]
                ),
                "uncertified_mean": _mean(
                    [x.value for x in latest if x.first_treated is None or x.first_treated > last]
                ),
                "observations": len(obs),
            }
        )
    return {
        "cycles": [c.name for c in cycles],
        "managers": len(managers),
        "certified": certified,
        "outcomes": outcomes,
        "seconds": round(clock() - start, 3),
    }
