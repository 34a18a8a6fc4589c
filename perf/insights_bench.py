"""Insights at 1,000, 10,000 and 100,000 people on PostgreSQL: Home per role (member, manager,
executive, admin), the key-result list behind a figure, calibration, training impact, the
executive summary, the nightly snapshot computation and the training-impact computation.

    .venv/bin/python perf/insights_bench.py --people 1000 10000 100000 --db okrcoach_bench_insights

Each size runs in its own process against its own database, <--db>_<size> (e.g.
okrcoach_bench_insights_10k) at $BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432); a
database already seeded is reused unless --reseed is given. Seeding uses bulk_create in batches
of 2,000-5,000 rows, and PostgreSQL COPY for the objectives, key results and check-ins (13 a
key result: most of the rows; okrs_bench.copy_bulk_create); the seeding time is reported.
Every figure is printed with the load average it was taken at. The organisation is the OKR
benchmark's (perf/okrs_bench.py `seed`: an active cycle, 3 key results a person, 13 weekly
check-ins each) plus three past cycles from okrcoach/demo/insights.py `seed_history` (a personal
objective with two graded key results per person and cycle, staggered manager certificates).
Results: perf/results/insights-<size>.json and a table on stdout. Goal for pages: p50 at the
largest size ÷ p50 at the smallest ≤ 1.2."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import okrs_bench as ob  # (this script's folder is on sys.path when it runs)

REPO = ob.REPO
RESULTS = REPO / "perf" / "results"
GOAL = 1.2


def database_url(db: str, size: int) -> str:
    return f"{ob.PG_URL}/{db}_{ob.label(size)}"


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def worker(db: str, size: int, reseed: bool, runs: int, out: Path) -> int:
    url = database_url(db, size)
    if reseed:
        ob._drop_database("postgres", url)
    fresh = ob._prepare_database("postgres", url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "okrcoach.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from okrcoach.demo.insights import seed_history
    from okrcoach.insights import impact, snapshots
    from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
    from okrcoach.orgs.models import Membership, Organisation

    call_command("migrate", verbosity=0)
    seeded: dict[str, Any] = {}
    slug = f"bench-{ob.label(size)}"
    # Two transactions (the OKRs, then the history): a seed stopped between them leaves an
    # organisation without past cycles, which the next run completes instead of measuring.
    has_org = not fresh and Organisation.objects.filter(slug=slug).exists()
    has_history = (
        has_org
        and Cycle.objects.for_org(Organisation.objects.get(slug=slug))
        .filter(state=Cycle.State.CLOSED)
        .exists()
    )
    if not has_history:
        seeded["load_before"] = load()
        seeded["okrs_seconds"] = 0.0
        with ob.copy_bulk_create(Objective, KeyResult, CheckIn):
            began = time.perf_counter()
            if not has_org:
                seeded.update(ob.seed(size, timezone.localdate()))
                seeded["okrs_seconds"] = round(time.perf_counter() - began, 1)
            began = time.perf_counter()
            seeded["history"] = seed_history(Organisation.objects.get(slug=slug), compute=False)
            seeded["history_seconds"] = round(time.perf_counter() - began, 1)
        seeded["seed_seconds"] = round(seeded["okrs_seconds"] + seeded["history_seconds"], 1)
        seeded["load_after"] = load()
        print(f"  seeded {ob.label(size)}: {seeded}", flush=True)
    with connection.cursor() as cursor:
        # After a fresh seed, VACUUM too (as load_bench does): until the visibility map is set,
        # index-only scans visit the heap and first reads write hint bits, which made the first
        # measurement of a new database several times slower than the next one.
        cursor.execute("VACUUM ANALYZE" if seeded else "ANALYZE")
    actors = ob.pick_actors(size)
    org = actors.org
    ceo = Membership.objects.for_org(org).filter(manager__isnull=True).order_by("pk").first()
    assert ceo is not None
    member = (
        Membership.objects.for_org(org)
        .filter(manager__isnull=False, role="member")
        .exclude(
            pk__in=Membership.objects.for_org(org)
            .filter(manager__isnull=False)
            .values("manager_id")
        )
        .order_by("pk")
        .first()
    )
    assert member is not None
    sql_dir = RESULTS / "sql" / f"insights-{ob.label(size)}"
    sql_dir.mkdir(parents=True, exist_ok=True)
    snapshot_load = load()
    began = time.perf_counter()
    snapshots.compute_cycle(org, actors.cycle)  # what the nightly task does
    snapshot_s = round(time.perf_counter() - began, 2)
    print(f"  {ob.label(size)}: snapshot computed in {snapshot_s} s (load {snapshot_load})")
    clients = {}
    people = (
        ("member", member),
        ("manager", actors.manager),
        ("executive", ceo),
        ("admin", actors.admin),
    )
    for name, person in people:
        c = Client()
        c.force_login(person.user)
        clients[name] = c
    slug = org.slug
    pages = {
        "home_member": lambda: clients["member"].get(f"/o/{slug}/"),
        "home_manager": lambda: clients["manager"].get(f"/o/{slug}/"),
        "home_executive": lambda: clients["executive"].get(f"/o/{slug}/"),
        "home_admin": lambda: clients["admin"].get(f"/o/{slug}/"),
        "kr_list_at_risk": lambda: clients["admin"].get(
            f"/o/{slug}/insights/key-results/?status=at_risk_or_worse"
        ),
        "calibration_team": lambda: clients["manager"].get(
            f"/o/{slug}/insights/calibration/?scope=team"
        ),
        "impact_page": lambda: clients["admin"].get(f"/o/{slug}/insights/impact/"),
        "summary": lambda: clients["admin"].get(f"/o/{slug}/insights/summary/"),
    }
    results = {}
    for name, fn in pages.items():
        taken_at = load()
        results[name] = ob.measure(name, fn, warmups=2, runs=runs, sql_dir=sql_dir).__dict__
        results[name]["load"] = taken_at
    impact_load = load()
    began = time.perf_counter()
    computed = impact.compute(org, clock=time.perf_counter)
    compute_s = round(time.perf_counter() - began, 2)
    out.write_text(
        json.dumps(
            {
                "people": size,
                "seed": seeded,
                "pages": results,
                "impact_compute_seconds": compute_s,
                "impact_load": impact_load,
                "snapshot_seconds": snapshot_s,
                "snapshot_load": snapshot_load,
                "impact_managers": computed["managers"],
                "ceo": ceo.pk,
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--db", default="okrcoach_bench_insights", help="database name prefix")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--worker", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.worker:
        return worker(args.db, args.worker, args.reseed, args.runs, Path(args.out))
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs: dict[int, dict[str, Any]] = {}
    for size in args.people:
        out = RESULTS / f"insights-{ob.label(size)}.json"
        cmd = [sys.executable, __file__, "--worker", str(size), "--out", str(out), "--db", args.db]
        cmd += ["--runs", str(args.runs)] + (["--reseed"] if args.reseed else [])
        subprocess.run(cmd, check=True)  # noqa: S603
        runs[size] = json.loads(out.read_text())
    sizes = sorted(runs)
    small, large = sizes[0], sizes[-1]
    print(
        "\n| page | "
        + " | ".join(f"{ob.label(s)} queries | {ob.label(s)} p50 / p99 ms (load)" for s in sizes)
        + f" | p50 {ob.label(large)} ÷ {ob.label(small)} |"
    )
    print("|---|" + "---|---|" * len(sizes) + "---|")
    worst = 0.0
    for name in runs[small]["pages"]:
        cells = []
        for s in sizes:
            page = runs[s]["pages"][name]
            p50 = ob._percentile(page["samples_ms"], 0.5)
            p99 = ob._percentile(page["samples_ms"], 0.99)
            cells.append(f"{page['queries']} | {p50:.1f} / {p99:.1f} ({page.get('load', '?')})")
        ratio = ob._percentile(runs[large]["pages"][name]["samples_ms"], 0.5) / ob._percentile(
            runs[small]["pages"][name]["samples_ms"], 0.5
        )
        worst = max(worst, ratio)
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    print()
    for s in sizes:
        r = runs[s]
        seed = r["seed"]
        if seed:
            print(
                f"seeding {ob.label(s)}: {seed['seed_seconds']} s (OKRs {seed['okrs_seconds']} s, "
                f"history {seed['history_seconds']} s; load {seed['load_before']} → "
                f"{seed['load_after']})"
            )
        else:
            print(f"seeding {ob.label(s)}: reused the database seeded earlier")
        print(
            f"snapshot computation at {ob.label(s)}: {r['snapshot_seconds']} s "
            f"(load {r['snapshot_load']}); training-impact computation: "
            f"{r['impact_compute_seconds']} s, {r['impact_managers']} managers "
            f"(load {r['impact_load']})"
        )
    print(f"worst page ratio {worst:.2f} (goal ≤ {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
