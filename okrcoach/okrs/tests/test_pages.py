"""OKR pages: happy path, outsiders, private objectives, and flat query counts."""

from __future__ import annotations

from decimal import Decimal as D
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conftest import World
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.orgs.models import Membership

from .factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory


def client_for(m: Membership) -> Client:
    c = Client()
    c.force_login(m.user)
    # The first page of a session stores the organisation in it; measure later requests.
    c.get(reverse("orgs:people", args=[m.organisation.slug]))
    return c


def url(world: World, name: str, **kwargs: object) -> str:
    return reverse(f"okrs:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def grow(world: World, cycle: Cycle, n: int) -> list[Objective]:
    """n objectives of the member aligned under one company objective, two key results each,
    a check-in and an initiative on each key result."""
    top = ObjectiveFactory(cycle=cycle, owner=world.executive, level=Objective.Level.COMPANY)
    made = []
    for i in range(n):
        o = ObjectiveFactory(
            cycle=cycle,
            owner=world.member,
            team=world.team,
            parent=top,
            level=Objective.Level.PERSONAL if i % 2 else Objective.Level.TEAM,
        )
        for _ in range(2):
            kr = KeyResultFactory(objective=o)
            InitiativeFactory(key_result=kr)
            record_check_in(
                actor=world.member, key_result=kr, data=CheckInData(value=D(i), confidence=5)
            )
        made.append(o)
    return cast(list[Objective], made)


def test_my_okrs_lists_my_objectives_with_check_in_forms(world: World, cycle: Cycle) -> None:
    [objective] = grow(world, cycle, 1)
    response = client_for(world.member).get(url(world, "my_okrs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert objective.title in body
    kr = objective.key_results.first()
    assert url(world, "check_in", key_result_id=kr.public_id) in body
    assert "hx-post" in body and 'aria-live="polite"' in body


def test_my_okrs_says_so_when_no_cycle_is_open(world: World) -> None:
    response = client_for(world.member).get(url(world, "my_okrs"))
    assert response.status_code == 200
    assert "opens the first cycle" in response.content.decode()


@pytest.mark.parametrize("n", [2, 20])
def test_my_okrs_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    grow(world, cycle, n)
    client = client_for(world.member)
    # membership with user (the session from the cache, no switcher for a member of one
    # organisation: orgs/middleware.py), cycles, objective ids (union of three indexed
    # lookups), objectives, key results, reporting subtree
    with assert_queries(6):
        assert client.get(url(world, "my_okrs")).status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_objective_page_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    objectives = grow(world, cycle, 1)
    parent = objectives[0]
    for _ in range(n):
        ObjectiveFactory(cycle=cycle, owner=world.peer, parent=parent)
    for _ in range(n):
        kr = KeyResultFactory(objective=parent)
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(3), confidence=5)
        )
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation),
    # objective id + reporting subtree + the objective count of its team or owner (SET-02) in
    # one, objective, its parent (and the objective it was carried from, when there is one),
    # KRs, initiatives, the charted check-ins (plain columns, the latest CHART_POINTS per key
    # result), the listed check-ins with their authors, children, links, later cycles,
    # retrospective, contributors
    with assert_queries(13):
        response = client.get(url(world, "objective_detail", objective_id=parent.public_id))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    # The same without a parent: no query for it.
    alone = ObjectiveFactory(cycle=cycle, owner=world.member)
    record_check_in(
        actor=world.member,
        key_result=KeyResultFactory(objective=alone),
        data=CheckInData(value=D(3), confidence=5),
    )
    with assert_queries(12):
        response = client.get(url(world, "objective_detail", objective_id=alone.public_id))
    assert response.status_code == 200 and "<svg" in response.content.decode()


def test_objective_page_shows_history_chart_and_alignment(world: World, cycle: Cycle) -> None:
    [objective] = grow(world, cycle, 1)
    response = client_for(world.peer).get(
        url(world, "objective_detail", objective_id=objective.public_id)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "kr-chart__target" in body and "<polyline" in body
    assert objective.parent.title in body
    assert "Check-in history" in body


def test_objective_page_lists_aligned_objectives_with_owner_and_team(
    world: World, cycle: Cycle
) -> None:
    [objective] = grow(world, cycle, 1)
    child = ObjectiveFactory(
        cycle=cycle, owner=world.peer, team=world.team, parent=objective, level="team"
    )
    body = (
        client_for(world.member)
        .get(url(world, "objective_detail", objective_id=objective.public_id))
        .content.decode()
    )
    aligned = body.split("Aligned to this", 1)[1].split("</ul>", 1)[0]
    assert escape(child.title) in aligned
    assert escape(f"{world.peer.user.full_name} · {world.team.name}") in aligned


def test_outsider_gets_404_for_an_objective(world: World, cycle: Cycle) -> None:
    [objective] = grow(world, cycle, 1)
    response = client_for(world.outsider).get(
        url(world, "objective_detail", objective_id=objective.public_id)
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 200), ("manager", 200), ("executive", 200), ("admin", 200), ("peer", 404)],
)
def test_a_private_objective_is_seen_by_owner_managers_admins_and_executives_only(
    world: World, cycle: Cycle, who: str, status: int
) -> None:
    objective = ObjectiveFactory(
        cycle=cycle, owner=world.member, visibility=Objective.Visibility.PRIVATE
    )
    response = client_for(getattr(world, who)).get(
        url(world, "objective_detail", objective_id=objective.public_id)
    )
    assert response.status_code == status


def test_private_objectives_stay_out_of_the_company_tree_for_peers(
    world: World, cycle: Cycle
) -> None:
    secret = ObjectiveFactory(
        cycle=cycle,
        owner=world.member,
        title="Quiet restructuring plan",
        visibility=Objective.Visibility.PRIVATE,
    )
    assert (
        str(secret.title) not in client_for(world.peer).get(url(world, "company")).content.decode()
    )
    assert (
        str(secret.title) in client_for(world.manager).get(url(world, "company")).content.decode()
    )


@pytest.mark.parametrize("n", [2, 20])
def test_company_tree_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    grow(world, cycle, n)
    for _ in range(n):
        ObjectiveFactory(cycle=cycle, owner=world.peer, level=Objective.Level.COMPANY)
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation), cycles,
    # top nodes (coverage is its own fragment)
    with assert_queries(3):
        response = client.get(url(world, "company"))
    assert response.status_code == 200
    # membership with user (session from the cache), cycles, coverage aggregate, team count
    with assert_queries(4):
        fragment = client.get(url(world, "company_coverage"), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200


def test_coverage_counts_teams_and_aligned_objectives(world: World, cycle: Cycle) -> None:
    grow(world, cycle, 2)
    ObjectiveFactory(cycle=cycle, owner=world.peer, team=world.team, level="team")
    client = client_for(world.member)
    page = client.get(url(world, "company")).content.decode()
    coverage_url = url(world, "company_coverage")
    assert f'hx-get="{coverage_url}?cycle={cycle.public_id}"' in page
    fragment = client.get(coverage_url, {"cycle": str(cycle.public_id)}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "aligned to nothing" in body
    # Without JavaScript the link opens a page with the same figures.
    full = client.get(coverage_url, {"cycle": str(cycle.public_id)}).content.decode()
    assert "<html" in full and "aligned to nothing" in full


def test_coverage_is_cached_per_reader_until_the_organisation_changes(
    world: World, cycle: Cycle, assert_queries
) -> None:
    grow(world, cycle, 2)
    client = client_for(world.member)
    coverage_url = url(world, "company_coverage")
    first = client.get(coverage_url, HTTP_HX_REQUEST="true").content.decode()
    # membership with user (session from the cache), cycles: the aggregate and the team count
    # come from the cache
    with assert_queries(2):
        again = client.get(coverage_url, HTTP_HX_REQUEST="true").content.decode()
    assert again == first
    # Another reader may see other objectives: never served this reader's figures.
    admin = client_for(world.admin)
    with assert_queries(4):
        admin.get(coverage_url, HTTP_HX_REQUEST="true")
    # A write anywhere in the organisation: the next read counts again and shows it.
    ObjectiveFactory(cycle=cycle, owner=world.peer, team=world.team, level="team")
    with assert_queries(4):
        after = client.get(coverage_url, HTTP_HX_REQUEST="true").content.decode()
    assert after != first
    # A bulk write (no model signals) too.
    Objective.objects.for_org(world.org).filter(cycle=cycle, level="team").update(
        status=Objective.Status.ABANDONED
    )
    with assert_queries(4):
        client.get(coverage_url, HTTP_HX_REQUEST="true")


def test_company_tree_expands_children_with_htmx(world: World, cycle: Cycle) -> None:
    objectives = grow(world, cycle, 3)
    top = objectives[0].parent
    client = client_for(world.member)
    page = client.get(url(world, "company")).content.decode()
    children_url = url(world, "company_children", objective_id=top.public_id)
    assert f'hx-get="{children_url}"' in page
    fragment = client.get(children_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert all(o.title in fragment.content.decode() for o in objectives)
    # Without JavaScript the same link leads to the objective page.
    assert client.get(children_url).status_code == 302


def test_company_page_shows_orphans_and_coverage(world: World, cycle: Cycle) -> None:
    orphan = ObjectiveFactory(cycle=cycle, owner=world.peer, team=world.team, level="team")
    body = client_for(world.member).get(url(world, "company")).content.decode()
    assert str(orphan.title) in body
    assert "Not aligned to anything" in body


@pytest.mark.parametrize("n", [2, 20])
def test_team_page_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    grow(world, cycle, n)
    client = client_for(world.peer)
    # membership with user (session from the cache, no switcher for one organisation), team,
    # cycles, objective ids (union of two indexed lookups), objectives, key results, subtree
    with assert_queries(7):
        response = client.get(url(world, "team_okrs", team_id=world.team.public_id))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_late_check_ins_page_lists_the_subtree_in_constant_queries(
    world: World, cycle: Cycle, assert_queries, n: int
) -> None:
    objectives = grow(world, cycle, n)
    KeyResult.objects.for_org(world.org).update(next_check_in_due="2000-01-01")
    client = client_for(world.manager)
    # membership with user (session from the cache, no switcher for one organisation), late
    # key results
    with assert_queries(2):
        response = client.get(url(world, "late_check_ins"))
    assert objectives[0].key_results.first().title in response.content.decode()


def test_home_page_shows_what_i_owe(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner=world.member),
        title="Cut failed first delivery attempts",
    )
    body = (
        client_for(world.member).get(reverse("orgs:home", args=[world.org.slug])).content.decode()
    )
    assert "What you owe this week" in body
    assert str(kr.title) in body and "First check-in" in body
