"""The grading page lists a page of objectives at a time: an admin may grade every objective of
the organisation (11,000 at 10,000 people), and listing them all took 11-30 s
(perf/LOAD_RESULTS.md, 4 Dec 2026)."""

from __future__ import annotations

import pytest

from conftest import World
from okrcoach.okrs.models import Cycle
from okrcoach.okrs.selectors import pages

from .factories import KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url


def _objectives(world: World, cycle: Cycle, n: int) -> None:
    for i in range(n):
        owner = world.member if i % 2 else world.manager
        o = ObjectiveFactory(cycle=cycle, owner=owner, team=world.team, title=f"Objective {i:02}")
        KeyResultFactory(objective=o, owner=owner)
        KeyResultFactory(objective=o, owner=owner)


@pytest.fixture
def grading(cycle: Cycle) -> Cycle:
    cycle.state = Cycle.State.GRADING
    cycle.save()
    return cycle


@pytest.mark.parametrize("n", [3, 12])
def test_the_admins_grading_page_runs_the_same_queries_whatever_the_number_of_objectives(
    world: World, grading: Cycle, assert_queries, monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    monkeypatch.setattr(pages, "GRADING_PAGE_SIZE", 5)
    _objectives(world, grading, n)
    client = client_for(world.admin)
    # membership with user (session from the cache), cycle, the count of objectives, the page of
    # objectives (owners, team, cycle and parent joined), their key results (owners joined), the
    # admin's reports (what each card lets them do)
    with assert_queries(6):
        response = client.get(url(world, "grading", cycle_id=grading.public_id))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.cards) == min(n, 5) and page.pager.paginator.count == n
    assert all(len(card.rows) == 2 and card.can_edit for card in page.cards)


def test_the_grading_page_pages_through_every_objective_once(
    world: World, grading: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "GRADING_PAGE_SIZE", 5)
    _objectives(world, grading, 12)
    client = client_for(world.admin)
    seen: list[str] = []
    for number in (1, 2, 3):
        response = client.get(url(world, "grading", cycle_id=grading.public_id), {"page": number})
        seen += [card.objective.title for card in response.context["page"].cards]
        body = response.content.decode()
        assert f"Page {number} of 3" in body and "of 12 to grade" in body
    assert sorted(seen) == [f"Objective {i:02}" for i in range(12)]
    past_the_end = client.get(url(world, "grading", cycle_id=grading.public_id), {"page": 9})
    assert past_the_end.context["page"].pager.number == 3  # the last page, as Paginator does


def test_a_member_pages_only_through_what_they_may_grade(
    world: World, grading: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "GRADING_PAGE_SIZE", 5)
    _objectives(world, grading, 12)
    page = client_for(world.member).get(url(world, "grading", cycle_id=grading.public_id))
    cards = page.context["page"].cards
    assert page.context["page"].pager.paginator.count == 6
    assert {c.objective.owner_id for c in cards} == {world.member.pk} and len(cards) == 5


def test_the_api_grading_sheet_still_lists_every_objective(
    world: World, grading: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "GRADING_PAGE_SIZE", 5)
    _objectives(world, grading, 7)
    page = pages.grading_page(world.admin, grading)
    assert len(page.cards) == 7 and page.pager is None
