"""The tenant-isolation sweep: walks every URL pattern and every API route.

- Every page under /o/<org_slug>/ answers 404 to a signed-in member of another organisation.
- Every route that carries an object id answers 404 when an admin of one organisation passes the
  id of another organisation's object (the strongest role, so a pass is not luck).
- A route with an id that no app's tests/isolation.py inventory lists fails the sweep."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.api_v1 import api
from okrcoach.core.tests.isolation import Route

# Routes with a parameter that is not an object of an organisation, and why.
EXEMPT = {
    "accounts:password_reset_confirm": "uid and token of Django's password reset, not an object id",
    "orgs:accept_invitation": "the emailed token itself is the proof of access",
    "academy:verify": "public certificate verification: the unguessable code is the proof",
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> list[tuple[str, str, set[str]]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            converters = set(getattr(p.pattern, "converters", {}).keys())
            parent_converters = set()
            route = prefix + str(p.pattern)
            if "<slug:org_slug>" in route:
                parent_converters.add("org_slug")
            found.append((name, route, converters | parent_converters))
    return found


def _inventory() -> tuple[dict[str, Route], dict[str, Any]]:
    routes: dict[str, Route] = {}
    api_routes: dict[str, Any] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("okrcoach."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError:
            continue
        routes.update(getattr(module, "ROUTES", {}))
        api_routes.update(getattr(module, "API_ROUTES", {}))
    return routes, api_routes


def _site_routes() -> list[tuple[str, str, set[str]]]:
    # Django admin (site-admin/) is the site operator's, for staff accounts only: no tenant page.
    return [
        r for r in _walk(get_resolver().url_patterns) if not r[0].startswith(("api:", "admin:"))
    ]


def test_every_id_bearing_route_is_in_the_inventory() -> None:
    routes, _api = _inventory()
    missing = [
        name
        for name, _route, params in _site_routes()
        if params - {"org_slug"} and name not in routes and name not in EXEMPT
    ]
    assert not missing, f"Add these routes to an app's tests/isolation.py: {missing}"


def _request(client: Client, method: str, url: str) -> int:
    return (client.post(url) if method == "post" else client.get(url)).status_code


@pytest.mark.django_db
def test_members_of_another_organisation_get_404_on_every_organisation_page(world: World) -> None:
    routes, _api = _inventory()
    client = Client()
    client.force_login(world.outsider.user)
    checked = 0
    for name, _route, params in _site_routes():
        if "org_slug" not in params:
            continue
        route = routes.get(name)
        kwargs = route.kwargs(world, world.org) if route else {}
        url = reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})
        status = _request(client, route.method if route else "get", url)
        assert status == 404, f"{name} {url} answered {status} to an outsider"
        checked += 1
    assert checked >= 15


@pytest.mark.django_db
def test_another_organisations_object_ids_are_404_even_for_an_admin(world: World) -> None:
    routes, _api = _inventory()
    client = Client()
    client.force_login(world.admin.user)
    checked = []
    for name, _route, params in _site_routes():
        if not params - {"org_slug"} or name in EXEMPT:
            continue
        route = routes[name]
        kwargs = route.kwargs(world, world.other_org)
        url = reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})
        status = _request(client, route.method, url)
        assert status == 404, f"{name} {url} answered {status} for another organisation's object"
        checked.append(name)
    assert len(checked) == len(set(routes)), sorted(set(routes) - set(checked))


@pytest.mark.django_db
def test_api_routes_with_ids_are_404_for_another_organisations_token(world: World) -> None:
    _routes, api_routes = _inventory()
    _token, raw = create_api_token(membership=world.outsider, name="sweep")
    client = Client()
    schema = api.get_openapi_schema()
    checked = 0
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        assert path in api_routes, f"Add {path} to an app's tests/isolation.py API_ROUTES"
        kwargs = api_routes[path](world, world.org)
        url = path.format(**kwargs)
        for method in operations:
            response = getattr(client, method)(
                url, HTTP_AUTHORIZATION=f"Bearer {raw}", content_type="application/json"
            )
            assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
            assert response.json()["detail"]
            checked += 1
    assert checked >= 2


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(world: World) -> None:
    client = Client()
    url = reverse("orgs:people", kwargs={"org_slug": world.org.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_an_unknown_organisation_and_a_malformed_id_are_404(world: World) -> None:
    client = Client()
    client.force_login(world.admin.user)
    assert client.get("/o/no-such-org/").status_code == 404
    assert client.get(f"/o/{world.org.slug}/people/{uuid.uuid4()}/").status_code == 404
