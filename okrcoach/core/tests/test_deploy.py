"""The shipped nginx configuration (deploy/nginx/okrcoach.conf), run by Debian's nginx on
loopback in front of a recording upstream: static files from disk with long caching, the proxy
headers, large uploads passed through whole and too large ones refused. Skips when nginx is
not installed (scripts/test.sh installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _ephemeral_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Chosen by the kernel: the SQLite and PostgreSQL runs of scripts/test.sh run side by side.
PROXY_PORT = _ephemeral_port()
UPSTREAM_PORT = _ephemeral_port()
while UPSTREAM_PORT == PROXY_PORT:
    UPSTREAM_PORT = _ephemeral_port()

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx)"
)


class Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        received = 0
        while received < length:
            chunk = self.rfile.read(min(65536, length - received))
            if not chunk:
                break
            received += len(chunk)
        self.seen.append({"path": self.path, "headers": dict(self.headers), "body": received})
        body = b"upstream"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Path]:
    if not (_free(PROXY_PORT) and _free(UPSTREAM_PORT)):
        pytest.skip(f"ports {PROXY_PORT}/{UPSTREAM_PORT} are taken")
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "app.3f2a.css").write_text("body{color:#123}")
    site = (REPO / "deploy" / "nginx" / "okrcoach.conf").read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{UPSTREAM_PORT}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{PROXY_PORT};")
    site = site.replace("/srv/okrcoach/var/static/", f"{static}/")
    (tmp_path / "okrcoach.conf").write_text(site)
    for d in ("body", "proxy", "logs"):
        (tmp_path / d).mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/proxy;
    uwsgi_temp_path {tmp_path}/proxy;
    scgi_temp_path {tmp_path}/proxy;
    include {tmp_path}/okrcoach.conf;
}}
"""
    )
    Recorder.seen = []
    upstream = ThreadingHTTPServer(("127.0.0.1", UPSTREAM_PORT), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    assert NGINX is not None
    check = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
    )
    try:
        deadline = time.monotonic() + 10
        while _free(PROXY_PORT) and time.monotonic() < deadline:
            time.sleep(0.05)
        yield tmp_path
    finally:
        server.terminate()
        server.wait(10)
        upstream.shutdown()
        upstream.server_close()


def _get(path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{PROXY_PORT}{path}", data, headers or {})
    try:
        return urllib.request.urlopen(request, timeout=20)  # noqa: S310
    except urllib.error.HTTPError as exc:
        return exc


def test_nginx_serves_static_files_from_disk_with_long_caching(proxy: Path) -> None:
    response = _get("/static/css/app.3f2a.css")
    assert response.status == 200
    assert response.read() == b"body{color:#123}"
    assert response.headers["Content-Type"].startswith("text/css")
    assert "immutable" in response.headers["Cache-Control"]
    assert Recorder.seen == []  # the app never saw it


def test_nginx_passes_the_proxy_headers(proxy: Path) -> None:
    response = _get("/o/acme/okrs/", headers={"Host": "okr.example.test"})
    assert response.status == 200 and response.read() == b"upstream"
    seen = Recorder.seen[-1]["headers"]
    assert seen["Host"] == "okr.example.test"
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "http"
    assert seen["X-Real-IP"] == "127.0.0.1"


def test_nginx_passes_large_uploads_whole_and_refuses_too_large_ones(proxy: Path) -> None:
    body = b"x" * (20 * 1024 * 1024)
    response = _get("/o/acme/okrs/import/", body, {"Content-Type": "text/csv"})
    assert response.status == 200
    assert Recorder.seen[-1]["body"] == len(body)
    refused = _get("/o/acme/okrs/import/", b"x" * (26 * 1024 * 1024), {"Content-Type": "text/csv"})
    assert refused.status == 413


def test_nginx_keeps_metrics_for_loopback(proxy: Path) -> None:
    assert _get("/metrics").status == 200  # loopback is allowed; others get 403
    assert "deny all;" in (REPO / "deploy" / "nginx" / "okrcoach.conf").read_text()
