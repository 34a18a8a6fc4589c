"""The teams directory: the tree's top two levels, a team's sub-teams on demand and a search,
each a page at a time, so the page costs the same whatever the organisation's size."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

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


def _roots(world: World, n: int) -> list[Team]:
    """Separate trees (an organisation of many companies): roots named Root 00, Root 01..."""
    return [
        TeamFactory(organisation=world.org, parent=None, name=f"Root {i:02}", slug=f"root-{i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("extra", [2, 20])
@pytest.mark.parametrize(
    ("query", "queries"),
    # The membership with its user (middleware), then one query each: a page of the top two
    # levels with their counts and the number of roots (a row number and a count per parent);
    # a team, then a page of its sub-teams with their number (a window count); a search page
    # with its number of matches.
    [
        ("", 2),
        ("page=2", 2),
        ("parent", 3),
        ("parent&page=2", 3),
        ("q=squad", 2),
        ("q=squad&page=2", 2),
    ],
)
def test_every_page_of_the_directory_runs_a_constant_number_of_queries(
    world: World,
    assert_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
    extra: int,
    query: str,
    queries: int,
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 1)
    for n, squad in enumerate(_teams(world, world.team, extra)):
        _teams(world, squad, 2, f"Pod{n}")
    for root in _roots(world, extra):
        _teams(world, root, extra, f"Dept{root.slug}")
    client = client_for(world.admin)
    query = query.replace("parent", f"parent={world.team.public_id}")
    with assert_queries(queries):
        response = client.get(f"{url(world, 'orgs:team_list')}?{query}")
    assert response.status_code == 200
    # Pages of one (the page size here): Acme Test with Support, then Root 00 with its first
    # team; a team of Support; a squad found.
    expected = 2 if query in ("", "page=2") else 1
    assert response.content.decode().count('<li class="team-row">') == expected


def _rows(body: str) -> list[str]:
    return re.findall(r'<li class="team-row"><a href="[^"]+"><strong>([^<]+)</strong>', body)


def test_the_roots_are_paged_in_name_order_each_page_offering_the_next(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 3)
    _roots(world, 4)  # with Acme Test: 5 roots, pages of 3 and 2
    client = client_for(world.member)
    teams = url(world, "orgs:team_list")
    first = client.get(teams).content.decode()
    assert _rows(first)[:1] == ["Acme Test"] and "Support" in _rows(first)
    assert [r for r in _rows(first) if r.startswith("Root")] == ["Root 00", "Root 01"]
    assert f'hx-get="{teams}?page=2"' in first and f'href="{teams}?page=2"' in first
    assert "Show 2 more teams</a>" in first and "3 of 5 shown" in first
    second = client.get(f"{teams}?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert _rows(second) == ["Root 02", "Root 03"] and "<html" not in second
    assert "Show" not in second  # the last page
    # Without JavaScript, page 2 is a page of its own with its place and a way back.
    page = client.get(f"{teams}?page=2").content.decode()
    assert "Teams 4–5 of 5" in page and 'href="?page=1"' in page and "Page 2 of 2" in page
    assert "more teams" not in page


def test_a_level_of_exactly_one_page_offers_no_more_and_one_more_offers_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 3)
    _teams(world, world.team, 3)
    client = client_for(world.member)
    path = f"{url(world, 'orgs:team_list')}?parent={world.team.public_id}"
    exact = client.get(path, HTTP_HX_REQUEST="true").content.decode()
    assert _rows(exact) == ["Squad 00", "Squad 01", "Squad 02"] and "Show" not in exact
    TeamFactory(organisation=world.org, parent=world.team, name="Squad 03", slug="squad-3")
    over = client.get(path, HTTP_HX_REQUEST="true").content.decode()
    assert "Show 1 more team in Support</a>" in over and "3 of 4 shown" in over
    last = client.get(f"{path}&page=2", HTTP_HX_REQUEST="true").content.decode()
    assert _rows(last) == ["Squad 03"] and "Show" not in last
    assert client.get(f"{path}&page=3").status_code == 404  # past the end


def test_teams_of_the_same_name_are_each_shown_once_across_pages(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 2)
    made = [
        TeamFactory(organisation=world.org, parent=world.team, name="Same", slug=f"same-{i}")
        for i in range(5)
    ]
    client = client_for(world.member)
    path = f"{url(world, 'orgs:team_list')}?parent={world.team.public_id}"
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"{path}&page={page}", HTTP_HX_REQUEST="true").content.decode()
        seen += re.findall(r"/teams/([0-9a-f-]{36})/\"><strong>", body)
    assert seen == [str(t.public_id) for t in sorted(made, key=lambda t: t.pk)]


def test_a_search_is_paged_and_keeps_its_words_in_the_links(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TEAM_DIRECTORY_PAGE", 2)
    _teams(world, world.team, 3, "R&D squad")
    client = client_for(world.member)
    teams = url(world, "orgs:team_list")
    first = client.get(f"{teams}?q=r%26d").content.decode()
    assert _rows(first) == ["R&amp;D squad 00", "R&amp;D squad 01"]
    assert f'href="{teams}?q=r%26d&amp;page=2"' in first and "2 of 3 shown" in first
    second = client.get(f"{teams}?q=r%26d&page=2").content.decode()
    assert _rows(second) == ["R&amp;D squad 02"] and 'href="?q=r%26d&amp;page=1"' in second


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=%C2%B2",  # "²": a digit to str.isdigit(), not to int()
        "page=" + "9" * 5000,
        "page=99999999999999999999",
        "page=100000",
        "q=%00",
        "q=squad%00&page=1",
        "q=" + "x" * 5000,
        "parent=%00",
        "page=2%00",
    ],
)
def test_bad_input_answers_a_page_or_404_never_an_error(world: World, query: str) -> None:
    _deep(world)
    response = client_for(world.member).get(f"{url(world, 'orgs:team_list')}?{query}")
    assert response.status_code in (200, 404), query


def test_a_mangled_page_number_shows_the_first_page_and_one_past_the_end_is_404(
    world: World,
) -> None:
    client = client_for(world.member)
    teams = url(world, "orgs:team_list")
    assert "Acme Test" in client.get(f"{teams}?page=abc").content.decode()
    for page in ("0", "2", "100000", "1000001"):
        assert client.get(f"{teams}?page={page}").status_code == 404, page
    assert "Support</strong>" in client.get(f"{teams}?q=%00supp%00").content.decode()


def test_another_organisations_team_or_a_bad_id_is_404(world: World) -> None:
    theirs = Team.objects.for_org(world.other_org).get(name="Elsewhere")
    client = client_for(world.member)
    for parent in (theirs.public_id, "not-a-uuid"):
        response = client.get(f"{url(world, 'orgs:team_list')}?parent={parent}")
        assert response.status_code == 404, parent


def test_an_outsider_gets_404_for_every_page_of_the_directory(world: World) -> None:
    client = client_for(world.outsider)
    teams = url(world, "orgs:team_list")
    for query in ("", "?q=support", "?page=2", f"?parent={world.team.public_id}&page=2"):
        assert client.get(f"{teams}{query}").status_code == 404, query


def test_on_postgresql_a_trigram_index_serves_the_search_expression() -> None:
    """The search's `UPPER(name::text) LIKE` has an index to use (orgs 0004); SQLite scans."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite runs the same query as a scan")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'team_org_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "upper((name)::text) gin_trgm_ops" in definition
