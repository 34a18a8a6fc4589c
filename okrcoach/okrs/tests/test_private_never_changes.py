"""Private means private for writes too: a member who may not see a private objective cannot
change it, its key results, check-ins, initiatives, links or comments, nor comment on any of
them, through any route. Every POST/PUT/PATCH/DELETE API operation and every site route whose
path names one of those objects is called with the secret's ids (API bodies generated from the
OpenAPI document, so they pass validation and reach the access check); each must answer 404
(a site view that takes no POST may answer 405), and afterwards nothing of the secret differs.

Built from the URL resolver and the OpenAPI document like the read walk in
test_private_never_leaks.py, whose scene and secret this reuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core import serializers
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings

from conftest import World
from okrcoach.api.services import create_api_token
from okrcoach.api_v1 import api
from okrcoach.comms import services as comms_services
from okrcoach.comms import targets
from okrcoach.comms.models import Comment
from okrcoach.okrs.models import CheckIn, ContributionLink, Initiative, KeyResult, Objective
from okrcoach.orgs.models import Membership
from okrcoach.orgs.tests.test_url_permissions import _inventory, _site_routes

from .factories import InitiativeFactory
from .test_private_never_leaks import SKIP, Scene, _combos, _scene, _seed_secret

WRITES = ("post", "put", "patch", "delete")
# Form fields a write view might read: a view that skipped its access check would act on them.
FORM = {
    "title": "Changed by someone who cannot see it",
    "description": "changed",
    "body": "a comment on a secret",
    "value": "42",
    "confidence": "5",
    "note": "changed",
    "status": "done",
    "grade": "0.5",
    "reason": "changed",
    "target": "99",
    "baseline": "0",
}


def _secret_ids(world: World, scene: Scene) -> dict[str, Any]:
    secret = scene.secret
    assert secret is not None
    kr = KeyResult.objects.for_org(world.org).filter(objective=secret).order_by("pk").first()
    assert kr is not None
    check_in = CheckIn.objects.for_org(world.org).get(key_result=kr)
    initiative = InitiativeFactory(key_result=kr)
    link = ContributionLink.objects.for_org(world.org).get(key_result=kr)
    comment = comms_services.post_comment(
        actor=scene.owner,
        target=targets.resolve(scene.owner, "objective", secret.public_id),
        body="Only the owner talks here",
    )
    return {
        "objective_id": secret.public_id,
        "key_result_id": kr.public_id,
        "check_in_id": check_in.public_id,
        "initiative_id": initiative.public_id,
        "link_id": link.public_id,
        "comment_id": comment.public_id,
        "target_id": {
            "objective": secret.public_id,
            "key_result": kr.public_id,
            "check_in": check_in.public_id,
        },
    }


def _snapshot(world: World, scene: Scene) -> str:
    secret = scene.secret
    assert secret is not None
    krs = KeyResult._base_manager.filter(objective=secret)
    rows = [
        *Objective._base_manager.filter(pk=secret.pk),
        *Objective._base_manager.filter(parent=secret),
        *krs,
        *CheckIn._base_manager.filter(key_result__in=krs),
        *Initiative._base_manager.filter(key_result__in=krs),
        *ContributionLink._base_manager.filter(key_result__in=krs),
        *Comment._base_manager.filter(organisation=world.org),
    ]
    return serializers.serialize("json", rows)


def _expand(params: list[str], secret_ids: dict[str, Any]) -> list[dict[str, Any]]:
    """Path parameters naming the secret: one set per comment kind for kind/target_id."""
    if "kind" in params and "target_id" in params:
        return [
            {"kind": kind, "target_id": target} for kind, target in secret_ids["target_id"].items()
        ]
    return [{p: secret_ids[p] for p in params if p in secret_ids and p != "target_id"}]


def _api_writes(
    world: World,
    scene: Scene,
    secret_ids: dict[str, Any],
    viewer: Membership,
    raw: str,
    app: Any,
) -> tuple[list[str], set[str]]:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = app
    _routes, api_routes = _inventory()
    failures: list[str] = []
    covered: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.lower() not in WRITES:
            continue
        params = [p.name for p in operation.path_parameters]
        if not any(p in secret_ids for p in params):
            continue
        rest = [p for p in params if p not in secret_ids and p != "kind"]
        fallback: dict[str, Any] = {}
        if any(p not in scene.ids for p in rest):
            path = operation.path.removeprefix("/api/v1")
            fallback = api_routes[path](world, world.org)
        for secret_params in _expand(params, secret_ids):
            for others in _combos(rest, scene.ids, fallback):
                path_parameters = {k: str(v) for k, v in {**others, **secret_params}.items()}
                answers: list[int] = []

                @settings(
                    max_examples=2,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(path_parameters=path_parameters))
                def call(case: schemathesis.Case) -> None:
                    response = case.call(headers={"Authorization": f"Bearer {raw}"})
                    answers.append(response.status_code)  # noqa: B023 - called at once, below

                call()
                assert answers, f"{operation.label}: no request generated"
                covered.add(operation.label)
                wrong = sorted({a for a in answers if a != 404})
                if wrong:
                    failures.append(
                        f"{viewer.user.full_name}: {operation.label} {path_parameters} "
                        f"answered {wrong}"
                    )
    return failures, covered


def _site_writes(
    world: World, scene: Scene, secret_ids: dict[str, Any], viewer: Membership
) -> tuple[list[str], set[str]]:
    routes, _api = _inventory()
    client = Client()
    client.force_login(viewer.user)
    failures: list[str] = []
    covered: set[str] = set()
    for name, _route, params in _site_routes():
        if name in SKIP or not any(p in secret_ids for p in params):
            continue
        rest = sorted(params - {"org_slug", "kind"} - set(secret_ids))
        fallback: dict[str, Any] = {}
        if any(p not in scene.ids for p in rest):
            fallback = routes[name].kwargs(world, world.org)
        for secret_params in _expand(sorted(params), secret_ids):
            for others in _combos(rest, scene.ids, fallback):
                kwargs = {**others, **secret_params}
                if "org_slug" in params:
                    kwargs["org_slug"] = world.org.slug
                url = reverse(name, kwargs=kwargs)
                for htmx in (False, True):
                    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
                    status = client.post(url, FORM, **headers).status_code
                    covered.add(name)
                    if status not in (404, 405):
                        failures.append(f"{viewer.user.full_name}: POST {url} answered {status}")
    return failures, covered


@pytest.mark.django_db
def test_a_member_who_may_not_see_a_private_objective_cannot_change_or_comment_on_it(
    world: World, in_process_wsgi: Any
) -> None:
    scene = _scene(world)
    _seed_secret(world, scene)
    secret_ids = _secret_ids(world, scene)
    before = _snapshot(world, scene)
    failures: list[str] = []
    api_covered: set[str] = set()
    site_covered: set[str] = set()
    for viewer in scene.viewers:
        raw = create_api_token(membership=viewer, name="write walk")[1]
        found, covered = _api_writes(world, scene, secret_ids, viewer, raw, in_process_wsgi)
        failures += found
        api_covered |= covered
        found, covered = _site_writes(world, scene, secret_ids, viewer)
        failures += found
        site_covered |= covered
    after = _snapshot(world, scene)
    if after != before:
        failures.append(
            "the secret changed:\n"
            + json.dumps(json.loads(before), indent=1)[:3000]
            + "\n->\n"
            + json.dumps(json.loads(after), indent=1)[:3000]
        )
    assert not failures, "\n".join(failures)
    # Figures for the issue note.
    print(f"API write operations: {len(api_covered)}; site routes: {len(site_covered)}")
    assert len(api_covered) >= 20
    assert len(site_covered) >= 15
