"""Which statement of a load-benchmark page grows with the organisation, under the plans the
production configuration actually runs (server-side binding, psycopg's prepared statements).

    BENCH_DB_PREFIX=... .venv/bin/python perf/scale_plans.py --people 1000 100000 \\
        [--pages my_okrs company_tree ...] [--tag s23]

For each size, a child process with the production settings on load_bench.py's database
(`<prefix><size>`, prepared by load_bench's own `prepare`: the same department head, URLs and
API token) requests every page a few times (warm: the caches and compiled queries of a server
that has run for a while), then once more recording every statement with its parameters and
whether the app lets psycopg prepare it (`core.prepared.never_prepared` sets the connection's
threshold to None). Each read is then prepared on a fresh connection with those parameters and
run under `EXPLAIN (ANALYZE, BUFFERS)` three ways: `plan_cache_mode = force_custom_plan` (planned
with its parameters, as an unprepared statement is), `force_generic_plan`, and `auto` after five
runs (what PostgreSQL picks for a statement psycopg prepared: its sixth run decides; the
column says `G` when it kept the generic plan). Times are planning + execution, one run each.
"app" is what the page gets: auto for a prepared statement, custom for an unprepared one.
Statements are matched by position across sizes (the pinned query counts). Prints a table per
page; JSON in perf/results/scale-plans-<tag>.json.
Writes nothing but load_bench's own (an API token, and one check-in by the htmx POST)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench as lb

WARMUPS = 6


def _plan_stats(plan: dict[str, Any]) -> dict[str, Any]:
    top = plan["Plan"]
    worst: tuple[int, str] = (-1, "")

    def buffers(node: dict[str, Any]) -> int:
        return int(node.get("Shared Hit Blocks", 0)) + int(node.get("Shared Read Blocks", 0))

    def walk(node: dict[str, Any]) -> None:
        nonlocal worst
        kids = node.get("Plans", [])
        own = buffers(node) - sum(buffers(k) for k in kids)
        relation = node.get("Relation Name") or ""
        index = node.get("Index Name") or ""
        label = (
            node["Node Type"]
            + (f" {relation}" if relation else "")
            + (f" ({index})" if index else "")
        )
        if own > worst[0]:
            worst = (own, label)
        for kid in kids:
            walk(kid)

    walk(top)
    return {
        # Planning and execution: a custom plan is made again on every run.
        "ms": round(float(plan["Execution Time"]) + float(plan.get("Planning Time", 0.0)), 3),
        "plan_ms": round(float(plan.get("Planning Time", 0.0)), 3),
        "buffers": buffers(top),
        "node": worst[1],
    }


def _explain(url: str, context: Any, sql: str, params: list[Any], mode: str) -> dict[str, Any]:
    """Prepare `sql` on a fresh connection and EXPLAIN ANALYZE its execution in `mode`."""
    import psycopg

    with psycopg.connect(url, context=context, cursor_factory=psycopg.Cursor) as conn:
        cur = conn.cursor()
        cur.execute("SET plan_cache_mode = " + ("auto" if mode == "auto" else f"force_{mode}_plan"))
        runs = 5 if mode == "auto" else 1
        for _ in range(runs):
            cur.execute(sql, params or None, prepare=True)
            cur.fetchall()
        name_row = cur.execute(
            "SELECT name FROM pg_prepared_statements WHERE NOT from_sql "
            "ORDER BY prepare_time DESC LIMIT 1"
        ).fetchone()
        assert name_row is not None
        name = name_row[0]
        literals = psycopg.ClientCursor(conn)
        args = ", ".join(literals.mogrify("%s", [p]) for p in params)
        call = f"EXECUTE {name}" + (f"({args})" if params else "")
        row = cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {call}").fetchone()
        assert row is not None
        stats = _plan_stats(row[0][0])
        counts = cur.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [name],
        ).fetchone()
        assert counts is not None
        stats["generic"] = counts[0] > 0 if mode == "auto" else mode == "generic"
        conn.rollback()
    return stats


def child(size: int, pages: list[str]) -> dict[str, Any]:
    spec = lb.prepare(size, False)
    import psycopg
    from django.db import connection
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = spec["session"]
    client.cookies["csrftoken"] = spec["csrf"]
    n = [0]

    def request(page: str) -> Any:
        url = spec["urls"][page]
        if page == "check_in_post":
            n[0] += 1
            p = spec["kr_prefix"]
            return client.post(
                url,
                {f"{p}-value": str(50 + n[0] % 40), f"{p}-confidence": "7"},
                headers={"X-CSRFToken": spec["csrf"], "HX-Request": "true"},
            )
        if page.startswith("api_") or page == "openapi":
            return client.get(url, headers={"Authorization": f"Bearer {spec['token']}"})
        if page == "sign_in":
            return Client().get(url)
        return client.get(url)

    captured: list[dict[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raw = context["connection"].connection
        captured.append(
            {
                "sql": sql,
                "params": list(params or ()),
                "prepared": getattr(raw, "prepare_threshold", None) is not None,
            }
        )
        return execute(sql, params, many, context)

    out: dict[str, Any] = {}
    for page in pages:
        for _ in range(WARMUPS):
            response = request(page)
            assert response.status_code in (200, 201), (page, response.status_code)
        captured.clear()
        with connection.execute_wrapper(wrapper):
            response = request(page)
        assert response.status_code in (200, 201), (page, response.status_code)
        statements = list(captured)
        context = connection.connection.adapters
        url = lb.db_url(size)
        rows = []
        for s in statements:
            head = s["sql"].lstrip()[:6].upper()
            row: dict[str, Any] = {"sql": " ".join(s["sql"].split()), "prepared": s["prepared"]}
            # With its values written in, to EXPLAIN by hand (psql) afterwards.
            row["literal"] = psycopg.ClientCursor(connection.connection).mogrify(
                s["sql"], s["params"] or None
            )
            if head.startswith(("SELECT", "WITH")):
                for mode in ("custom", "generic", "auto"):
                    try:
                        row[mode] = _explain(url, context, s["sql"], s["params"], mode)
                    except Exception as error:  # reported, not fatal
                        row[mode] = {"error": str(error).splitlines()[0][:120]}
                row["app"] = row["auto"] if s["prepared"] else row["custom"]
            rows.append(row)
        out[page] = rows
    return out


def _cell(r: dict[str, Any] | None) -> str:
    if not r:
        return "- | -"
    if "error" in r:
        return "err | err"
    flag = "G" if r.get("generic") else ""
    return f"{r['ms']:.2f}{flag} | {r['buffers']}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--pages", nargs="+", default=[p for p in lb.PAGES if p != "mix"])
    parser.add_argument("--tag", default="run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pages), default=str))
        return 0
    sizes = sorted(args.people)
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        env = lb.server_env(size, "scale-plans-" + "x" * 50)
        env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
        done = subprocess.run(  # noqa: S603
            [lb.PY, __file__, "--child", str(size), "--pages", *args.pages],
            env=env,
            cwd=lb.REPO,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
            raise SystemExit(f"{lb.label(size)} failed")
        results[size] = json.loads(done.stdout.splitlines()[-1])
    small, large = sizes[0], sizes[-1]
    ls, ll = lb.label(small), lb.label(large)
    for page in args.pages:
        a, b = results[small][page], results[large][page]
        print(f"\n## {page}: {len(a)} statements at {ls}, {len(b)} at {ll}\n")
        print(
            f"| # | prep | app {ls} ms | buf | app {ll} ms | buf | custom {ll} ms | buf "
            f"| generic {ll} ms | buf | costliest node at {ll} (app) | statement |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        totals = {ls: 0.0, ll: 0.0}
        for i in range(max(len(a), len(b))):
            ra = a[i] if i < len(a) else {}
            rb = b[i] if i < len(b) else {}
            if "app" not in ra and "app" not in rb:
                continue
            for lab, r in ((ls, ra), (ll, rb)):
                if "ms" in r.get("app", {}):
                    totals[lab] += r["app"]["ms"]
            text = rb.get("sql", ra.get("sql", ""))[:100].replace("|", "/")
            same = "" if ra.get("sql") == rb.get("sql") else " (differs)"
            print(
                f"| {i} | {'P' if rb.get('prepared') else '-'} | {_cell(ra.get('app'))} "
                f"| {_cell(rb.get('app'))} | {_cell(rb.get('custom'))} "
                f"| {_cell(rb.get('generic'))} | {rb.get('app', {}).get('node', '')} "
                f"| `{text}`{same} |"
            )
        print(f"\nexecution total (app plans): {ls} {totals[ls]:.2f} ms, {ll} {totals[ll]:.2f} ms")
    out = lb.RESULTS / f"scale-plans-{args.tag}.json"
    out.write_text(json.dumps({lb.label(s): r for s, r in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
