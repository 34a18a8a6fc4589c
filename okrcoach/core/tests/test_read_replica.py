"""A real streaming replica on loopback (Debian's PostgreSQL 15: initdb, pg_ctl, pg_basebackup
-R on ports 55432/55433) and a gunicorn app server (port 8874) running with DATABASE_URL on the
primary and REPLICA_DATABASE_URL on the replica. With WAL replay paused on the replica, a row
changed on the primary is a marker only the primary has: pages that show the old value were
read from the replica. Writes go to the primary (the replica is read-only: a write sent there
would fail), and whoever just wrote reads the primary for READ_YOUR_WRITES_SECONDS.
Skips with the reason when the tools are missing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from okrcoach.core.replicas import COOKIE

from . import cluster

PRIMARY_PORT, REPLICA_PORT, APP = 55432, 55433, 8874
PIN_SECONDS = 3
PASSWORD = "correct horse battery staple 42"
OLD, NEW = "Ship every parcel on the day promised", "Renamed on the primary only"

_missing = cluster.run_elsewhere() or cluster.postgres_tools_missing()
pytestmark = pytest.mark.skipif(_missing is not None, reason=_missing or "")

SEED = """
import json
from okrcoach.orgs.models import Role
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from django.urls import reverse

org = OrganisationFactory(name="Replica Org", slug="replica")
admin = MembershipFactory(organisation=org, role=Role.ADMIN,
                          user__email="rio@replica.test", user__full_name="Rio Reader")
admin.user.set_password(%(password)r)
admin.user.save()
cycle = CycleFactory(organisation=org)
objective = ObjectiveFactory(cycle=cycle, owner=admin, level="personal", title=%(title)r)
kr = KeyResultFactory(objective=objective)
print(json.dumps({
    "my_okrs": reverse("okrs:my_okrs", args=[org.slug]),
    "check_in": reverse("okrs:check_in", args=[org.slug, kr.public_id]),
    "kr_prefix": f"kr-{kr.public_id}",
    "objective": str(objective.public_id),
}))
"""


@dataclass
class Setup:
    primary: cluster.PgServer
    replica: cluster.PgServer
    urls: dict[str, Any]
    base: str


def _wait_until_replayed(primary: cluster.PgServer, replica: cluster.PgServer) -> None:
    target = primary.query("SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        behind = replica.query(
            "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", [target]
        )[0]
        if behind is not None and behind <= 0:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up within 60 s")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    busy = [p for p in (PRIMARY_PORT, REPLICA_PORT, APP) if not cluster.port_free(p)]
    if busy:
        pytest.skip(f"ports {busy} are taken")
    tmp = tmp_path_factory.mktemp("replica")
    servers: list[cluster.PgServer] = []
    app: cluster.Process | None = None
    try:
        root = Path(f"/tmp/scale-replica-{time.time_ns()}")  # noqa: S108 - postgres must own it
        primary = cluster.make_primary(root, PRIMARY_PORT)
        servers.append(primary)
        primary.query('CREATE DATABASE "okrcoach"')
        database = f"{primary.url}/okrcoach"
        env = cluster.app_env(tmp, DATABASE_URL=database)
        cluster.manage(env, "migrate", "--noinput")
        cluster.manage(env, "collectstatic", "--noinput")
        urls = cluster.run_script(env, SEED % {"password": PASSWORD, "title": OLD})
        replica = cluster.make_replica(primary, REPLICA_PORT)
        servers.append(replica)
        assert replica.query("SELECT pg_is_in_recovery()")[0] is True
        env.update(
            REPLICA_DATABASE_URL=f"{replica.url}/okrcoach",
            READ_YOUR_WRITES_SECONDS=str(PIN_SECONDS),
        )
        app = cluster.start_app_server(env, APP, tmp / "app.log")
        yield Setup(primary, replica, urls, f"http://127.0.0.1:{APP}")
    finally:
        if app is not None:
            app.stop()
        for server in reversed(servers):
            server.stop()
        if servers:
            import shutil

            shutil.rmtree(servers[0].data.parent, ignore_errors=True)


def test_reads_come_from_the_replica_writes_go_to_the_primary_and_writers_read_their_writes(
    setup: Setup,
) -> None:
    primary, replica, urls = setup.primary, setup.replica, setup.urls
    browser = cluster.Browser()
    signed_in = browser.sign_in(setup.base, "rio@replica.test", PASSWORD)
    assert signed_in.status == 302
    assert COOKIE in browser.cookies  # signing in wrote (session, last login)
    # The first page after signing in may still write the session (its sign-in message).
    assert browser.request(setup.base + urls["my_okrs"]).status == 200
    _wait_until_replayed(primary, replica)
    replica.query("SELECT pg_wal_replay_pause()")
    primary.query(
        "UPDATE okrs_objective SET title = %s WHERE public_id = %s",
        [NEW, urls["objective"]],
        db="okrcoach",
    )
    time.sleep(PIN_SECONDS + 0.5)
    browser.cookies.pop(COOKIE, None)  # expired: the browser would no longer send it

    # A plain read: served by the replica, which has not replayed the rename.
    page = browser.request(setup.base + urls["my_okrs"])
    assert page.status == 200 and OLD in page.text and NEW not in page.text
    assert COOKIE not in browser.cookies  # reading wrote nothing
    app_on_replica = replica.query(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = 'okrcoach' AND pid <> pg_backend_pid()"
    )[0]
    assert app_on_replica >= 1

    # A write: it must reach the primary (the replica refuses writes), and the writer reads it.
    prefix = urls["kr_prefix"]
    saved = browser.request(
        setup.base + urls["check_in"],
        {f"{prefix}-value": "37", f"{prefix}-confidence": "6"},
        headers={"HX-Request": "true"},
    )
    assert saved.status == 200, saved.text[:800]
    assert (
        primary.query("SELECT count(*) FROM okrs_checkin WHERE value = 37", db="okrcoach")[0] == 1
    )
    assert COOKIE in browser.cookies
    mine = browser.request(setup.base + urls["my_okrs"])
    assert NEW in mine.text and OLD not in mine.text  # read-your-writes: from the primary

    # Someone else, who wrote nothing, still reads the replica.
    other = cluster.Browser(cookies={k: v for k, v in browser.cookies.items() if k != COOKIE})
    assert OLD in other.request(setup.base + urls["my_okrs"]).text

    # The writer's window closes: back to the replica.
    time.sleep(PIN_SECONDS + 0.5)
    browser.cookies.pop(COOKIE, None)
    assert OLD in browser.request(setup.base + urls["my_okrs"]).text

    # Replay resumes: the replica catches up and shows the rename to everyone.
    replica.query("SELECT pg_wal_replay_resume()")
    _wait_until_replayed(primary, replica)
    assert NEW in other.request(setup.base + urls["my_okrs"]).text
