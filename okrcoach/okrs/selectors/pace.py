"""Pace-aware status in SQL: the rules of okrs/pace.py as an annotation, so dashboards count key
results by status with one grouped query whatever their number. A test checks that the annotation
and the pure function agree."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone

from .. import pace
from ..models import Cycle, KeyResult


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


def pace_status_expression(cycle: Cycle, today: date, prefix: str = "") -> Case:
    """A CASE expression giving "on_track", "at_risk" or "off_track" for key results of `cycle`
    (reached through `prefix`, e.g. "key_result__")."""
    off, risk = _behind(cycle, today, prefix)
    return Case(
        When(off, then=Value("off_track")),
        When(risk, then=Value("at_risk")),
        default=Value("on_track"),
        output_field=CharField(),
    )


def behind_q(cycle: Cycle, today: date, off_track_only: bool = False) -> Q:
    """The same rows as pace "at_risk" or "off_track" (or "off_track" alone), as a plain filter:
    the planner estimates it (a CASE it cannot), so a list ordered by progress can walk an index
    and stop."""
    off, risk = _behind(cycle, today, "")
    return off if off_track_only else off | risk


def _behind(cycle: Cycle, today: date, prefix: str) -> tuple[Q, Q]:
    expected = pace.expected_progress(starts_on=cycle.starts_on, ends_on=cycle.ends_on, today=today)
    cut = timezone.make_aware(
        datetime.combine(today - timedelta(days=pace.STALE_AFTER_DAYS), time.min)
    )
    p = f"{prefix}progress__lt"
    stale = Q(**{f"{prefix}last_check_in_at__lt": cut})
    if (today - cycle.starts_on).days > pace.STALE_AFTER_DAYS:
        stale |= Q(**{f"{prefix}last_check_in_at__isnull": True})
    off = (
        Q(**{p: _dec(expected - pace.OFF_TRACK_GAP)})
        | Q(**{f"{prefix}confidence__lte": pace.OFF_TRACK_CONFIDENCE})
        | (stale & Q(**{p: _dec(expected - pace.AT_RISK_GAP)}))
    )
    risk = (
        Q(**{p: _dec(expected - pace.AT_RISK_GAP)})
        | Q(**{f"{prefix}confidence__lte": pace.AT_RISK_CONFIDENCE})
        | stale
    )
    return off, risk


def with_pace(qs: QuerySet[KeyResult], cycle: Cycle, today: date) -> QuerySet[KeyResult]:
    """Key results annotated with `pace` (their status this day)."""
    return qs.annotate(pace=pace_status_expression(cycle, today))
