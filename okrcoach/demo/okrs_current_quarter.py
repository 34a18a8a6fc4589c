"""The current quarter's objectives for Kestrel Freight: company objectives, the team and
personal objectives aligned to them, and a few deliberately weak ones for the coach to find.
Each key result's pace sets how fast its check-ins move (1.0 on track; below 0.6 at risk).
All OKR text is invented for this demo."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        "as",
        "Make renewals a conversation, not a surprise",
        "Two renewals last quarter came down to a price email nobody had prepared for.",
        "Ana Souza",
        level="personal",
        team="Customer Success",
        parent="cs",
        # Maya Okafor's one late report: no check-in for the last two weeks.
        stops_after=6,
        krs=[
            KR(
                "Accounts with a renewal plan 90 days out rise from 3 to 12",
                "3",
                "12",
                "accounts",
                pace=0.7,
            ),
            KR(
                "Renewal calls held before the quote goes out grow from 0 to 10",
                "0",
                "10",
                "calls",
                pace=0.6,
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
