"""Kestrel Freight's two past quarters, closed and graded: final values, score overrides with
their reasons, and retrospectives. All OKR text is invented for this demo."""

from __future__ import annotations

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
