"""History for the insights views: three past cycles in which managers were certified at
different times and teams differ in check-in habits and OKR quality, so the dashboards, the
calibration chart and the training-impact estimate show something on first run.

`seed_history` works on any organisation with reporting lines (the perf benchmark uses it too):
it adds past cycles before the earliest one until there are three, then for every manager's
direct reports a personal objective with two key results per past cycle, weekly check-ins with
the team's habit, final grades and coach verdicts, all through `bulk_create`. Certified managers'
teams improve after the certificate (a known, invented effect of about +0.15 on the rates), so the
estimate has something to find. All text is invented."""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

import coach
from coach import KeyResultDraft, ObjectiveDraft
from okrcoach.academy.models import Certificate, Course
from okrcoach.insights.services import compute_training_impact, mark_demo
from okrcoach.okrs.coaching import key_result_draft_of, objective_draft_of, stored_form
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership, Organisation

PAST_CYCLES = 3
QUARTER = timedelta(weeks=13)
WEEKS = 13
EFFECT = 0.15
BATCH = 5000
COURSE_SLUG = "manager-okr-course"

OBJECTIVES = [
    "Make our hand-offs dependable",
    "Cut the wait our customers feel",
    "Turn weekly numbers into weekly decisions",
    "Make the next peak boring",
    "Waste less of what we buy",
]
KEY_RESULTS = [
    ("Orders shipped the same day rise from {a}% to {b}%", 60, 85),
    ("Repeat complaints per 1,000 orders fall from {a} to {b}", 12, 5),
    ("Share of shifts that start fully staffed grows from {a}% to {b}%", 70, 95),
    ("Average hours from request to answer fall from {a} to {b}", 30, 8),
]
# Where each key result's number comes from. Teams with a good habit record it; the others leave
# it empty, and the coach warns about that (KR-10), so the quality habit shows in real verdicts.
SOURCES = {
    KEY_RESULTS[0][0]: "Warehouse system, daily dispatch report",
    KEY_RESULTS[1][0]: "Support desk tags, weekly export",
    KEY_RESULTS[2][0]: "Rota tool, weekly staffing report",
    KEY_RESULTS[3][0]: "Shared inbox timestamps, weekly",
}
WHY = "Customers named this in the last survey as the thing they notice most."
NOTES = [
    "Supplier delay ate most of this week.",
    "Two people out sick; catching up next week.",
    "New routine is sticking.",
    "Waiting on the data export from finance.",
    "Good week: the pilot team doubled its rate.",
]


@functools.cache  # a few dozen distinct days, asked for millions of times at 100,000 people
def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _past_cycles(org: Organisation) -> list[Cycle]:
    """Existing closed cycles plus older ones until there are PAST_CYCLES; oldest first."""
    cycles = list(
        Cycle.objects.for_org(org)
        .filter(state__in=[Cycle.State.CLOSED, Cycle.State.GRADING])
        .order_by("starts_on")
    )
    earliest = (
        Cycle.objects.for_org(org).order_by("starts_on").values_list("starts_on", flat=True).first()
    ) or timezone.localdate() - timedelta(weeks=8)
    while len(cycles) < PAST_CYCLES:
        start = earliest - QUARTER
        end = start + QUARTER - timedelta(days=1)
        cycle = Cycle.objects.create(
            organisation=org,
            name=f"{start:%b %Y} – {end:%b %Y} (history)",
            starts_on=start,
            ends_on=end,
            state=Cycle.State.CLOSED,
        )
        cycles.insert(0, cycle)
        earliest = start
    return cycles[-PAST_CYCLES:]


def _certify(
    org: Organisation, managers: list[int], cycles: list[Cycle], names: dict[int, str]
) -> dict[int, int | None]:
    """Certificates at staggered times: a quarter of the managers before the second past cycle, a
    quarter before the third, one in eight before the first, the rest not (yet). Returns each
    manager's first treated cycle index."""
    course = Course.objects.filter(slug=COURSE_SLUG, organisation__isnull=True).first()
    already = set(
        Certificate.objects.for_org(org).values_list("membership_id", flat=True).distinct()
    )
    cohorts: dict[int, int | None] = {}
    rows = []
    for i, m in enumerate(managers):
        slot = i % 8
        cohort: int | None = {0: 1, 1: 2, 2: None, 3: 1, 4: 2, 5: None, 6: 0, 7: None}[slot]
        if m in already:
            cohort = None
        cohorts[m] = cohort
        if cohort is None or course is None:
            continue
        issued = _at(cycles[cohort].starts_on - timedelta(days=12))
        rows.append(
            Certificate(
                organisation=org,
                membership_id=m,
                course=course,
                recipient_name=names.get(m, ""),
                course_title=course.title,
                issued_at=issued,
                expires_at=issued + timedelta(days=course.validity_days + 365),
                quiz_average=88.0,
            )
        )
    Certificate.objects.bulk_create(rows, batch_size=BATCH)
    return cohorts


@transaction.atomic
def seed_history(org: Organisation, *, seed: int = 7, compute: bool = True) -> dict[str, Any]:
    """Add the three past cycles' history to `org` (see the module's docstring)."""
    rng = random.Random(seed)
    cycles = _past_cycles(org)
    reports: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id in (
        Membership.objects.for_org(org)
        .filter(is_active=True, manager__isnull=False)
        .order_by("pk")
        .values_list("pk", "manager_id")
    ):
        reports[manager_id].append(pk)
    managers = sorted(reports)
    names = dict(
        Membership.objects.for_org(org).filter(pk__in=managers).values_list("pk", "user__full_name")
    )
    cohorts = _certify(org, managers, cycles, names)
    # Each team's habits: how regularly it checks in, how good its key results are, how honest
    # its confidence is. Fixed per manager, so teams differ.
    habit = {
        m: (rng.uniform(0.35, 0.8), rng.uniform(0.2, 0.6), rng.uniform(0.5, 2.5)) for m in managers
    }
    company = {
        c.pk: list(
            Objective.objects.for_org(org).filter(cycle=c, level=Objective.Level.COMPANY)[:3]
        )
        for c in cycles
    }
    objectives: list[Objective] = []
    plan: list[tuple[int, int, int, float]] = []  # (cycle index, manager, owner, lift)
    for ci, cycle in enumerate(cycles):
        for m in managers:
            cohort = cohorts[m]
            lift = EFFECT if cohort is not None and ci >= cohort else 0.0
            regular, quality, _noise = habit[m]
            for owner in reports[m]:
                aligned = rng.random() < 0.3 + quality + lift
                parents = company[cycle.pk]
                objectives.append(
                    Objective(
                        organisation=org,
                        cycle=cycle,
                        title=rng.choice(OBJECTIVES),
                        level=Objective.Level.PERSONAL,
                        owner_id=owner,
                        type=(
                            Objective.Type.COMMITTED
                            if rng.random() < 0.5
                            else Objective.Type.ASPIRATIONAL
                        ),
                        status=Objective.Status.PUBLISHED,
                        parent=rng.choice(parents) if aligned and parents else None,
                        # good habits: the reason is written down (the coach's OBJ-08 tip)
                        description=WHY if rng.random() < quality + lift else "",
                    )
                )
                plan.append((ci, m, owner, lift))
    # The coach's real verdicts: an objective that aligns to nothing gets its OBJ-07 warning.
    _store_reviews(objectives)
    krs: list[KeyResult] = []
    outcomes: list[tuple[float, float, int, int, float]] = []  # (score, regular, ci, noise, lift)
    for obj, (ci, m, owner, lift) in zip(objectives, plan, strict=True):
        regular, quality, noise = habit[m]
        for k in range(2):
            title, a, b = KEY_RESULTS[(owner + k) % len(KEY_RESULTS)]
            score = max(0.0, min(1.0, rng.gauss(0.55 + lift + 0.2 * (quality - 0.4), 0.22)))
            good = rng.random() < quality + lift
            krs.append(
                KeyResult(
                    organisation=org,
                    objective=obj,  # saved below, before the key results
                    title=title.format(a=a, b=b),
                    owner_id=owner,
                    baseline=Decimal(a),
                    target=Decimal(b),
                    current_value=Decimal(str(round(a + (b - a) * score, 2))),
                    progress=Decimal(str(round(score, 4))),
                    progress_raw=Decimal(str(round(score, 4))),
                    score=Decimal(str(round(score, 2))),
                    data_source=SOURCES[title] if good else "",
                )
            )
            outcomes.append((score, regular, ci, int(noise * 10), lift))
    # Each objective's progress and grade are known before it is written: no UPDATE afterwards.
    for obj, pair in zip(objectives, zip(krs[::2], krs[1::2], strict=True), strict=True):
        obj.progress = ((pair[0].progress + pair[1].progress) / 2).quantize(Decimal("0.0001"))
        obj.score = obj.progress.quantize(Decimal("0.01"))
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    _store_reviews(krs)
    KeyResult.objects.bulk_create(krs, batch_size=BATCH)
    check_ins: list[CheckIn] = []  # written a batch at a time: at 100,000 people they are millions
    written = 0
    for kr, (score, regular, ci, noise10, lift) in zip(krs, outcomes, strict=True):
        cycle = cycles[ci]
        noise = noise10 / 10 * (0.5 if lift else 1.0)  # trained managers' teams read risk better
        for week in range(1, WEEKS + 1):
            if rng.random() > min(0.98, regular + lift):
                continue
            share = week / WEEKS
            progress = max(0.0, min(1.0, score * share + rng.gauss(0, 0.03)))
            confidence = round(max(0, min(10, 9 * score + 1.2 * noise + rng.gauss(0, noise))))
            check_ins.append(
                CheckIn(
                    organisation=org,
                    key_result=kr,
                    author_id=kr.owner_id,
                    value=Decimal(
                        str(
                            round(
                                float(kr.baseline or 0)
                                + float((kr.target or 0) - (kr.baseline or 0)) * progress,
                                2,
                            )
                        )
                    ),
                    confidence=confidence,
                    progress=Decimal(str(round(progress, 4))),
                    progress_note=rng.choice(NOTES) if week % 4 == 0 else "",
                    created_at=_at(cycle.starts_on + timedelta(days=7 * week - 3)),
                )
            )
        if len(check_ins) >= BATCH:
            CheckIn.objects.for_org(org).bulk_create(check_ins, batch_size=BATCH)
            written += len(check_ins)
            check_ins = []
    CheckIn.objects.for_org(org).bulk_create(check_ins, batch_size=BATCH)
    written += len(check_ins)
    current = _seed_current(org, reports, habit, cohorts, rng)
    result = {
        "current_key_results": current,
        "cycles": len(cycles),
        "managers": len(managers),
        "objectives": len(objectives),
        "key_results": len(krs),
        "check_ins": written,
    }
    if compute:
        # 200 bootstrap samples keep the first run fast; the nightly task uses 999.
        compute_training_impact(organisation=org, samples=200)
    return result


def _store_reviews(rows: Sequence[Objective | KeyResult]) -> None:
    """The coach's real verdict on each row, as the editor would give it (what the coach report
    and the badges show), reviewed once per distinct draft: the titles come from short lists,
    so a 10,000-person organisation costs a few hundred reviews."""
    done: dict[KeyResultDraft | ObjectiveDraft, tuple[dict[str, Any], list[str]]] = {}
    for row in rows:
        draft: KeyResultDraft | ObjectiveDraft
        if isinstance(row, KeyResult):
            draft = key_result_draft_of(row)
            if draft not in done:
                done[draft] = stored_form(coach.review_key_result(draft))
        else:
            draft = objective_draft_of(row)
            if draft not in done:
                done[draft] = stored_form(coach.review_objective(draft))
        row.coach_verdict, row.coach_rules = dict(done[draft][0]), list(done[draft][1])


def _seed_current(
    org: Organisation,
    reports: dict[int, list[int]],
    habit: dict[int, tuple[float, float, float]],
    cohorts: dict[int, int | None],
    rng: random.Random,
) -> int:
    """The active cycle: people below a manager who own no key result in it get a personal
    objective with two key results, checked in with their team's habit up to today, so the heat
    map and the at-risk lists have rows everywhere."""
    cycle = (
        Cycle.objects.for_org(org).filter(state=Cycle.State.ACTIVE).order_by("-starts_on").first()
    )
    if cycle is None:
        return 0
    today = timezone.localdate()
    weeks = max(0, (today - cycle.starts_on).days // 7)
    owning = set(
        KeyResult.objects.for_org(org)
        .filter(objective__cycle=cycle)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    parents = list(
        Objective.objects.for_org(org).filter(cycle=cycle, level=Objective.Level.COMPANY)[:3]
    )
    plan: list[tuple[int, int]] = [
        (m, owner) for m in sorted(reports) for owner in reports[m] if owner not in owning
    ]
    objectives = [
        Objective(
            organisation=org,
            cycle=cycle,
            title=rng.choice(OBJECTIVES),
            level=Objective.Level.PERSONAL,
            owner_id=owner,
            status=Objective.Status.PUBLISHED,
            parent=rng.choice(parents) if parents and rng.random() < 0.6 else None,
        )
        for _m, owner in plan
    ]
    _store_reviews(objectives)
    krs: list[KeyResult] = []
    paces: list[tuple[float, float]] = []
    for obj, (m, owner) in zip(objectives, plan, strict=True):
        regular, quality, _noise = habit[m]
        lift = EFFECT if cohorts.get(m) is not None else 0.0
        for k in range(2):
            title, a, b = KEY_RESULTS[(owner + k + 1) % len(KEY_RESULTS)]
            pace = max(0.1, min(1.3, rng.gauss(0.75 + lift, 0.3)))
            share = min(1.0, pace * weeks / WEEKS)
            last = 0 if rng.random() < regular + lift else rng.randint(2, 4)
            krs.append(
                KeyResult(
                    organisation=org,
                    objective=obj,  # saved below, before the key results
                    title=title.format(a=a, b=b),
                    owner_id=owner,
                    baseline=Decimal(a),
                    target=Decimal(b),
                    current_value=Decimal(str(round(a + (b - a) * share, 2))),
                    progress=Decimal(str(round(share, 4))),
                    progress_raw=Decimal(str(round(share, 4))),
                    confidence=max(1, min(10, round(10 * pace - 1 + rng.gauss(0, 1)))),
                    last_check_in_at=_at(today - timedelta(days=7 * last + 1)),
                    next_check_in_due=today + timedelta(days=6 - 7 * last),
                    data_source=SOURCES[title] if rng.random() < quality + lift else "",
                )
            )
            paces.append((pace, float(last)))
    for obj, pair in zip(objectives, zip(krs[::2], krs[1::2], strict=True), strict=True):
        obj.progress = ((pair[0].progress + pair[1].progress) / 2).quantize(Decimal("0.0001"))
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    _store_reviews(krs)
    KeyResult.objects.bulk_create(krs, batch_size=BATCH)
    rows: list[CheckIn] = []
    for kr, (pace, lag) in zip(krs, paces, strict=True):
        for week in range(1, weeks + 1 - int(lag)):
            share = min(1.0, pace * week / WEEKS)
            rows.append(
                CheckIn(
                    organisation=org,
                    key_result=kr,
                    author_id=kr.owner_id,
                    value=Decimal(
                        str(
                            round(
                                float(kr.baseline or 0)
                                + float((kr.target or 0) - (kr.baseline or 0)) * share,
                                2,
                            )
                        )
                    ),
                    confidence=kr.confidence or 5,
                    progress=Decimal(str(round(share, 4))),
                    progress_note=rng.choice(NOTES) if week == weeks - int(lag) else "",
                    problems_note=rng.choice(NOTES[:2])
                    if pace < 0.6 and week == weeks - int(lag)
                    else "",
                    created_at=_at(cycle.starts_on + timedelta(days=7 * week - 2)),
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=BATCH)
    return len(krs)


def seed_insights() -> None:
    """The demo's history: Kestrel Freight only, marked as demo data."""
    org = Organisation.objects.filter(slug="kestrel").first()
    if org is None:
        return
    seed_history(org)
    mark_demo(organisation=org)
