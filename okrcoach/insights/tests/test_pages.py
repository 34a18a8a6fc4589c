"""Insights pages and Home's dashboards: roles, visibility, exports, and query counts that do not
grow with the organisation."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from okrcoach.core.models import AuditEvent
from okrcoach.insights import dashboards, snapshots
from okrcoach.insights.models import InsightsState
from okrcoach.orgs.selectors import organisation_stats

from .conftest import grow

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    c = Client()
    c.force_login(person.user)
    return c


def test_member_home_shows_my_key_results_by_pace_status(world, okr_world):
    body = _client(world.member).get("/o/acme/").content.decode()
    assert "My key results" in body
    assert "?owner=me&amp;status=off_track" in body
    d = dashboards.member_dashboard(
        world.member, okr_world["cycle"], dashboards.timezone.localdate()
    )
    assert d.mine.counts == {"on_track": 1, "at_risk": 0, "off_track": 1}


def test_manager_home_has_the_heat_map_late_check_ins_and_last_notes(world, okr_world):
    body = _client(world.manager).get("/o/acme/").content.decode()
    assert "Heat map" in body
    assert "Behind and quiet" in body
    assert "Waiting on the vendor" in body
    assert "calibration" in body.lower()


def test_executive_home_has_company_objectives_and_departments(world, okr_world):
    body = _client(world.executive).get("/o/acme/").content.decode()
    assert "Win the north" in body
    assert "At risk by department" in body
    assert "managers certified" in body


def test_the_key_result_list_applies_the_visibility_rule(world, okr_world):
    page = _client(world.member).get("/o/acme/insights/key-results/").content.decode()
    assert "Behind and quiet" in page
    assert "Secret key result" not in page
    page = _client(world.manager).get("/o/acme/insights/key-results/").content.decode()
    assert "Secret key result" in page  # the owner's manager may see it


def test_counts_never_include_objectives_the_viewer_may_not_see(world, okr_world):
    today = dashboards.timezone.localdate()
    member_total = dashboards.cycle_krs(world.member, okr_world["cycle"], today).count()
    manager_total = dashboards.cycle_krs(world.manager, okr_world["cycle"], today).count()
    assert manager_total == member_total + 1


def test_the_key_result_list_filters_by_status_and_rejects_another_orgs_team(world, okr_world):
    c = _client(world.member)
    off = c.get("/o/acme/insights/key-results/?status=off_track&owner=me").content.decode()
    assert "Behind and quiet" in off and "On pace" not in off
    other_team = (
        world.other_org
        and __import__("okrcoach.orgs.models", fromlist=["Team"])
        .Team.objects.for_org(world.other_org)
        .first()
    )
    assert c.get(f"/o/acme/insights/key-results/?team={other_team.public_id}").status_code == 404
    assert c.get("/o/acme/insights/key-results/?status=bogus").status_code == 404


@pytest.mark.parametrize(
    ("url", "member", "manager", "admin", "executive"),
    [
        ("/o/acme/insights/impact/", 403, 403, 200, 200),
        ("/o/acme/insights/impact.csv", 403, 403, 200, 200),
        ("/o/acme/insights/impact.xlsx", 403, 403, 200, 200),
        ("/o/acme/insights/summary/", 403, 403, 200, 200),
        ("/o/acme/insights/summary.csv", 403, 403, 200, 200),
        ("/o/acme/insights/calibration/", 200, 200, 200, 200),
        ("/o/acme/insights/calibration/?scope=organisation", 403, 403, 200, 200),
    ],
)
def test_who_may_open_what(world, okr_world, url, member, manager, admin, executive):
    for person, status in (
        (world.member, member),
        (world.manager, manager),
        (world.admin, admin),
        (world.executive, executive),
    ):
        assert _client(person).get(url).status_code == status, (person, url)


def test_recompute_stores_the_impact_with_its_time_and_audits(world, okr_world):
    c = _client(world.admin)
    assert "Not computed yet" in c.get("/o/acme/insights/impact/").content.decode()
    response = c.post("/o/acme/insights/impact/recompute/")
    assert response.status_code == 302
    state = InsightsState.objects.for_org(world.org).get()
    assert state.impact_computed_at is not None
    assert AuditEvent.objects.for_org(world.org).filter(action="insights.impact_computed").exists()
    page = c.get("/o/acme/insights/impact/").content.decode()
    assert "Not enough data yet" in page
    assert "not proof of cause" in page
    assert _client(world.member).post("/o/acme/insights/impact/recompute/").status_code == 403


def test_impact_exports_csv_and_xlsx(world, okr_world):
    c = _client(world.admin)
    c.post("/o/acme/insights/impact/recompute/")
    csv_text = c.get("/o/acme/insights/impact.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("outcome,better when,estimate")
    assert "On-time check-in rate" in csv_text
    book = load_workbook(io.BytesIO(c.get("/o/acme/insights/impact.xlsx").content))
    assert book["Training impact"]["A2"].value == "On-time check-in rate"
    assert "not proof of cause" in book["Limits"]["A1"].value


def test_summary_is_printable_and_exports(world, okr_world):
    c = _client(world.executive)
    page = c.get("/o/acme/insights/summary/").content.decode()
    assert "exec-summary" in page and "Win the north" in page
    assert "Win the north" in c.get("/o/acme/insights/summary.csv").content.decode()


def test_calibration_page_shows_the_score_and_the_nudge(world, okr_world):
    page = _client(world.member).get("/o/acme/insights/calibration/").content.decode()
    # Four check-ins at 8/10 on a key result graded 0.4: Brier 0.64.
    assert "Brier score 0.64 over 4 check-ins" in page
    assert "Your 8/10 key results finished at 40% on average" in page


# Executive and admin read the cycle's snapshot (computed below, as the nightly task would) instead
# of seven grouped queries over every key result: 38 → 32 and 31 → 25; the summary also takes the
# organisation's calibration from it: 16 → 9. Home's head counts (orgs.selectors.organisation_stats)
# are cached until a membership or team changes: two queries fewer once counted (24 → 22, 32 → 30,
# 25 → 23), the first Home after a change pays them; the team card's ancestors take one query
# instead of two (orgs.selectors.team_ancestors) for people in a team (member and manager).
# Every page three fewer since the session comes from the cache, the user with the membership
# and a member of one organisation needs no switcher query (orgs/middleware.py).
HOME = {"member": 18, "manager": 26, "executive": 27, "admin": 20}
PAGES = {
    "/o/acme/insights/key-results/?status=at_risk": 5,
    "/o/acme/insights/calibration/?scope=team": 3,
    "/o/acme/insights/impact/": 2,
    "/o/acme/insights/summary/": 6,
}


@pytest.mark.parametrize("size", [0, 4])
def test_home_costs_a_fixed_number_of_queries(world, okr_world, assert_queries, size):
    grow(world, okr_world["cycle"], okr_world["past"], size)
    snapshots.compute_cycle(world.org, okr_world["cycle"])
    organisation_stats(world.org)  # counted once, as by the first Home of the day
    for role, expected in HOME.items():
        c = _client(getattr(world, role))
        with assert_queries(expected):
            assert c.get("/o/acme/").status_code == 200


@pytest.mark.parametrize("size", [0, 4])
def test_insights_pages_cost_a_fixed_number_of_queries(world, okr_world, assert_queries, size):
    grow(world, okr_world["cycle"], okr_world["past"], size)
    snapshots.compute_cycle(world.org, okr_world["cycle"])
    c = _client(world.executive)
    c.get("/o/acme/insights/calibration/")  # the first request of a session also saves it
    for url, expected in PAGES.items():
        with assert_queries(expected):
            assert c.get(url).status_code == 200, url
