"""Issue 10, problem 16: static files and the 400 for a bad Host carry the CSP; HSTS preload is
off unless SECURE_HSTS_PRELOAD is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

from conftest import World

REPO = Path(__file__).resolve().parents[3]


def test_static_files_carry_the_content_security_policy() -> None:
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "nonce" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_bad_host_400_carries_the_content_security_policy() -> None:
    response = Client().get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_pages_keep_their_nonce_policy(world: World) -> None:
    client = Client()
    client.force_login(world.member.user)
    response = client.get("/o/acme/")
    assert "nonce-" in response["Content-Security-Policy"]


def _production(extra: dict[str, str]) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "okrcoach.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "q" * 30,
        "ALLOWED_HOSTS": "okr.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.SECURE_HSTS_PRELOAD)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_preload_is_off_by_default_and_a_setting_turns_it_on() -> None:
    assert _production({}) == "False"
    assert _production({"SECURE_HSTS_PRELOAD": "true"}) == "True"
