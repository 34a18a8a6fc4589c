"""Insights at 1,000, 10,000 (and 100,000) people on PostgreSQL: Home per role, the key-result
list behind a figure, calibration, training impact, the executive summary, and the
training-impact computation the nightly task runs.

    .venv/bin/python perf/insights_bench.py --people 1000 10000 [--reseed] [--runs 10]

Each size runs in its own process against its own database, okrcoach_insights_bench_<size> at
$BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432). The organisation is the OKR
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


def database_url(size: int) -> str:
    return f"{ob.PG_URL}/okrcoach_insights_bench_{ob.label(size)}"


def worker(size: int, reseed: bool, runs: int, out: Path) -> int:
    url = database_url(size)
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
    from okrcoach.insights import impact
    from okrcoach.orgs.models import Membership, Organisation

    call_command("migrate", verbosity=0)
    seeded: dict[str, Any] = {}
    if fresh or not Organisation.objects.filter(slug=f"bench-{ob.label(size)}").exists():
        began = time.perf_counter()
        seeded = ob.seed(size, timezone.localdate())
        seeded["okrs_seconds"] = round(time.perf_counter() - began, 1)
        began = time.perf_counter()
        org = Organisation.objects.get(slug=f"bench-{ob.label(size)}")
        seeded["history"] = seed_history(org, compute=False)
        seeded["history_seconds"] = round(time.perf_counter() - began, 1)
        print(f"  seeded {ob.label(size)}: {seeded}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
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
    clients = {}
    for name, person in (("member", member), ("manager", actors.manager), ("admin", actors.admin)):
        c = Client()
        c.force_login(person.user)
        clients[name] = c
    slug = org.slug
    pages = {
        "home_member": lambda: clients["member"].get(f"/o/{slug}/"),
        "home_manager": lambda: clients["manager"].get(f"/o/{slug}/"),
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
    results = {
        name: ob.measure(name, fn, warmups=2, runs=runs, sql_dir=sql_dir).__dict__
        for name, fn in pages.items()
    }
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
                "impact_managers": computed["managers"],
                "ceo": ceo.pk,
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--worker", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.reseed, args.runs, Path(args.out))
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs: dict[int, dict[str, Any]] = {}
    for size in args.people:
        out = RESULTS / f"insights-{ob.label(size)}.json"
        cmd = [sys.executable, __file__, "--worker", str(size), "--out", str(out)]
        cmd += ["--runs", str(args.runs)] + (["--reseed"] if args.reseed else [])
        subprocess.run(cmd, check=True)  # noqa: S603
        runs[size] = json.loads(out.read_text())
    sizes = sorted(runs)
    small, large = sizes[0], sizes[-1]
    print(
        "\n| page | "
        + " | ".join(f"{ob.label(s)} queries | {ob.label(s)} p50 ms" for s in sizes)
        + " | ratio |"
    )
    print("|---|" + "---|---|" * len(sizes) + "---|")
    worst = 0.0
    for name in runs[small]["pages"]:
        cells = []
        for s in sizes:
            page = runs[s]["pages"][name]
            p50 = ob._percentile(page["samples_ms"], 0.5)
            cells.append(f"{page['queries']} | {p50:.1f}")
        ratio = ob._percentile(runs[large]["pages"][name]["samples_ms"], 0.5) / ob._percentile(
            runs[small]["pages"][name]["samples_ms"], 0.5
        )
        worst = max(worst, ratio)
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    for s in sizes:
        print(
            f"training-impact computation at {ob.label(s)}: {runs[s]['impact_compute_seconds']} s "
            f"({runs[s]['impact_managers']} managers)"
        )
    print(f"worst page ratio {worst:.2f} (goal ≤ {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
