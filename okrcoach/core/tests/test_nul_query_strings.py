"""A NUL byte or another control character in any query parameter of any page is bad input:
the page answers 4xx or ignores it, never 500. (PostgreSQL refuses NUL in text, so a parameter
that reaches a query unchecked is a server error there while SQLite passes: run on both.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World

# Every name a view reads from request.GET (grep 'GET.get(' and 'GET.dict()'), each set to text
# with a NUL byte and a bell character.
PARAMS = [
    "q",
    "action",
    "actor",
    "course",
    "cycle",
    "parent",
    "team",
    "tab",
    "show",
    "t",
    "to",
    "request",
    "report",
    "scope",
    "again",
    "page",
    "format",
    "inactive",
    "status",
    "owner",
    "level",
    "confidence",
    "sort",
    "next",
]
BAD = "%00a%07"


def _org_pages() -> list[str]:
    """Names of the URL patterns whose only argument is the organisation's slug."""
    names: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif (
                isinstance(p, URLPattern)
                and p.name
                and set(p.pattern.regex.groupindex) == {"org_slug"}
            ):
                names.append(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


@pytest.mark.django_db
@pytest.mark.parametrize("name", _org_pages())
def test_a_nul_byte_in_a_query_parameter_is_never_a_server_error(world: World, name: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.admin.user)
    path = reverse(name, kwargs={"org_slug": world.org.slug})
    query = "&".join(f"{p}={BAD}" for p in PARAMS)
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, (name, response.status_code)
