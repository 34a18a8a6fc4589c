"""/api/v1/insights: who may read what (another organisation's ids are 404, a member asking for
organisation-wide figures is 403), the figures match the pages, and each call costs a fixed
number of queries whatever the organisation's size."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from okrcoach.api.services import create_api_token
from okrcoach.insights import services, snapshots
from okrcoach.orgs.models import Membership, Team

from .conftest import grow

pytestmark = pytest.mark.django_db
BASE = "/api/v1/insights"


class Api:
    def __init__(self, membership: Membership) -> None:
        _token, raw = create_api_token(membership=membership, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)


def test_the_organisation_status_matches_the_snapshot(world, okr_world):
    body = Api(world.executive).get("/status").json()
    snap = snapshots.get_or_compute(world.org, okr_world["cycle"])
    assert body["cycle_name"] == "Now"
    assert body["status"] == snap.data["company"]
    support = next(d for d in body["departments"] if d["name"] == "Support")
    assert support["key_results"] == sum(body["status"].values())
    assert body["computed_at"] is not None


@pytest.mark.parametrize("path", ["/status", "/training-impact", "/calibration?scope=organisation"])
def test_members_and_managers_may_not_read_organisation_wide_figures(world, okr_world, path):
    for who in (world.member, world.manager):
        r = Api(who).get(path)
        assert r.status_code == 403, (who, path)
        assert r.json()["detail"]


def test_team_status_for_its_lead_and_leadership_not_for_members(world, okr_world):
    path = f"/teams/{world.team.public_id}/status"
    mine = Api(world.manager).get(path)  # the manager leads Support
    assert mine.status_code == 200 and mine.json()["key_results"] == 3
    assert Api(world.admin).get(path).json()["key_results"] == 3
    assert Api(world.member).get(path).status_code == 403
    # A lead who may not see a private objective (the peer's) does not get it counted.
    world.team.lead = world.member
    world.team.save()
    assert Api(world.member).get(path).json()["key_results"] == 2
    assert Api(world.manager).get(path).status_code == 403


def test_another_organisations_ids_are_404(world, okr_world):
    elsewhere = Team.objects.for_org(world.other_org).get(slug="elsewhere")
    assert Api(world.admin).get(f"/teams/{elsewhere.public_id}/status").status_code == 404
    r = Api(world.admin).get(f"/calibration?person_id={world.outsider.public_id}")
    assert r.status_code == 404
    # …and the outsider, an admin of the other organisation, sees none of Acme's figures.
    assert Api(world.outsider).get(f"/teams/{world.team.public_id}/status").status_code == 404
    other = Api(world.outsider).get("/status").json()
    assert other["cycle_id"] is None and other["departments"] == []


def test_calibration_of_yourself_your_reports_but_not_your_peers(world, okr_world):
    me = Api(world.member).get("/calibration").json()
    assert me["check_ins"] == 4 and me["brier"] == pytest.approx(0.64)
    below = Api(world.manager).get(f"/calibration?person_id={world.member.public_id}")
    assert below.status_code == 200 and below.json()["check_ins"] == 4
    team = Api(world.manager).get("/calibration?scope=team").json()
    assert team["check_ins"] == 4
    assert Api(world.peer).get(f"/calibration?person_id={world.member.public_id}").status_code == (
        403
    )
    assert Api(world.member).get("/calibration?scope=nonsense").status_code == 422


def test_training_impact_for_leadership_with_method_and_limits(world, okr_world):
    services.compute_training_impact(organisation=world.org, samples=50)
    body = Api(world.admin).get("/training-impact").json()
    assert body["computed_at"] and body["limits"]
    assert "certificates only" in body["method"]
    assert {o["key"] for o in body["outcomes"]} >= {"check_in_rate", "brier"}


def test_insights_api_is_in_the_openapi_document():
    from okrcoach.api_v1 import api

    paths = api.get_openapi_schema()["paths"]
    for p in ("status", "teams/{team_id}/status", "calibration", "training-impact"):
        op = paths[f"/api/v1/insights/{p}"]["get"]
        assert op["summary"] and op["description"]
        assert {403, 401} <= {int(k) for k in op["responses"]}


# Every call: the token with its member, its last use (2 queries), then the call's own.
QUERIES = {
    "/status": 4,
    "/teams/{team}/status": 5,
    "/calibration": 2,
    "/calibration?scope=team&person_id={manager}": 4,
    "/calibration?scope=organisation": 3,
    "/training-impact": 2,
}


@pytest.mark.parametrize("size", [0, 4])
def test_each_call_costs_a_fixed_number_of_queries(world, okr_world, assert_queries, size):
    grow(world, okr_world["cycle"], okr_world["past"], size)
    snapshots.compute_cycle(world.org, okr_world["cycle"])
    api = Api(world.executive)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seen = {}
    for path in QUERIES:
        url = path.format(team=world.team.public_id, manager=world.manager.public_id)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200, url
        seen[path] = len(ctx.captured_queries)
    assert seen == QUERIES
