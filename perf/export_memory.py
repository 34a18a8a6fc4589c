"""Peak memory and time of exporting the benchmark organisation's cycle, one format per process.

    .venv/bin/python perf/export_memory.py --people 10000 --format csv
    .venv/bin/python perf/export_memory.py --people 10000 --format xlsx   # the worker's job
    .venv/bin/python perf/export_memory.py --people 10000 --format csv-job  # CSV, worker's job

Reads the database load_bench.py seeded ($BENCH_DB_PREFIX<size>, default
okrcoach_perf_load_<size>); the reader is the organisation's admin (who sees every objective).
Prints the rows written, the seconds, and the process's peak resident memory (ru_maxrss) before
and after the export.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "okrcoach_perf_load_")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--format", choices=["csv", "xlsx", "csv-job"], default="csv")
    args = parser.parse_args()
    size = f"{args.people // 1000}k"
    os.environ["DATABASE_URL"] = f"{PG_URL}/{DB_PREFIX}{size}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrcoach.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from okrcoach.okrs.models import Cycle
    from okrcoach.okrs.selectors import exporting
    from okrcoach.orgs.models import Membership, Organisation

    org = Organisation.objects.get(slug=f"bench-{size}")
    admin = Membership.objects.for_org(org).get(role="admin")
    cycle = Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE)
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    written = 0
    rows = 0
    with tempfile.TemporaryFile() as out:
        if args.format == "csv":
            stream = getattr(exporting, "cycle_csv_stream", None)
            chunks = stream(admin, cycle) if stream else [exporting.cycle_csv(admin, cycle)]
            for chunk in chunks:
                written += out.write(chunk)
        else:
            # The task worker's code path (okrs/services/exports.py): a job row, the workbook
            # (or CSV file) written to a file under MEDIA_ROOT.
            from django.test import override_settings

            from okrcoach.okrs.models import ExportJob
            from okrcoach.okrs.services import exports

            with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
                job = ExportJob.objects.create(
                    organisation=org,
                    requested_by=admin,
                    cycle=cycle,
                    format=args.format.removesuffix("-job"),
                )
                exports.build_export(job)
                job.refresh_from_db()
                written = exports.export_path(job).stat().st_size
                rows = job.rows_done
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.format} {size}: {written / 1e6:.1f} MB written ({rows or '?'} rows) in"
        f" {seconds:.1f} s; peak RSS "
        f"{peak:.0f} MB (at start {start_rss:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
