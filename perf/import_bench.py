"""The OKR import at size: seconds (wall and CPU) and SQL queries for a file of N key results.

    .venv/bin/python perf/import_bench.py                       # SQLite, 2,000 rows, 3 rounds
    .venv/bin/python perf/import_bench.py --rows 2000 --db postgres
    .venv/bin/python perf/import_bench.py --into pjob24_import_10k   # a copy of a seeded 10k DB

Each round imports a CSV of N/4 objectives with 4 key results each into a fresh cycle of one
organisation (SQLite: var/bench/import.sqlite3, rebuilt each run; PostgreSQL: database
$BENCH_IMPORT_DB, default okrcoach_perf_import, at $BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432, dropped and created), or with --into into the active cycle
of a seeded database's organisation (a copy: it is written to), as its admin, the owners spread
over 50 members. The table gives the median of the rounds and each round's wall seconds, the
process's CPU and its PostgreSQL backend's. Goal (issue 15): 2,000 rows in under 10 s.

The import leaves the coach's review to the task worker (okrs.tasks.review_imported_rows, queued
in the import's transaction): each round then runs that review here, after the import, and the
table gives its wall and CPU seconds apart ("review task"), so the work moved off the request is
still counted.
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
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# Several people bench on one server: each names their own database (it is dropped and created).
PG_DB = os.environ.get("BENCH_IMPORT_DB", "okrcoach_perf_import")
HEADER = "objective,level,owner_email,key_result,kr_type,baseline,target\n"


def csv_file(rows: int, round_no: int, owners: list[str] | None = None) -> bytes:
    owners = owners or ["owner@bench.test"]
    stamp = int(time.time())
    lines = [HEADER]
    for n in range(rows):
        o, k = divmod(n, 4)
        lines.append(
            f"Round {round_no}.{stamp} objective {o} lands well,personal,{owners[o % len(owners)]},"
            f"Measure {k} of objective {o} rises,metric,0,{10 + k}\n"
        )
    return "".join(lines).encode()


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (0.0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def existing_org() -> tuple[Any, Any, list[str]]:
    """--into: the seeded organisation's admin, its active cycle and 50 owners."""
    from okrcoach.okrs.models import Cycle
    from okrcoach.orgs.models import Membership, Organisation

    org = Organisation.objects.order_by("pk").first()
    assert org is not None
    admin = Membership.objects.for_org(org).filter(role="admin").order_by("pk").first()
    cycle = Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE)
    owners = list(
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .order_by("pk")
        .values_list("user__email", flat=True)[:50]
    )
    return admin, cycle, owners


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--into",
        help="a seeded PostgreSQL database (a copy: it is written to); imports into its "
        "organisation's active cycle as its admin, owners spread over 50 members",
    )
    args = parser.parse_args()
    if args.into:
        args.db = "postgres"
        os.environ["DATABASE_URL"] = f"{PG_URL}/{args.into}"
    elif args.db == "sqlite":
        db = REPO / "var" / "bench" / "import.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
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

    owners: list[str] = []
    if args.into:
        admin, into_cycle, owners = existing_org()
    else:
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
    walls, cpus, pg_cpus, queries, review_walls, review_cpus = [], [], [], [], [], []
    for r in range(args.rounds):
        if args.into:
            cycle = into_cycle
        else:
            cycle = Cycle.objects.for_org(org).create(
                organisation=org,
                name=f"Round {r}",
                starts_on=today - dt.timedelta(days=10),
                ends_on=today + dt.timedelta(days=80),
                state=Cycle.State.PLANNING,
            )
        data = csv_file(args.rows, r, owners)
        pg_cpu = _backend_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            result = importing.import_okrs(actor=admin, cycle=cycle, data=data, filename="b.csv")
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        pg_cpus.append(_backend_cpu() - pg_cpu)
        queries.append(len(ctx.captured_queries))
        assert result.key_results == args.rows, result
        started, cpu = time.perf_counter(), time.process_time()
        reviewed = review_pending(admin.organisation, cycle)
        review_walls.append(time.perf_counter() - started)
        review_cpus.append(time.process_time() - cpu)
        assert reviewed == args.rows + args.rows // 4, reviewed
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    where = f"into {args.into}'s active cycle" if args.into else args.db
    print(f"\nOKR import, {where}, median of {args.rounds} round(s), load average {load}")
    print(
        "| rows | wall s | CPU s | PG CPU s | rows/s | queries | wall s of each round "
        "| review task wall s / CPU s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    wall = statistics.median(walls)
    print(
        f"| {args.rows} | {wall:.2f} | {statistics.median(cpus):.2f} "
        f"| {statistics.median(pg_cpus):.2f} | {args.rows / wall:,.0f} "
        f"| {statistics.median(queries):.0f} | {' / '.join(f'{w:.2f}' for w in walls)} "
        f"| {statistics.median(review_walls):.2f} / {statistics.median(review_cpus):.2f} |"
    )


def review_pending(organisation: Any, cycle: Any) -> int:
    """What the task worker does after the import commits: the coach's review of its rows."""
    from okrcoach.okrs.models import Objective
    from okrcoach.okrs.services.coach import review_pending_rows

    ids = list(
        Objective.objects.for_org(organisation)
        .filter(cycle=cycle, coach_verdict__pending=True)
        .values_list("pk", flat=True)
    )
    return review_pending_rows(organisation, objective_ids=ids)


if __name__ == "__main__":
    main()
