"""Who owes what: a member's check-ins, grades and retrospectives due this week, and the late
check-ins across a manager's reporting line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import subtree_ids

from ..cadence import due_soon_until
from ..models import Cycle, KeyResult, Objective, Retrospective
from ..permissions import visible_fast_q


@dataclass(frozen=True)
class Owed:
    """What the member owes this week: check-ins due or late, grades and retrospectives."""

    check_ins: list[KeyResult]
    today: date
    grades_pending: int
    retros_pending: int
    grading_cycle: Cycle | None
    # Owns no objective in any cycle: Home suggests a first OKR and the academy instead.
    first_time: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.check_ins or self.grades_pending or self.retros_pending)


def _count(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )


def owed_this_week(actor: Membership) -> Owed:
    """Three queries whatever the number of key results."""
    org = actor.organisation
    today = timezone.localdate()
    horizon = due_soon_until(today)
    check_ins = list(
        KeyResult.objects.for_org(org)
        .filter(
            owner=actor,
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
        )
        .filter(Q(next_check_in_due__isnull=True) | Q(next_check_in_due__lte=horizon))
        # Not `visible_to`: its `owner IN (subtree)` made PostgreSQL hash every objective of the
        # active cycle (3,500 buffers at 100k people) for the actor's three key results.
        .filter(visible_fast_q(actor, "objective__"))
        .select_related("objective")
        .order_by("next_check_in_due", "pk")
    )
    mine = Objective.objects.for_org(org).filter(
        cycle=OuterRef("pk"), owner=actor, status=Objective.Status.PUBLISHED
    )
    grading_cycle = (
        Cycle.objects.for_org(org)
        .filter(state=Cycle.State.GRADING)
        .annotate(
            grades_pending=_count(
                # Not `objective__in=mine`: nested there, mine's OuterRef("pk") would name the
                # key result, not the cycle.
                KeyResult.objects.for_org(org).filter(
                    objective__cycle=OuterRef("pk"),
                    objective__owner=actor,
                    objective__status=Objective.Status.PUBLISHED,
                    score__isnull=True,
                )
            ),
            retros_pending=_count(
                mine.exclude(
                    Exists(Retrospective.objects.for_org(org).filter(objective=OuterRef("pk")))
                )
            ),
        )
        .order_by("-starts_on")
        .first()
    )
    grades = getattr(grading_cycle, "grades_pending", 0) or 0
    retros = getattr(grading_cycle, "retros_pending", 0) or 0
    first_time = not Objective.objects.for_org(org).filter(owner=actor).exists()
    return Owed(check_ins, today, grades, retros, grading_cycle, first_time)


def late_check_ins(actor: Membership) -> list[KeyResult]:
    """Key results of people below the actor whose check-in is overdue: one query."""
    today = timezone.localdate()
    return list(
        KeyResult.objects.for_org(actor.organisation)
        .filter(
            owner__in=subtree_ids(actor),
            objective__cycle__state=Cycle.State.ACTIVE,
            objective__status=Objective.Status.PUBLISHED,
        )
        .filter(Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True))
        .visible_to(actor)
        .select_related("owner__user", "owner__team", "objective")
        .order_by("next_check_in_due", "owner__user__full_name", "pk")
    )
