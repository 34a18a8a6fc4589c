"""Check-in, objective and key result editors, grading and retrospectives, as a browser uses
them (htmx and plain)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import World
from okrcoach.okrs.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    Retrospective,
    TeamSettings,
)
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .factories import KeyResultFactory, ObjectiveFactory
from .test_pages import client_for, url

HX = {"HTTP_HX_REQUEST": "true"}


def _kr(world: World, cycle: Cycle) -> KeyResult:
    return cast(
        KeyResult, KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner=world.member))
    )


def _check_in_post(kr: KeyResult, **fields: object) -> dict[str, object]:
    prefix = f"kr-{kr.public_id}"
    return {f"{prefix}-{k}": v for k, v in fields.items()}


def test_quick_check_in_swaps_the_row_and_announces_it(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="40", confidence="7"),
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="kr-row" id="kr-{kr.public_id}"')
    assert "Check-in recorded" in body and 'value="40"' in body
    assert "check-in-recorded" in response["HX-Trigger"]
    kr.refresh_from_db()
    assert kr.progress == D("0.4")


def test_check_in_without_javascript_redirects_back(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).post(
        url(world, "check_in", key_result_id=kr.public_id),
        {**_check_in_post(kr, value="40", confidence="7"), "next": url(world, "my_okrs")},
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, "my_okrs")
    assert CheckIn.objects.for_org(world.org).count() == 1


def test_bad_check_in_names_the_field_and_writes_nothing(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.member).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="lots", confidence="12"),
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_kr-{kr.public_id}-value_error"' in body
    assert f'id="id_kr-{kr.public_id}-confidence_error"' in body
    assert 'aria-invalid="true"' in body
    assert not CheckIn.objects.for_org(world.org).exists()


def test_peer_gets_403_on_someone_elses_check_in(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.peer).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="1", confidence="1"),
    )
    assert response.status_code == 403
    assert not CheckIn.objects.for_org(world.org).exists()


def test_outsider_gets_404_on_check_in(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    response = client_for(world.outsider).get(url(world, "check_in", key_result_id=kr.public_id))
    assert response.status_code == 404


def _objective_post(o: Objective, **changes: object) -> dict[str, object]:
    data = {
        "title": o.title,
        "description": o.description,
        "level": o.level,
        "type": o.type,
        "visibility": o.visibility,
        "status": o.status,
        "weight": "1",
        "owner": o.owner_id,
        "team": o.team_id or "",
        "parent": o.parent_id or "",
        "version": o.version,
    }
    data.update(changes)
    return data


def test_member_creates_an_objective(world: World, cycle: Cycle) -> None:
    response = client_for(world.member).post(
        url(world, "objective_create") + f"?cycle={cycle.public_id}",
        {
            "title": "Become the depot drivers trust",
            "level": "personal",
            "type": "committed",
            "visibility": "public",
            "status": "draft",
            "weight": "1",
            "owner": world.member.pk,
        },
    )
    objective = Objective.objects.for_org(world.org).get()
    assert response.status_code == 302
    assert response["Location"] == url(world, "objective_detail", objective_id=objective.public_id)


def test_objective_form_rerenders_the_partial_with_errors_under_htmx(
    world: World, cycle: Cycle
) -> None:
    response = client_for(world.member).post(
        url(world, "objective_create") + f"?cycle={cycle.public_id}",
        {
            "title": "",
            "level": "team",
            "type": "committed",
            "visibility": "public",
            "status": "draft",
            "weight": "1",
        },
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="objective-form"')
    assert 'id="id_title_error"' in body
    assert not Objective.objects.for_org(world.org).exists()


def test_team_level_without_a_team_is_refused_on_the_team_field(world: World, cycle: Cycle) -> None:
    response = client_for(world.admin).post(
        url(world, "objective_create") + f"?cycle={cycle.public_id}",
        {
            "title": "Own the northern corridor",
            "level": "team",
            "type": "committed",
            "visibility": "public",
            "status": "draft",
            "weight": "1",
        },
    )
    assert response.status_code == 200
    assert 'id="id_team_error"' in response.content.decode()
    assert not Objective.objects.for_org(world.org).exists()


def test_peer_cannot_open_the_editor_of_someone_elses_objective(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    assert (
        client_for(world.peer)
        .get(url(world, "objective_edit", objective_id=o.public_id))
        .status_code
        == 403
    )
    response = client_for(world.peer).post(
        url(world, "objective_edit", objective_id=o.public_id), _objective_post(o, title="Hijacked")
    )
    assert response.status_code == 403
    o.refresh_from_db()
    assert o.title != "Hijacked"


def test_executive_sees_but_cannot_edit_outside_their_line(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.admin, visibility=Objective.Visibility.PRIVATE)
    client = client_for(world.executive)
    assert client.get(url(world, "objective_detail", objective_id=o.public_id)).status_code == 200
    assert client.get(url(world, "objective_edit", objective_id=o.public_id)).status_code == 403


def test_stale_edit_is_a_409_that_keeps_input_and_shows_the_stored_version(
    world: World, cycle: Cycle
) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member, title="Reliable Tuesday deliveries")
    stale = _objective_post(o, title="My new wording")
    Objective.objects.for_org(world.org).filter(pk=o.pk).update(
        title="Manager's wording", version=2
    )
    response = client_for(world.member).post(
        url(world, "objective_edit", objective_id=o.public_id), stale
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert 'value="My new wording"' in body
    assert "Manager&#x27;s wording" in body
    assert 'name="version" value="2"' in body
    o.refresh_from_db()
    assert o.title == "Manager's wording"
    # Saving again, now with the current version, overwrites deliberately.
    again = client_for(world.member).post(
        url(world, "objective_edit", objective_id=o.public_id), {**stale, "version": 2}
    )
    assert again.status_code == 302
    o.refresh_from_db()
    assert (o.title, o.version) == ("My new wording", 3)


def test_key_result_editor_names_the_field_for_a_backwards_target(
    world: World, cycle: Cycle
) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    response = client_for(world.member).post(
        url(world, "key_result_create", objective_id=o.public_id),
        {
            "title": "Cut damaged pallets",
            "kr_type": "metric",
            "direction": "decrease",
            "baseline": "40",
            "target": "60",
            "unit_kind": "number",
            "weight": "1",
        },
    )
    assert response.status_code == 200
    assert 'id="id_target_error"' in response.content.decode()
    assert not KeyResult.objects.for_org(world.org).exists()


def test_key_result_stale_edit_is_a_409(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(version=5)
    response = client_for(world.member).post(
        url(world, "key_result_edit", key_result_id=kr.public_id),
        {
            "title": "Changed",
            "kr_type": "metric",
            "direction": "increase",
            "baseline": "0",
            "target": "10",
            "unit_kind": "number",
            "weight": "1",
            "version": "1",
        },
    )
    assert response.status_code == 409


def test_grading_sets_a_grade_and_the_objective_score(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    KeyResult.objects.for_org(world.org).filter(pk=kr.pk).update(progress=D("0.6"))
    cycle.state = Cycle.State.GRADING
    cycle.save()
    client = client_for(world.member)
    page = client.get(url(world, "grading", cycle_id=cycle.public_id))
    assert page.status_code == 200 and kr.title in page.content.decode()
    prefix = f"grade-{kr.public_id}"
    refused = client.post(
        url(world, "grade", key_result_id=kr.public_id), {f"{prefix}-score": "0.9"}, **HX
    )
    assert (
        'id="id_grade-' in refused.content.decode()
        and "score_reason_error" in refused.content.decode()
    )
    kr.refresh_from_db()
    assert kr.score is None
    ok = client.post(
        url(world, "grade", key_result_id=kr.public_id),
        {f"{prefix}-score": "0.9", f"{prefix}-score_reason": "Late data feed"},
        **HX,
    )
    assert ok.status_code == 200 and "Grade saved" in ok.content.decode()
    kr.refresh_from_db()
    assert kr.score == D("0.9")
    assert Objective.objects.for_org(world.org).get(pk=kr.objective_id).score == D("0.9")


def test_retrospective_form_saves_and_refuses_empty(world: World, cycle: Cycle) -> None:
    o = ObjectiveFactory(cycle=cycle, owner=world.member)
    client = client_for(world.member)
    empty = client.post(url(world, "retrospective", objective_id=o.public_id), {})
    assert empty.status_code == 200 and 'id="id_went_well_error"' in empty.content.decode()
    ok = client.post(
        url(world, "retrospective", objective_id=o.public_id),
        {"went_well": "Drivers adopted the new app", "learned": "Pilot first"},
    )
    assert ok.status_code == 302
    assert Retrospective.objects.for_org(world.org).get().learned == "Pilot first"


def test_only_admins_advance_cycles(world: World, cycle: Cycle) -> None:
    target = url(world, "cycle_advance", cycle_id=cycle.public_id)
    assert client_for(world.manager).post(target, {"state": "grading"}).status_code == 403
    assert client_for(world.admin).post(target, {"state": "grading"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == Cycle.State.GRADING


def test_cycles_page_lists_cycles(world: World, cycle: Cycle) -> None:
    response = client_for(world.member).get(reverse("okrs:cycles", args=[world.org.slug]))
    assert response.status_code == 200 and cycle.name in response.content.decode()


@pytest.mark.parametrize("n", [2, 20])
def test_quick_check_in_runs_a_constant_number_of_queries(
    world: World, cycle: Cycle, assert_queries: Any, n: int
) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    krs = [KeyResultFactory(objective=objective) for _ in range(n)]
    for kr in krs * n:  # n key results with n check-ins each, all at 90
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(90), confidence=7)
        )
    kr = krs[0]
    client = client_for(world.manager)
    # membership with user (session from the cache); the key result (joined, with whether its
    # objective's owner is below the manager and the team's cadence: selectors.check_in_row);
    # the check-in's transaction: savepoint, audit, who may be notified, the owner's
    # notification, feed line, then the lock, key result update, check-in insert
    # (services.check_ins _LOCK_LAST); the roll-up in the same transaction
    # (services.check_ins _ONE_TRANSACTION, session 26): the objectives' lock, the one read
    # (objectives, their key results, links: nothing moved, no update; the pace check reads the
    # same rows); release. The row comes back from memory: no second read of the key result.
    # (The on-commit work, the insights refresh and the webhook fan-out, does not run inside a
    # test's transaction.) 12 when the roll-up shared the check-in's transaction (its savepoint
    # pair) and read before locking (session 23); 18 before that: the subtree walk, the
    # service's own permission check, the cadence and three more roll-up reads and the pace
    # check's read were queries of their own. On PostgreSQL 12 (services.check_ins
    # _ONE_ROUND_TRIP, session 25): the lock, its check and the key result's update are one
    # UPDATE ... RETURNING, then the audit row, the feed line and the check-in are one insert
    # (core.prepared.inserts_together); the notification keeps its own. 10 and 13 since the
    # roll-up shares the check-in's transaction (session 26: one savepoint pair fewer).
    with assert_queries(10 if connection.vendor == "postgresql" else 13):
        response = client.post(
            url(world, "check_in", key_result_id=kr.public_id),
            _check_in_post(kr, value="90", confidence="7"),
            **HX,
        )
    assert response.status_code == 200
    assert CheckIn.objects.for_org(world.org).filter(key_result=kr).count() == n + 1


def test_quick_check_in_moves_the_objective_progress_in_the_same_response(
    world: World, cycle: Cycle
) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member)
    kr, _other = KeyResultFactory(objective=objective), KeyResultFactory(objective=objective)
    response = client_for(world.manager).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="60", confidence="7"),
        **HX,
    )
    objective.refresh_from_db()
    assert objective.progress == D("0.3")
    body = response.content.decode()
    row, oob = body.split(f'id="obj-progress-{objective.public_id}"', 1)
    assert 'value="60"' in row and 'value="30"' in oob


@pytest.mark.parametrize("on_objective", [True, False])
def test_quick_check_in_follows_the_team_cadence_read_with_the_row(
    world: World, cycle: Cycle, on_objective: bool
) -> None:
    # The cadence comes with the row (selectors.check_in_row): the objective's team, else the
    # owner's team.
    TeamSettings.objects.create(organisation=world.org, team=world.team, check_in_cadence_days=14)
    team = world.team if on_objective else None
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=team)
    kr = cast(KeyResult, KeyResultFactory(objective=objective, owner=world.member))
    response = client_for(world.manager).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="5", confidence="6"),
        **HX,
    )
    assert response.status_code == 200
    kr.refresh_from_db()
    assert kr.next_check_in_due == timezone.localdate() + timedelta(days=14)


def test_quick_check_in_on_a_private_objective_of_someone_not_below_is_404(
    world: World, cycle: Cycle
) -> None:
    objective = ObjectiveFactory(
        cycle=cycle, owner=world.manager, visibility=Objective.Visibility.PRIVATE
    )
    kr = cast(KeyResult, KeyResultFactory(objective=objective, owner=world.manager))
    response = client_for(world.member).post(
        url(world, "check_in", key_result_id=kr.public_id),
        _check_in_post(kr, value="5", confidence="6"),
        **HX,
    )
    assert response.status_code == 404
    assert not CheckIn.objects.for_org(world.org).filter(key_result=kr).exists()
