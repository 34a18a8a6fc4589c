"""Personas shared by every test: in one organisation an admin (the OKR champion), a manager
with two reports, a member reporting to the manager, an executive; and an outsider, a member of
another organisation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrcoach.orgs.models import Membership, Organisation, Role, Team
from okrcoach.orgs.tests.factories import MembershipFactory, OrganisationFactory, TeamFactory


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    team: Team
    admin: Membership
    manager: Membership
    member: Membership
    peer: Membership
    executive: Membership
    outsider: Membership


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters (core/throttle.py) live in the cache: every test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield


class _TestWsgiApp:
    """Django's WSGI application for in-process HTTP clients (schemathesis' WSGI transport)
    that keeps the test's database connection open across requests, as Django's test Client
    does: Django closes connections when a request starts and ends, which on PostgreSQL ends
    the test's own transaction (every later query: "the connection is closed"). Per call, not
    once per test, because each test Client request connects the closing receiver again."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        from django.core import signals
        from django.db import close_old_connections

        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()  # request_finished, without closing the connection
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture
def in_process_wsgi() -> _TestWsgiApp:
    return _TestWsgiApp()


@pytest.fixture
def world(db: None) -> World:
    org = OrganisationFactory(name="Acme Test", slug="acme")
    other = OrganisationFactory(name="Other Org", slug="other")
    team = TeamFactory(organisation=org, name="Support", slug="support")
    admin = MembershipFactory(
        organisation=org, role=Role.ADMIN, user__full_name="Ada Admin", user__email="ada@acme.test"
    )
    executive = MembershipFactory(
        organisation=org,
        role=Role.EXECUTIVE,
        user__full_name="Eve Executive",
        user__email="eve@acme.test",
    )
    manager = MembershipFactory(
        organisation=org,
        team=team,
        manager=executive,
        user__full_name="Mia Manager",
        user__email="mia@acme.test",
    )
    member = MembershipFactory(
        organisation=org,
        team=team,
        manager=manager,
        user__full_name="Max Member",
        user__email="max@acme.test",
    )
    peer = MembershipFactory(
        organisation=org,
        team=team,
        manager=manager,
        user__full_name="Pat Peer",
        user__email="pat@acme.test",
    )
    team.lead = manager
    team.save()
    TeamFactory(organisation=other, name="Elsewhere", slug="elsewhere")
    outsider = MembershipFactory(
        organisation=other,
        role=Role.ADMIN,
        user__full_name="Oscar Outsider",
        user__email="oscar@other.test",
    )
    return World(org, other, team, admin, manager, member, peer, executive, outsider)


@pytest.fixture
def admin(world: World) -> Membership:
    return world.admin


@pytest.fixture
def manager(world: World) -> Membership:
    return world.manager


@pytest.fixture
def member(world: World) -> Membership:
    return world.member


@pytest.fixture
def outsider(world: World) -> Membership:
    return world.outsider


class QueryCountMismatch(AssertionError):
    pass


@contextmanager
def _exact_queries(expected: int) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) != expected:
        listing = "\n".join(
            f"{i + 1}. {q['sql'][:160]}" for i, q in enumerate(ctx.captured_queries)
        )
        raise QueryCountMismatch(
            f"Expected exactly {expected} queries, ran {len(ctx.captured_queries)}:\n{listing}"
        )


@pytest.fixture
def assert_queries() -> Callable[[int], object]:
    """`with assert_queries(7): client.get(url)`: exact count; on a mismatch every SQL statement
    is printed."""
    return _exact_queries
