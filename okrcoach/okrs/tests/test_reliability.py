"""Issue 10 (Trust), Deliver 6: the reliability harness. Real processes against a real
database file: gunicorn serving the API, the task worker, `manage.py dumpdata/loaddata`.

- concurrent check-ins and key-result edits: no lost update, progress equals a recomputation;
- a 2,000-row import for one organisation while another organisation writes: no 5xx, and the
  longest wait of the other organisation's requests is printed (and bounded);
- kill -9 of the server mid-import: nothing partial; kill -9 of the worker mid-send: a restarted
  worker sends what was left;
- backup and restore (`dumpdata` then `loaddata` into a fresh database) yields the same data.

Uses ports 8120-8129 (REL_PORT_BASE to change) and SQLite files under pytest's tmp dir. These
tests take seconds each, not minutes: the database is migrated once per module and copied."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from okrcoach.core.tests.smtp import smtp_server

REPO = Path(__file__).resolve().parents[3]
PY = sys.executable
PORT_BASE = int(os.environ.get("REL_PORT_BASE", "8120"))

SEED = r"""
import json, datetime
from decimal import Decimal
from django.utils import timezone
from okrcoach.accounts.models import User
from okrcoach.api.services import create_api_token
from okrcoach.okrs.models import Cycle
from okrcoach.okrs.services.key_results import KeyResultData, create_key_result
from okrcoach.okrs.services.objectives import ObjectiveData, create_objective
from okrcoach.orgs.services import create_organisation
out = {}
today = timezone.localdate()
for slug in ("north", "south"):
    user = User.objects.create_user(f"admin@{slug}.test", password=None, full_name=f"Admin {slug}")
    org = create_organisation(name=slug.title(), slug=slug, creator=user)
    from okrcoach.orgs.models import Membership
    admin = Membership.objects.for_org(org).get(user=user)
    cycle = Cycle.objects.create(
        organisation=org, name="Now", starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=80), state=Cycle.State.ACTIVE,
    )
    objective = create_objective(actor=admin, cycle=cycle, data=ObjectiveData(
        title="Customers get answers the same day", level="personal"))
    kr = create_key_result(actor=admin, objective=objective, data=KeyResultData(
        title="Median first reply falls under four hours",
        baseline=Decimal(0), target=Decimal(100)))
    _token, raw = create_api_token(membership=admin, name="harness")
    out[slug] = {"token": raw, "cycle": str(cycle.public_id), "kr": str(kr.public_id),
                 "objective": str(objective.public_id)}
print("SEED" + json.dumps(out))
"""


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="okrcoach.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="reliability-harness-only-not-a-secret-0123456789",
        PYTHONUNBUFFERED="1",
        # Each site its own shared file cache: the rate limits' counts of an earlier run in the
        # same checkout (var/cache) must not refuse this run's invitations.
        CACHE_DIR=str(db.parent / f"{db.stem}-cache"),
        **extra,
    )
    return env


def manage(db: Path, *args: str, **env: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=REPO,
        env=_env(db, **env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    db = tmp_path_factory.mktemp("reliability") / "base.sqlite3"
    manage(db, "migrate", "--noinput", "-v0")
    out = manage(db, "shell", "-c", SEED)
    seed = json.loads(out.split("SEED", 1)[1])
    return db, seed


@pytest.fixture
def site(migrated: tuple[Path, dict[str, Any]], tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    base, seed = migrated
    db = tmp_path / "site.sqlite3"
    shutil.copy(base, db)
    return db, seed


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str


def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # a machine shared with other work boots slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=5)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture
def serve(site: tuple[Path, dict[str, Any]]) -> Iterator[Any]:
    started: list[subprocess.Popen[bytes]] = []

    def start(offset: int = 0, workers: int = 2, threads: int = 4) -> Server:
        port = PORT_BASE + offset
        assert _free(port), f"port {port} is busy"
        process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "okrcoach.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--preload",
                "--no-control-socket",
            ],
            cwd=REPO,
            env=_env(site[0]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        _wait_up(url, process)
        return Server(process, url)

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def call(
    url: str,
    token: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    content_type: str = "application/json",
    timeout: float = 120,
) -> tuple[int, Any]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(  # noqa: S310
        url + "/api/v1" + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read()
            return response.status, json.loads(payload) if payload else None
    except urllib.error.HTTPError as exc:
        payload = exc.read()
        try:
            return exc.code, json.loads(payload)
        except ValueError:
            return exc.code, payload[:200]


def _read_db(db: Path, code: str) -> Any:
    out = manage(db, "shell", "-c", code + "\nprint('OUT' + json.dumps(result))")
    return json.loads(out.split("OUT", 1)[1])


def _okr_file(objectives: int, krs_each: int) -> bytes:
    lines = ["objective,level,owner_email,key_result,kr_type,baseline,target\n"]
    for o in range(objectives):
        for k in range(krs_each):
            lines.append(
                f"Objective {o} of the harness,personal,admin@north.test,"
                f"Measure {k} of objective {o} rises,metric,0,{10 + k}\n"
            )
    return "".join(lines).encode()


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----harness-boundary-7b1f"
    parts = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- concurrent check-ins and edits on one key result -----------------------------------------


def test_concurrent_check_ins_and_edits_lose_nothing_and_progress_matches(
    site: tuple[Path, dict[str, Any]], serve: Any
) -> None:
    db, seed = site
    server = serve()
    north = seed["north"]
    statuses: list[tuple[str, int, Any]] = []
    lock = threading.Lock()

    def check_in(i: int) -> None:
        code, body = call(
            server.url,
            north["token"],
            "POST",
            f"/okrs/key-results/{north['kr']}/check-ins",
            {"confidence": 5, "value": 5 + i},
        )
        with lock:
            statuses.append(("check-in", code, body))

    def edit(i: int) -> None:
        code, body = call(
            server.url,
            north["token"],
            "PATCH",
            f"/okrs/key-results/{north['kr']}",
            {"target": 100 + 10 * i},
        )
        with lock:
            statuses.append(("edit", code, body))

    threads = [threading.Thread(target=check_in, args=(i,)) for i in range(12)]
    threads += [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(code < 500 for _k, code, _b in statuses), statuses
    recorded = [b for k, code, b in statuses if k == "check-in" and code == 201]
    edits = [code for k, code, _b in statuses if k == "edit"]
    assert len(recorded) == 12
    assert set(edits) <= {200, 412}
    state = _read_db(
        db,
        "import json\n"
        "from okrcoach.okrs.models import KeyResult, CheckIn\n"
        "from okrcoach.okrs import rollup\n"
        f"kr = KeyResult._base_manager.get(public_id='{north['kr']}')\n"
        "latest = CheckIn._base_manager.filter(key_result=kr).order_by('-created_at', '-pk')\n"
        "result = {'count': latest.count(), 'current': str(kr.current_value),\n"
        " 'latest': str(latest[0].value), 'progress': str(kr.progress),\n"
        " 'recomputed': str(rollup.recompute_key_result(kr).progress),\n"
        " 'objective': str(kr.objective.progress)}\n",
    )
    assert state["count"] == 12
    assert Decimal(state["current"]) == Decimal(state["latest"])
    assert Decimal(state["progress"]) == Decimal(state["recomputed"])
    assert Decimal(state["objective"]) == Decimal(state["progress"])


# --- a long import on SQLite while another organisation writes ----------------------------------


def test_a_2000_row_import_does_not_stop_another_organisation(
    site: tuple[Path, dict[str, Any]], serve: Any
) -> None:
    _db, seed = site
    server = serve(offset=1, workers=2, threads=4)
    north, south = seed["north"], seed["south"]
    body, content_type = _multipart({"cycle_id": north["cycle"]}, "okrs.csv", _okr_file(500, 4))
    outcome: dict[str, Any] = {}

    def run_import() -> None:
        started = time.monotonic()
        outcome["import"] = call(
            server.url,
            north["token"],
            "POST",
            "/okrs/import",
            raw=body,
            content_type=content_type,
            timeout=300,
        )
        outcome["import_seconds"] = time.monotonic() - started

    importer = threading.Thread(target=run_import)
    importer.start()
    waits: list[float] = []
    codes: list[int] = []
    i = 0
    while importer.is_alive() or i < 5:
        started = time.monotonic()
        code, _body = call(
            server.url,
            south["token"],
            "POST",
            f"/okrs/key-results/{south['kr']}/check-ins",
            {"confidence": 6, "value": i % 90},
            timeout=120,
        )
        waits.append(time.monotonic() - started)
        codes.append(code)
        i += 1
        time.sleep(0.05)
    importer.join()
    status, result = outcome["import"]
    print(
        f"\n2,000-row import: {status} in {outcome['import_seconds']:.1f} s; other organisation: "
        f"{len(waits)} check-ins, longest wait {max(waits):.2f} s, "
        f"median {sorted(waits)[len(waits) // 2]:.2f} s"
    )
    assert status == 201, result
    assert result["objectives"] == 500 and result["key_results"] == 2000
    assert all(code == 201 for code in codes), codes
    assert max(waits) < 15


# --- kill -9 mid-import: nothing partial ----------------------------------------------------------


def test_killing_the_server_mid_import_leaves_nothing_partial(
    site: tuple[Path, dict[str, Any]], serve: Any
) -> None:
    db, seed = site
    north = seed["north"]
    server = serve(offset=2, workers=1, threads=1)
    body, content_type = _multipart({"cycle_id": north["cycle"]}, "okrs.csv", _okr_file(500, 4))

    def doomed_import() -> None:
        # The server is killed under it: the disconnect is expected.
        with contextlib.suppress(ConnectionError, urllib.error.URLError):
            call(
                server.url,
                north["token"],
                "POST",
                "/okrs/import",
                raw=body,
                content_type=content_type,
                timeout=60,
            )

    thread = threading.Thread(target=doomed_import)
    thread.start()
    time.sleep(1.5)
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    thread.join()
    counts = _read_db(
        db,
        "import json\nfrom okrcoach.okrs.models import Objective, KeyResult\n"
        "result = [Objective._base_manager.count(), KeyResult._base_manager.count()]\n",
    )
    # Either nothing of the file (killed before its transaction committed) or all of it.
    assert counts in ([2, 2], [502, 2002]), counts
    restarted = serve(offset=3)
    code, _b = call(restarted.url, north["token"], "GET", "/okrs/objectives")
    assert code == 200


def test_a_worker_killed_mid_send_is_restarted_and_sends_what_was_left(
    site: tuple[Path, dict[str, Any]],
) -> None:
    db, _seed = site
    with smtp_server(delay=0.5) as (port, inbox):
        mail_env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
        people = "".join(f"p{n}@north.test,Person {n},,member,,\n" for n in range(8))
        csv_bytes = ("email,full_name,title,role,team,manager_email\n" + people).encode()
        code = (
            "import json\nfrom okrcoach.orgs.models import Membership\n"
            "from okrcoach.orgs import importing\n"
            "admin = Membership._base_manager.get(user__email='admin@north.test')\n"
            f"r = importing.import_people_csv(actor=admin, data={csv_bytes!r})\n"
            "result = r.invitations\n"
        )
        assert _read_db(db, code) == 8
        worker = subprocess.Popen(
            [PY, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=REPO,
            env=_env(db, **mail_env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not inbox and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        sent_before = len(inbox)
        assert 1 <= sent_before < 8
        manage(
            db, "run_worker", "--batch", "--no-startup-delay", "--requeue-after", "0", **mail_env
        )
        received = {str(m["To"]) for m in inbox}
    assert received == {f"p{n}@north.test" for n in range(8)}


# Our `run_worker` against django-tasks-db's stock `db_worker`, the same test for both: the stock
# worker begins its claim transaction (BEGIN EXCLUSIVE on SQLite) outside its "database is
# locked" handler, so a write lock held longer than the busy timeout ends the process when the
# lock meets its claim. Whether it does depends on where the stock worker is in its poll loop
# when the lock is taken (a CI run saw it asleep through the whole lock), so its case is a
# non-strict xfail: it documents why `run_worker` exists and never gates the suite.
WORKER_COMMANDS = [
    pytest.param("run_worker", id="run_worker"),
    pytest.param(
        "db_worker",
        id="stock_db_worker",
        marks=pytest.mark.xfail(
            strict=False,
            raises=AssertionError,
            reason="the stock worker exits when its claim meets a locked database",
        ),
    ),
]


def _invite(db: Path, email: str) -> None:
    code = (
        "import json\nfrom okrcoach.orgs.models import Membership\n"
        "from okrcoach.orgs import services\n"
        "admin = Membership._base_manager.get(user__email='admin@north.test')\n"
        f"services.invite_member(actor=admin, email={email!r})\n"
        "result = 1\n"
    )
    _read_db(db, code)


def _wait_for_mail(inbox: list[Any], count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while len(inbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.parametrize("command", WORKER_COMMANDS)
def test_the_worker_outlives_a_database_locked_longer_than_its_timeout(
    site: tuple[Path, dict[str, Any]], tmp_path: Path, command: str
) -> None:
    db, _seed = site
    log = tmp_path / "worker.log"
    with smtp_server() as (port, inbox), log.open("w") as log_file:
        worker_env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            # A short busy timeout keeps the test short; the lock below outlasts it fourfold.
            "SQLITE_BUSY_TIMEOUT": "1",
        }
        worker = subprocess.Popen(
            [PY, "manage.py", command, "--no-startup-delay", "--interval", "0.2"],
            cwd=REPO,
            env=_env(db, **worker_env),
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
        )
        try:
            # The first invitation proves the worker is up and polling before the lock.
            _invite(db, "first@north.test")
            _wait_for_mail(inbox, 1, 90)
            assert [str(m["To"]) for m in inbox] == ["first@north.test"]

            holder = sqlite3.connect(db, timeout=60, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")  # what a long import on SQLite used to do
            time.sleep(4)
            holder.execute("COMMIT")
            holder.close()
            assert worker.poll() is None, (
                f"{command} exited with {worker.returncode} on a locked database:\n"
                + log.read_text()[-1500:]
            )

            _invite(db, "late@north.test")
            _wait_for_mail(inbox, 2, 90)
            assert [str(m["To"]) for m in inbox] == ["first@north.test", "late@north.test"]
            assert worker.poll() is None
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


# --- backup and restore -------------------------------------------------------------------------


def test_dumpdata_then_loaddata_into_a_fresh_database_gives_the_same_data(
    site: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, _seed = site
    excluded = ["-e", "contenttypes", "-e", "auth.permission", "-e", "sessions", "-e", "axes"]
    dump = tmp_path / "backup.json"
    manage(db, "dumpdata", "--natural-foreign", "--natural-primary", *excluded, "-o", str(dump))
    fresh = tmp_path / "restored.sqlite3"
    manage(fresh, "migrate", "--noinput", "-v0")
    manage(fresh, "loaddata", str(dump))
    again = tmp_path / "again.json"
    manage(fresh, "dumpdata", "--natural-foreign", "--natural-primary", *excluded, "-o", str(again))

    # Django's JSON serializer keeps milliseconds: a time whose microseconds are below 1,000 is
    # written "…:44.000Z" from the source and "…:44Z" once restored. Same instant, same data.
    def read(path: Path) -> Any:
        return json.loads(
            re.sub(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', path.read_text())
        )

    before, after = read(dump), read(again)
    assert len(before) > 20
    assert before == after
