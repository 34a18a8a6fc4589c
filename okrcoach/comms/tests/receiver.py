"""A real HTTP receiver on loopback for webhook tests. It checks each request's Standard
Webhooks signature itself (written from the specification, not with our signing code) and
answers with the statuses it is told to, in order."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    # Answer every request with a redirect here (the sender must not follow it).
    location: str = ""
    requests: list[Received] = field(default_factory=list)


def signature_ok(secret: str, headers: dict[str, str], body: bytes) -> bool:
    if not secret.startswith("whsec_"):
        return False
    key = base64.b64decode(secret[len("whsec_") :])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    offered = [p.split(",", 1) for p in headers.get("webhook-signature", "").split(" ")]
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return fresh and any(v == "v1" and hmac.compare_digest(s, expected) for v, s in offered)


@contextmanager
def receiver(port: int = 0) -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append(
                Received(headers, body, signature_ok(state.secret, headers, body), time.time())
            )
            status = state.statuses.pop(0) if state.statuses else 200
            if state.location:
                self.send_response(307)
                self.send_header("Location", state.location)
            else:
                self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
