"""Contributors, contribution links, initiative status, team cadence, team retrospectives, a
team's cycles compared and a cycle's evaluation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.utils import timezone

from conftest import World
from okrcoach.okrs.models import (
    ContributionLink,
    Cycle,
    Initiative,
    Objective,
    Retrospective,
    TeamSettings,
)
from okrcoach.orgs.tests.factories import TeamFactory

from .factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
)
from .test_pages import client_for, url


def _objective(world: World, cycle: Cycle) -> Objective:
    return cast(Objective, ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team))


# --- contributors --------------------------------------------------------------------------


def test_owner_sets_contributors_and_the_page_lists_them(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    client = client_for(world.member)
    page = url(world, "objective_contributors", objective_id=objective.public_id)
    response = client.post(page, {"contributors": [world.peer.pk, world.member.pk]})
    assert response.status_code == 302
    assert list(objective.contributors.all()) == [world.peer]  # the owner is not a contributor
    detail = client.get(url(world, "objective_detail", objective_id=objective.public_id))
    assert "Pat Peer" in detail.content.decode()


def test_a_colleague_cannot_change_contributors(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    page = url(world, "objective_contributors", objective_id=objective.public_id)
    assert client_for(world.peer).post(page, {"contributors": [world.peer.pk]}).status_code == 403
    assert not objective.contributors.exists()


def test_contributors_of_another_organisation_are_refused_by_the_form(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    page = url(world, "objective_contributors", objective_id=objective.public_id)
    response = client_for(world.member).post(page, {"contributors": [world.outsider.pk]})
    assert response.status_code == 200
    assert "contributors" in response.context["form"].errors
    assert not objective.contributors.exists()


def test_outsider_gets_404_on_collaboration_pages(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    client = client_for(world.outsider)
    for name in ("objective_contributors", "objective_links"):
        assert client.get(url(world, name, objective_id=objective.public_id)).status_code == 404
    assert client.get(url(world, "team_cycles", team_id=world.team.public_id)).status_code == 404


# --- contribution links --------------------------------------------------------------------


def _other_team_kr(world: World, cycle: Cycle) -> object:
    sales = TeamFactory(organisation=world.org, name="Sales", slug="sales", parent=world.team)
    other = ObjectiveFactory(cycle=cycle, owner=world.peer, team=sales)
    return KeyResultFactory(objective=other, title="Quotes in a day")


def test_owner_links_another_teams_key_result_with_a_weight_and_removes_it(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    kr = _other_team_kr(world, cycle)
    client = client_for(world.member)
    page = url(world, "objective_links", objective_id=objective.public_id)
    assert "Sales: Quotes in a day" in client.get(page).content.decode()
    response = client.post(page, {"key_result": kr.public_id, "weight": "2"})
    assert response.status_code == 302
    link = ContributionLink.objects.for_org(world.org).get(objective=objective)
    assert link.weight == D(2)
    response = client.post(url(world, "link_delete", link_id=link.public_id))
    assert response.status_code == 302
    assert not ContributionLink.objects.for_org(world.org).exists()


def test_the_objective_page_lists_a_counted_key_result_with_its_owner_weight_and_objective(
    world: World, cycle: Cycle
) -> None:
    objective = _objective(world, cycle)
    kr = _other_team_kr(world, cycle)
    ContributionLink.objects.for_org(world.org).create(
        organisation=world.org, objective=objective, key_result=kr, weight=D("1.5")
    )
    html = client_for(world.member).get(
        url(world, "objective_detail", objective_id=objective.public_id)
    )
    text = html.content.decode()
    target = url(world, "objective_detail", objective_id=kr.objective.public_id)
    assert f'<a href="{target}">{kr.title}</a>' in text
    assert f"{kr.owner.user.full_name} · weight 1.5" in text


def test_a_bad_weight_is_named_and_nothing_is_linked(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    kr = _other_team_kr(world, cycle)
    page = url(world, "objective_links", objective_id=objective.public_id)
    response = client_for(world.member).post(page, {"key_result": kr.public_id, "weight": "0"})
    assert response.status_code == 200
    assert "weight" in response.context["form"].errors
    assert not ContributionLink.objects.for_org(world.org).exists()


def test_a_colleague_cannot_link_or_unlink(world: World, cycle: Cycle) -> None:
    objective = _objective(world, cycle)
    kr = _other_team_kr(world, cycle)
    link = ContributionLink.objects.for_org(world.org).create(
        organisation=world.org, objective=objective, key_result=kr
    )
    client = client_for(world.peer)
    page = url(world, "objective_links", objective_id=objective.public_id)
    assert client.get(page).status_code == 403
    assert client.post(url(world, "link_delete", link_id=link.public_id)).status_code == 403
    assert ContributionLink.objects.for_org(world.org).exists()


@pytest.mark.parametrize("n", [2, 20])
def test_links_page_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    objective = _objective(world, cycle)
    for _ in range(n):
        kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.peer))
        ContributionLink.objects.for_org(world.org).create(
            organisation=world.org, objective=objective, key_result=kr
        )
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation),
    # objective, links, linkable key results (the owner may edit without a look at the
    # reporting line)
    with assert_queries(4):
        response = client.get(url(world, "objective_links", objective_id=objective.public_id))
    assert response.status_code == 200


# --- initiatives ---------------------------------------------------------------------------


def test_key_result_owner_changes_an_initiatives_status_in_place(
    world: World, cycle: Cycle
) -> None:
    initiative = InitiativeFactory(key_result=KeyResultFactory(objective=_objective(world, cycle)))
    client = client_for(world.member)
    target = url(world, "initiative_status", initiative_id=initiative.public_id)
    response = client.post(target, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="initiative-{initiative.public_id}"' in body and "Saved" in body
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.IN_PROGRESS
    assert client.post(target, {"status": "done"}).status_code == 302


def test_an_unknown_initiative_status_is_refused(world: World, cycle: Cycle) -> None:
    initiative = InitiativeFactory(key_result=KeyResultFactory(objective=_objective(world, cycle)))
    target = url(world, "initiative_status", initiative_id=initiative.public_id)
    response = client_for(world.member).post(target, {"status": "sleeping"}, HTTP_HX_REQUEST="true")
    assert 'aria-invalid="true"' in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PLANNED


def test_a_colleague_cannot_change_an_initiatives_status(world: World, cycle: Cycle) -> None:
    initiative = InitiativeFactory(key_result=KeyResultFactory(objective=_objective(world, cycle)))
    target = url(world, "initiative_status", initiative_id=initiative.public_id)
    assert client_for(world.peer).post(target, {"status": "done"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PLANNED


# --- team cadence --------------------------------------------------------------------------


def test_team_lead_sets_a_two_week_cadence(world: World) -> None:
    page = url(world, "team_cadence", team_id=world.team.public_id)
    client = client_for(world.manager)  # the team's lead
    assert client.get(page).status_code == 200
    assert client.post(page, {"check_in_cadence_days": "14"}).status_code == 302
    settings = TeamSettings.objects.for_org(world.org).get(team=world.team)
    assert settings.check_in_cadence_days == 14
    client.post(page, {"check_in_cadence_days": ""})
    settings.refresh_from_db()
    assert settings.check_in_cadence_days is None


def test_a_member_cannot_change_the_cadence(world: World) -> None:
    page = url(world, "team_cadence", team_id=world.team.public_id)
    assert client_for(world.member).post(page, {"check_in_cadence_days": "14"}).status_code == 403
    assert not TeamSettings.objects.for_org(world.org).exists()


def test_a_cadence_outside_the_choices_is_named(world: World) -> None:
    page = url(world, "team_cadence", team_id=world.team.public_id)
    response = client_for(world.admin).post(page, {"check_in_cadence_days": "3"})
    assert response.status_code == 200
    assert "check_in_cadence_days" in response.context["form"].errors
    assert not TeamSettings.objects.for_org(world.org).exists()


# --- team retrospectives and cycles compared -----------------------------------------------


def _past_cycles(world: World, n: int) -> list[Cycle]:
    cycles: list[Cycle] = []
    for i in range(n):
        start = timezone.localdate() - timedelta(weeks=13 * (i + 2))
        c = CycleFactory(organisation=world.org, starts_on=start, state=Cycle.State.CLOSED)
        for committed in (True, False):
            o = ObjectiveFactory(
                cycle=c,
                owner=world.member,
                team=world.team,
                type="committed" if committed else "aspirational",
                score=D("1.00") if committed else D("0.50"),
            )
            kr = KeyResultFactory(objective=o, score=D("0.2"))
            CheckInFactory(key_result=kr)
        cycles.append(cast(Cycle, c))
    return cycles


def test_team_member_writes_the_team_retrospective_of_a_cycle(world: World) -> None:
    [past] = _past_cycles(world, 1)
    page = url(world, "team_retrospective", team_id=world.team.public_id, cycle_id=past.public_id)
    client = client_for(world.member)
    assert (
        client.post(page, {"went_well": "We shipped.", "learned": "Less is more."}).status_code
        == 302
    )
    retro = Retrospective.objects.for_org(world.org).get(team=world.team, cycle=past)
    assert retro.author == world.member and retro.learned == "Less is more."
    cycles = client.get(url(world, "team_cycles", team_id=world.team.public_id))
    assert "We shipped." in cycles.content.decode()


def test_an_empty_team_retrospective_names_the_field(world: World) -> None:
    [past] = _past_cycles(world, 1)
    page = url(world, "team_retrospective", team_id=world.team.public_id, cycle_id=past.public_id)
    response = client_for(world.member).post(page, {"went_well": "  "})
    assert response.status_code == 200
    assert "went_well" in response.context["form"].errors
    assert not Retrospective.objects.for_org(world.org).exists()


def test_someone_outside_the_team_cannot_write_its_retrospective(world: World) -> None:
    [past] = _past_cycles(world, 1)
    page = url(world, "team_retrospective", team_id=world.team.public_id, cycle_id=past.public_id)
    assert client_for(world.executive).post(page, {"went_well": "x"}).status_code == 403
    assert not Retrospective.objects.for_org(world.org).exists()


def test_cycles_compared_shows_average_score_committed_met_and_regularity(world: World) -> None:
    _past_cycles(world, 1)
    response = client_for(world.member).get(url(world, "team_cycles", team_id=world.team.public_id))
    [row] = response.context["page"].rows
    assert row.objectives == 2 and row.average_score == D("0.75")
    assert (row.committed, row.committed_met, row.committed_met_share) == (1, 1, 100)
    assert row.check_ins == 2 and row.expected_check_ins == 2 * 13
    assert row.regularity == 8


@pytest.mark.parametrize("n", [1, 5])
def test_cycles_compared_runs_a_constant_number_of_queries(
    world: World, assert_queries: Any, n: int
) -> None:
    _past_cycles(world, n)
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation), team,
    # cycles, objectives by cycle, key results by cycle, team cadence, team retrospectives
    with assert_queries(7):
        response = client.get(url(world, "team_cycles", team_id=world.team.public_id))
    assert len(response.context["page"].rows) == n


# --- cycle evaluation ----------------------------------------------------------------------


def test_evaluation_shows_objectives_met_and_key_results_by_band(world: World) -> None:
    [past] = _past_cycles(world, 1)
    o = Objective.objects.for_org(world.org).filter(cycle=past).first()
    KeyResultFactory(objective=o, score=D("0.5"))
    KeyResultFactory(objective=o, score=D("0.9"))
    response = client_for(world.member).get(url(world, "cycle_evaluation", cycle_id=past.public_id))
    [team] = response.context["page"].teams
    assert (team.objectives, team.met, team.committed_met, team.aspirational_met) == (2, 1, 1, 0)
    assert (team.red, team.yellow, team.green) == (2, 1, 1)
    assert "Support" in response.content.decode()


@pytest.mark.parametrize("n", [2, 20])
def test_evaluation_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    for i in range(n):
        team = TeamFactory(
            organisation=world.org, name=f"Team {i}", slug=f"t{i}", parent=world.team
        )
        KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member, team=team))
    client = client_for(world.member)
    # membership with user (session from the cache, no switcher for one organisation), cycle,
    # objectives by team, key results by team
    with assert_queries(4):
        response = client.get(url(world, "cycle_evaluation", cycle_id=cycle.public_id))
    assert len(response.context["page"].teams) == n


def test_outsider_gets_404_on_the_evaluation(world: World, cycle: Cycle) -> None:
    response = client_for(world.outsider).get(
        url(world, "cycle_evaluation", cycle_id=cycle.public_id)
    )
    assert response.status_code == 404


def test_mid_cycle_the_evaluation_shows_pace_not_zero_met(world: World) -> None:
    """Week 7 of 13: an objective at 60% is on pace; nothing reads "0 of N (0%) met"."""
    today = timezone.localdate()
    running = cast(
        Cycle,
        CycleFactory(
            organisation=world.org,
            name="Running quarter",
            starts_on=today - timedelta(days=45),
            ends_on=today + timedelta(days=45),
        ),
    )
    o = ObjectiveFactory(cycle=running, owner=world.member, team=world.team, progress=D("0.6"))
    KeyResultFactory(objective=o, progress=D("0.6"), confidence=8, last_check_in_at=timezone.now())
    KeyResultFactory(objective=o, progress=D("0.1"), confidence=8, last_check_in_at=timezone.now())
    response = client_for(world.member).get(
        url(world, "cycle_evaluation", cycle_id=running.public_id)
    )
    page = response.context["page"]
    assert page.in_progress and page.expected_percent == 50
    [team] = page.teams
    assert (team.on_track, team.at_risk, team.off_track) == (1, 0, 1)
    assert team.met == 0 and team.graded == 0
    body = response.content.decode()
    assert "0 of 1 (0%)" not in body
    assert "60% (expected 50%)" in body and "None of 1 graded yet" in body
    assert "Key results by pace" in body


def test_mid_cycle_a_graded_objective_counts_as_met(world: World) -> None:
    today = timezone.localdate()
    running = cast(
        Cycle,
        CycleFactory(
            organisation=world.org,
            starts_on=today - timedelta(days=45),
            ends_on=today + timedelta(days=45),
        ),
    )
    ObjectiveFactory(cycle=running, owner=world.member, team=world.team, score=D("1.0"))
    ObjectiveFactory(cycle=running, owner=world.member, team=world.team, progress=D("1.0"))
    response = client_for(world.member).get(
        url(world, "cycle_evaluation", cycle_id=running.public_id)
    )
    [team] = response.context["page"].teams
    assert (team.graded, team.met) == (1, 1)
    assert "1 of 2 graded, 1 met" in response.content.decode()
