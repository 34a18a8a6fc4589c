"""The coach's speed on one core (a benchmark, not a timed test).

    python3 perf/coach_bench.py [--seconds 5] [--recoach 100000] [--recoach-sample 10000]

Prints:
  * items/s for typical items (the labelled sets' texts, objectives and key results mixed), by
    the wall clock and per second of the process's CPU time (the per-core figure when other
    processes share the machine), with the load average;
  * p99 latency of one review of an item of at most 300 characters (goal <= 10 ms);
  * p99 latency of one review of a 2,000-character item, the API's limit (goal <= 50 ms),
    over long realistic items and crafted worst cases (runs of numbers, dots, commas, "by N%");
  * worst-case growth: the slowest crafted item at 2,000 and at 20,000 characters (linear or
    better means the ratio stays near 1 because the rules read a bounded window);
  * the time to recoach an organisation of --recoach items: --recoach-sample items are
    reviewed and the time is scaled (pass the same number to both to run it all).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach import review_text  # noqa: E402
from coach.evaluate import SET_NAMES, load_set  # noqa: E402

CRAFTED = ("1.", "1,", "1 ", "by 10% ", "from 1 to ", "a", "- ", "(", "customers ", "up 5% ")


def _items() -> list[tuple[str, str, str | None]]:
    out = []
    for name in SET_NAMES:
        for item in load_set(name):
            out.append((item["text"], item["kind"], item.get("parent_objective") or None))
    return out


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] * 1000


def _time_one(text: str, kind: str, parent: str | None = None) -> float:
    start = time.perf_counter()
    review_text(text, kind=kind, parent_objective=parent)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--recoach", type=int, default=100_000)
    parser.add_argument("--recoach-sample", type=int, default=10_000)
    args = parser.parse_args()
    items = _items()
    for text, kind, parent in items[:50]:
        review_text(text, kind=kind, parent_objective=parent)

    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < args.seconds:
        text, kind, parent = items[count % len(items)]
        review_text(text, kind=kind, parent_objective=parent)
        count += 1
    rate = count / (time.perf_counter() - start)
    cpu_rate = count / (time.process_time() - cpu)

    short = [_time_one(t, k, p) for t, k, p in items if len(t) <= 300]
    long_texts = [(t * (2000 // len(t) + 1))[:2000] for t, _, _ in items[::25]]
    long_texts += [(piece * 2000)[:2000] for piece in CRAFTED]
    long_samples = [_time_one(t, k) for t in long_texts for k in ("key_result", "objective")]
    growth = []
    for piece in CRAFTED:
        t2 = min(_time_one((piece * 2000)[:2000], "key_result") for _ in range(3))
        t20 = min(_time_one((piece * 20000)[:20000], "key_result") for _ in range(3))
        growth.append((t20 / t2, piece))

    sample = args.recoach_sample
    start = time.perf_counter()
    for i in range(sample):
        text, kind, parent = items[i % len(items)]
        review_text(text, kind=kind, parent_objective=parent)
    per_item = (time.perf_counter() - start) / sample
    result = {
        "typical_items_per_second": round(rate),
        # per second of this process's CPU time: the per-core figure on a machine others load
        "typical_items_per_cpu_second": round(cpu_rate),
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else None,
        "p99_ms_up_to_300_chars": round(_p99(short), 2),
        "p99_ms_2000_chars": round(_p99(long_samples), 2),
        "max_ms_2000_chars": round(max(long_samples) * 1000, 2),
        "worst_growth_2000_to_20000_chars": round(max(growth)[0], 2),
        "recoach_items": args.recoach,
        "recoach_seconds": round(per_item * args.recoach, 1),
        "recoach_measured_on": sample,
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
