from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from okrcoach.settings.base import env_bool, env_int

REPO = Path(__file__).resolve().parents[3]


def test_malformed_flags_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)


def test_production_settings_pass_the_deploy_check() -> None:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "okrcoach.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "q" * 30,
        "ALLOWED_HOSTS": "okr.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, which SQLite keeps in "memory" journal mode.
    assert mode in {"wal", "memory"}


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit() -> None:
    """JIT compiling took over a second of a 1.2 s company-tree query at 10,000 people."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_binds_server_side_and_prepares_repeated_statements() -> None:
    """Parsing and planning every statement again was most of PostgreSQL's CPU per page."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert connection.features.uses_server_side_binding
    threshold = settings.DB_PREPARE_THRESHOLD
    assert threshold is not None, "DB_PREPARE_THRESHOLD=off in the test environment"
    sql = "SELECT COUNT(*) FROM django_content_type WHERE id > %s"
    with connection.cursor() as cursor:
        for n in range(threshold + 1):
            cursor.execute(sql, [n])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sql.replace("%s", "$1") in prepared


def _database_options(**env: str) -> dict[str, object]:
    """DATABASES["default"]["OPTIONS"] as the production settings build them with this env."""
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS'], default=str))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "PG_PLAN"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=REPO,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "okrcoach.settings.production",
            "SECRET_KEY": "k" * 60,
            "DATABASE_URL": "postgres://app@db.example.org/okrcoach",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout)


def test_production_prepares_on_the_pool_and_not_behind_pgbouncer() -> None:
    pooled = _database_options()
    assert pooled["server_side_binding"] is True
    assert pooled["prepare_threshold"] == 5
    # DB_POOL=false is the PgBouncer (transaction mode) deployment: binding, no preparing.
    assert _database_options(DB_POOL="false")["prepare_threshold"] is None
    assert _database_options(DB_POOL="false", DB_PREPARE_THRESHOLD="5")["prepare_threshold"] == 5
    assert _database_options(DB_PREPARE_THRESHOLD="off")["prepare_threshold"] is None
    assert "server_side_binding" not in _database_options(DB_SERVER_SIDE_BINDING="false")
    custom = _database_options(PG_PLAN_CACHE_MODE="force_custom_plan")
    assert "-c plan_cache_mode=force_custom_plan" in str(custom["options"])
    assert "ImproperlyConfigured" in str(_database_options(PG_PLAN_CACHE_MODE="sometimes"))
    assert "ImproperlyConfigured" in str(_database_options(DB_PREPARE_THRESHOLD="-1"))
