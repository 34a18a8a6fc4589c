"""OKR demo data for Kestrel Freight: two graded past quarters with retrospectives, the current
quarter eight weeks in with weekly check-ins (some teams diligent, some late, some key results
at risk), a few deliberately weak OKRs for the coach to find, and next quarter in planning.

Dates follow the real today so the demo is always "week 8"; every value is fixed, never random.
All OKR text is invented for this demo."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from okrcoach.okrs import progress
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective, Retrospective, TeamSettings
from okrcoach.okrs.rollup import recompute_organisation
from okrcoach.okrs.services.coach import recoach_organisation
from okrcoach.orgs.models import Membership, Organisation, Team

from .okrs_current_quarter import CURRENT, KR
from .okrs_past_quarters import PAST, TEAM_RETROS

WEEKS_IN = 8
QUARTER = timedelta(weeks=13)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _step(*figures: str | None) -> Decimal:
    """The precision a person would report: whole numbers when the baseline and target are
    whole (reviews, days, percentages like 91 → 96), else as many decimals as they show."""
    places = max((len(f.partition(".")[2]) for f in figures if f), default=0)
    return Decimal(1).scaleb(-places)


def _value_at(kr: KR, week: int) -> Decimal:
    """Deterministic trajectory: pace-scaled share of the quarter with a small weekly wobble."""
    baseline = Decimal(kr.baseline or "0")
    target = Decimal(kr.target or "0")
    share = Decimal(str(kr.pace)) * Decimal(week) / Decimal(13)
    wobble = Decimal((week % 3) - 1) * Decimal("0.02")
    value = baseline + (target - baseline) * (share + wobble)
    return value.quantize(_step(kr.baseline, kr.target))


def _confidence(kr: KR, week: int) -> int:
    base = 8 if kr.pace >= 0.9 else 6 if kr.pace >= 0.6 else 4
    return max(1, min(10, base - (week // 4 if kr.pace < 0.6 else 0) + (week % 2)))


def _cycle(org: Organisation, start: date, state: str) -> Cycle:
    end = start + QUARTER - timedelta(days=1)
    return Cycle.objects.create(
        organisation=org,
        name=f"{start:%b %Y} – {end:%b %Y}",
        kind=Cycle.Kind.QUARTER,
        starts_on=start,
        ends_on=end,
        state=state,
    )


def _seed_current(
    org: Organisation,
    cycle: Cycle,
    people: dict[str, Membership],
    teams: dict[str, Team],
    today: date,
) -> None:
    made: dict[str, Objective] = {}
    for position, spec in enumerate(CURRENT):
        owner = people[spec.owner]
        objective = Objective.objects.create(
            organisation=org,
            cycle=cycle,
            title=spec.title,
            description=spec.why,
            level=spec.level,
            team=teams.get(spec.team or ""),
            owner=owner,
            type=spec.type,
            visibility=Objective.Visibility.PRIVATE
            if spec.private
            else Objective.Visibility.PUBLIC,
            status=Objective.Status.PUBLISHED,
            parent=made.get(spec.parent or ""),
            position=position,
        )
        made[spec.key] = objective
        last_week = min(WEEKS_IN, spec.stops_after or WEEKS_IN)
        for kr_position, kr_spec in enumerate(spec.krs):
            kr = KeyResult.objects.create(
                organisation=org,
                objective=objective,
                title=kr_spec.title,
                owner=owner,
                kr_type=kr_spec.kind,
                unit_kind=kr_spec.unit_kind,
                unit_label=kr_spec.unit,
                direction=(
                    KeyResult.Direction.DECREASE
                    if kr_spec.target
                    and kr_spec.baseline
                    and Decimal(kr_spec.target) < Decimal(kr_spec.baseline)
                    else KeyResult.Direction.INCREASE
                ),
                baseline=_dec(kr_spec.baseline),
                target=_dec(kr_spec.target),
                commit_label=kr_spec.levels[0],
                target_label=kr_spec.levels[1],
                stretch_label=kr_spec.levels[2],
                data_source=kr_spec.source,
                position=kr_position,
            )
            _check_ins(org, kr, kr_spec, owner, cycle, last_week)
            kr.next_check_in_due = (cycle.starts_on + timedelta(weeks=last_week)) + timedelta(
                days=6
            )
            kr.save(update_fields=["next_check_in_due"])


def _check_ins(
    org: Organisation, kr: KeyResult, spec: KR, author: Membership, cycle: Cycle, last_week: int
) -> None:
    rows = []
    for week in range(1, last_week + 1):
        value: Decimal | None = None
        done: bool | None = None
        level: int | None = None
        if spec.kind == "metric":
            value = _value_at(spec, week)
            result = progress.metric_progress(
                baseline=_dec(spec.baseline), target=_dec(spec.target), current=value
            )
        elif spec.kind == "milestone":
            done = spec.pace >= 1 and week >= 6
            result = progress.milestone_progress(done=done)
        else:
            level = min(3, int(spec.pace * week / 3))
            result = progress.ordinal_progress(level=level)
        confidence = _confidence(spec, week)
        rows.append(
            CheckIn(
                organisation=org,
                key_result=kr,
                author=author,
                value=value,
                milestone_done=done,
                ordinal_level=level,
                confidence=confidence,
                progress=result.progress,
                progress_note=_note(spec, week),
                plans_note=_pick(PLANS, spec, week) if week % 2 else "",
                problems_note=_pick(PROBLEMS, spec, week) if spec.pace < 0.6 and week > 4 else "",
                created_at=_at(cycle.starts_on + timedelta(weeks=week) - timedelta(days=1)),
            )
        )
        kr.current_value, kr.milestone_done, kr.ordinal_level = value, bool(done), level or 0
        kr.progress, kr.progress_raw, kr.confidence = result.progress, result.raw, confidence
        kr.last_check_in_at = rows[-1].created_at
    CheckIn.objects.bulk_create(rows)
    kr.save()


AHEAD = [
    "Ahead of plan this week.",
    "Steady progress; no surprises.",
    "Good week: the new routine is sticking.",
    "On plan. Two small wins worth sharing at the team meeting.",
    "Slightly ahead; a quiet week helped.",
    "Held the gain from last week, which is what we wanted.",
    "Best week so far, partly luck with the weather.",
]
SLOW = [
    "Moving, but slower than planned.",
    "Small step forward; two people were on leave.",
    "Flat this week while we fixed how we count it.",
    "Some progress; the pilot group is ahead of the rest.",
    "Recovered half of last week's dip.",
    "Slower than hoped; we changed the order of the work.",
]
BEHIND = [
    "Slow start.",
    "Behind plan; the fix depends on another team.",
    "No movement: still waiting for the data feed.",
    "Went backwards slightly; we know why and have a plan.",
    "Escalated the blocker; a decision is due next week.",
    "Behind, but the first fix went live on Thursday.",
]
PLANS = [
    "Review with the team on Monday.",
    "Try the change on one more route before rolling it out.",
    "Ask finance for last month's figures to check the trend.",
    "Pair with the new starter on the two hardest accounts.",
    "Write up what worked and share it with the other depot.",
]
PROBLEMS = [
    "Waiting on data from another team.",
    "The report we rely on is a week late.",
    "Two of the people doing this work are covering shifts.",
    "Budget for the tool is not approved yet.",
]


def _pick(options: list[str], spec: KR, week: int) -> str:
    """A fixed but varied choice: the same key result and week always give the same line."""
    return options[(week + sum(map(ord, spec.title))) % len(options)]


def _note(spec: KR, week: int) -> str:
    if spec.pace >= 1:
        return _pick(AHEAD, spec, week)
    if spec.pace < 0.6:
        return BEHIND[0] if week <= 3 and week % 2 else _pick(BEHIND, spec, week)
    return _pick(SLOW, spec, week)


def _past_value(baseline: str, target: str, final: str, week: int) -> Decimal:
    """A past quarter's check-in `week` of 4, at the precision of its figures."""
    value = Decimal(baseline) + (Decimal(final) - Decimal(baseline)) * week / 4
    return value.quantize(_step(baseline, target, final))


def _seed_past(
    org: Organisation,
    cycle: Cycle,
    specs: list[Any],
    people: dict[str, Membership],
    teams: dict[str, Team],
) -> None:
    company: Objective | None = None
    for _key, title, owner_name, team_name, krs, retro in specs:
        owner = people[owner_name]
        team = teams[team_name]
        is_company = team.kind == Team.Kind.COMPANY
        objective = Objective.objects.create(
            organisation=org,
            cycle=cycle,
            title=title,
            owner=owner,
            team=team,
            level=Objective.Level.COMPANY if is_company else Objective.Level.TEAM,
            status=Objective.Status.PUBLISHED,
            parent=None if is_company else company,
        )
        if is_company:
            company = objective
        scores = []
        for kr_title, baseline, target, final, override, reason in krs:
            result = progress.metric_progress(
                baseline=Decimal(baseline), target=Decimal(target), current=Decimal(final)
            )
            score = Decimal(override) if override else progress.default_score(result.progress)
            kr = KeyResult.objects.create(
                organisation=org,
                objective=objective,
                title=kr_title,
                owner=owner,
                baseline=Decimal(baseline),
                target=Decimal(target),
                current_value=Decimal(final),
                progress=result.progress,
                progress_raw=result.raw,
                confidence=7,
                score=score,
                score_reason=reason,
            )
            scores.append((kr.weight, score))
            CheckIn.objects.bulk_create(
                [
                    CheckIn(
                        organisation=org,
                        key_result=kr,
                        author=owner,
                        confidence=7,
                        value=_past_value(baseline, target, final, w),
                        progress=progress.metric_progress(
                            baseline=Decimal(baseline),
                            target=Decimal(target),
                            current=_past_value(baseline, target, final, w),
                        ).progress,
                        created_at=_at(cycle.starts_on + timedelta(weeks=3 * w)),
                    )
                    for w in range(1, 5)
                ]
            )
        objective.score = progress.weighted_average(scores).quantize(Decimal("0.01"))
        objective.save(update_fields=["score"])
        if retro:
            Retrospective.objects.create(
                organisation=org,
                cycle=cycle,
                objective=objective,
                author=owner,
                went_well=retro[0],
                went_badly=retro[1],
                learned=retro[2],
                change_next=retro[3],
            )
    for team_name, (well, badly, learned, change) in TEAM_RETROS.items():
        team = teams[team_name]
        Retrospective.objects.create(
            organisation=org,
            cycle=cycle,
            team=team,
            author=team.lead or people["Nora Quinn"],
            went_well=well,
            went_badly=badly,
            learned=learned,
            change_next=change,
        )


@transaction.atomic
def seed_okrs() -> None:
    """Add the OKR demo to Kestrel Freight. Does nothing if the organisation is missing or
    already has cycles."""
    org = Organisation.objects.filter(slug="kestrel").first()
    if org is None or Cycle.objects.for_org(org).exists():
        return
    people = {m.user.full_name: m for m in Membership.objects.for_org(org).select_related("user")}
    teams = {t.name: t for t in Team.objects.for_org(org)}
    today = timezone.localdate()
    start = today - timedelta(weeks=WEEKS_IN)
    # The field team checks in every two weeks; everyone else weekly.
    TeamSettings.objects.create(
        organisation=org, team=teams["Fleet Maintenance"], check_in_cadence_days=14
    )
    for quarters_back, specs in ((2, PAST[0]), (1, PAST[1])):
        past = _cycle(org, start - QUARTER * quarters_back, Cycle.State.CLOSED)
        _seed_past(org, past, specs, people, teams)
    current = _cycle(org, start, Cycle.State.ACTIVE)
    _seed_current(org, current, people, teams, today)
    _cycle(org, start + QUARTER, Cycle.State.PLANNING)
    recompute_organisation(org)
    # Rows were created directly, not through the services: give them their coach verdicts.
    recoach_organisation(org)
