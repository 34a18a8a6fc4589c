"""Does the full recompute (`manage.py recompute_progress`, rollup.recompute_organisation) hold
check-ins up, and for how long? On a copy of a seeded database (it writes check-ins):

    BENCH_DB_PREFIX=pfu26_ .venv/bin/python perf/recompute_locks.py --people 10000 --runs 2

The recompute runs in this process through the command (`--org`: the largest organisation); a
second process (`--checker`) records one check-in after another (the service, as the htmx
quick check-in calls it, on metric key results of the active cycle, every `--interval`
seconds) from 2 seconds before the recompute until 2 seconds after it. Printed per run: the
recompute's wall time, its transactions (how many, the longest) and its slowest statements, and
the check-ins' latency before, during (overlapping the recompute's row locks) and after it.
Two processes, not two threads: the recompute's Python would hold the GIL against the check-ins.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def _setup(people: int) -> None:
    prefix = os.environ.get("BENCH_DB_PREFIX", "okrcoach_perf_")
    os.environ["DATABASE_URL"] = f"{PG_URL}/{prefix}{people}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _organisation() -> Any:
    from django.db.models import Count

    from okrcoach.orgs.models import Membership, Organisation

    largest = (
        Membership.objects.values("organisation").annotate(n=Count("pk")).order_by("-n").first()
    )
    assert largest is not None, "no organisation"
    return Organisation.objects.get(pk=largest["organisation"])


def _checker(seconds: float, interval: float) -> None:
    """Check in on random metric key results of the active cycle until `seconds` have passed;
    one JSON line per check-in: wall-clock start and duration."""
    from decimal import Decimal

    from okrcoach.okrs.models import Cycle, KeyResult
    from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
    from okrcoach.orgs.models import Membership, Role

    org = _organisation()
    admin = Membership.objects.for_org(org).filter(role=Role.ADMIN).order_by("pk").first()
    assert admin is not None, "the organisation has no admin"
    pks = list(
        KeyResult.objects.for_org(org)
        .filter(objective__cycle__state=Cycle.State.ACTIVE, kr_type=KeyResult.KRType.METRIC)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    pick = random.Random(7)
    # SIGTERM ends the loop after the check-in under way (until session 26 a check-in and its
    # roll-up were two commits, services.check_ins _TWO_TRANSACTIONS: killed between them, the
    # process left its objectives' progress behind; one transaction now, _ONE_TRANSACTION).
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    print(json.dumps({"ready": True}), flush=True)
    end = time.time() + seconds
    while time.time() < end and not stop.is_set():
        kr = (
            KeyResult.objects.for_org(org)
            .select_related("objective__cycle", "objective__team", "owner")
            .get(pk=pick.choice(pks))
        )
        started = time.time()
        record_check_in(
            actor=admin,
            key_result=kr,
            data=CheckInData(value=Decimal(pick.randint(0, 100)), confidence=6),
        )
        print(json.dumps({"at": started, "took": time.time() - started}), flush=True)
        time.sleep(interval)


class _Statements:
    """Every statement of the recompute: wall-clock start, duration, its SQL's start."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, float, str]] = []

    def __call__(self, execute: Any, sql: str, *args: Any) -> Any:
        started = time.time()
        try:
            return execute(sql, *args)
        finally:
            self.rows.append((started, time.time() - started, " ".join(sql.split())[:90]))


def _overlap(check_in: dict[str, float], start: float, end: float) -> bool:
    return check_in["at"] < end and check_in["at"] + check_in["took"] > start


def _read(checker: subprocess.Popen[str], into: list[dict[str, float]]) -> None:
    """The checker's lines as they come (the first says it is ready)."""
    assert checker.stdout is not None
    for line in checker.stdout:
        row = json.loads(line)
        if "took" in row:
            into.append(row)


def _timed_batches() -> list[float]:
    """The recompute's transactions, timed: each batch function of rollup (session 26) is one;
    before, the command's one transaction was (the list stays empty)."""
    from okrcoach.okrs import rollup

    took: list[float] = []
    for name in ("_recompute_key_results", "_recompute_objectives"):
        function = getattr(rollup, name, None)
        if function is None:
            continue
        function = getattr(function, "_untimed", function)

        def timed(*args: Any, _function: Any = function, **kwargs: Any) -> Any:
            started = time.time()
            try:
                return _function(*args, **kwargs)
            finally:
                took.append(time.time() - started)

        timed._untimed = function  # type: ignore[attr-defined]
        setattr(rollup, name, timed)
    return took


def _run(people: int, interval: float, runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from okrcoach.okrs.models import KeyResult, Objective

    org = _organisation()
    print(
        f"{org.slug}: {KeyResult.objects.for_org(org).count()} key results,"
        f" {Objective.objects.for_org(org).count()} objectives;"
        f" load {os.getloadavg()[0]:.2f} at {time.strftime('%H:%M:%S', time.gmtime())} UTC"
    )
    for run in range(1, runs + 1):
        command = [sys.executable, __file__, "--checker", "--people", str(people)]
        command += ["--interval", str(interval), "--seconds", "600"]
        checker = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        check_ins: list[dict[str, float]] = []
        reader = threading.Thread(target=_read, args=(checker, check_ins))
        reader.start()
        deadline = time.time() + 120
        while len(check_ins) < 3 and time.time() < deadline:  # the checker is under way
            time.sleep(0.1)
        time.sleep(2.0)
        statements = _Statements()
        transactions = _timed_batches()
        out = io.StringIO()
        started = time.time()
        with connection.execute_wrapper(statements):
            call_command("recompute_progress", "--org", org.slug, stdout=out)
        ended = time.time()
        time.sleep(2.0)
        checker.terminate()
        checker.wait()
        reader.join()
        locking = [s for s in statements.rows if "FOR UPDATE" in s[2] or "FOR NO KEY" in s[2]]
        first_lock = min((s[0] for s in locking), default=started)
        longest = max(transactions, default=ended - first_lock)
        print(
            f"run {run}: recompute {ended - started:.2f} s, {len(statements.rows)} statements,"
            f" {out.getvalue().strip()!r}; row locks from the first to the last commit"
            f" {ended - first_lock:.2f} s in {max(len(transactions), 1)} transaction(s), the"
            f" longest {longest:.2f} s (load {os.getloadavg()[0]:.2f})"
        )
        for s in sorted(statements.rows, key=lambda s: -s[1])[:4]:
            print(f"    {s[1]:.3f} s  {s[2]}")
        for label, rows in (
            ("before", [c for c in check_ins if c["at"] + c["took"] < first_lock]),
            ("during", [c for c in check_ins if _overlap(c, first_lock, ended)]),
            ("after", [c for c in check_ins if c["at"] > ended]),
        ):
            took = sorted(c["took"] for c in rows)
            if not took:
                print(f"  check-ins {label}: none")
                continue
            print(
                f"  check-ins {label}: {len(took)}, median {statistics.median(took) * 1000:.0f} ms,"
                f" longest {took[-1] * 1000:.0f} ms, over 1 s: {sum(t > 1 for t in took)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between check-ins")
    parser.add_argument("--checker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=60, help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup(args.people)
    if args.checker:
        _checker(args.seconds, args.interval)
    else:
        _run(args.people, args.interval, args.runs)


if __name__ == "__main__":
    main()
