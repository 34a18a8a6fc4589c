"""The evidence pack: what a person did in a period, gathered for a performance conversation.

It computes no rating, no average score and no bonus figure, on purpose: an OKR grade measures
how far an ambitious goal got, not how well someone worked, and a pack that added grades up
would turn every future goal into a safe one. The reader weighs the evidence; the pack says
how to read it (aspirational grades around 0.7 are success)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from okrcoach.academy.models import Certificate, ModuleCompletion
from okrcoach.okrs import cadence
from okrcoach.okrs.models import Cycle, KeyResult, Objective, Retrospective
from okrcoach.okrs.permissions import visible_q
from okrcoach.okrs.progress import MET_THRESHOLD, score_band
from okrcoach.okrs.selectors.cycles import pick_cycle
from okrcoach.orgs.models import Membership

from .models import DevelopmentObjective, Feedback, SkillAssessment
from .permissions import Subject, require
from .selectors import _development_qs, feedback_visible_q


@dataclass(frozen=True)
class KRLine:
    kr: KeyResult
    grade: Decimal | None  # the grade, else the progress it would default to
    is_graded: bool
    check_ins: int
    expected: int

    @property
    def band(self) -> str | None:
        return score_band(self.grade)


@dataclass(frozen=True)
class ObjectiveLine:
    objective: Objective
    key_results: list[KRLine]

    @property
    def is_aspirational(self) -> bool:
        return self.objective.type == Objective.Type.ASPIRATIONAL

    @property
    def success_from(self) -> Decimal:
        return MET_THRESHOLD[self.objective.type]


@dataclass(frozen=True)
class SkillChange:
    skill_name: str
    kind: str
    start: int | None
    end: int
    count: int


@dataclass(frozen=True)
class EvidencePack:
    person: Membership
    cycle: Cycle | None
    cycles: list[Cycle]
    starts_on: date
    ends_on: date
    objectives: list[ObjectiveLine]
    retrospectives: list[Retrospective]
    feedback: list[Feedback]
    hidden_feedback: int
    development: list[DevelopmentObjective]
    skills: list[SkillChange]
    certificates: list[Certificate]
    modules: list[ModuleCompletion]
    generated_at: date = field(default_factory=timezone.localdate)

    @property
    def check_ins_made(self) -> int:
        return sum(line.check_ins for o in self.objectives for line in o.key_results)

    @property
    def check_ins_expected(self) -> int:
        return sum(line.expected for o in self.objectives for line in o.key_results)

    @property
    def regularity(self) -> int | None:
        """Check-ins made as a share of those the cadence asked for, in percent (capped)."""
        expected = self.check_ins_expected
        if not expected:
            return None
        return min(100, round(100 * self.check_ins_made / expected))

    @property
    def has_aspirational(self) -> bool:
        return any(o.is_aspirational for o in self.objectives)


def evidence_pack(actor: Membership, person: Membership, cycle_id: str | None) -> EvidencePack:
    """A fixed number of queries (about fifteen) whatever the history's length."""
    require(actor, "evidence_pack", "view", Subject(person=person))
    org = actor.organisation
    today = timezone.localdate()
    cycle, cycles = pick_cycle(org, cycle_id)
    if cycle is None:
        starts_on, ends_on = today.replace(day=1), today
    else:
        starts_on, ends_on = cycle.starts_on, cycle.ends_on
    start_dt = timezone.make_aware(datetime.combine(starts_on, time.min))
    end_dt = timezone.make_aware(datetime.combine(ends_on, time.max))

    objectives: list[Objective] = []
    if cycle is not None:
        krs = (
            KeyResult.objects.for_org(org)
            .select_related("owner", "objective")
            .annotate(
                period_check_ins=Count(
                    "check_ins",
                    filter=Q(
                        check_ins__created_at__gte=start_dt, check_ins__created_at__lte=end_dt
                    ),
                )
            )
            .order_by("position", "pk")
        )
        objectives = list(
            Objective.objects.for_org(org)
            .filter(owner=person, cycle=cycle)
            .exclude(status=Objective.Status.DRAFT)
            .filter(visible_q(actor))
            .select_related("cycle", "team")
            .prefetch_related(Prefetch("key_results", queryset=krs))
            .order_by("type", "position", "pk")
        )
    overrides = cadence.team_cadences(
        org,
        [o.team_id for o in objectives] + [person.team_id],
    )
    last_day = min(ends_on, today)
    elapsed = max(0, (last_day - starts_on).days + 1)
    lines = []
    for o in objectives:
        kr_lines = []
        for kr in o.key_results.all():
            days = cadence.cadence_days(org, kr, overrides)
            kr_lines.append(
                KRLine(
                    kr=kr,
                    grade=kr.score if kr.score is not None else kr.progress,
                    is_graded=kr.score is not None,
                    check_ins=kr.period_check_ins,  # type: ignore[attr-defined]
                    expected=max(1, elapsed // days) if elapsed else 0,
                )
            )
        lines.append(ObjectiveLine(o, kr_lines))

    visible_feedback = list(
        Feedback.objects.for_org(org)
        .filter(recipient=person, created_at__gte=start_dt, created_at__lte=end_dt)
        .filter(feedback_visible_q(actor))
        .select_related("giver__user", "recipient__user", "objective", "key_result")
    )
    all_feedback = (
        Feedback.objects.for_org(org)
        .filter(recipient=person, created_at__gte=start_dt, created_at__lte=end_dt)
        .count()
    )
    assessments = list(
        SkillAssessment.objects.for_org(org)
        .filter(person=person, assessed_on__lte=ends_on)
        .select_related("skill")
        .order_by("skill__name", "kind", "assessed_on", "pk")
    )
    return EvidencePack(
        person=person,
        cycle=cycle,
        cycles=cycles,
        starts_on=starts_on,
        ends_on=ends_on,
        objectives=lines,
        retrospectives=list(
            Retrospective.objects.for_org(org)
            .filter(cycle=cycle, objective__in=[o.pk for o in objectives])
            .select_related("objective", "author__user")
        )
        if cycle is not None
        else [],
        feedback=visible_feedback,
        hidden_feedback=all_feedback - len(visible_feedback),
        development=list(
            _development_qs(actor).filter(
                person=person, starts_on__lte=ends_on, ends_on__gte=starts_on
            )
        ),
        skills=_skill_changes(assessments, starts_on),
        certificates=list(
            Certificate.objects.for_org(org).filter(membership=person, issued_at__lte=end_dt)
        ),
        modules=list(
            ModuleCompletion.objects.for_org(org)
            .filter(
                enrollment__membership=person, completed_at__gte=start_dt, completed_at__lte=end_dt
            )
            .select_related("module__course")
            .order_by("completed_at", "pk")
        ),
    )


def _skill_changes(assessments: list[SkillAssessment], starts_on: date) -> list[SkillChange]:
    """Per skill and kind: the level at the period's start (the last assessment before it, or
    the first in it) and at its end."""
    groups: dict[tuple[str, str], list[SkillAssessment]] = {}
    for a in assessments:
        groups.setdefault((a.skill.name, a.kind), []).append(a)
    out = []
    for (name, kind), rows in groups.items():
        before = [a for a in rows if a.assessed_on < starts_on]
        in_period = [a for a in rows if a.assessed_on >= starts_on]
        if not in_period:
            continue
        start = before[-1].level if before else None
        out.append(SkillChange(name, kind, start, in_period[-1].level, len(in_period)))
    return out
