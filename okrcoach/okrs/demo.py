"""OKR demo data for Kestrel Freight: two graded past quarters with retrospectives, the current
quarter eight weeks in with weekly check-ins (some teams diligent, some late, some key results
at risk), a few deliberately weak OKRs for the coach to find, and next quarter in planning.

Dates follow the real today so the demo is always "week 8"; every value is fixed, never random.
All OKR text is invented for this demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from okrcoach.orgs.models import Membership, Organisation, Team

from . import progress
from .models import CheckIn, Cycle, KeyResult, Objective, Retrospective, TeamSettings
from .rollup import recompute_organisation
from .services.coach import recoach_organisation

WEEKS_IN = 8
QUARTER = timedelta(weeks=13)


@dataclass(frozen=True)
class KR:
    title: str
    baseline: str | None
    target: str | None
    unit: str = ""
    kind: str = "metric"  # metric / milestone / ordinal
    unit_kind: str = "number"
    pace: float = 1.0  # 1.0 on track; below 0.6 at risk
    levels: tuple[str, str, str] = ("", "", "")
    source: str = ""


@dataclass(frozen=True)
class Obj:
    key: str
    title: str
    why: str
    owner: str
    level: str = "team"
    team: str | None = None
    parent: str | None = None
    krs: list[KR] = field(default_factory=list)
    type: str = "committed"
    private: bool = False
    stops_after: int | None = None  # a late team's last check-in week


CURRENT: list[Obj] = [
    Obj(
        "c1",
        "Become the freight partner customers never have to chase",
        "Three of our five largest accounts named missed delivery windows as their top "
        "frustration in the autumn reviews; two are out to tender next year.",
        "Helena Marsh",
        level="company",
        team="Kestrel Freight",
        krs=[
            KR(
                "On-time-in-full deliveries rise from 91% to 96%",
                "91",
                "96",
                "%",
                unit_kind="percent",
                source="Weekly OTIF report from the TMS",
            ),
            KR(
                "Complaints per 1,000 shipments fall from 4.2 to 2.5",
                "4.2",
                "2.5",
                "per 1,000",
                pace=0.8,
                source="Support desk tags",
            ),
        ],
    ),
    Obj(
        "c2",
        "Run a fleet that costs less and pollutes less every month",
        "Diesel and maintenance costs grew faster than revenue last year, and two city councils "
        "announce low-emission zones from next spring.",
        "Tomasz Wójcik",
        level="company",
        team="Kestrel Freight",
        type="aspirational",
        krs=[
            KR(
                "Cost per delivered parcel falls from €3.40 to €3.05",
                "3.40",
                "3.05",
                "EUR",
                unit_kind="currency",
                pace=0.7,
                source="Finance cost model, monthly",
            ),
            KR(
                "Urban routes run by electric vans grow from 18% to 35%",
                "18",
                "35",
                "%",
                unit_kind="percent",
                pace=0.9,
            ),
        ],
    ),
    Obj(
        "c3",
        "Grow with customers who stay",
        "New logos cost us five times more than expanding existing accounts; retention is where "
        "the margin is.",
        "Sofia Romano",
        level="company",
        team="Kestrel Freight",
        krs=[
            KR(
                "Net revenue retention rises from 104% to 112%",
                "104",
                "112",
                "%",
                unit_kind="percent",
                pace=0.6,
            ),
            KR(
                "New annual contract value signed reaches €1.2M",
                "0",
                "1200000",
                "EUR",
                unit_kind="currency",
                pace=0.75,
            ),
        ],
    ),
    Obj(
        "wh",
        "Make picking errors rare enough that customers stop noticing",
        "Wrong-item complaints doubled after the peak season hiring wave.",
        "Aisha Bello",
        team="Warehouse North",
        parent="c1",
        krs=[
            KR(
                "Picking accuracy rises from 98.6% to 99.5%",
                "98.6",
                "99.5",
                "%",
                unit_kind="percent",
                pace=1.05,
                source="WMS scan mismatches",
            ),
            KR(
                "Orders received before 2 pm shipped the same day grow from 82% to 95%",
                "82",
                "95",
                "%",
                unit_kind="percent",
                pace=0.95,
            ),
        ],
    ),
    Obj(
        "lm",
        "Get every parcel there on the first try",
        "Each failed first attempt costs us about €6 and a customer's afternoon.",
        "Samuel Osei",
        team="Last-Mile Delivery",
        parent="c1",
        krs=[
            KR(
                "First-attempt delivery rate rises from 87% to 94%",
                "87",
                "94",
                "%",
                unit_kind="percent",
                pace=1.1,
                source="Driver app proof-of-delivery events",
            ),
            KR(
                "Average minutes outside the promised window fall from 22 to 10",
                "22",
                "10",
                "minutes",
                pace=1.0,
            ),
        ],
    ),
    Obj(
        "fm",
        "Keep vans on the road, not in the workshop",
        "Breakdowns cancel about forty routes a month and every one ends in an apology call.",
        "Patrick Doyle",
        team="Fleet Maintenance",
        parent="c2",
        stops_after=5,
        krs=[
            KR("Unplanned breakdowns fall from 14 to 6 a month", "14", "6", "breakdowns", pace=0.5),
            KR(
                "EV charger uptime rises from 93% to 99%",
                "93",
                "99",
                "%",
                unit_kind="percent",
                pace=0.8,
            ),
        ],
    ),
    Obj(
        "sa",
        "Win our first logistics contracts in cold chain",
        "Pharma and fresh-food shippers ask for temperature-controlled capacity we do not sell "
        "yet.",
        "Daniel Abara",
        team="Sales",
        parent="c3",
        type="aspirational",
        krs=[
            KR(
                "Qualified cold-chain opportunities grow from 3 to 15",
                "3",
                "15",
                "opportunities",
                pace=0.7,
            ),
            KR(
                "Cold-chain offer readiness",
                None,
                None,
                kind="ordinal",
                pace=0.5,
                levels=(
                    "Pricing approved by finance",
                    "First pilot customer signed",
                    "Two customers live",
                ),
            ),
            # Deliberately weak: an activity, not an outcome.
            KR("Send the new brochure to 200 prospects", None, None, kind="milestone", pace=1.0),
        ],
    ),
    Obj(
        "cs",
        "Turn onboarding into the reason customers renew",
        "Accounts that go live within two weeks renew at 94%; the others at 71%.",
        "Maya Okafor",
        team="Customer Success",
        parent="c3",
        krs=[
            KR(
                "New customers live within 14 days rise from 55% to 85%",
                "55",
                "85",
                "%",
                unit_kind="percent",
                pace=0.9,
                source="CRM onboarding stage dates",
            ),
            KR(
                "Quarterly account churn falls from 3.1% to 2.0%",
                "3.1",
                "2.0",
                "%",
                unit_kind="percent",
                pace=0.55,
            ),
        ],
    ),
    # Deliberately weak: vague objective, task-like key results, no baseline, aligned to nothing.
    Obj(
        "mk",
        "Do more marketing this quarter",
        "",
        "Isabel Duarte",
        team="Marketing",
        stops_after=3,
        krs=[
            KR("Refresh the website", None, None, kind="milestone", pace=0.0),
            KR("Post on LinkedIn three times a week", None, "36", "posts", pace=0.6),
        ],
    ),
    Obj(
        "pl",
        "Make the driver app something drivers trust at 6 a.m.",
        "Drivers fall back to paper when the app crashes, and paper proofs reach us days late.",
        "Katarzyna Nowak",
        team="Platform",
        parent="c1",
        krs=[
            KR(
                "Crash-free driver app sessions rise from 97.2% to 99.5%",
                "97.2",
                "99.5",
                "%",
                unit_kind="percent",
                pace=1.0,
                source="Crash reporting dashboard",
            ),
            KR(
                "Proof-of-delivery sync failures fall from 340 to 50 a week",
                "340",
                "50",
                "failures",
                pace=1.15,
            ),
        ],
    ),
    Obj(
        "rd",
        "Plan routes that hold up on a bad Tuesday",
        "Our plans assume average traffic; real days run 18% over and drivers lose their breaks.",
        "Ines Carvalho",
        team="Routing & Data",
        parent="c2",
        krs=[
            KR(
                "Gap between planned and actual route time falls from 18% to 8%",
                "18",
                "8",
                "%",
                unit_kind="percent",
                pace=0.45,
            ),
            KR("Kilometres driven per stop fall from 4.1 to 3.6", "4.1", "3.6", "km", pace=0.6),
        ],
    ),
    Obj(
        "po",
        "Make Kestrel the depot people recommend to their friends",
        "Replacing a driver costs about €4,000 in hiring and training.",
        "Gabriel Silva",
        team="People Operations",
        krs=[
            KR(
                "Annualised driver turnover falls from 38% to 28%",
                "38",
                "28",
                "%",
                unit_kind="percent",
                pace=0.8,
            ),
            KR("Employee NPS rises from 5 to 20", "5", "20", "points", pace=0.9),
        ],
    ),
    Obj(
        "fi",
        "Close the books in days, not weeks",
        "Leaders decide on numbers that are a month old.",
        "Charlotte Evans",
        team="Finance",
        parent="c2",
        stops_after=4,
        krs=[
            KR("Month-end close takes 5 working days instead of 9", "9", "5", "days", pace=0.7),
            # Deliberately weak: no baseline, so progress cannot be judged honestly.
            KR("Reduce invoice disputes", None, "20", "disputes", pace=0.5),
        ],
    ),
    Obj(
        "je",
        "Get my accounts to their first value moment faster",
        "My last three accounts waited on data mapping for over a week.",
        "Jordan Ellis",
        level="personal",
        team="Customer Success",
        parent="cs",
        krs=[
            KR(
                "My accounts live within 14 days rise from 50% to 90%",
                "50",
                "90",
                "%",
                unit_kind="percent",
                pace=1.0,
            ),
            KR(
                "Health reviews run with my accounts grow from 0 to 6",
                "0",
                "6",
                "reviews",
                pace=0.8,
            ),
        ],
    ),
    Obj(
        "ri",
        "Help new drivers through their first month",
        "Half of driver turnover happens in the first six weeks.",
        "Ravi Iyer",
        level="personal",
        team="Last-Mile Delivery",
        parent="lm",
        krs=[
            KR(
                "New drivers above 90% first-attempt rate in month one grow from 0 to 8",
                "0",
                "8",
                "drivers",
                pace=1.1,
            ),
        ],
    ),
    Obj(
        "mr",
        "Ship my first optimisation model to production",
        "",
        "Mateo Rossi",
        level="personal",
        team="Routing & Data",
        parent="rd",
        private=True,
        krs=[
            KR(
                "Model delivery stage",
                None,
                None,
                kind="ordinal",
                pace=0.6,
                levels=(
                    "Offline evaluation beats the current planner",
                    "Shadow-running on two depots",
                    "Live on all depots",
                ),
            ),
        ],
    ),
    Obj(
        "nq",
        "Get every team writing outcome-based OKRs",
        "Half of last quarter's key results were task lists.",
        "Nora Quinn",
        level="personal",
        team="People Operations",
        parent="po",
        krs=[
            KR(
                "Teams whose OKRs pass the coach review grow from 3 to 9",
                "3",
                "9",
                "teams",
                pace=0.9,
            )
        ],
    ),
]

# Past quarters: (objective key, title, owner, team, [(kr title, baseline, target, final, score
# override or None, reason)], retrospective or None)
PAST: list[
    list[
        tuple[
            str,
            str,
            str,
            str,
            list[tuple[str, str, str, str, str | None, str]],
            tuple[str, str, str, str] | None,
        ]
    ]
] = [
    [
        (
            "p1c",
            "Stop losing parcels between depot and doorstep",
            "Helena Marsh",
            "Kestrel Freight",
            [
                ("Lost parcels per 10,000 fall from 6 to 2", "6", "2", "3", None, ""),
                (
                    "Parcels scanned at every hand-off rise from 88% to 99%",
                    "88",
                    "99",
                    "97",
                    None,
                    "",
                ),
            ],
            (
                "Scanning discipline improved fast once drivers saw the weekly league table.",
                "We set the lost-parcel target before we could measure it reliably.",
                "Measure for two weeks before committing to a baseline.",
                "Keep the league table; add depot-level targets.",
            ),
        ),
        (
            "p1w",
            "Make the north warehouse peak-ready",
            "Aisha Bello",
            "Warehouse North",
            [
                (
                    "Peak-week throughput grows from 9,000 to 12,000 orders a day",
                    "9000",
                    "12000",
                    "11200",
                    None,
                    "",
                ),
                (
                    "Temporary staff trained before peak rise from 40% to 100%",
                    "40",
                    "100",
                    "100",
                    None,
                    "",
                ),
            ],
            (
                "Training everyone before peak paid off in error rates.",
                "Conveyor repairs slipped and capped throughput.",
                "Maintenance windows belong in the plan, not after it.",
                "Book maintenance a month before peak.",
            ),
        ),
        (
            "p1s",
            "Open the southern corridor to mid-sized shippers",
            "Daniel Abara",
            "Sales",
            [
                (
                    "Signed accounts in the south grow from 2 to 10",
                    "2",
                    "10",
                    "5",
                    "0.5",
                    "Two deals signed a week after the quarter closed; graded on what was signed.",
                )
            ],
            None,
        ),
    ],
    [
        (
            "p2c",
            "Make every delivery promise one we keep",
            "Helena Marsh",
            "Kestrel Freight",
            [
                ("On-time-in-full deliveries rise from 86% to 92%", "86", "92", "91", None, ""),
                (
                    "Customers given a two-hour window grow from 30% to 80%",
                    "30",
                    "80",
                    "74",
                    None,
                    "",
                ),
            ],
            (
                "Two-hour windows became a selling point for the sales team.",
                "OTIF stalled in December when three vans were off the road.",
                "Fleet health drives our promises more than routing does.",
                "Give the fleet team a company-level key result.",
            ),
        ),
        (
            "p2l",
            "Cut failed first deliveries",
            "Samuel Osei",
            "Last-Mile Delivery",
            [
                ("First-attempt delivery rate rises from 82% to 88%", "82", "88", "87", None, ""),
                (
                    "Safe-place instructions captured rise from 10% to 40%",
                    "10",
                    "40",
                    "45",
                    None,
                    "",
                ),
            ],
            (
                "Safe-place instructions were adopted faster than we hoped.",
                "We under-estimated how many addresses lack a safe place.",
                "Customers want to help when we ask them at booking.",
                "Ask for instructions at booking, not at the door.",
            ),
        ),
        (
            "p2f",
            "Know the health of every van",
            "Patrick Doyle",
            "Fleet Maintenance",
            [("Vans with telematics installed grow from 20% to 100%", "20", "100", "65", None, "")],
            None,
        ),
    ],
]

TEAM_RETROS = {
    "Warehouse North": (
        "Clear owners for each KR.",
        "Check-ins slipped in week 6.",
        "A ten-minute Monday check-in beats a long Friday one.",
        "Move check-ins to Monday mornings.",
    ),
    "Last-Mile Delivery": (
        "Drivers suggested half of the initiatives.",
        "Too many KRs at first; we cut two mid-quarter.",
        "Fewer, sharper key results.",
        "Start with at most three KRs.",
    ),
}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _value_at(kr: KR, week: int) -> Decimal:
    """Deterministic trajectory: pace-scaled share of the quarter with a small weekly wobble."""
    baseline = Decimal(kr.baseline or "0")
    target = Decimal(kr.target or "0")
    share = Decimal(str(kr.pace)) * Decimal(week) / Decimal(13)
    wobble = Decimal((week % 3) - 1) * Decimal("0.02")
    value = baseline + (target - baseline) * (share + wobble)
    return value.quantize(Decimal("0.01"))


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
                plans_note="Review with the team on Monday." if week % 2 else "",
                problems_note="Waiting on data from another team."
                if spec.pace < 0.6 and week > 4
                else "",
                created_at=_at(cycle.starts_on + timedelta(weeks=week) - timedelta(days=1)),
            )
        )
        kr.current_value, kr.milestone_done, kr.ordinal_level = value, bool(done), level or 0
        kr.progress, kr.progress_raw, kr.confidence = result.progress, result.raw, confidence
        kr.last_check_in_at = rows[-1].created_at
    CheckIn.objects.bulk_create(rows)
    kr.save()


def _note(spec: KR, week: int) -> str:
    if spec.pace >= 1:
        return "Ahead of plan this week." if week % 2 else "Steady progress; no surprises."
    if spec.pace < 0.6:
        return "Behind plan; the fix depends on another team." if week > 3 else "Slow start."
    return "Moving, but slower than planned."


def _seed_past(
    org: Organisation,
    cycle: Cycle,
    specs: list,
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
                        value=Decimal(baseline) + (Decimal(final) - Decimal(baseline)) * w / 4,
                        progress=progress.metric_progress(
                            baseline=Decimal(baseline),
                            target=Decimal(target),
                            current=Decimal(baseline)
                            + (Decimal(final) - Decimal(baseline)) * w / 4,
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
