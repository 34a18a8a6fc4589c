"""Initiatives, contributors, contribution links and team cadence through the API: the same
rules as the objective, contribution-link and cadence pages."""

from __future__ import annotations

from conftest import World
from okrcoach.okrs.models import ContributionLink, Cycle, Initiative, TeamSettings
from okrcoach.orgs.models import Team

from .factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory
from .test_api import Api


def test_the_owner_adds_an_initiative_and_moves_it_on(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    api = Api(world.member)
    created = api.send("post", f"/key-results/{kr.public_id}/initiatives", {"title": "Pilot"})
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "planned"
    moved = api.send(
        "post", f"/initiatives/{created.json()['id']}/status", {"status": "in_progress"}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    listed = api.get(f"/key-results/{kr.public_id}/initiatives").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Pilot"


def test_a_peer_cannot_add_initiatives_or_change_their_status(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    initiative = InitiativeFactory(key_result=kr)
    api = Api(world.peer)
    url = f"/key-results/{kr.public_id}/initiatives"
    assert api.send("post", url, {"title": "Mine"}).status_code == 403
    response = api.send("post", f"/initiatives/{initiative.public_id}/status", {"status": "done"})
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == "planned"
    assert Initiative.objects.for_org(world.org).count() == 1


def test_an_unknown_status_or_blank_title_is_422_by_field(world: World, cycle: Cycle) -> None:
    kr = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    initiative = InitiativeFactory(key_result=kr)
    api = Api(world.member)
    response = api.send("post", f"/initiatives/{initiative.public_id}/status", {"status": "won"})
    assert response.status_code == 422 and response.json()["field"] == "status"
    response = api.send("post", f"/key-results/{kr.public_id}/initiatives", {"title": ""})
    assert response.status_code == 422 and response.json()["field"] == "title"
    response = api.send("post", f"/key-results/{kr.public_id}/initiatives", {})
    assert response.status_code == 422 and response.json()["field"] == "title"
    assert Initiative.objects.for_org(world.org).count() == 1


def test_contributors_are_replaced_by_the_list_sent(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    api = Api(world.member)
    url = f"/objectives/{objective.public_id}/contributors"
    both = [str(world.peer.public_id), str(world.manager.public_id)]
    assert api.send("put", url, {"contributor_ids": both}).status_code == 200
    assert set(api.get(url).json()["contributor_ids"]) == set(both)
    response = api.send("put", url, {"contributor_ids": [str(world.peer.public_id)]})
    assert response.json()["contributor_ids"] == [str(world.peer.public_id)]
    assert list(objective.contributors.all()) == [world.peer]


def test_contributors_from_another_organisation_are_refused(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    response = Api(world.member).send(
        "put",
        f"/objectives/{objective.public_id}/contributors",
        {"contributor_ids": [str(world.outsider.public_id)]},
    )
    assert response.status_code == 422 and response.json()["field"] == "contributor_ids"
    assert not objective.contributors.exists()
    peer = Api(world.peer).send(
        "put", f"/objectives/{objective.public_id}/contributors", {"contributor_ids": []}
    )
    assert peer.status_code == 403


def test_a_key_result_of_another_team_is_linked_and_unlinked(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    theirs = KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.peer))
    api = Api(world.member)
    url = f"/objectives/{objective.public_id}/links"
    created = api.send("post", url, {"key_result_id": str(theirs.public_id), "weight": 2})
    assert created.status_code == 201, created.content
    assert created.json()["weight"] == 2.0
    assert api.get(url).json()["count"] == 1
    assert Api(world.peer).send("delete", f"/links/{created.json()['id']}").status_code == 403
    assert api.send("delete", f"/links/{created.json()['id']}").status_code == 204
    assert not ContributionLink.objects.for_org(world.org).exists()


def test_linking_an_own_or_unknown_key_result_is_422(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    own = KeyResultFactory(objective=objective)
    api = Api(world.member)
    url = f"/objectives/{objective.public_id}/links"
    for kr_id in (own.public_id, world.outsider.public_id):
        response = api.send("post", url, {"key_result_id": str(kr_id)})
        assert response.status_code == 422 and response.json()["field"] == "key_result_id"
    assert not ContributionLink.objects.for_org(world.org).exists()


def test_the_team_lead_sets_the_cadence_and_members_cannot(world: World) -> None:
    url = f"/teams/{world.team.public_id}/cadence"
    lead = Api(world.manager)
    response = lead.send("put", url, {"check_in_cadence_days": 14})
    assert response.status_code == 200 and response.json()["check_in_cadence_days"] == 14
    assert lead.get(url).json()["check_in_cadence_days"] == 14
    assert Api(world.member).send("put", url, {"check_in_cadence_days": 7}).status_code == 403
    assert Api(world.member).get(url).status_code == 403
    bad = lead.send("put", url, {"check_in_cadence_days": 3})
    assert bad.status_code == 422 and bad.json()["field"] == "check_in_cadence_days"
    back = lead.send("put", url, {"check_in_cadence_days": None})
    assert back.json()["check_in_cadence_days"] is None
    assert TeamSettings.objects.for_org(world.org).get().check_in_cadence_days is None


def test_another_organisations_team_is_404_for_the_cadence(world: World) -> None:
    theirs = Team.objects.for_org(world.other_org).first()
    response = Api(world.admin).send(
        "put", f"/teams/{theirs.public_id}/cadence", {"check_in_cadence_days": 7}
    )
    assert response.status_code == 404 and response.json()["detail"]
    assert not TeamSettings.objects.for_org(world.other_org).exists()
