"""perf/load_bench.py with CPU per request: the gunicorn processes' and the bench database's
PostgreSQL backends' user+system CPU (from /proc) around every timed wrk run, divided by the
requests wrk made. A busy machine changes req/s a lot and CPU per request little.

    BENCH_DB_PREFIX=... BENCH_PORT=... .venv/bin/python perf/load_cpu.py --people 10000 \\
        --runs 2 --pages sign_in my_okrs ... mix --tag after

Takes load_bench.py's arguments; prints a line per run and a table of medians, and writes
perf/results/cpu-<tag>.json. PostgreSQL must run on this host (its backends' /proc)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench as lb
import psycopg

TICK = os.sysconf("SC_CLK_TCK")
_state: dict[str, Any] = {"proc": None, "size": 10000}
_rows: list[dict[str, Any]] = []


def _cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


Snapshot = dict[str, dict[int, float | None]]


def cpu_snapshot(server_pid: int, size: int) -> Snapshot:
    """User+system CPU seconds of the gunicorn master `server_pid` and its workers ("app") and
    of the PostgreSQL backends on the bench database of `size` people ("pg"), by pid."""
    with open(f"/proc/{server_pid}/task/{server_pid}/children") as f:
        app = [server_pid, *map(int, f.read().split())]
    name = lb.db_url(size).rsplit("/", 1)[1]
    with psycopg.connect(f"{lb.PG_URL}/postgres", autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])
        pg = [row[0] for row in rows]
    return {"app": {p: _cpu(p) for p in app}, "pg": {p: _cpu(p) for p in pg}}


def cpu_ms(before: Snapshot, after: Snapshot, kind: str, requests: int) -> float:
    """Milliseconds of `kind` ("app" or "pg") CPU per request between two snapshots (a
    backend opened in between counts from zero)."""
    spent = sum(
        (v or 0.0) - (before[kind].get(p) or 0.0) for p, v in after[kind].items() if v is not None
    )
    return 1000 * spent / max(requests, 1)


_start_server = lb.start_server
_run_wrk = lb.run_wrk


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    proc = _start_server(env)
    _state["proc"] = proc
    return proc


def run_wrk(script: Path, duration: int, connections: int) -> dict[str, float]:
    before = cpu_snapshot(_state["proc"].pid, _state["size"])
    result = _run_wrk(script, duration, connections)
    after = cpu_snapshot(_state["proc"].pid, _state["size"])
    n = int(result.get("requests", 0))
    if duration >= 5 and n:  # not the warm-up
        row = {
            "page": script.stem,
            "rps": result.get("rps", 0.0),
            "requests": n,
            "errors": result.get("errors", 0.0),
            "app_ms": cpu_ms(before, after, "app", n),
            "pg_ms": cpu_ms(before, after, "pg", n),
            "load": os.getloadavg()[0],
            "utc": time.strftime("%H:%M:%S", time.gmtime()),
        }
        _rows.append(row)
        print(
            f"    {row['page']:16} {row['rps']:7.1f} req/s  app {row['app_ms']:6.2f} ms"
            f"  PostgreSQL {row['pg_ms']:6.2f} ms  (load {row['load']:.2f})",
            flush=True,
        )
    return result


def main() -> int:
    lb.start_server = start_server
    lb.run_wrk = run_wrk
    args = sys.argv[1:]
    tag = args[args.index("--tag") + 1] if "--tag" in args else "run"
    if "--people" in args:
        _state["size"] = int(args[args.index("--people") + 1])  # the first size only
    code = lb.main()
    pages: dict[str, list[dict[str, Any]]] = {}
    for row in _rows:
        pages.setdefault(row["page"], []).append(row)
    summary = {
        page: {
            "rps": statistics.median(r["rps"] for r in rows),
            "app_ms": statistics.median(r["app_ms"] for r in rows),
            "pg_ms": statistics.median(r["pg_ms"] for r in rows),
            "runs": len(rows),
        }
        for page, rows in pages.items()
    }
    lb.RESULTS.mkdir(parents=True, exist_ok=True)
    out = lb.RESULTS / f"cpu-{tag}.json"
    out.write_text(json.dumps({"rows": _rows, "summary": summary}, indent=1))
    print(
        f"\nCPU per request ({tag}), medians\n| page | req/s | app ms | PostgreSQL ms | total ms |"
    )
    print("|---|---|---|---|---|")
    for page, s in summary.items():
        total = s["app_ms"] + s["pg_ms"]
        print(f"| {page} | {s['rps']:.1f} | {s['app_ms']:.2f} | {s['pg_ms']:.2f} | {total:.2f} |")
    return code


if __name__ == "__main__":
    sys.exit(main())
