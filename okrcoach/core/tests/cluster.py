"""Real processes on loopback for the scale-out tests: app servers (gunicorn with the production
settings), the task worker, nginx in front of them, and a tiny HTTP client that keeps cookies.
Nothing here is mocked; tests skip when a component is missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
PYTHON = str(REPO / ".venv" / "bin" / "python")
GUNICORN = str(REPO / ".venv" / "bin" / "gunicorn")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PG_URL = os.environ.get("SCALE_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SECRET = "scale-out-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def postgres_reachable(url: str = PG_URL) -> str | None:
    """None when a server answers at `url`, else the reason to skip."""
    try:
        import psycopg

        with psycopg.connect(f"{url}/postgres", connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {url}: {exc}"


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> str | None:
    try:
        import redis

        redis.Redis(host=host, port=port, socket_connect_timeout=2).ping()
        return None
    except Exception as exc:
        return f"Redis not reachable at {host}:{port}: {exc}"


def recreate_database(name: str, url: str = PG_URL) -> str:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url}/{name}"


def drop_database(name: str, url: str = PG_URL) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="okrcoach.settings.production",
        SECRET_KEY=SECRET,
        SECURE_SSL_REDIRECT="false",  # loopback without TLS; everything else as in production
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        LOG_FORMAT="text",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def run_script(env: dict[str, str], code: str, timeout: float = 300) -> Any:
    """Run Python in a child with the app's settings; its last stdout line is JSON."""
    prelude = f"import sys; sys.path.insert(0, {str(REPO)!r}); import django; django.setup()\n"
    done = subprocess.run(
        [PYTHON, "-c", prelude + code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"script failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Process:
    proc: subprocess.Popen[bytes]
    log: Path

    def kill_hard(self) -> None:
        """kill -9 the whole process group (the gunicorn master and its workers)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill_hard()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start(command: list[str], env: dict[str, str], log: Path) -> Process:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(proc, log)


def start_app_server(env: dict[str, str], port: int, log: Path) -> Process:
    server = start(
        [
            GUNICORN,
            "-c",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "okrcoach.wsgi:application",
        ],
        env,
        log,
    )
    wait_for_http(f"http://127.0.0.1:{port}/healthz", server)
    return server


def start_worker(env: dict[str, str], log: Path) -> Process:
    return start([PYTHON, "manage.py", "run_worker", "--interval", "0.2", "--no-reload"], env, log)


def wait_for_http(url: str, process: Process | None = None, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=20)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if process is not None and process.proc.poll() is not None:
                message = f"{url}: the process exited:\n{process.output()[-4000:]}"
                raise AssertionError(message) from None
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s")


def start_nginx(tmp: Path, listen: int, upstreams: list[int]) -> Process:
    """The shipped site (deploy/nginx/okrcoach.conf) with one upstream line per app server."""
    assert NGINX is not None
    site = (REPO / "deploy" / "nginx" / "okrcoach.conf").read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in upstreams)
    site = site.replace("server 127.0.0.1:8000 max_fails=2 fail_timeout=5s;", servers)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    site = site.replace("/srv/okrcoach/var/static/", f"{tmp}/static/")
    root = tmp / "nginx"
    for d in ("body", "proxy", "logs"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "okrcoach.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {root}/logs/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/proxy;
    uwsgi_temp_path {root}/proxy;
    scgi_temp_path {root}/proxy;
    include {root}/okrcoach.conf;
}}
"""
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(root), "-c", str(root / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    proxy = start(
        [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
        dict(os.environ),
        root / "logs" / "stdout.log",
    )
    deadline = time.monotonic() + 10
    while port_free(listen) and time.monotonic() < deadline:
        time.sleep(0.05)
    return proxy


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


_NO_REDIRECT = urllib.request.build_opener(
    type(
        "NoRedirect",
        (urllib.request.HTTPRedirectHandler,),
        {"redirect_request": lambda *a, **k: None},
    )
)


@dataclass
class Browser:
    """Cookies kept by hand: the production settings mark them Secure, which a cookie jar would
    then withhold over plain http on loopback."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        request = urllib.request.Request(url, body, sent)  # noqa: S310 - http on loopback
        try:
            raw = _NO_REDIRECT.open(request, timeout=60)
        except urllib.error.HTTPError as exc:
            raw = exc
        for header in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return Response(raw.status, dict(raw.headers), raw.read().decode(errors="replace"))

    def sign_in(self, base: str, email: str, password: str) -> Response:
        page = self.request(f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return self.request(
            f"{base}/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
        )


PG_BIN = Path("/usr/lib/postgresql/15/bin")


def postgres_tools_missing() -> str | None:
    needed = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
    missing = [t for t in needed if not (PG_BIN / t).exists()]
    if missing:
        return f"PostgreSQL 15 tools missing in {PG_BIN}: {', '.join(missing)}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to drop to the postgres user"
    return None


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PgServer:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *command: str, timeout: float = 120) -> None:
        done = subprocess.run(
            _as_postgres(list(command)), capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise AssertionError(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / f"{self.data.name}.log"),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data}"
            " -c fsync=off -c full_page_writes=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres(
                    [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
                ),
                capture_output=True,
                timeout=60,
            )

    def query(self, sql: str, params: list[Any] | None = None, db: str = "postgres") -> Any:
        import psycopg

        with psycopg.connect(f"{self.url}/{db}", autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchone() if cursor.description else None


def make_primary(root: Path, port: int) -> PgServer:
    """A fresh cluster on loopback, ready to stream to replicas (trust on loopback only)."""
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "primary"
    done = subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise AssertionError(f"initdb failed:\n{done.stderr}")
    server = PgServer(data, port)
    server.start()
    return server


def make_replica(primary: PgServer, port: int) -> PgServer:
    """pg_basebackup -R: a hot standby streaming from `primary`."""
    data = primary.data.parent / "replica"
    primary._run(
        str(PG_BIN / "pg_basebackup"),
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-D",
        str(data),
        "-R",
        "-X",
        "stream",
        "--checkpoint=fast",  # the default spread checkpoint waits minutes on an idle primary
    )
    replica = PgServer(data, port)
    replica.start()
    return replica


def run_elsewhere() -> str | None:
    """scripts/test.sh runs the SQLite and PostgreSQL passes side by side; these multi-process
    tests take fixed ports and a Redis database, so only the PostgreSQL pass runs them."""
    if os.environ.get("OKRCOACH_CLUSTER_TESTS") == "elsewhere":
        return "runs in the PostgreSQL pass (scripts/test.sh runs both passes side by side)"
    return None
