"""Bulk check-in throughput: rows per second of `record_check_ins` (the API's bulk endpoint, one
set-based UPDATE per batch, core/bulk.py) next to one `record_check_in` per row.

    .venv/bin/python perf/bulk_checkin_bench.py                      # PostgreSQL, 500 and 2000 rows
    .venv/bin/python perf/bulk_checkin_bench.py --db sqlite --rows 200 --rounds 1
    .venv/bin/python perf/bulk_checkin_bench.py --spread --pg-db pblk_10k   # a seeded organisation

PostgreSQL: database $BENCH_BULK_DB (default okrcoach_perf_bulk_checkin) at $BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432); SQLite: var/bench/bulk_checkin.sqlite3. Created, migrated
and seeded on first use (one organisation, one cycle, --rows' largest number of key results),
reused afterwards. Each round commits (as the API does), in calls of at most 500 rows (the
endpoint's limit); the table shows the median of --rounds. Goal (issue 15): >= 2,000 rows/s.

`--spread` measures the case that is slow in practice, on an existing database seeded by
perf/okrs_bench.py or perf/insights_bench.py (`--pg-db`, never written to by anything but the
check-ins): batches of 500 metric key results of the active cycle in primary-key order, as
okrs_bench.py's bulk API calls take them, so each batch touches a few hundred teams and their
objectives. Each batch runs as the endpoint runs it once the body is parsed (an admin, the key
results read by the endpoint's service, one transaction, the insights refresh in it) and reports its
rows/s, queries, and the split between recording (validation, the key results' UPDATE, the
check-ins' INSERT, the audit row), the progress roll-up and the insights snapshot refresh.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = os.environ.get("BENCH_BULK_DB", "okrcoach_perf_bulk_checkin")
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


class Phases:
    """Wall time and queries of each phase of a batch: wrappers around the roll-up and the
    insights refresh (module attributes, as the callers look them up) and a query counter."""

    def __init__(self) -> None:
        self.current = "record"
        self.seconds: dict[str, float] = {}
        self.queries: dict[str, int] = {}

    def reset(self) -> None:
        self.current = "record"
        self.seconds = {"record": 0.0, "rollup": 0.0, "insights": 0.0}
        self.queries = {"record": 0, "rollup": 0, "insights": 0}

    def count(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries[self.current] = self.queries.get(self.current, 0) + 1
        return execute(sql, params, many, context)

    def timed(self, phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            outer, self.current = self.current, phase
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - began
                self.current = outer

        return run

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        import importlib

        from django.db import connection

        from okrcoach.insights import snapshots
        from okrcoach.okrs import rollup

        try:  # the bulk check-in's own roll-up on tuples, until session 24 (it now calls
            # rollup.refresh_objectives)
            bulk: Any = importlib.import_module("okrcoach.okrs.services.bulk_check_ins")
            rollups = [(bulk, "_roll_up", "rollup")] if hasattr(bulk, "_roll_up") else []
        except ImportError:
            rollups = []
        wrapped = [(rollup, "refresh_objectives", "rollup"), *rollups] + [
            (snapshots, name, "insights")
            for name in ("refresh_for_key_results", "refresh_for_check_ins")
            if hasattr(snapshots, name)  # the latter is new: the script also runs on older code
        ]
        saved = [getattr(module, name) for module, name, _phase in wrapped]
        for (module, name, phase), fn in zip(wrapped, saved, strict=True):
            setattr(module, name, self.timed(phase, fn))
        try:
            with connection.execute_wrapper(self.count):
                yield
        finally:
            for (module, name, _phase), fn in zip(wrapped, saved, strict=True):
                setattr(module, name, fn)


def _endpoint_call(org: Any) -> Callable[[Any, list[Any], list[Any]], Any]:
    """What the API's bulk endpoint runs for a batch once its body is parsed: the service that
    reads and locks the key results by public id itself (services/bulk_check_ins.py), or on
    older code, the endpoint's own query for the key results (or the one it used before it had
    one) and then `record_check_ins`."""
    import importlib

    from okrcoach.okrs import api
    from okrcoach.okrs.models import KeyResult
    from okrcoach.okrs.services.check_ins import record_check_ins

    try:
        bulk = importlib.import_module("okrcoach.okrs.services.bulk_check_ins")
    except ImportError:
        bulk = None
    if bulk is not None:
        return lambda m, ids, datas: bulk.record_check_ins_by_public_id(
            actor=m, items=list(zip(ids, datas, strict=True))
        )
    loader = getattr(api, "bulk_key_results", None) or (
        lambda m, ids: (
            KeyResult.objects.for_org(org)
            .visible_to(m)
            .select_related(
                "objective__cycle", "objective__team", "objective__owner", "owner__team"
            )
            .filter(public_id__in=ids)
        )
    )

    def call(m: Any, ids: list[Any], datas: list[Any]) -> Any:
        krs = {kr.public_id: kr for kr in loader(m, ids)}
        return record_check_ins(
            actor=m, items=[(krs[pk], d) for pk, d in zip(ids, datas, strict=True)]
        )

    return call


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a PostgreSQL backend so far, from /proc (the server on
    this machine), or 0.0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_spread(db_name: str, batches: int, rows: int) -> int:
    os.environ["DATABASE_URL"] = f"{PG_URL}/{db_name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection, transaction

    from okrcoach.insights import snapshots
    from okrcoach.insights.models import CycleSnapshot
    from okrcoach.okrs.models import Cycle, KeyResult
    from okrcoach.okrs.services.check_ins import CheckInData
    from okrcoach.orgs.models import Membership, Organisation

    org = Organisation.objects.order_by("pk").first()
    assert org is not None, f"{db_name} holds no organisation: seed it with perf/okrs_bench.py"
    cycle = Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE)
    admin = Membership.objects.for_org(org).filter(role="admin").order_by("pk").first()
    assert admin is not None
    if not CycleSnapshot.objects.for_org(org).filter(cycle=cycle).exists():
        snapshots.compute_cycle(org, cycle)  # else the refresh has nothing to update
    people = Membership.objects.for_org(org).count()
    ids = list(
        KeyResult.objects.for_org(org)
        .filter(kr_type=KeyResult.KRType.METRIC, objective__cycle=cycle)
        .order_by("pk")
        .values_list("public_id", flat=True)[: rows * (batches + 1)]
    )
    assert len(ids) >= rows * (batches + 1), "not enough metric key results"
    call = _endpoint_call(org)
    facts = {
        pk: (team or 0, objective)
        for pk, team, objective in KeyResult.objects.for_org(org)
        .filter(public_id__in=ids)
        .values_list("public_id", "owner__team_id", "objective_id")
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    phases = Phases()
    results = []
    start = int(time.time()) % 89  # new values each run, so progress moves every time
    for batch in range(batches + 1):  # the first is a warm-up
        chunk = ids[batch * rows : (batch + 1) * rows]
        phases.reset()
        cpu = time.process_time()
        pg_cpu = _backend_cpu(backend)
        began = time.perf_counter()
        datas = [
            CheckInData(value=Decimal(start + batch + i % 7), confidence=7)
            for i in range(len(chunk))
        ]
        # transaction.atomic: the request's transaction (on_commit runs after it).
        with phases.installed(), transaction.atomic():
            call(admin, chunk, datas)
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu
        pg_cpu = _backend_cpu(backend) - pg_cpu
        touched = {facts[pk][0] for pk in chunk}
        objectives = {facts[pk][1] for pk in chunk}
        if batch:
            results.append(
                (
                    seconds,
                    dict(phases.seconds),
                    dict(phases.queries),
                    len(touched),
                    len(objectives),
                    cpu,
                    pg_cpu,
                )
            )
    load_avg = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nbulk check-in spread over teams, PostgreSQL {db_name}: {people:,} people, "
        f"{rows} metric key results a batch, load average {load_avg}"
    )
    print(
        "| batch | teams | objectives | seconds | app CPU s | PG CPU s | rows/s | queries "
        "| record s (q) | roll-up s (q) | insights s (q) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
    for i, (seconds, secs, queries, n_teams, n_objectives, cpu, pg) in enumerate(results, 1):
        record = seconds - secs["rollup"] - secs["insights"]
        print(
            f"| {i} | {n_teams} | {n_objectives} | {seconds:.3f} | {cpu:.3f} | {pg:.3f} "
            f"| {rows / seconds:,.0f} "
            f"| {sum(queries.values())} | {record:.3f} ({queries['record']}) "
            f"| {secs['rollup']:.3f} ({queries['rollup']}) "
            f"| {secs['insights']:.3f} ({queries['insights']}) |"
        )
    median = statistics.median(r[0] for r in results)
    cpu_median = statistics.median(r[5] for r in results)
    pg_median = statistics.median(r[6] for r in results)
    both = statistics.median(r[5] + r[6] for r in results)
    print(
        f"median: {median:.3f} s a batch, {rows / median:,.0f} rows/s; CPU a batch: this "
        f"process {cpu_median:.3f} s, its PostgreSQL backend {pg_median:.3f} s, together "
        f"{both:.3f} s = {both / rows * 1000:.3f} ms a row"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-per-row", action="store_true", help="skip the one-at-a-time path")
    parser.add_argument(
        "--spread", action="store_true", help="batches spread over many teams (needs --pg-db)"
    )
    parser.add_argument("--pg-db", help="an existing seeded PostgreSQL database (--spread)")
    args = parser.parse_args()
    if args.spread:
        if not args.pg_db:
            parser.error("--spread needs --pg-db")
        return run_spread(args.pg_db, args.rounds, 500)
    setup_database(args.db)
    actor, all_krs = seed(max(args.rows))
    import okrcoach.okrs.services.check_ins  # noqa: F401 - imported before the clock starts

    results: list[tuple[str, int, list[float]]] = []
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
            results.append((name, rows, times))
    load = os.getloadavg()[0]
    print(f"\nbulk check-in, {args.db}, median of {args.rounds} round(s), load average {load:.1f}")
    print("| path | rows | seconds | rows/s | rows/s of each round |")
    print("|---|---:|---:|---:|---|")
    for name, rows, times in results:
        seconds = statistics.median(times)
        each = " / ".join(f"{rows / t:,.0f}" for t in times)
        print(f"| {name} | {rows} | {seconds:.2f} | {rows / seconds:,.0f} | {each} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
