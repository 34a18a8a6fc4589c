"""Single-item review throughput of the coach's Python API on one core.

    python3 perf/coach_bench.py [--seconds 3]

Target: at least 2,000 items per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coach import KeyResultDraft, ObjectiveDraft, review_key_result, review_objective

KEY_RESULTS = [
    "Median time to send a first invoice drops from 9 to 4 minutes",
    "Launch the referral page",
    "Increase bike rentals by 20%",
    "- KR2: 95% of clinic lab results reach patients within 48 hours.",
    "Grow paid seats by X%",
    "Dunning emails are live",
    "Churn below 2% and NPS above 45 and 300 new library members",
    "Hire 3 engineers for the dock-repair team",
    "zero missed payroll runs this quarter",
    "Share of overdue invoices paid after one reminder from 48% to 65% (currently 48%)",
]
OBJECTIVES = [
    "Make renting a bike take less than a minute",
    "Support the VP's Q3 OKRs",
    "Grow revenue, hire faster and refresh the brand",
    "Maintain payroll accuracy",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    krs = [KeyResultDraft(text=t) for t in KEY_RESULTS]
    objs = [ObjectiveDraft(text=t) for t in OBJECTIVES]
    for kr in krs:
        review_key_result(kr)
    count = 0
    start = time.perf_counter()
    deadline = start + args.seconds
    while time.perf_counter() < deadline:
        for kr in krs:
            review_key_result(kr)
        for obj in objs:
            review_objective(obj)
        count += len(krs) + len(objs)
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(f"{count} reviews in {elapsed:.2f}s: {rate:,.0f} items/s on one core (target 2,000)")
    return 0 if rate >= 2000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
