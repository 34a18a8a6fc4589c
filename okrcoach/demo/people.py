"""A deterministic demo: Kestrel Freight (62 people, 4 departments, 10 teams) and a small second
organisation, Riverside Library Co-op, to show that neither sees the other. The OKRs
(demo/okrs.py) and academy progress (demo/academy.py) are seeded on top of these people."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from okrcoach.accounts.models import User
from okrcoach.orgs.models import Membership, Organisation, Role, Team

DEMO_PASSWORD = "okrcoach-demo"  # noqa: S105  (documented in README for the demo only)

# (full name, title, role)
CEO = ("Helena Marsh", "Chief Executive Officer", Role.EXECUTIVE)

DEPARTMENTS = [
    (
        "Operations",
        ("Tomasz Wójcik", "Chief Operating Officer", Role.EXECUTIVE),
        [
            (
                "Warehouse North",
                ("Aisha Bello", "Warehouse Manager"),
                [
                    ("Connor Reilly", "Shift Supervisor"),
                    ("Mei Lin Tan", "Inventory Planner"),
                    ("Diego Alvarez", "Forklift Operator"),
                    ("Grace Mensah", "Picking Team Leader"),
                    ("Oskar Lindqvist", "Returns Coordinator"),
                    ("Fatima Rahimi", "Safety Officer"),
                ],
            ),
            (
                "Last-Mile Delivery",
                ("Samuel Osei", "Delivery Operations Lead"),
                [
                    ("Hannah Kowalczyk", "Route Supervisor"),
                    ("Ravi Iyer", "Driver Coach"),
                    ("Lucy Brennan", "Dispatch Coordinator"),
                    ("Kwame Asante", "Senior Driver"),
                    ("Elena Petrova", "Customer Delivery Specialist"),
                    ("Jonas Weber", "Driver"),
                    ("Aroha Ngata", "Driver"),
                ],
            ),
            (
                "Fleet Maintenance",
                ("Patrick Doyle", "Fleet Manager"),
                [
                    ("Nadia Haddad", "Maintenance Planner"),
                    ("Ben Carter", "Diesel Technician"),
                    ("Yusuf Demir", "EV Charging Technician"),
                    ("Clara Jensen", "Parts Buyer"),
                ],
            ),
        ],
    ),
    (
        "Commercial",
        ("Sofia Romano", "Chief Commercial Officer", Role.EXECUTIVE),
        [
            (
                "Sales",
                ("Daniel Abara", "Head of Sales"),
                [
                    ("Emily Hartley", "Account Executive"),
                    ("Marco Bianchi", "Account Executive"),
                    ("Priya Nair", "Sales Development Rep"),
                    ("Liam O'Connor", "Sales Development Rep"),
                    ("Chen Wei", "Solutions Consultant"),
                    ("Zanele Dlamini", "Key Account Manager"),
                ],
            ),
            (
                "Customer Success",
                ("Maya Okafor", "Customer Success Lead"),
                [
                    ("Jordan Ellis", "Customer Success Manager"),
                    ("Ana Souza", "Customer Success Manager"),
                    ("Theo Fischer", "Support Specialist"),
                    ("Leila Karimi", "Support Specialist"),
                    ("Sean Murphy", "Onboarding Specialist"),
                ],
            ),
            (
                "Marketing",
                ("Isabel Duarte", "Marketing Lead"),
                [
                    ("Noah Schmidt", "Content Marketer"),
                    ("Amara Obi", "Product Marketing Manager"),
                    ("Finn Larsen", "Marketing Analyst"),
                    ("Rosa Jiménez", "Events Coordinator"),
                ],
            ),
        ],
    ),
    (
        "Technology",
        ("Arjun Mehta", "Chief Technology Officer", Role.EXECUTIVE),
        [
            (
                "Platform",
                ("Katarzyna Nowak", "Engineering Manager, Platform"),
                [
                    ("Ethan Brooks", "Senior Software Engineer"),
                    ("Yuki Tanaka", "Software Engineer"),
                    ("Omar Farouk", "Site Reliability Engineer"),
                    ("Sara Lindgren", "Software Engineer"),
                    ("Victor Dubois", "QA Engineer"),
                ],
            ),
            (
                "Routing & Data",
                ("Ines Carvalho", "Engineering Manager, Routing & Data"),
                [
                    ("Mateo Rossi", "Data Scientist"),
                    ("Hye-jin Park", "Data Engineer"),
                    ("Tobias Keller", "Optimisation Engineer"),
                ],
            ),
        ],
    ),
    (
        "People & Finance",
        ("Ruth Adeyemi", "Chief People & Finance Officer", Role.EXECUTIVE),
        [
            (
                "People Operations",
                ("Gabriel Silva", "People Operations Lead"),
                [
                    ("Nora Quinn", "OKR Champion & People Partner"),
                    ("Aditya Rao", "Talent Partner"),
                ],
            ),
            (
                "Finance",
                ("Charlotte Evans", "Finance Manager"),
                [
                    ("Mustafa Aziz", "Financial Analyst"),
                    ("Julia Novak", "Accounts Payable Specialist"),
                    ("Kofi Boateng", "Payroll Specialist"),
                ],
            ),
        ],
    ),
]

# Reports directly to a department head without leading a team (keeps every head at 3+ reports).
DEPARTMENT_STAFF = {"Technology": ("Lars Eriksson", "Staff Engineer")}

ADMIN_NAME = "Nora Quinn"

SECOND_ORG = (
    "Riverside Library Co-op",
    "riverside",
    [
        ("Agnes Whitfield", "Director of Libraries", Role.EXECUTIVE, None),
        ("Rohan Chatterjee", "Branch Services Manager", Role.ADMIN, "Agnes Whitfield"),
        ("Bethany Cole", "Children's Librarian", Role.MEMBER, "Rohan Chatterjee"),
        ("Ivan Horvat", "Digital Services Librarian", Role.MEMBER, "Rohan Chatterjee"),
        ("Lena Fischer", "Outreach Coordinator", Role.MEMBER, "Rohan Chatterjee"),
    ],
)


@dataclass(frozen=True)
class DemoAccount:
    label: str
    email: str
    name: str


def email_for(name: str, domain: str) -> str:
    local = ".".join(slugify(part).replace("-", "") for part in name.split())
    return f"{local}@{domain}"


def demo_accounts() -> list[DemoAccount]:
    d = "kestrel.example"
    return [
        DemoAccount("member", email_for("Jordan Ellis", d), "Jordan Ellis (Customer Success)"),
        DemoAccount(
            "manager", email_for("Maya Okafor", d), "Maya Okafor (Customer Success Lead, 5 reports)"
        ),
        DemoAccount(
            "admin / OKR champion",
            email_for(ADMIN_NAME, d),
            "Nora Quinn (also in Riverside Library Co-op)",
        ),
        DemoAccount("executive", email_for(CEO[0], d), "Helena Marsh (CEO)"),
    ]


@transaction.atomic
def seed_people() -> Organisation:
    """Create both demo organisations. Callers make sure the database is empty first."""
    password = make_password(DEMO_PASSWORD)
    domain = "kestrel.example"
    org = Organisation.objects.create(
        name="Kestrel Freight", slug="kestrel", check_in_cadence_days=7
    )
    company = Team.objects.create(
        organisation=org, name="Kestrel Freight", slug="company", kind=Team.Kind.COMPANY
    )

    def person(
        name: str,
        title: str,
        role: str,
        team: Team,
        manager: Membership | None,
        email_domain: str = domain,
        organisation: Organisation = org,
    ) -> Membership:
        user = User.objects.create(
            email=email_for(name, email_domain),
            full_name=name,
            title=title,
            password=password,
            time_zone="Europe/London",
        )
        return Membership.objects.create(
            organisation=organisation, user=user, role=role, team=team, manager=manager
        )

    ceo = person(CEO[0], CEO[1], CEO[2], company, None)
    company.lead = ceo
    company.save(update_fields=["lead"])
    for dept_name, (head_name, head_title, head_role), teams in DEPARTMENTS:
        dept = Team.objects.create(
            organisation=org,
            name=dept_name,
            slug=slugify(dept_name),
            kind=Team.Kind.DEPARTMENT,
            parent=company,
        )
        head = person(head_name, head_title, head_role, dept, ceo)
        dept.lead = head
        dept.save(update_fields=["lead"])
        if dept_name in DEPARTMENT_STAFF:
            staff_name, staff_title = DEPARTMENT_STAFF[dept_name]
            person(staff_name, staff_title, Role.MEMBER, dept, head)
        for team_name, (lead_name, lead_title), members in teams:
            team = Team.objects.create(
                organisation=org, name=team_name, slug=slugify(team_name), parent=dept
            )
            lead = person(lead_name, lead_title, Role.MEMBER, team, head)
            team.lead = lead
            team.save(update_fields=["lead"])
            for member_name, member_title in members:
                role = Role.ADMIN if member_name == ADMIN_NAME else Role.MEMBER
                person(member_name, member_title, role, team, lead)

    name, slug, people = SECOND_ORG
    other = Organisation.objects.create(name=name, slug=slug, check_in_cadence_days=14)
    root = Team.objects.create(
        organisation=other, name=name, slug="company", kind=Team.Kind.COMPANY
    )
    by_name: dict[str, Membership] = {}
    for full_name, title, role, manager_name in people:
        by_name[full_name] = person(
            full_name,
            title,
            role,
            root,
            by_name.get(manager_name or ""),
            email_domain="riverside.example",
            organisation=other,
        )
    root.lead = by_name["Agnes Whitfield"]
    root.save(update_fields=["lead"])
    # The OKR champion also advises the library co-op: one person, two organisations.
    champion = User.objects.get(email=email_for(ADMIN_NAME, domain))
    Membership.objects.create(
        organisation=other,
        user=champion,
        role=Role.MEMBER,
        team=root,
        manager=by_name["Rohan Chatterjee"],
    )
    return org
