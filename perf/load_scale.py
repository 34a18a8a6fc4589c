"""p50 at the largest size ÷ p50 at the smallest, per page, with the sizes interleaved page by
page, and CPU per request at each size.

    BENCH_DB_PREFIX=... BENCH_PORT=8220 .venv/bin/python perf/load_scale.py \\
        --people 1000 100000 [--runs 3] [--duration 6] [--pages ...] [--tag s23]

load_bench.py runs one size after the other, so on a shared machine whose load drifts the
ratio of two sizes measures the drift as much as the size. Here one gunicorn server per size
(load_bench's database `<prefix><size>`, its `prepare`, production settings, WEB_CONCURRENCY
workers) is up at once, on $BENCH_PORT and the ports after it, and each page is loaded with
wrk on one size and straight after on the other (the order reversed every other run), so
both sizes of a page run within seconds of each other. Around every wrk run the CPU time
(user+system, /proc) of that server's processes and of its database's PostgreSQL backends is
read, as perf/load_cpu.py does, and divided by the requests: the measure a busy machine moves
least. Only one server is loaded at a time (the other is idle).

Prints per page: p50 and CPU per request at each size (medians of the runs), the p50 ratio
(median of the per-run ratios, each run's two sizes side by side) and the CPU ratio; the load
average around each run. JSON in perf/results/scale-<tag>.json. PostgreSQL must run on this
host (its backends' /proc)."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench as lb
import load_cpu


def run(
    size: int, port: int, proc: subprocess.Popen[bytes], script: Path, args: Any
) -> dict[str, Any]:
    lb.PORT = port
    before = load_cpu.cpu_snapshot(proc.pid, size)
    result: dict[str, Any] = dict(lb.run_wrk(script, args.duration, args.connections))
    after = load_cpu.cpu_snapshot(proc.pid, size)
    n = int(result.get("requests", 0))
    result["requests"] = n
    result["load"] = os.getloadavg()[0]
    result["app_ms"] = load_cpu.cpu_ms(before, after, "app", n)
    result["pg_ms"] = load_cpu.cpu_ms(before, after, "pg", n)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", nargs=2, type=int, default=[1000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--pages", nargs="+", default=lb.PAGES, choices=lb.PAGES)
    parser.add_argument("--tag", default="run")
    args = parser.parse_args()
    sizes = sorted(args.people)
    ports = {size: lb.PORT + i for i, size in enumerate(sizes)}
    specs, procs = {}, {}
    try:
        for size in sizes:
            env = lb.server_env(size, secrets.token_urlsafe(48))
            prep = subprocess.run(  # noqa: S603
                [lb.PY, lb.__file__, "--prepare", str(size)],
                env=env,
                cwd=lb.REPO,
                capture_output=True,
                text=True,
            )
            if prep.returncode:
                sys.stderr.write(prep.stdout + prep.stderr)
                raise SystemExit(f"preparing {lb.label(size)} failed")
            specs[size] = json.loads(prep.stdout.splitlines()[-1])
            lb.PORT = ports[size]
            procs[size] = lb.start_server(env)
            lb.check_urls(specs[size])
        rows: dict[str, dict[int, list[dict[str, Any]]]] = {
            p: {s: [] for s in sizes} for p in args.pages
        }
        loads = [lb.loadavg()]
        with tempfile.TemporaryDirectory() as tmp:
            scripts: dict[tuple[int, str], Path] = {}
            for size in sizes:
                for page in args.pages:
                    scripts[size, page] = Path(tmp) / f"{lb.label(size)}-{page}.lua"
                    scripts[size, page].write_text(lb._lua(specs[size], page))
            for size in sizes:  # warm-up
                lb.PORT = ports[size]
                for page in args.pages:
                    lb.run_wrk(scripts[size, page], 3, args.connections)
            for i in range(args.runs):
                order = sizes if i % 2 == 0 else sizes[::-1]
                for page in args.pages:
                    for size in order:
                        r = run(size, ports[size], procs[size], scripts[size, page], args)
                        r["utc"] = time.strftime("%H:%M:%S", time.gmtime())
                        rows[page][size].append(r)
                        print(
                            f"    {page:16} {lb.label(size):>5} {r.get('rps', 0):7.1f} req/s"
                            f"  p50 {r.get('p50', 0):6.1f} ms  app {r['app_ms']:6.2f} ms"
                            f"  pg {r['pg_ms']:5.2f} ms  (load {r['load']:.2f})",
                            flush=True,
                        )
                loads.append(lb.loadavg())
                print(f"  run {i + 1}/{args.runs} done (load {loads[-1]})", flush=True)
    finally:
        for proc in procs.values():
            lb.stop_server(proc)
    small, large = sizes
    ls, ll = lb.label(small), lb.label(large)
    summary = {}
    print(
        f"\n{args.tag}: sizes interleaved page by page, {args.runs} runs of {args.duration} s, "
        f"wrk -c{args.connections}, gunicorn {os.environ.get('WEB_CONCURRENCY', 2)} workers; "
        f"load average before and after each run: {' | '.join(loads)}"
    )
    print(
        f"| page | p50 {ls} ms | p50 {ll} ms | p50 ratio | CPU/req {ls} ms (app+pg) "
        f"| CPU/req {ll} ms (app+pg) | CPU ratio | req/s {ls} | req/s {ll} |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for page in args.pages:
        a, b = rows[page][small], rows[page][large]

        def med(xs: list[dict[str, Any]], key: str) -> float:
            return float(statistics.median(x.get(key, 0.0) for x in xs))

        def cpu(xs: list[dict[str, Any]]) -> float:
            return float(statistics.median(x["app_ms"] + x["pg_ms"] for x in xs))

        p50_ratio = statistics.median(
            y.get("p50", 0.0) / x["p50"] for x, y in zip(a, b, strict=True) if x.get("p50")
        )
        cpu_ratio = cpu(b) / max(cpu(a), 1e-9)
        summary[page] = {
            "p50": [med(a, "p50"), med(b, "p50")],
            "p50_ratio": p50_ratio,
            "app_ms": [med(a, "app_ms"), med(b, "app_ms")],
            "pg_ms": [med(a, "pg_ms"), med(b, "pg_ms")],
            "cpu_ratio": cpu_ratio,
            "rps": [med(a, "rps"), med(b, "rps")],
        }
        s = summary[page]
        print(
            f"| {page} | {s['p50'][0]:.1f} | {s['p50'][1]:.1f} | {p50_ratio:.2f} "
            f"| {cpu(a):.2f} ({s['app_ms'][0]:.2f}+{s['pg_ms'][0]:.2f}) "
            f"| {cpu(b):.2f} ({s['app_ms'][1]:.2f}+{s['pg_ms'][1]:.2f}) | {cpu_ratio:.2f} "
            f"| {s['rps'][0]:.1f} | {s['rps'][1]:.1f} |"
        )
    lb.RESULTS.mkdir(parents=True, exist_ok=True)
    out = lb.RESULTS / f"scale-{args.tag}.json"
    out.write_text(json.dumps({"rows": rows, "summary": summary, "load": loads}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
