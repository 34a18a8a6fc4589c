"""Bulk check-in throughput: rows per second of `record_check_ins` (the API's bulk endpoint, one
set-based UPDATE per batch, core/bulk.py) next to one `record_check_in` per row.

    .venv/bin/python perf/bulk_checkin_bench.py                      # PostgreSQL, 500 and 2000 rows
    .venv/bin/python perf/bulk_checkin_bench.py --db sqlite --rows 200 --rounds 1

PostgreSQL: database okrcoach_perf_bulk_checkin at $BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432); SQLite: var/bench/bulk_checkin.sqlite3. Created, migrated
and seeded on first use (one organisation, one cycle, --rows' largest number of key results),
reused afterwards. Each round commits (as the API does), in calls of at most 500 rows (the
endpoint's limit); the table shows the median of --rounds. Goal (issue 15): >= 2,000 rows/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "okrcoach_perf_bulk_checkin"
SLUG = "bulk-bench"


def setup_database(db: str) -> None:
    if db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        os.environ["DATABASE_URL"] = f"{PG_URL}/{DB_NAME}"
    else:
        path = REPO / "var" / "bench" / "bulk_checkin.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(rows: int) -> tuple[Any, list[Any]]:
    from okrcoach.okrs.models import Cycle, KeyResult, Objective
    from okrcoach.okrs.tests import factories as okr_factories
    from okrcoach.orgs.models import Membership, Organisation, Role
    from okrcoach.orgs.tests import factories as org_factories

    # factory_boy is untyped: its factories are used as Any.
    of: Any = okr_factories
    gf: Any = org_factories

    org: Any = Organisation.objects.filter(slug=SLUG).first()
    if org is None:
        org = gf.OrganisationFactory(name="Bulk bench", slug=SLUG)
        gf.MembershipFactory(organisation=org, role=Role.ADMIN, user__email="bench@bulk.test")
        of.CycleFactory(organisation=org, name="Bench quarter")
    actor = Membership.objects.for_org(org).get(user__email="bench@bulk.test")
    cycle = Cycle.objects.for_org(org).get(name="Bench quarter")
    have = KeyResult.objects.for_org(org).count()
    if have < rows:
        top = of.ObjectiveFactory(cycle=cycle, owner=actor, level=Objective.Level.COMPANY)
        for start in range(have, rows, 5):
            o = of.ObjectiveFactory(cycle=cycle, owner=actor, parent=top, level="personal")
            for _ in range(min(5, rows - start)):
                of.KeyResultFactory(objective=o, baseline=Decimal(0), target=Decimal(100))
    # Loaded as the API's bulk endpoint loads them (okrs/api.py `_key_results`).
    krs = list(
        KeyResult.objects.for_org(org)
        .select_related("objective__cycle", "objective__team", "objective__owner", "owner__team")
        .order_by("pk")
    )
    return actor, krs[:rows]


def run_bulk(actor: Any, krs: list[Any], value: int) -> None:
    from okrcoach.okrs.services.check_ins import (
        BULK_CHECK_IN_LIMIT,
        CheckInData,
        record_check_ins,
    )

    for start in range(0, len(krs), BULK_CHECK_IN_LIMIT):
        part = krs[start : start + BULK_CHECK_IN_LIMIT]
        items = [
            (kr, CheckInData(value=Decimal(value + i % 7), confidence=7))
            for i, kr in enumerate(part)
        ]
        record_check_ins(actor=actor, items=items)


def run_per_row(actor: Any, krs: list[Any], value: int) -> None:
    from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

    for i, kr in enumerate(krs):
        record_check_in(
            actor=actor, key_result=kr, data=CheckInData(value=Decimal(value + i % 7), confidence=7)
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-per-row", action="store_true", help="skip the one-at-a-time path")
    args = parser.parse_args()
    setup_database(args.db)
    actor, all_krs = seed(max(args.rows))
    import okrcoach.okrs.services.check_ins  # noqa: F401 - imported before the clock starts

    results: list[tuple[str, int, float]] = []
    paths = [("bulk (set-based)", run_bulk)]
    if not args.no_per_row:
        paths.append(("one at a time", run_per_row))
    value = 10
    for name, run in paths:
        for rows in args.rows:
            times = []
            for _ in range(args.rounds):
                value += 1
                began = time.perf_counter()
                run(actor, all_krs[:rows], value)
                times.append(time.perf_counter() - began)
            results.append((name, rows, statistics.median(times)))
    load = os.getloadavg()[0]
    print(f"\nbulk check-in, {args.db}, median of {args.rounds} round(s), load average {load:.1f}")
    print("| path | rows | seconds | rows/s |")
    print("|---|---:|---:|---:|")
    for name, rows, seconds in results:
        print(f"| {name} | {rows} | {seconds:.2f} | {rows / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
