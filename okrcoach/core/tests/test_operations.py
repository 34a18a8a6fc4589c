"""Operations of issue 15: /healthz, /metrics, JSON logs, the Redis cache versioned per
organisation (against the real Redis at 127.0.0.1:6379, database 2)."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from okrcoach.core.cache import bump_org_version, cached_for_org, org_version
from okrcoach.core.logs import JsonFormatter
from okrcoach.orgs.models import Organisation, Team
from okrcoach.orgs.tests.factories import OrganisationFactory, TeamFactory

# scripts/test.sh runs SQLite and PostgreSQL side by side: each run gets its own Redis database.
REDIS = os.environ.get("OKRCOACH_TEST_REDIS", "redis://127.0.0.1:6379/2")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache() -> Iterator[None]:
    if not _redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379 (apt-get install redis-server)")
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "okrcoach-test",
        }
    }
    with override_settings(CACHES=caches):
        cache.clear()
        yield
        cache.clear()


@pytest.mark.django_db
def test_healthz_checks_database_and_cache(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client: Client) -> None:
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_show_the_task_queue(client: Client) -> None:
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'okrcoach_http_requests_total{method="GET",route="core:healthz",status="200"}' in body
    assert "okrcoach_http_request_duration_seconds_bucket" in body
    assert 'okrcoach_task_queue_depth{state="ready"} 0' in body


@pytest.mark.django_db
def test_metrics_are_for_the_monitoring_host_only(client: Client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_json_logs_are_one_object_per_line() -> None:
    record = logging.makeLogRecord(
        {"name": "okrcoach.x", "levelname": "INFO", "msg": "took %d ms", "args": (12,)}
    )
    record.route = "okrs:my_okrs"
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "took 12 ms"
    assert entry["route"] == "okrs:my_okrs" and entry["level"] == "INFO"
    assert "\n" not in line


@pytest.mark.django_db(transaction=True)
def test_a_write_is_visible_on_the_next_read_through_redis(redis_cache: None) -> None:
    org = OrganisationFactory(slug="cached")
    other = OrganisationFactory(slug="untouched")
    TeamFactory(organisation=org, name="Alpha")

    def names(o: Organisation) -> list[str]:
        # Every organisation has its root team (named after it): leave it out.
        teams = Team.objects.for_org(o).exclude(name=o.name)
        return sorted(teams.values_list("name", flat=True))

    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Alpha"]
    assert cached_for_org(other.pk, "teams", lambda: names(other)) == []
    before_other = org_version(other.pk)
    team = TeamFactory(organisation=org, name="Beta")  # commits: the version moves on
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Alpha", "Beta"]
    team.delete()
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Alpha"]
    # Another organisation's entries stay valid.
    assert org_version(other.pk) == before_other
    # Bulk writes send no signals; the tenant queryset bumps for them.
    Team.objects.for_org(org).filter(name="Alpha").update(name="Gamma")
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Gamma"]
    gamma = Team.objects.for_org(org).get(name="Gamma")
    gamma.name = "Delta"
    Team.objects.for_org(org).bulk_update([gamma], ["name"])
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Delta"]
    # Raw SQL does not: its writer bumps by hand.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_team SET name = 'Omega' WHERE id = %s", [gamma.pk])
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Delta"]
    bump_org_version(org.pk)
    assert cached_for_org(org.pk, "teams", lambda: names(org)) == ["Omega"]
    assert org_version(other.pk) == before_other
