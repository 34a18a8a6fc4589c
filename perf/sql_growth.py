"""Which SQL statement of a page grows with the organisation: EXPLAIN (ANALYZE, BUFFERS) of every
statement a benchmark captured, side by side for each size.

    .venv/bin/python perf/sql_growth.py --bench insights --db okrcoach_insights_bench \
        --people 1000 100000 [--page home_member ...]

The statements come from the files the benchmark wrote (perf/results/sql/<bench>-<size>/<page>.sql,
one captured request per page, written by okrs_bench.measure) and each runs, inside a rolled-back
transaction, against the database it was captured on (<db>_<size>). The table shows,
per statement, the shared buffers touched and the execution time at each size, and the ratio of
buffers largest ÷ smallest: a statement whose buffers grow is one whose plan reads rows in
proportion to the organisation. Statements are matched by position (a page issues the same
statements in the same order at every size: the pinned query counts)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import okrs_bench as ob  # (this script's folder is on sys.path when it runs)

RESULTS = ob.REPO / "perf" / "results"
HEADER = re.compile(r"^-- [0-9.]+s$", re.MULTILINE)


def statements(path: Path) -> list[str]:
    text = path.read_text().split("\n-- slowest first --")[0]
    parts = HEADER.split(text)
    return [p.strip() for p in parts if p.strip()]


def _buffers(node: dict[str, Any]) -> int:
    own = int(node.get("Shared Hit Blocks", 0)) + int(node.get("Shared Read Blocks", 0))
    return own


def explain(conn: psycopg.Connection[Any], sql: str) -> tuple[int, float, str]:
    """Shared buffers (hit + read) of the whole plan, execution ms, and the costliest node."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0, 0.0, "(not a read)"
    with conn.cursor() as cur:
        cur.execute("BEGIN")  # rolled back: a SELECT ... FOR UPDATE takes its locks and drops them
        try:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            row = cur.fetchone()
        except psycopg.Error as error:
            cur.execute("ROLLBACK")
            return 0, 0.0, f"(failed: {str(error).splitlines()[0][:60]})"
        cur.execute("ROLLBACK")
    assert row is not None
    plan = row[0][0]
    top = plan["Plan"]
    worst: tuple[int, str] = (0, "")

    def walk(node: dict[str, Any]) -> None:
        nonlocal worst
        kids = node.get("Plans", [])
        own = _buffers(node) - sum(_buffers(k) for k in kids)
        relation = node.get("Relation Name")
        label = node["Node Type"] + (f" on {relation}" if relation else "")
        if own > worst[0]:
            worst = (own, label)
        for k in kids:
            walk(k)

    walk(top)
    return _buffers(top), float(plan["Execution Time"]), worst[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default="insights")
    parser.add_argument("--db", default="okrcoach_insights_bench")
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--page", nargs="*")
    parser.add_argument("--min-ratio", type=float, default=0.0, help="only rows growing this much")
    args = parser.parse_args()
    sizes = sorted(args.people)
    folders = {s: RESULTS / "sql" / f"{args.bench}-{ob.label(s)}" for s in sizes}
    pages = args.page or sorted(p.stem for p in folders[sizes[0]].glob("*.sql"))
    conns = {s: psycopg.connect(f"{ob.PG_URL}/{args.db}_{ob.label(s)}") for s in sizes}
    report: dict[str, Any] = {}
    for page in pages:
        per_size = {s: statements(folders[s] / f"{page}.sql") for s in sizes}
        count = min(len(v) for v in per_size.values())
        print(f"\n## {page}\n")
        heads = " | ".join(f"{ob.label(s)} buffers | {ob.label(s)} ms" for s in sizes)
        print(f"| # | {heads} | buffers ÷ | costliest node at {ob.label(sizes[-1])} | statement |")
        print("|---|" + "---|---|" * len(sizes) + "---|---|---|")
        rows: list[dict[str, Any]] = []
        for i in range(count):
            cells = {s: explain(conns[s], per_size[s][i]) for s in sizes}
            small, large = cells[sizes[0]][0], cells[sizes[-1]][0]
            ratio = large / max(small, 1)
            rows.append({"i": i, "cells": cells, "ratio": ratio})
            if ratio < args.min_ratio:
                continue
            text = " ".join(per_size[sizes[-1]][i].split())[:90].replace("|", "/")
            body = " | ".join(f"{cells[s][0]} | {cells[s][1]:.1f}" for s in sizes)
            print(f"| {i} | {body} | {ratio:.1f} | {cells[sizes[-1]][2]} | `{text}` |")
        totals = " / ".join(
            f"{ob.label(s)} {sum(r['cells'][s][0] for r in rows)} buffers, "
            f"{sum(r['cells'][s][1] for r in rows):.1f} ms"
            for s in sizes
        )
        print(f"\ntotal: {totals}")
        report[page] = [
            {"i": r["i"], "ratio": r["ratio"], **{ob.label(s): r["cells"][s][:2] for s in sizes}}
            for r in rows
        ]
    out = RESULTS / f"sql-growth-{args.bench}.json"
    out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
