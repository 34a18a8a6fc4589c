"""Private means private everywhere: a private objective (seeded with a title and ids found
nowhere else) must not show on any page, htmx fragment, export or API answer to a member who may
not see it, nor change any count there.

The walk is built from the URL resolver and the OpenAPI document, so a route added later is walked
without anyone listing it here; only SKIP (with a reason each) is left out. Each response is
searched for the secret's title, public ids and key result, and compared with the same response
taken before the secret existed: any difference is a count, a share or a row that includes it.
Path ids come from the scene below, else from the app's tests/isolation.py inventory."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.api_v1 import api
from okrcoach.okrs.models import ContributionLink, Objective
from okrcoach.orgs.models import Membership, Team
from okrcoach.orgs.tests.factories import MembershipFactory
from okrcoach.orgs.tests.test_url_permissions import _inventory, _site_routes

from .factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

SECRET_TITLE = "Quietly buy the Zorvanek-Q7 warehouse"
SECRET_KR_TITLE = "Zorvanek-Q7 deed signed"

# Routes the walk leaves out, and why. Nothing else is skipped.
SKIP = {
    "accounts:logout": "signs the walker out (and answers 405 to GET)",
    "accounts:password_reset_confirm": "Django's reset token in the path: no organisation data",
    "orgs:accept_invitation": "an emailed token in the path: no organisation data behind it",
    "academy:verify": "public certificate check by code: course data only, no objectives",
    "api:openapi-view": "the Swagger page: static HTML, the document itself is walked",
    "core:metrics": "operator counters per route name (no organisation data); they change with "
    "every request, so the before/after comparison cannot apply",
}
# Query strings that select another view of the same route (formats, filters).
VARIANTS: dict[str, list[str]] = {
    "okrs:export": ["?format=csv", "?format=xlsx"],
}

_NOISE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'nonce="[^"]*"'),
    re.compile(rb'"X-CSRFToken": ?"[^"]*"'),
    # "last used" of the walker's own API token
    re.compile(rb"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}"),
]


@dataclass
class Scene:
    viewers: list[Membership]
    ids: dict[str, list[Any]]
    owner: Membership
    secret: Objective | None = None
    needles: list[str] = field(default_factory=list)


def _scene(world: World) -> Scene:
    """Public objects around the secret-to-be: a team objective, a child, a linked objective."""
    org = world.org
    # The newest cycle, so pages that pick the current cycle pick this one.
    cycle = CycleFactory(organisation=org, starts_on=timezone.localdate() - timedelta(weeks=1))
    ops = Team.objects.for_org(org).create(organisation=org, name="Ops", slug="ops")
    team_goal = ObjectiveFactory(
        cycle=cycle, owner=world.manager, team=world.team, level=Objective.Level.TEAM
    )
    child = ObjectiveFactory(cycle=cycle, owner=world.peer, title="Tidy the loading bay")
    child_kr = KeyResultFactory(objective=child)
    check_in = CheckInFactory(key_result=child_kr)
    initiative = InitiativeFactory(key_result=child_kr)
    counted_in = ObjectiveFactory(cycle=cycle, owner=world.member, title="Ship faster")
    mine = ObjectiveFactory(cycle=cycle, owner=world.member, title="Learn the new forklift")
    KeyResultFactory(objective=mine, owner=world.member, next_check_in_due=None)
    # The secret's owner: outside both viewers' reporting lines, in their team.
    owner = MembershipFactory(
        organisation=org, team=world.team, manager=world.executive, user__full_name="Sid Hidden"
    )
    return Scene(
        viewers=[world.peer, world.manager],
        owner=owner,
        ids={
            "objective_id": [child.public_id, counted_in.public_id, team_goal.public_id],
            "key_result_id": [child_kr.public_id],
            "check_in_id": [check_in.public_id],
            "initiative_id": [initiative.public_id],
            "cycle_id": [cycle.public_id],
            "team_id": [world.team.public_id, ops.public_id],
            "person_id": [owner.public_id, world.peer.public_id, world.manager.public_id],
        },
    )


def _seed_secret(world: World, scene: Scene) -> None:
    """The private objective: owned by someone outside both viewers' reporting lines, a team
    objective of the viewers' team, the parent of a public objective (made before alignment
    under a private parent was refused), with a late key result owned by one viewer's report and
    one counted in a public objective."""
    org = world.org
    owner = scene.owner
    child = Objective.objects.for_org(org).get(public_id=scene.ids["objective_id"][0])
    counted_in = Objective.objects.for_org(org).get(public_id=scene.ids["objective_id"][1])
    secret: Objective = ObjectiveFactory(  # type: ignore[assignment]
        cycle=child.cycle,
        owner=owner,
        team=world.team,
        level=Objective.Level.TEAM,
        visibility=Objective.Visibility.PRIVATE,
        title=SECRET_TITLE,
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    secret_kr = KeyResultFactory(
        objective=secret, title=SECRET_KR_TITLE, next_check_in_due=yesterday
    )
    KeyResultFactory(objective=secret, owner=world.member, next_check_in_due=yesterday)
    CheckInFactory(key_result=secret_kr)
    ContributionLink.objects.for_org(org).create(
        organisation=org, objective=counted_in, key_result=secret_kr
    )
    Objective.objects.for_org(org).filter(pk=child.pk).update(parent=secret)
    scene.secret = secret
    scene.needles = [
        SECRET_TITLE,
        SECRET_KR_TITLE,
        str(secret.public_id),
        secret.public_id.hex,
        str(secret_kr.public_id),
    ]


@dataclass(frozen=True)
class Request:
    kind: str  # page, fragment, export, api
    label: str
    url: str
    htmx: bool = False


def _combos(
    params: list[str], ids: dict[str, list[Any]], fallback: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    choices = [ids[p] if p in ids else [fallback[p]] for p in params]
    for values in itertools.product(*choices):
        yield dict(zip(params, values, strict=True))


def _site_requests(world: World, scene: Scene) -> list[Request]:
    routes, _api = _inventory()
    out = []
    for name, _route, params in _site_routes():
        if name in SKIP:
            continue
        rest = sorted(params - {"org_slug"})
        fallback: dict[str, Any] = {}
        if any(p not in scene.ids for p in rest):
            assert name in routes, f"{name}: add it to an app's tests/isolation.py, or to SKIP"
            fallback = routes[name].kwargs(world, world.org)
        for kwargs in _combos(rest, scene.ids, fallback):
            if "org_slug" in params:
                kwargs["org_slug"] = world.org.slug
            url = reverse(name, kwargs=kwargs)
            for query in VARIANTS.get(name, [""]):
                out.append(Request("page", name, url + query))
                out.append(Request("fragment", name, url + query, htmx=True))
    return out


def _api_requests(world: World, scene: Scene) -> list[Request]:
    _routes, api_routes = _inventory()
    query_ids = {
        "cycle": scene.ids["cycle_id"],
        "team": scene.ids["team_id"],
        "objective": scene.ids["objective_id"],
        "owner": scene.ids["person_id"],
    }
    out = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        params = [p["name"] for p in get.get("parameters", []) if p["in"] == "path"]
        fallback: dict[str, Any] = {}
        if any(p not in scene.ids for p in params):
            assert path in api_routes, f"{path}: add it to an app's tests/isolation.py API_ROUTES"
            fallback = api_routes[path](world, world.org)
        queries = [""] + [
            f"?{p['name']}={value}"
            for p in get.get("parameters", [])
            if p["in"] == "query" and p["name"] in query_ids
            for value in query_ids[p["name"]]
        ]
        for kwargs in _combos(params, scene.ids, fallback):
            for query in queries:
                out.append(Request("api", f"GET {path}", path.format(**kwargs) + query))
    return out


def _text(response: Any) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        return "\n".join(cells).encode()
    for pattern in _NOISE:
        body = pattern.sub(b"", body)
    return body


def _is_export(response: Any) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


def _walk(
    viewer: Membership, raw: str, requests: list[Request]
) -> dict[Request, tuple[int, bytes, str]]:
    client = Client()
    client.force_login(viewer.user)
    seen = {}
    for r in requests:
        headers = {"HTTP_HX_REQUEST": "true"} if r.htmx else {}
        if r.kind == "api":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        response = client.get(r.url, **headers)
        kind = "export" if _is_export(response) else r.kind
        seen[r] = (response.status_code, _text(response), kind)
    return seen


@pytest.mark.django_db
def test_a_private_objective_shows_nowhere_to_a_member_who_may_not_see_it(world: World) -> None:
    scene = _scene(world)
    # The API first: the tokens page then shows the walker's token as used in both walks.
    requests = _api_requests(world, scene) + _site_requests(world, scene)
    tokens = {v.pk: create_api_token(membership=v, name="walk")[1] for v in scene.viewers}
    before = {v.pk: _walk(v, tokens[v.pk], requests) for v in scene.viewers}
    _seed_secret(world, scene)
    failures: list[str] = []
    covered: dict[str, set[str]] = {"page": set(), "fragment": set(), "export": set(), "api": set()}
    for viewer in scene.viewers:
        after = _walk(viewer, tokens[viewer.pk], requests)
        who = viewer.user.full_name
        for r, (status, body, kind) in after.items():
            if status == 200:
                covered[kind].add(r.url if kind != "api" else r.label)
            text = body.decode("utf-8", "replace")
            for needle in scene.needles:
                if needle in text:
                    failures.append(f"{who}: {r.kind} {r.url} shows {needle!r}")
            old_status, old_body, _kind = before[viewer.pk][r]
            if (old_status, old_body) != (status, body):
                failures.append(f"{who}: {r.kind} {r.url} changed ({old_status} -> {status})")
    assert not failures, "\n".join(failures)
    # The walk really went everywhere (figures for the issue note).
    print({k: len(v) for k, v in covered.items()})
    assert len(covered["page"]) >= 30
    assert len(covered["fragment"]) >= 30
    assert len(covered["export"]) >= 2
    assert len(covered["api"]) >= 20
