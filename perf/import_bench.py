"""The OKR import at size: seconds (wall and CPU) and SQL queries for a file of N key results.

    .venv/bin/python perf/import_bench.py                       # SQLite, 2,000 rows, 3 rounds
    .venv/bin/python perf/import_bench.py --rows 2000 --db postgres

Each round imports a CSV of N/4 objectives with 4 key results each into a fresh cycle of one
organisation (SQLite: var/bench/import.sqlite3, rebuilt each run; PostgreSQL: database
okrcoach_perf_import at $BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, dropped and
created). The table gives the median of the rounds. Goal (issue 15): 2,000 rows in under 10 s.
A benchmark, not a test: the suite checks the bounded number of queries
(okrcoach/okrs/tests/test_trust_imports.py), never the time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
HEADER = "objective,level,owner_email,key_result,kr_type,baseline,target\n"


def csv_file(rows: int, round_no: int) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        o, k = divmod(n, 4)
        lines.append(
            f"Round {round_no} objective {o} lands well,personal,owner@bench.test,"
            f"Measure {k} of objective {o} rises,metric,0,{10 + k}\n"
        )
    return "".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.db == "sqlite":
        db = REPO / "var" / "bench" / "import.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS okrcoach_perf_import")
            conn.execute("CREATE DATABASE okrcoach_perf_import")
        os.environ["DATABASE_URL"] = f"{PG_URL}/okrcoach_perf_import"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from okrcoach.accounts.models import User
    from okrcoach.okrs.models import Cycle
    from okrcoach.okrs.services import importing
    from okrcoach.orgs.models import Membership, Organisation, Role

    org = Organisation.objects.create(name="Import Bench", slug="import-bench")
    admin = Membership.objects.for_org(org).create(
        organisation=org,
        user=User.objects.create(email="admin@bench.test", full_name="Ada Admin"),
        role=Role.ADMIN,
    )
    Membership.objects.for_org(org).create(
        organisation=org, user=User.objects.create(email="owner@bench.test", full_name="Owen")
    )
    today = timezone.localdate()
    walls, cpus, queries = [], [], []
    for r in range(args.rounds):
        cycle = Cycle.objects.for_org(org).create(
            organisation=org,
            name=f"Round {r}",
            starts_on=today - dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=80),
            state=Cycle.State.PLANNING,
        )
        data = csv_file(args.rows, r)
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            result = importing.import_okrs(actor=admin, cycle=cycle, data=data, filename="b.csv")
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        queries.append(len(ctx.captured_queries))
        assert result.key_results == args.rows, result
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nOKR import, {args.db}, median of {args.rounds} round(s), load average {load}")
    print("| rows | wall s | CPU s | rows/s | queries |")
    print("|---:|---:|---:|---:|---:|")
    wall = statistics.median(walls)
    print(
        f"| {args.rows} | {wall:.2f} | {statistics.median(cpus):.2f} | {args.rows / wall:,.0f} "
        f"| {statistics.median(queries):.0f} |"
    )


if __name__ == "__main__":
    main()
