"""OKR pages at 1,000 and 10,000 people: latency, queries per request, bulk check-in rate.

    .venv/bin/python perf/okrs_bench.py --db sqlite --people 1000 10000 [--quick] [--reseed]
    .venv/bin/python perf/okrs_bench.py --db postgres --people 1000 10000

Each (database, size) pair runs in its own process against its own database (SQLite files under
var/bench/, PostgreSQL databases okrcoach_bench_1k and okrcoach_bench_10k at $BENCH_PG_URL,
default postgres://postgres@127.0.0.1:5432). A database already seeded is reused unless
--reseed is given. Results go to perf/results/ (git-ignored), with the SQL of one request per
page. Goal: p50 at the largest size ÷ p50 at the smallest ≤ 1.25 for every page.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "perf" / "results"
SQLITE_DIR = REPO / "var" / "bench"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
GOAL = 1.25
TEAM_SIZE = 8  # people per team, lead included
FANOUT = 8  # teams per department, departments per division
COMPANY_OBJECTIVES = 3
WEEKS = 13
BATCH = 2000
BULK_ROWS = 500

if TYPE_CHECKING:
    from django.test import Client

    from okrcoach.okrs.models import Cycle, KeyResult, Objective
    from okrcoach.orgs.models import Membership, Organisation, Team

FIRST = ("Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kira")
LAST = ("Okafor", "Novak", "Silva", "Tanaka", "Weber", "Haddad", "Larsen", "Moreau", "Rossi")


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(db: str, size: int) -> str:
    name = f"okrcoach_bench_{label(size)}"
    if db == "sqlite":
        return f"sqlite:///{SQLITE_DIR / (name + '.sqlite3')}"
    return f"{PG_URL}/{name}"


# --- the organisation's shape ------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class Unit:
    """A node of the team tree: the company, a department (at any depth) or a leaf team."""

    key: str
    kind: str
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    size: int = 0  # people of a leaf team
    depth: int = 0
    team: Team | None = None
    head: Person | None = None
    members: list[Person] = field(default_factory=list)
    objective: Objective | None = None


@dataclass(eq=False, repr=False)
class Person:
    index: int
    role: str
    unit: Unit
    manager: Person | None
    stage: int  # bulk-insert order: everyone's manager is inserted in an earlier stage
    membership: Membership | None = None


def _group(level: list[Unit], prefix: str) -> list[Unit]:
    parents: list[Unit] = []
    for start in range(0, len(level), FANOUT):
        parent = Unit(key=f"{prefix}-{len(parents) + 1}", kind="department")
        parent.children = level[start : start + FANOUT]
        for child in parent.children:
            child.parent = parent
        parents.append(parent)
    return parents


def build_tree(people: int) -> tuple[Unit, list[Unit]]:
    """Company → divisions → departments → teams of about TEAM_SIZE, each level about FANOUT
    wide, so the depth grows with the logarithm of the head count as in a real organisation."""
    leaves_n = max(1, people // TEAM_SIZE)
    for _ in range(3):  # the department heads come out of the head count: settle the numbers
        overhead, level_n = 2, leaves_n  # the CEO and an admin
        while level_n > FANOUT:
            level_n = math.ceil(level_n / FANOUT)
            overhead += level_n
        leaves_n = max(1, math.ceil((people - overhead) / TEAM_SIZE))
    base, extra = divmod(people - overhead, leaves_n)
    leaves = [
        Unit(key=f"team-{i + 1}", kind="team", size=base + (1 if i < extra else 0))
        for i in range(leaves_n)
    ]
    level, depth = leaves, 0
    while len(level) > FANOUT:
        depth += 1
        level = _group(level, f"dept{depth}")
    root = Unit(key="company", kind="company", children=level)
    for child in level:
        child.parent = root
    units = [root]
    for unit in units:  # breadth first: parents before children
        for child in unit.children:
            child.depth = unit.depth + 1
            units.append(child)
    return root, units


def build_people(root: Unit, units: list[Unit]) -> list[Person]:
    ceo = Person(0, "executive", root, None, 0)
    root.head = ceo
    found = [ceo, Person(1, "admin", root, ceo, 1)]
    root.members = list(found)
    for unit in units[1:]:
        boss = unit.parent.head if unit.parent else None
        head = Person(len(found), "member", unit, boss, unit.depth)
        unit.head = head
        found.append(head)
        unit.members.append(head)
    deepest = max(u.depth for u in units)
    for unit in units:
        for _ in range(unit.size - 1 if unit.kind == "team" else 0):
            person = Person(len(found), "member", unit, unit.head, deepest + 1)
            found.append(person)
            unit.members.append(person)
    return found


# --- seeding -------------------------------------------------------------------------------


# Field types psycopg adapts as they are (ints, text, Decimal, bool, date/datetime, UUID):
# COPY writes the attribute itself and skips get_db_prep_save, most of a row's Python cost.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "UUIDField",
}


@contextmanager
def copy_bulk_create(*models: type[Any]) -> Iterator[None]:
    """While seeding on PostgreSQL, `bulk_create` of `models` writes with COPY ... FROM STDIN
    instead of INSERTs. Primary keys are drawn from the table's sequence first (one query a
    batch) and set on the objects, as bulk_create does, so later rows can point at them. Like
    bulk_create it sends no signals; the tenancy bulk-write listeners still run (they wrap this).
    Anywhere else (SQLite, other models, conflict options) the ordinary bulk_create runs."""
    from django.db import connection
    from django.db.models import QuerySet

    original = QuerySet.bulk_create
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, current_setting('session_replication_role') FROM pg_roles"
            " WHERE rolname = current_user"
        )
        superuser, role_before = cursor.fetchone()
        if superuser:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: every row written queues a
            # check per key that runs at COMMIT (at 100,000 people, minutes of COMMIT for ~20M
            # checks). The rows come from objects that were just saved, so the seeders skip
            # them: replica mode fires no trigger (the key checks, and okrs' tree_top_cycle
            # triggers, whose column is filled in below once the rows are written).
            cursor.execute("SET session_replication_role = replica")

    def bulk_create(self: Any, objs: Any, batch_size: int | None = None, **kwargs: Any) -> Any:
        if self.model not in models or kwargs:
            return original(self, objs, batch_size, **kwargs)
        model = self.model
        meta = model._meta
        fields = list(meta.concrete_fields)
        plain = [f.get_internal_type() in _PLAIN for f in fields]
        stamped = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        relations = [f for f in fields if f.is_relation]
        rows = list(objs)
        table = quote(meta.db_table)
        sql = f"COPY {table} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        with connection.cursor() as cursor:
            missing = [o for o in rows if o.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(missing)],
                )
                for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                    obj.pk = pk
            with cursor.cursor.copy(sql) as copy:
                for obj in rows:
                    for f in relations:  # a parent saved after the row was built
                        if getattr(obj, f.attname) is None:
                            parent = f.get_cached_value(obj, None)
                            if parent is not None:
                                setattr(obj, f.attname, parent.pk)
                    for f in stamped:
                        f.pre_save(obj, True)
                    copy.write_row(
                        [
                            getattr(obj, f.attname)
                            if fast
                            else f.get_db_prep_save(getattr(obj, f.attname), connection)
                            for f, fast in zip(fields, plain, strict=True)
                        ]
                    )
                    obj._state.adding = False
                    obj._state.db = self.db
        return rows

    QuerySet.bulk_create = bulk_create  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        QuerySet.bulk_create = original  # type: ignore[method-assign]
        if superuser:
            with connection.cursor() as cursor:
                # What okrs' triggers (migration 0006) would have written.
                cursor.execute(
                    "UPDATE okrs_objective c SET tree_top_cycle = c.cycle_id"
                    " WHERE c.tree_top_cycle IS NULL AND (c.parent_id IS NULL OR EXISTS"
                    " (SELECT 1 FROM okrs_objective p WHERE p.id = c.parent_id"
                    " AND p.visibility = 'private'))"
                )
                cursor.execute(
                    "SELECT set_config('session_replication_role', %s, false)", [role_before]
                )


def _batches(items: list[Any], n: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), n):
        yield items[start : start + n]


def _kr_shapes(index: int) -> list[dict[str, Any]]:
    from okrcoach.okrs.models import KeyResult

    third = (
        {"kr_type": KeyResult.KRType.MILESTONE}
        if index % 2
        else {
            "kr_type": KeyResult.KRType.ORDINAL,
            "commit_label": "Pilot with one customer",
            "target_label": "Live for every customer",
            "stretch_label": "Adopted by partners",
        }
    )
    return [
        {
            "kr_type": KeyResult.KRType.METRIC,
            "baseline": Decimal(0),
            "target": Decimal(100),
            "unit_label": "accounts",
        },
        {
            "kr_type": KeyResult.KRType.METRIC,
            "baseline": Decimal(50),
            "target": Decimal(20),
            "unit_kind": KeyResult.UnitKind.PERCENT,
            "direction": KeyResult.Direction.DECREASE,
        },
        third,
    ]


def _reading(kr: KeyResult, week: int, pace: float) -> dict[str, Any]:
    from okrcoach.okrs.models import KeyResult

    share = min(1.3, pace * (week + 1) / WEEKS)
    if kr.kr_type == KeyResult.KRType.METRIC:
        assert kr.baseline is not None and kr.target is not None
        value = kr.baseline + (kr.target - kr.baseline) * Decimal(str(round(share, 3)))
        return {"value": value.quantize(Decimal("0.01"))}
    if kr.kr_type == KeyResult.KRType.MILESTONE:
        return {"milestone_done": share >= 0.9}
    return {"ordinal_level": min(3, int(share * 2.2))}


def seed(size: int, today: date) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from okrcoach.accounts.models import User
    from okrcoach.okrs import progress, rollup
    from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
    from okrcoach.orgs.models import Membership, Organisation, Team

    rng = random.Random(size)
    root, units = build_tree(size)
    people = build_people(root, units)
    password = make_password("bench-password-1")  # one hash for everyone
    counts: dict[str, int] = {}
    with transaction.atomic(), copy_bulk_create(Objective, KeyResult, CheckIn):
        org = Organisation.objects.create(
            name=f"Bench {label(size)}", slug=f"bench-{label(size)}", rollup_includes_children=True
        )
        start = today - timedelta(days=7 * (WEEKS - 1) + 2)
        cycle = Cycle.objects.create(
            organisation=org,
            name="Bench quarter",
            starts_on=start,
            ends_on=start + timedelta(days=90),
            state=Cycle.State.ACTIVE,
        )
        for depth in range(max(u.depth for u in units) + 1):
            level = [u for u in units if u.depth == depth]
            for unit in level:
                unit.team = Team(
                    organisation=org,
                    parent=unit.parent.team if unit.parent else None,
                    name=f"{unit.kind.title()} {unit.key}" if unit.parent else "Bench Inc.",
                    slug=unit.key,
                    kind=unit.kind,
                )
            Team.objects.bulk_create([u.team for u in level if u.team], batch_size=BATCH)
        counts["teams"] = len(units)

        users = [
            User(
                email=f"p{p.index}@bench.example",
                full_name=f"{FIRST[p.index % 11]} {LAST[p.index // 11 % 9]}",
                title="Engineer" if p.role == "member" else p.role.title(),
                password=password,
            )
            for p in people
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        for stage in sorted({p.stage for p in people}):
            batch = [p for p in people if p.stage == stage]
            for p in batch:
                p.membership = Membership(
                    organisation=org,
                    user=users[p.index],
                    role=p.role,
                    team=p.unit.team,
                    manager=p.manager.membership if p.manager else None,
                )
            Membership.objects.bulk_create(
                [p.membership for p in batch if p.membership], batch_size=BATCH
            )
        counts["people"] = len(people)
        for unit in units:
            assert unit.team is not None and unit.head is not None
            unit.team.lead = unit.head.membership
        Team.objects.bulk_update([u.team for u in units if u.team], ["lead"], batch_size=BATCH)

        def objective(
            title: str, level: str, owner: Person, unit: Unit, parent: Objective | None
        ) -> Objective:
            private = level == Objective.Level.PERSONAL and rng.random() < 0.1
            return Objective(
                organisation=org,
                cycle=cycle,
                title=title,
                description="Why this matters this quarter.",
                level=level,
                team=unit.team,
                owner=owner.membership,
                visibility="private" if private else "public",
                status=Objective.Status.PUBLISHED,
                parent=parent,
            )

        assert root.head is not None
        company = [
            objective(f"Company goal {i + 1}", Objective.Level.COMPANY, root.head, root, None)
            for i in range(COMPANY_OBJECTIVES)
        ]
        Objective.objects.bulk_create(company)
        objectives = list(company)
        for depth in range(1, max(u.depth for u in units) + 1):
            level_units = [u for u in units if u.depth == depth]
            for i, unit in enumerate(level_units):
                assert unit.head is not None and unit.parent is not None
                parent = unit.parent.objective or company[i % COMPANY_OBJECTIVES]
                unit.objective = objective(
                    f"{unit.key}: ship what customers asked for",
                    Objective.Level.TEAM,
                    unit.head,
                    unit,
                    parent,
                )
            made = [u.objective for u in level_units if u.objective is not None]
            Objective.objects.bulk_create(made, batch_size=BATCH)
            objectives += made
        personal = [
            objective(
                f"Personal goal of p{p.index}",
                Objective.Level.PERSONAL,
                p,
                p.unit,
                p.unit.objective or company[0],
            )
            for p in people[1:]
        ]
        Objective.objects.bulk_create(personal, batch_size=BATCH)
        objectives += personal
        counts["objectives"] = len(objectives)

        contributors = Objective.contributors.through
        links = [
            contributors(objective_id=u.objective.pk, membership_id=m.membership.pk)
            for u in units
            if u.kind == "team" and u.objective is not None
            for m in u.members[1:3]
            if m.membership is not None
        ]
        contributors.objects.bulk_create(links, batch_size=BATCH)

        owner_of: dict[int, Membership] = {}
        for unit in units:
            if unit.objective is None:
                continue
            if len(unit.members) > 1:
                other = unit.members[1 + rng.randrange(len(unit.members) - 1)]
            elif unit.children and unit.children[0].head is not None:
                other = unit.children[0].head
            else:
                continue
            assert other.membership is not None
            owner_of[unit.objective.pk] = other.membership
        now = timezone.now()
        stamps = [
            timezone.make_aware(datetime.combine(start + timedelta(weeks=week), dtime(9, 30)))
            for week in range(WEEKS)
        ]
        n_krs = n_check_ins = 0
        for chunk in _batches(objectives, 1000):
            krs = []
            for o in chunk:
                for position, shape in enumerate(_kr_shapes(o.pk)):
                    owner = owner_of.get(o.pk, o.owner) if position == 2 else o.owner
                    krs.append(
                        KeyResult(
                            organisation=org,
                            objective=o,
                            title=f"KR {position + 1} of {o.title}",
                            owner=owner,
                            position=position,
                            **shape,
                        )
                    )
            check_ins = []
            for kr in krs:
                pace = rng.uniform(0.4, 1.25)
                for week in range(WEEKS):
                    reading = _reading(kr, week, pace)
                    result = progress.key_result_progress(
                        kr_type=kr.kr_type,
                        baseline=kr.baseline,
                        target=kr.target,
                        current=reading.get("value"),
                        milestone_done=bool(reading.get("milestone_done")),
                        ordinal_level=reading.get("ordinal_level") or 0,
                    )
                    at = stamps[week]
                    confidence = max(0, min(10, round(4 + 5 * pace) - week % 2))
                    check_ins.append(
                        CheckIn(
                            organisation=org,
                            key_result=kr,
                            author=kr.owner,
                            confidence=confidence,
                            progress=result.progress,
                            progress_note="Closed two more accounts." if week % 3 == 0 else "",
                            created_at=min(at, now),
                            **reading,
                        )
                    )
                last = check_ins[-1]
                kr.current_value = last.value
                kr.milestone_done = bool(last.milestone_done)
                kr.ordinal_level = last.ordinal_level or 0
                kr.confidence = last.confidence
                kr.last_check_in_at = last.created_at
                kr.next_check_in_due = last.created_at.date() + timedelta(days=7)
                stored = rollup.recompute_key_result(kr)  # so the recompute below finds it right
                kr.progress, kr.progress_raw = stored.progress, stored.raw
            KeyResult.objects.bulk_create(krs, batch_size=BATCH)
            CheckIn.objects.for_org(org).bulk_create(check_ins, batch_size=BATCH)
            n_krs += len(krs)
            n_check_ins += len(check_ins)
        counts["key_results"] = n_krs
        counts["check_ins"] = n_check_ins
        rollup.recompute_organisation(org)  # what `manage.py recompute_progress` runs
    return counts


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Actors:
    org: Organisation
    cycle: Cycle
    manager: Membership
    admin: Membership
    team: Team
    department: Objective
    company_objective: Objective
    key_result: KeyResult


def pick_actors(size: int) -> Actors:
    """The head of the first department whose sub-units are teams: a manager with ~8 reports
    who are team leads. The same role at every size, so the pages should cost the same."""
    from django.db.models import Count

    from okrcoach.okrs.models import Cycle, KeyResult, Objective
    from okrcoach.orgs.models import Membership, Organisation, Team

    org = Organisation.objects.get(slug=f"bench-{label(size)}")
    team = (
        Team.objects.for_org(org)
        .filter(kind=Team.Kind.TEAM)
        .select_related("parent__lead")
        .order_by("pk")
        .first()
    )
    assert team is not None and team.parent is not None and team.parent.lead is not None
    manager = team.parent.lead
    department = Objective.objects.for_org(org).get(
        level=Objective.Level.TEAM, team=team.parent, owner=manager
    )
    company = (
        Objective.objects.for_org(org)
        .filter(level=Objective.Level.COMPANY)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    key_result = (
        KeyResult.objects.for_org(org)
        .filter(objective=department, kr_type=KeyResult.KRType.METRIC)
        .order_by("position")
        .first()
    )
    assert company is not None and key_result is not None
    return Actors(
        org=org,
        cycle=Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE),
        manager=manager,
        admin=Membership.objects.for_org(org).get(role="admin"),
        team=team,
        department=department,
        company_objective=company,
        key_result=key_result,
    )


@dataclass
class Timing:
    samples_ms: list[float]
    queries: int
    bytes: int


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(
    name: str,
    request: Callable[[], Any],
    *,
    warmups: int,
    runs: int,
    sql_dir: Path,
) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expected = (200, 201)
    for _ in range(warmups):
        response = request()
        assert response.status_code in expected, (name, response.status_code)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code in expected, (name, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = request()
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    (sql_dir / f"{name}.sql").write_text(
        "\n\n".join(f"-- {q['time']}s\n{q['sql']}" for q in captured.captured_queries)
        + "\n\n-- slowest first --\n"
        + "\n".join(f"-- {q['time']}s {q['sql'][:300]}" for q in slowest[:5])
        + "\n"
    )
    return Timing(
        samples_ms=[round(s, 3) for s in samples],
        queries=len(captured.captured_queries),
        bytes=len(response.content),
    )


def _bulk(
    client: Client, actors: Actors, token: str, batches: int, sql_dir: Path
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from okrcoach.okrs.models import KeyResult

    krs = list(
        KeyResult.objects.for_org(actors.org)
        .filter(kr_type=KeyResult.KRType.METRIC, objective__cycle=actors.cycle)
        .order_by("pk")
        .values_list("public_id", flat=True)[: BULK_ROWS * (batches + 1)]
    )
    headers = {"Authorization": f"Bearer {token}"}

    def post(offset: int) -> Any:
        chunk = krs[offset * BULK_ROWS : (offset + 1) * BULK_ROWS]
        body = {
            "items": [
                {"key_result_id": str(kr), "value": 40 + offset, "confidence": 7} for kr in chunk
            ]
        }
        response = client.post(
            "/api/v1/okrs/check-ins/bulk",
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 201, response.content[:500]
        return response

    post(0)  # warm-up
    rates = []
    for i in range(1, batches + 1):
        began = time.perf_counter()
        post(i % (len(krs) // BULK_ROWS))
        rates.append(round(BULK_ROWS / (time.perf_counter() - began), 1))
    with CaptureQueriesContext(connection) as captured:
        post(0)
    shapes: dict[str, list[float]] = {}
    for q in captured.captured_queries:
        shapes.setdefault(q["sql"][:90], []).append(float(q["time"]))
    (sql_dir / "bulk_check_in.sql").write_text(
        "-- count, total seconds, statement (grouped by its first 90 characters)\n"
        + "\n".join(
            f"-- {len(t)}x {sum(t):.3f}s {shape}"
            for shape, t in sorted(shapes.items(), key=lambda kv: -sum(kv[1]))
        )
        + "\n"
    )
    return {"rows_per_s": rates, "queries_per_batch": len(captured.captured_queries)}


def run_pages(size: int, db: str, quick: bool) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from okrcoach.api.services import create_api_token

    actors = pick_actors(size)
    warmups, runs = (2, 10) if quick else (3, 10)
    sql_dir = RESULTS / "sql" / f"{db}-{label(size)}"
    sql_dir.mkdir(parents=True, exist_ok=True)
    client = Client()
    client.force_login(actors.manager.user)
    slug = actors.org.slug
    htmx = {"HX-Request": "true"}
    kr = actors.key_result
    value = iter(range(10**6))

    def check_in() -> Any:
        prefix = f"kr-{kr.public_id}"
        return client.post(
            reverse("okrs:check_in", args=[slug, kr.public_id]),
            {f"{prefix}-value": str(50 + next(value) % 40), f"{prefix}-confidence": "7"},
            headers=htmx,
        )

    pages: dict[str, Callable[[], Any]] = {
        "my_okrs": lambda: client.get(reverse("okrs:my_okrs", args=[slug])),
        "team_okrs": lambda: client.get(
            reverse("okrs:team_okrs", args=[slug, actors.team.public_id])
        ),
        "company_tree": lambda: client.get(reverse("okrs:company", args=[slug])),
        "tree_children_company": lambda: client.get(
            reverse("okrs:company_children", args=[slug, actors.company_objective.public_id]),
            headers=htmx,
        ),
        "tree_children_department": lambda: client.get(
            reverse("okrs:company_children", args=[slug, actors.department.public_id]),
            headers=htmx,
        ),
        "objective_detail": lambda: client.get(
            reverse("okrs:objective_detail", args=[slug, actors.department.public_id])
        ),
        "check_in_post": check_in,
    }
    results = {
        name: measure(name, fn, warmups=warmups, runs=runs, sql_dir=sql_dir).__dict__
        for name, fn in pages.items()
    }
    _token, raw = create_api_token(membership=actors.admin, name=f"bench {time.time():.0f}")
    bulk = _bulk(Client(), actors, raw, 2, sql_dir)
    return {"pages": results, "bulk": bulk}


def worker(db: str, size: int, quick: bool, reseed: bool, out: Path) -> int:
    url = database_url(db, size)
    fresh = reseed or _prepare_database(db, url)
    if reseed:
        _drop_database(db, url)
        _prepare_database(db, url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "okrcoach.settings.test"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from okrcoach.orgs.models import Organisation

    call_command("migrate", verbosity=0)
    seeded: dict[str, Any] = {}
    if fresh or not Organisation.objects.filter(slug=f"bench-{label(size)}").exists():
        began = time.perf_counter()
        seeded = seed(size, timezone.localdate())
        seeded["seconds"] = round(time.perf_counter() - began, 1)
        print(f"  seeded {db} {label(size)}: {seeded}", flush=True)
    if db == "postgres":
        # Fresh bulk loads have no planner statistics until autovacuum gets round to them; a
        # live database has them, so measure with them.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    measured = run_pages(size, db, quick)
    out.write_text(json.dumps({"db": db, "people": size, "seed": seeded, **measured}))
    return 0


def _prepare_database(db: str, url: str) -> bool:
    """Create the database if it is missing; True when it was created (so it needs a seed)."""
    if db == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_database(db: str, url: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the report ----------------------------------------------------------------------------


def _aggregate(db: str, size: int, rounds: list[Path]) -> dict[str, Any]:
    """Pool the samples of every round of one (database, size) pair."""
    loaded = [json.loads(p.read_text()) for p in rounds]
    pages: dict[str, Any] = {}
    for page in loaded[0]["pages"]:
        samples = [s for r in loaded for s in r["pages"][page]["samples_ms"]]
        pages[page] = {
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(_percentile(samples, 0.95), 2),
            "queries": max(r["pages"][page]["queries"] for r in loaded),
            "bytes": loaded[-1]["pages"][page]["bytes"],
            "runs": len(samples),
        }
    rates = [x for r in loaded for x in r["bulk"]["rows_per_s"]]
    bulk = {
        "rows_per_batch": BULK_ROWS,
        "batches": len(rates),
        "rows_per_s_median": round(statistics.median(rates)),
        "rows_per_s_min": round(min(rates)),
        "queries_per_batch": loaded[-1]["bulk"]["queries_per_batch"],
    }
    seeds = [r["seed"] for r in loaded if r["seed"]]
    result = {"db": db, "people": size, "seed": seeds[0] if seeds else None}
    result |= {"pages": pages, "bulk": bulk}
    (RESULTS / f"okrs-{db}-{label(size)}.json").write_text(json.dumps(result, indent=2))
    return result


def report(db: str, sizes: list[int], runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    small, large = min(sizes), max(sizes)
    head = "page".ljust(26) + "".join(
        f"{'q ' + label(s):>7}{'p50 ' + label(s):>10}{'p95 ' + label(s):>10}" for s in sizes
    )
    ratio_head = f"{'ratio':>8}" if len(sizes) > 1 else ""
    print(f"\n{db}: ms per request (queries per request)\n{head}{ratio_head}")
    ratios: dict[str, float] = {}
    for page in runs[small]["pages"]:
        line = page.ljust(26)
        for s in sizes:
            t = runs[s]["pages"][page]
            line += f"{t['queries']:>7}{t['p50_ms']:>10.1f}{t['p95_ms']:>10.1f}"
        if len(sizes) > 1:
            ratio = runs[large]["pages"][page]["p50_ms"] / runs[small]["pages"][page]["p50_ms"]
            ratios[page] = round(ratio, 2)
            line += f"{ratio:>8.2f}" + ("  > goal" if ratio > GOAL else "")
        print(line)
    for s in sizes:
        b = runs[s]["bulk"]
        print(
            f"bulk check-in {label(s)}: {b['rows_per_s_median']:,} rows/s median "
            f"(min {b['rows_per_s_min']:,}), {b['queries_per_batch']} queries per "
            f"{b['rows_per_batch']}-row batch"
        )
    summary = {"db": db, "people": sizes, "ratios": ratios, "goal": GOAL, "runs": runs}
    (RESULTS / f"okrs-{db}-summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--people", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of 10 requests per page, alternating the sizes (default 3; --quick: 1)",
    )
    parser.add_argument("--quick", action="store_true", help="one round, two warm-ups")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.worker:
        return worker(args.db[0], args.people[0], args.quick, args.reseed, args.out)
    sizes = sorted(args.people)
    rounds = 1 if args.quick else args.rounds
    raw = RESULTS / "raw"
    raw.mkdir(exist_ok=True)
    failed = False
    for db in args.db:
        files: dict[int, list[Path]] = {s: [] for s in sizes}
        # Alternate the sizes round by round, so load from anything else on the machine
        # falls on both alike.
        for round_ in range(rounds):
            for size in sizes:
                print(f"{db} {label(size)} round {round_ + 1}/{rounds} …", flush=True)
                out = raw / f"okrs-{db}-{label(size)}-r{round_ + 1}.json"
                command = [sys.executable, __file__, "--worker", "--db", db]
                command += ["--people", str(size), "--out", str(out)]
                command += ["--quick"] * args.quick + ["--reseed"] * (args.reseed and not round_)
                if subprocess.run(command, check=False).returncode:  # noqa: S603
                    return 2
                files[size].append(out)
        summary = report(db, sizes, {s: _aggregate(db, s, files[s]) for s in sizes})
        failed = failed or any(r > GOAL for r in summary["ratios"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
