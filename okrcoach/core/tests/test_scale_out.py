"""Two app servers behind the shipped nginx site, sharing one PostgreSQL database and one Redis:
a session made on one is valid on the other, a write through one invalidates what the other
cached, a task queued through one is run by the worker, and with one server killed (kill -9)
the proxy keeps serving from the other. Real processes on loopback (ports 8870-8873, Redis
db 11); skips with the reason when PostgreSQL, Redis or nginx is absent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from . import cluster

PROXY, APP_A, APP_B = 8870, 8871, 8872
REDIS_DB = 11
DB_NAME = "okrcoach_scale_two_servers"
PASSWORD = "correct horse battery staple 42"

_missing = (
    cluster.run_elsewhere()
    or ("nginx is not installed (apt-get install nginx)" if cluster.NGINX is None else None)
    or cluster.postgres_reachable()
    or cluster.redis_reachable()
)
pytestmark = pytest.mark.skipif(_missing is not None, reason=_missing or "")

SEED = """
import json
from okrcoach.orgs.models import Role
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory, TeamFactory
from okrcoach.okrs.tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from django.urls import reverse

org = OrganisationFactory(name="Two Servers", slug="two")
team = TeamFactory(organisation=org, name="Platform", slug="platform")
admin = MembershipFactory(organisation=org, role=Role.ADMIN, team=team,
                          user__email="ada@two.test", user__full_name="Ada Admin")
admin.user.set_password(%(password)r)
admin.user.save()
cycle = CycleFactory(organisation=org)
company = ObjectiveFactory(cycle=cycle, owner=admin, level="company", title="Grow")
aligned = ObjectiveFactory(cycle=cycle, owner=admin, team=team, level="team", parent=company)
loose = ObjectiveFactory(cycle=cycle, owner=admin, team=team, level="team")
kr = KeyResultFactory(objective=aligned)
print(json.dumps({
    "coverage": reverse("okrs:company_coverage", args=[org.slug]) + f"?cycle={cycle.public_id}",
    "my_okrs": reverse("okrs:my_okrs", args=[org.slug]),
    "check_in": reverse("okrs:check_in", args=[org.slug, kr.public_id]),
    "kr_prefix": f"kr-{kr.public_id}",
    "loose": str(loose.public_id),
}))
"""


@dataclass
class Site:
    tmp: Path
    env: dict[str, str]
    urls: dict[str, Any]
    a: cluster.Process
    b: cluster.Process
    proxy: cluster.Process

    def via(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    busy = [p for p in (PROXY, APP_A, APP_B) if not cluster.port_free(p)]
    if busy:
        pytest.skip(f"ports {busy} are taken")
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    tmp = tmp_path_factory.mktemp("two-servers")
    url = cluster.recreate_database(DB_NAME)
    env = cluster.app_env(tmp, DATABASE_URL=url, REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}")
    processes: list[cluster.Process] = []
    try:
        cluster.manage(env, "migrate", "--noinput")
        cluster.manage(env, "collectstatic", "--noinput")
        urls = cluster.run_script(env, SEED % {"password": PASSWORD})
        a = cluster.start_app_server(env, APP_A, tmp / "a.log")
        processes.append(a)
        b = cluster.start_app_server(env, APP_B, tmp / "b.log")
        processes.append(b)
        proxy = cluster.start_nginx(tmp, PROXY, [APP_A, APP_B])
        processes.append(proxy)
        yield Site(tmp, env, urls, a, b, proxy)
    finally:
        for process in reversed(processes):
            process.stop()
        cluster.drop_database(DB_NAME)
        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()


def _signed_in(site: Site, port: int) -> cluster.Browser:
    browser = cluster.Browser()
    answer = browser.sign_in(site.via(port), "ada@two.test", PASSWORD)
    assert answer.status == 302, answer.text[:500]
    return browser


def test_a_session_made_on_one_server_is_valid_on_the_other(site: Site) -> None:
    browser = _signed_in(site, APP_A)
    on_b = browser.request(site.via(APP_B) + site.urls["my_okrs"])
    assert on_b.status == 200
    assert "Ada Admin" in on_b.text
    # Signing out on B ends the session on A too (the shared cache keeps no stale copy).
    old = dict(browser.cookies)
    out = browser.request(site.via(APP_B) + "/accounts/logout/", {})
    assert out.status == 302
    replay = cluster.Browser(cookies=old)
    assert replay.request(site.via(APP_A) + site.urls["my_okrs"]).status == 302


def _sql(site: Site, statement: str, params: list[Any]) -> None:
    import psycopg

    with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(statement, params)


def test_a_write_through_one_server_invalidates_what_the_other_cached(site: Site) -> None:
    browser = _signed_in(site, APP_A)
    coverage = site.urls["coverage"]
    fragment = {"HX-Request": "true"}
    first = browser.request(site.via(APP_B) + coverage, headers=fragment)
    assert first.status == 200 and "aligned (1 of 2)" in first.text, first.text
    # Changed behind the application's back (raw SQL bumps nothing): B keeps serving its
    # cached figures, so they really come from the shared cache.
    _sql(
        site,
        "UPDATE okrs_objective SET status = 'abandoned' WHERE public_id = %s",
        [site.urls["loose"]],
    )
    assert browser.request(site.via(APP_B) + coverage, headers=fragment).text == first.text
    assert browser.request(site.via(APP_A) + coverage, headers=fragment).text == first.text
    # A check-in through A raises the organisation's version: B's next read counts again.
    prefix = site.urls["kr_prefix"]
    saved = browser.request(
        site.via(APP_A) + site.urls["check_in"],
        {f"{prefix}-value": "40", f"{prefix}-confidence": "7"},
        headers=fragment,
    )
    assert saved.status == 200, saved.text[:500]
    after = browser.request(site.via(APP_B) + coverage, headers=fragment)
    assert after.status == 200 and "aligned (1 of 1)" in after.text, after.text


def test_a_task_queued_through_one_server_is_run_by_the_worker(site: Site) -> None:
    import psycopg

    anonymous = cluster.Browser()
    form = anonymous.request(site.via(APP_B) + "/accounts/password/reset/")
    token = form.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    sent = anonymous.request(
        site.via(APP_B) + "/accounts/password/reset/",
        {"csrfmiddlewaretoken": token, "email": "ada@two.test"},
    )
    assert sent.status == 302
    with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as conn:
        queued = conn.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
        ).fetchone()
    assert queued is not None and queued[0] >= 1
    worker = cluster.start_worker(site.env, site.tmp / "worker.log")
    try:
        deadline = time.monotonic() + 120
        done: tuple[Any, ...] | None = None
        while time.monotonic() < deadline:
            with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as conn:
                done = conn.execute(
                    "SELECT count(*) FILTER (WHERE status = 'SUCCESSFUL'), "
                    "count(*) FILTER (WHERE status IN ('READY', 'RUNNING')) "
                    "FROM django_tasks_database_dbtaskresult"
                ).fetchone()
            if done is not None and done[0] >= 1 and done[1] == 0:
                break
            time.sleep(0.5)
        assert done is not None and done[0] >= 1 and done[1] == 0, worker.output()[-3000:]
        # The console mail backend wrote the message to the worker's output.
        deadline = time.monotonic() + 10
        while "ada@two.test" not in worker.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "To: ada@two.test" in worker.output()
    finally:
        worker.stop()


def test_the_proxy_keeps_serving_when_one_server_is_killed(site: Site) -> None:
    browser = _signed_in(site, PROXY)
    page = site.via(PROXY) + site.urls["my_okrs"]
    assert all(browser.request(page).status == 200 for _ in range(4))
    site.a.kill_hard()
    deadline = time.monotonic() + 10
    while not cluster.port_free(APP_A) and time.monotonic() < deadline:
        time.sleep(0.1)  # the killed workers' sockets close with them
    assert site.a.proc.poll() is not None and cluster.port_free(APP_A)
    statuses = [browser.request(page).status for _ in range(10)]
    assert statuses == [200] * 10
    assert browser.request(site.via(PROXY) + "/healthz").status == 200
