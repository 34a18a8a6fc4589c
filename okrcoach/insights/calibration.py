"""Confidence calibration: did the confidence people reported during past cycles predict the
final grade? Each check-in's confidence is read as a forecast (n/10) that the key result finishes
at or above stats.SUCCESS_SCORE. One grouped query per scope, at most 11 rows back."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from okrcoach.okrs.models import CheckIn, Cycle
from okrcoach.okrs.permissions import visible_fast_q
from okrcoach.orgs.lines import in_direct, in_line
from okrcoach.orgs.models import Membership

from .stats import SUCCESS_SCORE, Calibration, CalibrationBin, calibration

PAST = (Cycle.State.CLOSED, Cycle.State.GRADING)
W, H, PAD = 260, 200, 30


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    r: float
    label: str


@dataclass(frozen=True)
class CalibrationView:
    scope: str  # "person", "team", "organisation"
    result: Calibration
    nudge: str
    dots: list[Dot]
    score_line: str  # polyline of the mean final score per confidence
    width: int = W
    height: int = H
    pad: int = PAD

    @property
    def summary(self) -> str:
        if self.result.brier is None:
            return _("No graded key results with check-ins yet.")
        return _(
            "Brier score %(b).2f over %(n)d check-ins (0 is perfect, 0.25 is a coin toss)."
        ) % {
            "b": self.result.brier,
            "n": self.result.n,
        }

    @property
    def rows(self) -> list[CalibrationBin]:
        return self.result.bins


def _x(p: float) -> float:
    return PAD + p * (W - PAD - 10)


def _y(v: float) -> float:
    return H - PAD - v * (H - PAD - 10)


def _nudge(result: Calibration, who: str) -> str:
    confident = [b for b in result.bins if b.confidence >= 7 and b.n >= 3]
    if not confident:
        return ""
    b = max(confident, key=lambda b: b.n)
    text = _("%(who)s %(c)d/10 key results finished at %(s)d%% on average.") % {
        "who": who,
        "c": b.confidence,
        "s": round(b.mean_score * 100),
    }
    if b.observed < b.predicted - 0.15:
        text += " " + _("That is less often than %(c)d/10 promises: try a lower number.") % {
            "c": b.confidence
        }
    elif b.observed > b.predicted + 0.15:
        text += " " + _("They succeeded more often than you said: you can be bolder.")
    return text


def calibration_view(
    actor: Membership, scope: str, subject: Membership | None = None, direct_only: bool = False
) -> CalibrationView:
    """scope: "person" (the subject's own key results), "team" (the subject and everyone below
    them), "organisation" (everything the actor may see). The subject is the actor unless given
    (the caller checks the actor may see them); every row passes the actor's visibility rule.
    direct_only narrows "team" to the subject and their direct reports (the Home panel of
    executives and admins, whose reporting line can be the whole organisation). One query."""
    org = actor.organisation
    subject = subject or actor
    qs = CheckIn.objects.for_org(org).filter(
        key_result__score__isnull=False, key_result__objective__cycle__state__in=PAST
    )
    qs = qs.filter(visible_fast_q(actor, "key_result__objective__"))
    if scope == "person":
        qs = qs.filter(key_result__owner=subject)
    elif scope == "team":
        if direct_only:
            qs = qs.filter(in_direct("key_result__owner", subject))
        else:
            qs = qs.filter(in_line("key_result__owner", subject))
    rows = (
        qs.order_by()
        .values("confidence")
        .annotate(
            n=Count("pk"),
            successes=Count("pk", filter=Q(key_result__score__gte=Decimal(str(SUCCESS_SCORE)))),
            score_sum=Sum("key_result__score"),
        )
    )
    return calibration_from_rows(
        scope,
        [[r["confidence"], r["n"], r["successes"], float(r["score_sum"] or 0)] for r in rows],
    )


def calibration_from_rows(scope: str, rows: list[list[Any]]) -> CalibrationView:
    """The view from [confidence, check-ins, successes, sum of final scores] rows (a query's or
    the cycle snapshot's): no query."""
    who = {"person": _("Your"), "team": _("Your team's")}.get(scope, _("The organisation's"))
    result = calibration(
        CalibrationBin(int(c), int(n), int(k), float(total or 0)) for c, n, k, total in rows
    )
    biggest = max((b.n for b in result.bins), default=1)
    dots = [
        Dot(
            _x(b.predicted),
            _y(b.observed),
            3 + 6 * (b.n / biggest) ** 0.5,
            _("%(c)d/10: %(o)d%% finished at or above %(s).1f (%(n)d check-ins)")
            % {"c": b.confidence, "o": round(b.observed * 100), "s": SUCCESS_SCORE, "n": b.n},
        )
        for b in result.bins
    ]
    line = " ".join(f"{_x(b.predicted):.1f},{_y(min(1.0, b.mean_score)):.1f}" for b in result.bins)
    return CalibrationView(scope, result, _nudge(result, who), dots, line)
