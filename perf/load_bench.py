"""The production server under load: req/s, p50 and p99 per page and for a realistic mix.

    .venv/bin/python perf/load_bench.py --people 1000 10000 [--runs 3] [--duration 6] [--tag before]

For each size: a PostgreSQL database `<prefix><size>` at $BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432; the prefix is $BENCH_DB_PREFIX, default `okrcoach_perf_load_`,
so several people can bench their own copies at once) seeded with perf/okrs_bench.py's
organisation (reused once seeded, `--reseed` drops it), then gunicorn with the production
settings (deploy/gunicorn.conf.py, 2 sync workers unless WEB_CONCURRENCY says otherwise) on
127.0.0.1:$BENCH_PORT (default 8180), then
wrk over loopback against every page and a weighted mix, signed in as a department head (a
manager of ~8 team leads). Runs are interleaved (run 1 of every page, then run 2 ...) so load from
other work on the machine falls on every page alike; the table gives the median of the runs and
each page's req/s as a share of the sign-in page's in the same run. wrk comes from Debian
(`apt-get install wrk`): a C load generator costs far less CPU than the server it measures,
which matters on two cores; a Python load tool would take a core of its own.
Results: perf/results/load-<tag>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "perf" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PORT = int(os.environ.get("BENCH_PORT", "8180"))
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "okrcoach_perf_load_")
PY = str(REPO / ".venv" / "bin" / "python")

# Weights of the realistic mix: what a day of use looks like (reads dominate, a check-in now
# and then, integrations polling the API).
MIX = {
    "my_okrs": 25,
    "team_okrs": 15,
    "company_tree": 15,
    "objective": 15,
    "check_in_post": 10,
    "api_key_results": 10,
    "api_objectives": 10,
}
PAGES = [
    "sign_in",
    "my_okrs",
    "team_okrs",
    "company_tree",
    "objective",
    "check_in_post",
    "check_in_spread",
    "api_key_results",
    "api_objectives",
    "openapi",
    "mix",
]
# check_in_post sends every check-in to one key result, so the runs queue on its row lock and on
# each commit's flush (a worst case). check_in_spread sends them in turn to up to SPREAD metric
# key results the manager may check in on (their own objectives' and their own), as a team
# checking in on its week does. The mix keeps check_in_post.
SPREAD = 8


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def db_url(size: int) -> str:
    return f"{PG_URL}/{DB_PREFIX}{label(size)}"


def server_env(size: int, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="okrcoach.settings.production",
        DATABASE_URL=db_url(size),
        SECRET_KEY=secret,
        SECURE_SSL_REDIRECT="false",  # loopback without TLS; everything else as in production
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    env.setdefault("WEB_CONCURRENCY", "2")
    return env


# --- preparing a size (runs in a child process with the production settings) -----------------


def prepare(size: int, reseed: bool) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "perf"))
    import psycopg

    name = db_url(size).rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if reseed:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    import okrs_bench
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from okrcoach.api.services import create_api_token
    from okrcoach.orgs.models import Organisation

    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(slug=f"bench-{label(size)}").exists():
        began = time.perf_counter()
        counts = okrs_bench.seed(size, timezone.localdate())
        print(f"  seeded {label(size)} in {time.perf_counter() - began:.0f} s: {counts}")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", "--noinput", verbosity=0)
    actors = okrs_bench.pick_actors(size)
    client = Client()
    client.force_login(actors.manager.user)
    _token, raw = create_api_token(membership=actors.manager, name=f"load {time.time():.0f}")
    slug = actors.org.slug
    kr = actors.key_result
    from django.db.models import Q

    from okrcoach.okrs.models import KeyResult

    spread = list(
        KeyResult.objects.for_org(actors.org)
        .filter(
            Q(objective__owner=actors.manager) | Q(owner=actors.manager),
            objective__cycle=actors.cycle,
            kr_type=KeyResult.KRType.METRIC,
        )
        .order_by("pk")
        .values_list("public_id", flat=True)[:SPREAD]
    )
    return {
        "spread": [
            {"path": reverse("okrs:check_in", args=[slug, pid]), "prefix": f"kr-{pid}"}
            for pid in spread
        ],
        "session": client.cookies["sessionid"].value,
        "csrf": _get_new_csrf_string(),
        "token": raw,
        "kr_prefix": f"kr-{kr.public_id}",
        "urls": {
            "sign_in": reverse("accounts:login"),
            "my_okrs": reverse("okrs:my_okrs", args=[slug]),
            "team_okrs": reverse("okrs:team_okrs", args=[slug, actors.team.public_id]),
            "company_tree": reverse("okrs:company", args=[slug]),
            "objective": reverse("okrs:objective_detail", args=[slug, actors.department.public_id]),
            "check_in_post": reverse("okrs:check_in", args=[slug, kr.public_id]),
            "check_in_spread": reverse("okrs:check_in", args=[slug, spread[0]]),
            "api_key_results": "/api/v1/okrs/key-results?limit=50",
            "api_objectives": "/api/v1/okrs/objectives?limit=50",
            "openapi": "/api/v1/openapi.json",
        },
    }


# --- wrk -------------------------------------------------------------------------------------


def _lua(spec: dict[str, Any], target: str) -> str:
    """A wrk script: the session cookie, the CSRF token, the API token, and for the mix a
    weighted choice of request per call."""
    cookie = f"sessionid={spec['session']}; csrftoken={spec['csrf']}"
    entries = []
    names = list(MIX) if target == "mix" else [target]
    for name in names:
        weight = MIX.get(name, 1)
        url = spec["urls"][name]
        if name == "check_in_post":
            entries.append(f'{{w={weight}, method="POST", path="{url}", post=true}}')
        elif name == "check_in_spread":
            entries.append(f'{{w={weight}, method="POST", path="{url}", post=true, spread=true}}')
        elif name.startswith("api_") or name == "openapi":
            entries.append(f'{{w={weight}, method="GET", path="{url}", api=true}}')
        elif name == "sign_in":
            entries.append(f'{{w={weight}, method="GET", path="{url}", anon=true}}')
        else:
            entries.append(f'{{w={weight}, method="GET", path="{url}"}}')
    spread = ", ".join(
        f'{{path="{k["path"]}", prefix="{k["prefix"]}"}}' for k in spec.get("spread", [])
    )
    return f"""
local entries = {{ {", ".join(entries)} }}
local spread = {{ {spread} }}
local total = 0
for _, e in ipairs(entries) do total = total + e.w end
local n = 0
math.randomseed(os.time())
request = function()
  local r = math.random() * total
  local e = entries[#entries]
  for _, c in ipairs(entries) do
    if r < c.w then e = c break end
    r = r - c.w
  end
  local h = {{}}
  h["Host"] = "127.0.0.1"
  if e.api then
    h["Authorization"] = "Bearer {spec["token"]}"
  elseif not e.anon then
    h["Cookie"] = "{cookie}"
  end
  if e.post then
    n = n + 1
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["X-CSRFToken"] = "{spec["csrf"]}"
    h["HX-Request"] = "true"
    local p = "{spec["kr_prefix"]}"
    local path = e.path
    if e.spread then
      local k = spread[(n % #spread) + 1]
      p = k.prefix
      path = k.path
    end
    local body = p .. "-value=" .. (50 + n % 40) .. "&" .. p .. "-confidence=7"
    return wrk.format("POST", path, h, body)
  end
  return wrk.format(e.method, e.path, h)
end
"""


def _ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def run_wrk(script: Path, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = {"errors": 0.0}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif parts[:1] == ["50.000%"] or parts[:1] == ["50%"]:
            result["p50"] = _ms(parts[1])
        elif parts[:1] == ["99.000%"] or parts[:1] == ["99%"]:
            result["p99"] = _ms(parts[1])
        elif " requests in " in line:  # "  1234 requests in 6.00s, ..."
            result["requests"] = float(parts[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["errors"] += float(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] += sum(int(p.strip(",")) for p in parts[2:] if p.strip(",").isdigit())
    return result


# --- the server ------------------------------------------------------------------------------


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "-c",
        str(REPO / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{PORT}",
        "okrcoach.wsgi:application",
    ]
    proc = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)  # noqa: S603
    try:
        _wait_for(proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc


def _wait_for(proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=20)
            return
        except OSError:  # refused, reset or timed out while it boots
            if proc.poll() is not None:
                raise SystemExit("gunicorn exited at start-up") from None
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 180 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def check_urls(spec: dict[str, Any]) -> None:
    """Every URL answers 200 (not a redirect to the sign-in page) before anything is timed."""
    cookie = f"sessionid={spec['session']}; csrftoken={spec['csrf']}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for name, url in spec["urls"].items():
        headers = {"Cookie": cookie}
        if name.startswith("api_") or name == "openapi":
            headers = {"Authorization": f"Bearer {spec['token']}"}
        if name == "sign_in":
            headers = {}  # signed in, the page redirects
        data = None
        if name in ("check_in_post", "check_in_spread"):
            p = spec["kr_prefix"] if name == "check_in_post" else spec["spread"][0]["prefix"]
            data = f"{p}-value=55&{p}-confidence=7".encode()
            headers.update({"X-CSRFToken": spec["csrf"], "HX-Request": "true"})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{url}", data, headers)
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status not in (200, 201):
            raise SystemExit(f"{name} ({url}) answered {status}")


def profile(
    proc: subprocess.Popen[bytes], page: str, script: Path, args: argparse.Namespace
) -> None:
    """py-spy samples every worker while wrk loads one page; prints where the time goes:
    own time per function (the frame on top) and the share of samples each of our functions
    and each template/ORM layer appears in."""
    raw = RESULTS / f"profile-{page}.txt"
    spy = subprocess.Popen(  # noqa: S603
        [
            str(REPO / ".venv" / "bin" / "py-spy"),
            "record",
            "--pid",
            str(proc.pid),
            "--subprocesses",
            "--duration",
            str(args.duration),
            "--rate",
            "50",
            "--format",
            "raw",
            "--output",
            str(raw),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    run_wrk(script, args.duration, args.connections)
    spy.wait(60)
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = stack.split(";")
        if any("gunicorn/workers/sync.py" in f and "wait" in f for f in frames[-2:]):
            continue  # idle, waiting for a request
        total += n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        for f in set(frames):
            key = f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0]
            inclusive[key] = inclusive.get(key, 0) + n
    print(f"\nprofile {page}: {total} busy samples")
    for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  own {n / max(total, 1):5.1%}  {frame[:110]}")
    layers = {
        "templates (django/template)": "django/template/",
        "forms/widgets render": "django/forms/",
        "ORM compile+hydrate (django/db/models)": "django/db/models/",
        "database driver (psycopg)": "psycopg/",
        "okrcoach code": "okrcoach/",
        "middleware (django/utils/deprecation)": "django/utils/deprecation.py",
    }
    for name, marker in layers.items():
        n = 0
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if marker in stack:
                n += int(count)
        print(f"  in {n / max(total, 1):5.1%}  {name}")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    secret = secrets.token_urlsafe(48)
    env = server_env(size, secret)
    prep = subprocess.run(  # noqa: S603
        [PY, __file__, "--prepare", str(size), *(["--reseed"] if args.reseed else [])],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if prep.returncode:
        sys.stderr.write(prep.stdout + prep.stderr)
        raise SystemExit(f"preparing {label(size)} failed")
    for line in prep.stdout.splitlines()[:-1]:
        print(line)
    spec = json.loads(prep.stdout.splitlines()[-1])
    proc = start_server(env)
    pages = [p for p in PAGES if p in args.pages]
    runs: dict[str, list[dict[str, float]]] = {p: [] for p in pages}
    loads = [loadavg()]
    try:
        check_urls(spec)
        with tempfile.TemporaryDirectory() as tmp:
            scripts = {}
            for page in pages:
                scripts[page] = Path(tmp) / f"{page}.lua"
                scripts[page].write_text(_lua(spec, page))
            for page in pages:  # warm-up: imports, templates, caches of both workers
                run_wrk(scripts[page], 3, args.connections)
            if args.profile:
                for page in pages:
                    profile(proc, page, scripts[page], args)
                return {"people": size, "runs": runs, "load": loads, "profiled": True}
            for i in range(args.runs):
                for page in pages:
                    runs[page].append(run_wrk(scripts[page], args.duration, args.connections))
                loads.append(loadavg())
                print(f"  {label(size)} run {i + 1}/{args.runs} done (load {loads[-1]})")
    finally:
        stop_server(proc)
    return {"people": size, "runs": runs, "load": loads, "connections": args.connections}


def summarise(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    runs = result["runs"]
    base = runs.get("sign_in")
    for page, samples in runs.items():
        ratios = (
            [s["rps"] / b["rps"] for s, b in zip(samples, base, strict=True) if b["rps"]]
            if base
            else []
        )
        rows.append(
            {
                "page": page,
                "rps": statistics.median(s["rps"] for s in samples),
                "p50": statistics.median(s["p50"] for s in samples),
                "p99": statistics.median(s["p99"] for s in samples),
                "ratio": statistics.median(ratios) if ratios else None,
                "errors": sum(s["errors"] for s in samples),
                "rps_runs": [s["rps"] for s in samples],
            }
        )
    return rows


def print_table(tag: str, result: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    workers = os.environ.get("WEB_CONCURRENCY", 2)
    print(
        f"\n{tag}: {label(result['people'])} people, gunicorn {workers}"
        f" workers, wrk -c{result['connections']}, median of {len(result['load']) - 1} runs; "
        f"load average (1/5/15 min) before and after each run: {' | '.join(result['load'])}"
    )
    print("| page | req/s | p50 ms | p99 ms | ÷ sign-in | non-2xx | req/s runs |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['ratio']:.0%}" if r["ratio"] is not None else "-"
        runs = " / ".join(f"{x:.1f}" for x in r["rps_runs"])
        print(
            f"| {r['page']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {ratio} "
            f"| {r['errors']:.0f} | {runs} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6, help="seconds per page per run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--tag", default="run", help="names the results file")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy each page under load instead of timing"
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        spec = prepare(args.prepare, args.reseed)
        print(json.dumps(spec))
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for size in args.people:
        result = bench_size(size, args)
        if result.get("profiled"):
            continue
        rows = summarise(result)
        print_table(args.tag, result, rows)
        out = RESULTS / f"load-{args.tag}-{label(size)}.json"
        out.write_text(json.dumps({**result, "summary": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
