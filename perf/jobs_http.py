"""The issue's jobs through the production server: the CSV export, the XLSX export job end to end
and a 2,000-row import, with the wall time, the answers and the peak memory of the processes.

    BENCH_DB_PREFIX=pjob24_ BENCH_PORT=8330 .venv/bin/python perf/jobs_http.py --people 10000

Uses load_bench.py's database (`$BENCH_DB_PREFIX<size>`, a copy: the import writes to it) and
its server settings (production settings, gunicorn from deploy/gunicorn.conf.py, 2 sync workers,
the default 30 s timeout), plus the task worker (`manage.py run_worker`). Signed in as the
organisation's admin (who sees every objective), each run:

- GETs the active cycle's CSV export and reads it to the end (time to the first byte, total);
- opens the XLSX export page, POSTs "Prepare", polls the job's fragment once a second as the
  page's htmx does, and downloads the file once it is ready (request -> ready -> downloaded);
- (`--jobs csvjob`) follows the CSV link of a cycle above EXPORT_STREAM_MAX_ROWS: the page that
  explains, "Prepare the CSV export", the same polling, the download;
- POSTs a CSV of 2,000 key results (500 objectives, owners spread over 50 members) to the
  import form of the active cycle (so the import checks against its ~11,000 objectives).

A thread reads VmRSS of the gunicorn workers and of the task worker every 0.1 s: the peak of
each phase, next to the process's RSS before it. The server's and the worker's logs are
searched for "WORKER TIMEOUT" and tracebacks; every answer's status is printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "perf"))

import load_bench  # noqa: E402 - perf/ is not a package

PORT = load_bench.PORT
LOGS = REPO / "var" / "bench"


# --- preparing (a child process with the production settings) -------------------------------


def prepare(size: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse

    from okrcoach.okrs.models import Cycle
    from okrcoach.orgs.models import Membership, Organisation

    call_command("collectstatic", "--noinput", verbosity=0)
    org = Organisation.objects.get(slug=f"bench-{load_bench.label(size)}")
    admin = Membership.objects.for_org(org).filter(role="admin").order_by("pk").first()
    assert admin is not None
    cycle = Cycle.objects.for_org(org).get(state=Cycle.State.ACTIVE)
    owners = list(
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .order_by("pk")
        .values_list("user__email", flat=True)[:50]
    )
    client = Client()
    client.force_login(admin.user)
    slug = org.slug
    return {
        "session": client.cookies["sessionid"].value,
        "csrf": _get_new_csrf_string(),
        "cycle_pk": cycle.pk,
        "owners": owners,
        "urls": {
            "csv": reverse("okrs:export", args=[slug, cycle.public_id]) + "?format=csv",
            "xlsx_page": reverse("okrs:export", args=[slug, cycle.public_id]) + "?format=xlsx",
            "xlsx_start": reverse("okrs:export_xlsx_start", args=[slug, cycle.public_id]),
            "csv_start": reverse("okrs:export_csv_start", args=[slug, cycle.public_id]),
            "import": reverse("okrs:import", args=[slug]),
        },
    }


# --- memory ----------------------------------------------------------------------------------


def _status(pid: int, field: str) -> int:
    """A /proc/PID/status field in kB (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (0.0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


class Sampler(threading.Thread):
    """The peak VmRSS of each watched process since the last `phase()`."""

    def __init__(self, master: int, worker: int) -> None:
        super().__init__(daemon=True)
        self.master, self.worker = master, worker
        self.peak: dict[int, int] = {}
        self.lock = threading.Lock()
        self.running = True

    def pids(self) -> dict[str, list[int]]:
        return {"gunicorn": _children(self.master), "task worker": [self.worker]}

    def phase(self) -> dict[str, tuple[int, int, float]]:
        """Peak and current RSS (MB) of the busiest process of each kind, and the CPU seconds
        of all of that kind so far; starts a new phase."""
        with self.lock:
            out = {}
            for kind, pids in self.pids().items():
                peak = max((self.peak.get(p, 0) for p in pids), default=0)
                now = max((_status(p, "VmRSS") for p in pids), default=0)
                out[kind] = (peak // 1024, now // 1024, sum(_cpu(p) for p in pids))
            self.peak = {}
            return out

    def run(self) -> None:
        while self.running:
            with self.lock:
                for pids in self.pids().values():
                    for pid in pids:
                        rss = _status(pid, "VmRSS")
                        self.peak[pid] = max(self.peak.get(pid, 0), rss)
            time.sleep(0.1)


# --- requests --------------------------------------------------------------------------------


class Browser:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.cookie = f"sessionid={spec['session']}; csrftoken={spec['csrf']}"
        self.csrf = spec["csrf"]
        self.statuses: list[tuple[str, int]] = []

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        sink: Any = None,
    ) -> tuple[int, dict[str, str], bytes, float]:
        """Status, headers, body (unless `sink` takes the chunks) and time to the first byte."""
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        began = time.perf_counter()
        conn.request(method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})})
        response = conn.getresponse()
        first = time.perf_counter() - began
        data = b""
        while chunk := response.read(1 << 16):
            if sink is None:
                data += chunk
            else:
                sink(chunk)
        conn.close()
        self.statuses.append((f"{method} {path.split('?')[0][-40:]}", response.status))
        return response.status, dict(response.getheaders()), data, first

    def post_form(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, str], bytes, float]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": self.csrf, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        body = "".join(parts).encode()
        for name, (filename, content) in files.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-CSRFToken": self.csrf,
            },
        )


def run_csv(browser: Browser, spec: dict[str, Any]) -> dict[str, Any]:
    size = {"bytes": 0, "lines": 0}

    def sink(chunk: bytes) -> None:
        size["bytes"] += len(chunk)
        size["lines"] += chunk.count(b"\n")

    began = time.perf_counter()
    status, _h, _b, first = browser.request("GET", spec["urls"]["csv"], sink=sink)
    return {
        "status": status,
        "seconds": time.perf_counter() - began,
        "first_byte": first,
        "MB": size["bytes"] / 1e6,
        "lines": size["lines"],
    }


def run_xlsx(browser: Browser, spec: dict[str, Any], kind: str = "xlsx") -> dict[str, Any]:
    """The job's flow: XLSX, or (kind "csvjob") a CSV above EXPORT_STREAM_MAX_ROWS, whose CSV
    link answers the page that explains and offers the job."""
    began = time.perf_counter()
    fmt = "csv" if kind == "csvjob" else "xlsx"
    page = spec["urls"]["csv" if fmt == "csv" else "xlsx_page"]
    status, headers, body, _f = browser.request("GET", page)
    assert status == 200 and f"Prepare the {fmt.upper()} export" in body.decode(), status
    status, headers, _b, _f = browser.post_form(spec["urls"][f"{fmt}_start"], {}, {})
    assert status == 302, status
    job_url = headers["Location"]
    polls, progress = 0, []
    while True:
        time.sleep(1)
        status, _h, body, _f = browser.request("GET", job_url, headers={"HX-Request": "true"})
        polls += 1
        text = body.decode()
        if status != 200:
            raise SystemExit(f"job page answered {status}")
        if f"Download the {fmt.upper()} file" in text:
            break
        if "export failed" in text:
            raise SystemExit("the export failed")
        shown = re.search(r"([\d,]+) of ([\d,]+) rows done|Waiting for the worker", text)
        progress.append(shown.group(0) if shown else "?")
    ready = time.perf_counter() - began
    download = re.search(r'href="([^"]+/download/)"', text)
    assert download, text
    size = {"bytes": 0}
    status, _h, _b, _f = browser.request(
        "GET", download.group(1), sink=lambda c: size.__setitem__("bytes", size["bytes"] + len(c))
    )
    return {
        "status": status,
        "ready": ready,
        "seconds": time.perf_counter() - began,
        "polls": polls,
        "MB": size["bytes"] / 1e6,
        "progress_seen": sorted(set(progress), key=progress.index)[:3]
        + ([progress[-1]] if progress else []),
    }


def import_file(rows: int, run: str, owners: list[str]) -> bytes:
    lines = ["objective,level,owner_email,key_result,kr_type,baseline,target\n"]
    for n in range(rows):
        o, k = divmod(n, 4)
        owner = owners[o % len(owners)]
        lines.append(
            f"Run {run} objective {o} lands well,personal,{owner},"
            f"Measure {k} of objective {o} rises,metric,0,{10 + k}\n"
        )
    return "".join(lines).encode()


def run_import(browser: Browser, spec: dict[str, Any], rows: int) -> dict[str, Any]:
    data = import_file(rows, uuid.uuid4().hex[:6], spec["owners"])
    began = time.perf_counter()
    status, headers, body, _f = browser.post_form(
        spec["urls"]["import"], {"cycle": str(spec["cycle_pk"])}, {"file": ("okrs.csv", data)}
    )
    seconds = time.perf_counter() - began
    if status != 302:
        print(body.decode(errors="replace")[:3000])
    return {"status": status, "seconds": seconds, "location": headers.get("Location", "")[-60:]}


# --- in Chromium ----------------------------------------------------------------------------

SHOTS = REPO / "e2e" / "screenshots"


def run_browser(spec: dict[str, Any], rows: int) -> None:
    """What the admin sees while the jobs run: screenshots in e2e/screenshots/ (git-ignored)
    of the XLSX export's progress page (early, half-way, ready) and of the import form while
    its request runs and after it."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{PORT}"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
        context.add_cookies(
            [
                {"name": "sessionid", "value": spec["session"], "url": base},
                {"name": "csrftoken", "value": spec["csrf"], "url": base},
            ]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + spec["urls"]["xlsx_page"])
        began = time.perf_counter()
        page.get_by_role("button", name="Prepare the XLSX export").click()
        page.wait_for_load_state()
        shots, last = [], ""
        while True:
            text = page.locator(".export-progress").inner_text()
            if text != last:
                shots.append((time.perf_counter() - began, text.replace("\n", " | ")))
                last = text
            n = len(shots)
            if n <= 3 or "Ready" in text:
                page.screenshot(path=str(SHOTS / f"jobs-xlsx-{n}.png"), full_page=True)
            if "Ready" in text or "failed" in text or time.perf_counter() - began > 600:
                break
            page.wait_for_timeout(1000)
        for at, text in shots:
            print(f"  xlsx {at:6.1f} s: {text[:120]}")
        page.goto(base + spec["urls"]["import"])
        page.get_by_label("Import into cycle").select_option(str(spec["cycle_pk"]))
        page.locator("input[type=file]").set_input_files(
            {
                "name": "okrs.csv",
                "mimeType": "text/csv",
                "buffer": import_file(rows, uuid.uuid4().hex[:6], spec["owners"]),
            }
        )
        # The busy state as the admin sees it while the request runs: a listener after the
        # page's own holds the submission back so the page can be photographed (a screenshot
        # waits while a navigation is pending), then the form is sent for real.
        page.evaluate(
            "window.__hold = true; window.addEventListener('submit',"
            " e => { if (window.__hold) e.preventDefault(); })"
        )
        page.get_by_role("button", name="Check and import").click()
        page.wait_for_timeout(300)
        busy = page.get_by_role("status").filter(has_text="Checking and importing")
        disabled = page.get_by_role("button", name="Check and import").is_disabled()
        print(f"  import: busy message shown {busy.is_visible()}, button disabled {disabled}")
        page.screenshot(path=str(SHOTS / "jobs-import-busy.png"), full_page=True)
        began = time.perf_counter()
        page.evaluate("document.querySelector('form[data-busy]').submit()")
        page.wait_for_url("**/company/**", timeout=300_000)
        print(f"  import: next page after {time.perf_counter() - began:.1f} s: {page.url[-60:]}")
        page.screenshot(path=str(SHOTS / "jobs-import-done.png"))
        print(f"  console errors: {errors}")
        chromium.close()


# --- main ------------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2000, help="rows of the import file")
    parser.add_argument("--jobs", nargs="+", default=["csv", "xlsx", "import"])
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--browser", action="store_true", help="screenshots in Chromium instead of timed runs"
    )
    args = parser.parse_args()
    secret = os.environ.get("BENCH_SECRET_KEY", "jobs-bench-" + "x" * 50)
    env = load_bench.server_env(args.people, secret)
    env.setdefault("MEDIA_ROOT", str(LOGS / "media"))
    if args.prepare:
        print(json.dumps(prepare(args.people)))
        return 0
    LOGS.mkdir(parents=True, exist_ok=True)
    spec = json.loads(
        subprocess.run(  # noqa: S603
            [load_bench.PY, __file__, "--people", str(args.people), "--prepare"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    server_log = (LOGS / "jobs-gunicorn.log").open("w")
    worker_log = (LOGS / "jobs-worker.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "okrcoach.wsgi:application",
        ],
        cwd=REPO,
        env=env,
        stdout=server_log,
        stderr=server_log,
        start_new_session=True,
    )
    worker = subprocess.Popen(  # noqa: S603
        [load_bench.PY, "manage.py", "run_worker", "--interval", "1", "--no-reload"],
        cwd=REPO,
        env=env,
        stdout=worker_log,
        stderr=worker_log,
        start_new_session=True,
    )
    sampler = Sampler(server.pid, worker.pid)
    results: dict[str, list[dict[str, Any]]] = {job: [] for job in args.jobs}
    try:
        load_bench._wait_for(server)
        sampler.start()
        browser = Browser(spec)
        if args.browser:
            run_browser(spec, args.rows)
            args.runs = 0
        for url in ("csv", "xlsx_page", "import"):  # warm both workers' imports a little
            if url != "csv":
                browser.request("GET", spec["urls"][url])
        time.sleep(2)
        for run in range(1, args.runs + 1):
            for job in args.jobs:
                before = sampler.phase()
                load = _load()
                at = time.strftime("%H:%M:%S", time.gmtime())
                if job == "csv":
                    result = run_csv(browser, spec)
                elif job in ("xlsx", "csvjob"):
                    result = run_xlsx(browser, spec, job)
                else:
                    result = run_import(browser, spec, args.rows)
                memory = sampler.phase()
                result.update(
                    run=run,
                    at=at,
                    load=f"{load} -> {_load()}",
                    gunicorn_cpu_s=round(memory["gunicorn"][2] - before["gunicorn"][2], 2),
                    worker_cpu_s=round(memory["task worker"][2] - before["task worker"][2], 2),
                    gunicorn_before_MB=before["gunicorn"][1],
                    gunicorn_peak_MB=memory["gunicorn"][0],
                    worker_before_MB=before["task worker"][1],
                    worker_peak_MB=memory["task worker"][0],
                )
                results[job].append(result)
                print(job, json.dumps(result), flush=True)
        hwm = {
            kind: [_status(p, "VmHWM") // 1024 for p in pids]
            for kind, pids in sampler.pids().items()
        }
    finally:
        sampler.running = False
        load_bench.stop_server(server)
        if worker.poll() is None:
            os.killpg(worker.pid, 15)
            worker.wait(20)
        server_log.close()
        worker_log.close()
    print(f"\nVmHWM at the end (MB): {hwm}")
    for job, runs in results.items():
        if not runs:
            continue
        key = "ready" if job == "xlsx" else "seconds"
        values = [r[key] for r in runs]
        print(
            f"{job}: median {key} {statistics.median(values):.1f} s "
            f"(runs {' / '.join(f'{v:.1f}' for v in values)}); statuses "
            f"{sorted({r['status'] for r in runs})}; gunicorn peak "
            f"{max(r['gunicorn_peak_MB'] for r in runs)} MB, task worker peak "
            f"{max(r['worker_peak_MB'] for r in runs)} MB; CPU s gunicorn "
            f"{' / '.join(str(r['gunicorn_cpu_s']) for r in runs)}, task worker "
            f"{' / '.join(str(r['worker_cpu_s']) for r in runs)}"
        )
    bad = [s for s in browser.statuses if s[1] >= 500]
    print(f"answers: {len(browser.statuses)}, 5xx: {bad}")
    for name in ("jobs-gunicorn.log", "jobs-worker.log"):
        text = (LOGS / name).read_text()
        print(
            f"{name}: WORKER TIMEOUT {text.count('WORKER TIMEOUT')}, "
            f"Traceback {text.count('Traceback')}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
