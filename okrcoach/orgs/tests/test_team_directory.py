"""The teams directory: the tree's top two levels, a team's sub-teams on demand and a search,
each a page at a time, so the page costs the same whatever the organisation's size."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from okrcoach.orgs import selectors
from okrcoach.orgs.models import Team
from okrcoach.orgs.tests.factories import MembershipFactory, TeamFactory

from .test_people_pages import client_for, url

pytestmark = pytest.mark.django_db


def _teams(world: World, parent: Team, n: int, prefix: str = "Squad") -> list[Team]:
    return [
        TeamFactory(
            organisation=world.org, parent=parent, name=f"{prefix} {i:02}", slug=f"{prefix}-{i}"
        )
        for i in range(n)
    ]


def _deep(world: World) -> Team:
    """Acme Test (the root) → Support → Squad 00 → Pod 00."""
    squad = _teams(world, world.team, 1)[0]
    pod = _teams(world, squad, 1, "Pod")[0]
    MembershipFactory(organisation=world.org, team=pod)
    return pod


def test_the_directory_shows_the_top_two_levels_and_offers_the_rest(world: World) -> None:
    _deep(world)
    body = client_for(world.member).get(url(world, "orgs:team_list")).content.decode()
    assert "Acme Test</strong>" in body and "Support</strong>" in body  # the root, its teams
    assert "Squad 00" not in body and "Pod 00" not in body  # further down: loaded on demand
    offer = f'hx-get="{url(world, "orgs:team_list")}?parent={world.team.public_id}"'
    assert offer in body and "<summary>1 team in Support</summary>" in body
    assert f'href="{url(world, "orgs:team_list")}?parent={world.team.public_id}"' in body


def test_a_teams_sub_teams_come_as_rows_for_htmx_and_as_a_page_without(world: World) -> None:
    _deep(world)
    client = client_for(world.member)
    path = f"{url(world, 'orgs:team_list')}?parent={world.team.public_id}"
    fragment = client.get(path, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    rows = fragment.content.decode()
    assert rows.lstrip().startswith('<li class="team-row">') and "<html" not in rows
    assert "Squad 00" in rows and "<summary>1 team in Squad 00</summary>" in rows
    assert "Pod 00" not in rows
    page = client.get(path).content.decode()
    assert "<html" in page and "<h1>Teams in Support</h1>" in page and "Squad 00" in page


def test_search_finds_a_team_at_any_depth_naming_its_parent(world: World) -> None:
    _deep(world)
    body = client_for(world.member).get(f"{url(world, 'orgs:team_list')}?q=pod").content.decode()
    assert "Pod 00" in body and "in Squad 00" in body and "1 member" in body
    assert "Support</strong>" not in body


def test_long_levels_are_paged_with_a_link_to_the_next_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 3)
    root = world.team.parent
    assert root is not None
    _teams(world, root, 5)
    client = client_for(world.member)
    top = client.get(url(world, "orgs:team_list")).content.decode()
    assert "Squad 02" in top and "Squad 03" not in top and "Support</strong>" not in top
    more = f"?parent={root.public_id}&amp;page=2"
    assert f'hx-get="{url(world, "orgs:team_list")}{more}"' in top
    second = client.get(
        f"{url(world, 'orgs:team_list')}?parent={root.public_id}&page=2", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Squad 03" in second and "Support</strong>" in second and "Squad 02" not in second
    assert "More teams" not in second
    search = client.get(f"{url(world, 'orgs:team_list')}?q=squad").content.decode()
    assert "Squad 02" in search and "Squad 03" not in search and "q=squad&amp;page=2" in search


@pytest.mark.parametrize("extra", [2, 20])
@pytest.mark.parametrize(
    ("query", "queries"),
    # The membership with its user (middleware), then one query each: the top two levels with
    # their counts (a row number per parent caps each level); a team and its sub-teams; a search.
    [("", 2), ("parent", 3), ("q=squad", 2)],
)
def test_every_view_of_the_directory_runs_a_constant_number_of_queries(
    world: World, assert_queries: Any, extra: int, query: str, queries: int
) -> None:
    for n, squad in enumerate(_teams(world, world.team, extra)):
        _teams(world, squad, 2, f"Pod{n}")
    client = client_for(world.admin)
    if query == "parent":
        query = f"parent={world.team.public_id}"
    with assert_queries(queries):
        response = client.get(f"{url(world, 'orgs:team_list')}?{query}")
    assert response.status_code == 200
    # The top: the root and Support, whatever lies below; Support's teams; the squads found.
    expected = 2 if query == "" else extra
    assert response.content.decode().count('<li class="team-row">') == expected


def test_another_organisations_team_or_a_bad_id_is_404(world: World) -> None:
    theirs = Team.objects.for_org(world.other_org).get(name="Elsewhere")
    client = client_for(world.member)
    for parent in (theirs.public_id, "not-a-uuid"):
        response = client.get(f"{url(world, 'orgs:team_list')}?parent={parent}")
        assert response.status_code == 404, parent


def test_an_outsider_gets_404_for_the_directory(world: World) -> None:
    response = client_for(world.outsider).get(f"{url(world, 'orgs:team_list')}?q=support")
    assert response.status_code == 404
