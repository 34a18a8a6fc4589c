"""Precomputed organisation-wide figures of a cycle, so the executive and admin views, the
executive summary and the API never read every key result live.

One TeamSnapshot row per (cycle, team) holds that team's counters; the cycle's CycleSnapshot holds
their sums by department and for the company, plus what only the nightly task recomputes (past
cycles, training coverage, the organisation's calibration). Three ways to write them:

- `compute_cycle`: everything, from grouped queries (the nightly task, `manage.py
  compute_insights`, and on demand when a page finds no snapshot);
- `refresh_teams`: after a write, the teams it touched are recounted (a handful of indexed rows)
  and the cycle's totals move by the difference, under a row lock; a bulk check-in moves the
  weekly check-in counts by the check-ins it wrote (`check_in_weeks`, inside its transaction)
  instead of recounting every check-in those teams ever made;
- a correctness test checks that a series of writes leaves the snapshot equal to `compute_cycle`.

Pace statuses depend on the day (expected progress grows every day): rows recounted by a write
use that day, the others the day of the last full computation (`computed_for`); the nightly task
brings them all to the same day. Team data (`TeamSnapshot.data`):

    {"on_track", "at_risk", "off_track", "late", "rated", "good": key results owned by the
     team's people; "objectives", "aligned": the team's non-company objectives;
     "weeks": {"<week index>": [check-ins, sum of confidence, sum of progress]}}

CycleSnapshot.data: {"departments": {"<team id>": {"name", "public_id", counters...}},
"company": status counts, "alignment": [aligned, objectives], "weeks": {...}, "past": [...],
"coverage": [managers, certified], "calibration": [[confidence, n, successes, score sum]...]}.
Counters of teams outside every department (team_key 0) count for the company only."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from okrcoach.academy.models import Certificate
from okrcoach.core.bulk import update_from_values
from okrcoach.okrs import pace as pace_rules
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.selectors.pace import pace_status_expression
from okrcoach.okrs.signals import CheckInWritten
from okrcoach.orgs.models import Membership, Organisation, Team
from okrcoach.orgs.selectors import team_chains

from .models import CycleSnapshot, TeamSnapshot
from .stats import SUCCESS_SCORE

STATUSES = pace_rules.STATUSES
KR_COUNTERS = ("on_track", "at_risk", "off_track", "late", "rated", "good")
OBJ_COUNTERS = ("objectives", "aligned")
COUNTERS = KR_COUNTERS + OBJ_COUNTERS
PAST = (Cycle.State.CLOSED, Cycle.State.GRADING)
PACE = "pace"  # the annotation name (a plain str: mypy's plugin cannot see annotations)


def _empty() -> dict[str, Any]:
    data: dict[str, Any] = {k: 0 for k in COUNTERS}
    data["weeks"] = {}
    return data


def _round(x: float) -> float:
    return round(x, 6)


def departments(org: Organisation) -> tuple[dict[int, Team], list[Team]]:
    """{team id: its department} and the departments by name: one query over the teams (the
    full computation only)."""
    teams = list(Team.objects.for_org(org).with_tree_fields())
    by_id = {t.pk: t for t in teams}
    roots = {t.pk for t in teams if t.parent_id is None}
    dept_of: dict[int, Team] = {}
    for t in teams:
        node = t
        # Climb to the child of the root (the department), or stay at the root.
        while node.parent_id is not None and node.parent_id not in roots:
            node = by_id[node.parent_id]
        dept_of[t.pk] = node
    depts = sorted({d.pk: d for d in dept_of.values()}.values(), key=lambda d: d.name)
    return dept_of, depts


def _departments_of(org: Organisation, team_keys: Collection[int]) -> dict[int, Team | None]:
    """{team key: its department (the child of its root, or the root itself)} for these teams:
    one query for all of them (none when there are none)."""
    # chain: the team first, its root last; the department is the root's child.
    return {
        key: (chain[-2] if len(chain) > 1 else chain[0]) if chain else None
        for key, chain in team_chains(org, team_keys).items()
    }


def week_of(cycle: Cycle, day: date) -> str:
    """The key of a day's week in the cycle's "weeks" (days before the start count in week 0)."""
    return str(max(0, (day - cycle.starts_on).days // 7))


def check_in_weeks(
    check_ins: Iterable[CheckInWritten],
) -> dict[int, dict[int, dict[str, list[Any]]]]:
    """{cycle id: {team key: {week: [check-ins, sum of confidence, sum of progress]}}} of check-ins
    just written, counted as `team_counters` counts them (the week of the date they were made in
    the default time zone, the team of the key result's owner). No query. Progress sums stay
    exact decimals until they are added to a stored figure."""
    out: dict[int, dict[int, dict[str, list[Any]]]] = {}
    days: dict[Any, date] = {}  # a batch is written at one moment: one conversion
    with timezone.override(None):
        for ci in check_ins:
            day = days.get(ci.created_at)
            if day is None:
                day = days[ci.created_at] = timezone.localdate(ci.created_at)
            cycle = ci.cycle
            by_week = out.setdefault(cycle.pk, {}).setdefault(ci.owner_team_id or 0, {})
            cell = by_week.setdefault(week_of(cycle, day), [0, 0, Decimal(0)])
            cell[0] += 1
            cell[1] += int(ci.confidence)
            cell[2] += ci.progress
    return out


def _moved_weeks(stored: dict[str, list[Any]], added: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A team's stored weekly counts plus check-ins just written. Rounded as a recount rounds:
    progress has four decimals, so either way the figure is the float nearest the exact sum."""
    weeks = {w: list(cell) for w, cell in stored.items()}
    for w, (n, conf, prog) in added.items():
        cell = weeks.setdefault(w, [0, 0, 0.0])
        cell[0] += n
        cell[1] += conf
        cell[2] = _round(cell[2] + float(prog))
    return weeks


def team_counters(
    org: Organisation,
    cycle: Cycle,
    today: date,
    team_keys: Collection[int] | None = None,
    *,
    weeks: bool = True,
) -> dict[int, dict[str, Any]]:
    """{team key: team data} for every team (team_keys None) or these (0: people without a
    team): three grouped queries, however many teams; two without the weekly check-in counts
    (`weeks` False: they stay empty)."""
    teams: dict[int, dict[str, Any]] = {}

    def row(key: int | None) -> dict[str, Any]:
        return teams.setdefault(key or 0, _empty())

    published = Objective.Status.PUBLISHED
    krs = KeyResult.objects.for_org(org).filter(objective__cycle=cycle, objective__status=published)
    objectives = (
        Objective.objects.for_org(org)
        .filter(cycle=cycle, status=published)
        .exclude(level=Objective.Level.COMPANY)
    )
    checkins = CheckIn.objects.for_org(org).filter(
        key_result__objective__cycle=cycle, key_result__objective__status=published
    )
    if team_keys is not None:
        ids = sorted({k for k in team_keys if k})
        teamless = 0 in team_keys

        def among(field: str) -> Q:
            q = Q(**{f"{field}__in": ids})
            return q | Q(**{f"{field}__isnull": True}) if teamless else q

        krs = krs.filter(among("owner__team_id"))
        objectives = objectives.filter(among("team_id"))
        checkins = checkins.filter(among("key_result__owner__team_id"))
    late_q = Q(next_check_in_due__lt=today) | Q(next_check_in_due__isnull=True)
    for r in (
        krs.annotate(pace=pace_status_expression(cycle, today))
        .order_by()
        .values("owner__team_id")
        .annotate(
            on_track=Count("pk", filter=Q(pace="on_track")),
            at_risk=Count("pk", filter=Q(pace="at_risk")),
            off_track=Count("pk", filter=Q(pace="off_track")),
            late=Count("pk", filter=late_q),
            rated=Count("pk", filter=Q(coach_verdict__has_key="verdict")),
            good=Count("pk", filter=Q(coach_verdict__verdict="good")),
        )
    ):
        counted: dict[str, Any] = dict(r)
        acc = row(counted["owner__team_id"])
        for k in KR_COUNTERS:
            acc[k] += counted[k]
    for ob in (
        objectives.order_by()
        .values("team_id")
        .annotate(n=Count("pk"), aligned=Count("pk", filter=Q(parent__isnull=False)))
    ):
        acc = row(ob["team_id"])
        acc["objectives"] += ob["n"]
        acc["aligned"] += ob["aligned"]
    if not weeks:
        return teams
    for ci in (
        checkins.order_by()
        .values("key_result__owner__team_id", "created_at__date")
        .annotate(n=Count("pk"), confidence=Sum("confidence"), progress=Sum("progress"))
    ):
        day = ci["created_at__date"]
        if isinstance(day, str):
            day = date.fromisoformat(day)
        week = week_of(cycle, day)
        cell = row(ci["key_result__owner__team_id"])["weeks"].setdefault(week, [0, 0, 0.0])
        cell[0] += ci["n"]
        cell[1] += int(ci["confidence"] or 0)
        cell[2] = _round(cell[2] + float(ci["progress"] or 0))
    return teams


def _add(target: dict[str, Any], team: dict[str, Any], sign: int) -> None:
    for k in COUNTERS:
        target[k] = target.get(k, 0) + sign * team.get(k, 0)


def _add_weeks(target: dict[str, list[Any]], weeks: dict[str, list[Any]], sign: int) -> None:
    for w, (n, conf, prog) in weeks.items():
        cell = target.setdefault(w, [0, 0, 0.0])
        cell[0] += sign * n
        cell[1] += sign * conf
        cell[2] = _round(cell[2] + sign * prog)
        if cell[0] == 0:
            del target[w]


def _apply(data: dict[str, Any], dept_key: int, team: dict[str, Any], sign: int) -> None:
    """Move the cycle's totals by one team's counters (sign -1 takes them out)."""
    if dept_key:
        _add(data["departments"][str(dept_key)], team, sign)
    for s in STATUSES:
        data["company"][s] += sign * team.get(s, 0)
    data["alignment"][0] += sign * team.get("aligned", 0)
    data["alignment"][1] += sign * team.get("objectives", 0)
    _add_weeks(data["weeks"], team.get("weeks", {}), sign)


def _dept_entry(team: Team) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": team.name, "public_id": str(team.public_id)}
    entry.update({k: 0 for k in COUNTERS})
    return entry


def _past_cycles(org: Organisation) -> list[dict[str, Any]]:
    """The last four graded cycles, oldest first: two queries."""
    cycles = list(Cycle.objects.for_org(org).filter(state__in=PAST).order_by("-starts_on")[:4])
    stats = {
        r["objective__cycle_id"]: r
        for r in KeyResult.objects.for_org(org)
        .filter(
            objective__cycle__in=[c.pk for c in cycles],
            objective__status=Objective.Status.PUBLISHED,
            score__isnull=False,
        )
        .order_by()
        .values("objective__cycle_id")
        .annotate(
            n=Count("pk"), avg=Avg("score"), met=Count("pk", filter=Q(score__gte=Decimal("0.7")))
        )
    }
    none: dict[str, Any] = {}
    return [
        {
            "name": c.name,
            "public_id": str(c.public_id),
            "krs": stats.get(c.pk, none).get("n", 0),
            "avg": round(float(stats.get(c.pk, none).get("avg") or 0), 6),
            "met": stats.get(c.pk, none).get("met", 0),
        }
        for c in reversed(cycles)
    ]


def _coverage(org: Organisation) -> list[int]:
    """[managers, managers holding a valid certificate]: one query."""
    now = timezone.now()
    managers = (
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .filter(Exists(Membership.objects.for_org(org).filter(manager=OuterRef("pk"))))
    )
    valid = Certificate.objects.for_org(org).filter(
        membership=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=now
    )
    agg = managers.order_by().aggregate(
        total=Count("pk"), certified=Count("pk", filter=Exists(valid))
    )
    return [agg["total"], agg["certified"]]


def _calibration(org: Organisation) -> list[list[Any]]:
    """The organisation's calibration bins over past cycles: one query."""
    rows = (
        CheckIn.objects.for_org(org)
        .filter(key_result__score__isnull=False, key_result__objective__cycle__state__in=PAST)
        .order_by()
        .values("confidence")
        .annotate(
            n=Count("pk"),
            successes=Count("pk", filter=Q(key_result__score__gte=Decimal(str(SUCCESS_SCORE)))),
            score_sum=Sum("key_result__score"),
        )
        .order_by("confidence")
    )
    return [
        [r["confidence"], r["n"], r["successes"], round(float(r["score_sum"] or 0), 6)]
        for r in rows
    ]


def build(org: Organisation, cycle: Cycle, today: date) -> tuple[dict[str, Any], dict[int, Any]]:
    """(cycle data, {team key: (dept key, team data)}) computed from scratch, writing nothing."""
    dept_of, depts = departments(org)
    teams = team_counters(org, cycle, today)
    data: dict[str, Any] = {
        "departments": {str(d.pk): _dept_entry(d) for d in depts},
        "company": {s: 0 for s in STATUSES},
        "alignment": [0, 0],
        "weeks": {},
        "past": _past_cycles(org),
        "coverage": _coverage(org),
        "calibration": _calibration(org),
    }
    placed: dict[int, Any] = {}
    for key, team in teams.items():
        dept = dept_of.get(key)
        dept_key = dept.pk if dept else 0
        _apply(data, dept_key, team, 1)
        placed[key] = (dept_key, team)
    return data, placed


def compute_cycle(org: Organisation, cycle: Cycle, today: date | None = None) -> CycleSnapshot:
    """Recompute and store the cycle's snapshot and its team rows."""
    began = time.perf_counter()
    today = today or timezone.localdate()
    data, placed = build(org, cycle, today)
    now = timezone.now()
    with transaction.atomic():
        snap = CycleSnapshot.objects.for_org(org).select_for_update().filter(cycle=cycle).first()
        TeamSnapshot.objects.for_org(org).filter(cycle=cycle).delete()
        TeamSnapshot.objects.for_org(org).bulk_create(
            [
                TeamSnapshot(organisation=org, cycle=cycle, team_key=k, dept_key=dept, data=team)
                for k, (dept, team) in placed.items()
            ],
            batch_size=1000,
        )
        fields = {
            "data": data,
            "computed_at": now,
            "full_at": now,
            "computed_for": today,
            "seconds": round(time.perf_counter() - began, 3),
        }
        if snap is None:
            snap = CycleSnapshot.objects.for_org(org).create(
                organisation=org, cycle=cycle, **fields
            )
        else:
            for k, v in fields.items():
                setattr(snap, k, v)
            snap.save(update_fields=list(fields))
    return snap


def compute_organisation(org: Organisation) -> int:
    """The nightly run: every active cycle's snapshot. Returns how many."""
    cycles = list(Cycle.objects.for_org(org).filter(state=Cycle.State.ACTIVE).order_by("pk"))
    for cycle in cycles:
        compute_cycle(org, cycle)
    return len(cycles)


def get_or_compute(org: Organisation, cycle: Cycle) -> CycleSnapshot:
    """The stored snapshot (one query), computed on demand when missing."""
    snap = CycleSnapshot.objects.for_org(org).filter(cycle=cycle).first()
    if snap is None:
        snap = compute_cycle(org, cycle)
    return snap


def refresh_teams(
    org: Organisation,
    cycle_id: int,
    team_keys: Iterable[int],
    *,
    added_weeks: dict[int, dict[str, list[Any]]] | None = None,
) -> bool:
    """Recount these teams of the cycle and move the cycle's totals by the difference. With
    `added_weeks` ({team key: weeks} of check-ins the current transaction added,
    `check_in_weeks`) the weekly check-in counts are the stored ones plus those instead of a
    recount of every check-in the teams ever made. Does nothing (and returns False) when the
    cycle has no snapshot yet: it is computed in full when first needed. A fixed number of
    queries however many teams. In the default time zone, as the full computation, whichever
    one the request that wrote has activated."""
    keys = sorted(set(team_keys))
    # No savepoint of its own: inside a bulk check-in, a failure here fails the whole write.
    with transaction.atomic(savepoint=False), timezone.override(None):
        snap = (
            CycleSnapshot.objects.for_org(org)
            .select_for_update()
            .select_related("cycle")
            .filter(cycle_id=cycle_id)
            .first()
        )
        if snap is None or not keys:
            return False
        today = timezone.localdate()
        rows = {
            r.team_key: r
            for r in TeamSnapshot.objects.for_org(org).filter(cycle_id=cycle_id, team_key__in=keys)
        }
        data = snap.data
        # Three grouped queries for all the teams; two when the weeks move by what was added.
        counted = team_counters(org, snap.cycle, today, keys, weeks=added_weeks is None)
        fresh_keys = [k for k in keys if k not in rows]
        depts = _departments_of(org, fresh_keys) if fresh_keys else {}  # teams new to the cycle
        new: list[TeamSnapshot] = []
        for key in keys:
            fresh = counted.get(key, _empty())
            row = rows.get(key)
            if row is None:
                dept = depts.get(key)
                row = TeamSnapshot(
                    organisation=org,
                    cycle_id=cycle_id,
                    team_key=key,
                    dept_key=dept.pk if dept else 0,
                    data=_empty(),
                )
                new.append(row)
                if dept is not None and str(dept.pk) not in data["departments"]:
                    data["departments"][str(dept.pk)] = _dept_entry(dept)
            if added_weeks is not None:
                fresh["weeks"] = _moved_weeks(row.data.get("weeks", {}), added_weeks.get(key, {}))
            _apply(data, row.dept_key, row.data, -1)
            _apply(data, row.dept_key, fresh, 1)
            row.data = fresh
        TeamSnapshot.objects.for_org(org).bulk_create(new)
        # One UPDATE ... FROM (core/bulk.py), not bulk_update's CASE WHEN per row.
        update_from_values(TeamSnapshot, org.pk, list(rows.values()), ["data"])
        snap.data = data
        snap.computed_at = timezone.now()
        snap.save(update_fields=["data", "computed_at"])
    return True


def refresh_for_key_results(org_id: int, key_result_ids: Iterable[int]) -> None:
    """After a write to these key results (or their check-ins): recount their owners' teams."""
    ids = list(set(key_result_ids))
    if not ids:
        return
    org = Organisation.objects.get(pk=org_id)
    pairs = (
        KeyResult.objects.for_org(org)
        .filter(pk__in=ids)
        .values_list("objective__cycle_id", "owner__team_id")
        .distinct()
    )
    by_cycle: dict[int, set[int]] = {}
    for cycle_id, team_id in pairs:
        by_cycle.setdefault(cycle_id, set()).add(team_id or 0)
    for cycle_id, keys in by_cycle.items():
        refresh_teams(org, cycle_id, keys)


def refresh_for_check_ins(org: Organisation, check_ins: list[CheckInWritten]) -> None:
    """Inside the transaction that wrote these check-ins (okrs' bulk check-in): recount the
    teams of their key results' owners, the weekly counts moved by the new check-ins rather than
    recounted. Inside, not after the commit: the snapshot's row lock, taken here, is held until
    the check-ins are committed, so a refresh that recounts these teams' check-ins runs either
    wholly before them (and this one adds them) or after (and counts them): they are never
    counted twice, and a rollback takes the snapshot's change back with them."""
    for cycle_id, added in sorted(check_in_weeks(check_ins).items()):  # locks in one order
        refresh_teams(org, cycle_id, added, added_weeks=added)


def refresh_for_objective(org_id: int, objective_id: int) -> None:
    """After a write to an objective: its team and the teams of its key results' owners."""
    org = Organisation.objects.get(pk=org_id)
    obj = Objective.objects.for_org(org).filter(pk=objective_id).values("cycle_id", "team_id")
    found = obj.first()
    if found is None:
        return
    keys = {found["team_id"] or 0}
    keys.update(
        t or 0
        for t in KeyResult.objects.for_org(org)
        .filter(objective_id=objective_id)
        .values_list("owner__team_id", flat=True)
    )
    refresh_teams(org, found["cycle_id"], keys)
