"""The router's rules in one process (the real replica is in test_read_replica.py)."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory

from okrcoach.core import replicas
from okrcoach.orgs.models import Organisation

router = replicas.PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replicas, "has_replica", lambda: True)


def _in_request(view: object, cookies: dict[str, str] | None = None) -> HttpResponseBase:
    middleware = replicas.ReadYourWritesMiddleware(view)
    middleware.active = True
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    return middleware(request)


def test_without_a_replica_everything_reads_the_primary() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(router.db_for_read(Organisation))

    assert _in_request(view).content == b"default"


def test_outside_a_request_reads_the_primary(with_replica: None) -> None:
    assert router.db_for_read(Organisation) == "default"  # worker, commands, shell


@pytest.mark.django_db(transaction=True)  # not inside the test's own transaction
def test_a_request_reads_the_replica_until_it_writes_and_then_pins_the_writer(
    with_replica: None,
) -> None:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Organisation))
        with transaction.atomic():
            seen.append(router.db_for_read(Organisation))  # transactions stay on the primary
        seen.append(router.db_for_read(Organisation))
        assert router.db_for_write(Organisation) == "default"
        seen.append(router.db_for_read(Organisation))
        return HttpResponse()

    response = _in_request(view)
    assert seen == ["replica", "default", "replica", "default"]
    deadline = float(response.cookies[replicas.COOKIE].value)
    assert 0 < deadline - time.time() <= 10.01  # the cookie holds milliseconds

    def reader(request: HttpRequest) -> HttpResponse:
        return HttpResponse(router.db_for_read(Organisation))

    assert _in_request(reader, {replicas.COOKIE: f"{deadline}"}).content == b"default"
    assert _in_request(reader, {replicas.COOKIE: f"{time.time() - 1}"}).content == b"replica"
    # A cookie cannot pin for longer than the window, nor break the request.
    far = _in_request(reader, {replicas.COOKIE: f"{time.time() + 10**9}"})
    assert far.content == b"default" and replicas.COOKIE not in far.cookies
    assert _in_request(reader, {replicas.COOKIE: "nonsense"}).content == b"replica"
    assert router.db_for_read(Organisation) == "default"  # the request scope ended


def test_only_the_primary_is_migrated() -> None:
    assert router.allow_migrate("default", "okrs") is True
    assert router.allow_migrate("replica", "okrs") is False
