"""Issue 10 (Trust), the OKR side: one set of bounds shared by the API, the forms and the
services (problems 3 and 11); closed cycles keep their key results (13); a check-in racing a key
result edit (12, the single-process half; the concurrent half is in test_reliability.py); no
objective or key result for a deactivated person (15)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError

from conftest import World
from okrcoach.okrs import rollup
from okrcoach.okrs.forms import CheckInForm, KeyResultForm
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in, record_check_ins
from okrcoach.okrs.services.key_results import (
    KeyResultData,
    delete_key_result,
    update_key_result,
)
from okrcoach.orgs.services import deactivate_member

from .factories import KeyResultFactory, ObjectiveFactory
from .test_api import Api


def _kr(world: World, cycle: Cycle, **kwargs: Any) -> KeyResult:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective, **kwargs))


# --- 3 and 11: bounds -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [D("1e20"), D("-1e12"), D("NaN"), D("Infinity"), D("1.00001")])
def test_the_check_in_service_refuses_a_value_its_column_cannot_hold(
    world: World, cycle: Cycle, value: D
) -> None:
    kr = _kr(world, cycle)
    with pytest.raises(ValidationError) as caught:
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(confidence=5, value=value)
        )
    assert "value" in caught.value.message_dict
    assert not CheckIn.objects.for_org(world.org).exists()
    kr.refresh_from_db()
    assert kr.current_value is None


def test_the_bulk_check_in_service_refuses_a_huge_value_and_records_nothing(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    items = [
        (kr, CheckInData(confidence=5, value=D(5))),
        (kr, CheckInData(confidence=5, value=D("1e20"))),
    ]
    with pytest.raises(ValidationError) as caught:
        record_check_ins(actor=world.member, items=items)
    assert "items.1.value" in caught.value.message_dict
    assert not CheckIn.objects.for_org(world.org).exists()


@pytest.mark.parametrize(
    "note", ["nul\x00byte", "bell\x07", "x" * 5001], ids=["nul", "control", "too-long"]
)
def test_check_in_notes_are_bounded_in_the_service_and_the_api(
    world: World, cycle: Cycle, note: str
) -> None:
    kr = _kr(world, cycle)
    with pytest.raises(ValidationError) as caught:
        record_check_in(
            actor=world.member,
            key_result=kr,
            data=CheckInData(confidence=5, value=D(1), progress_note=note),
        )
    assert "progress_note" in caught.value.message_dict
    response = Api(world.member).send(
        "post",
        f"/key-results/{kr.public_id}/check-ins",
        {"confidence": 5, "value": 1, "progress_note": note},
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "progress_note"
    assert not CheckIn.objects.for_org(world.org).exists()


def test_multi_line_notes_keep_tabs_and_line_breaks(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member,
        key_result=kr,
        data=CheckInData(confidence=5, value=D(1), progress_note="line one\r\n\tline two"),
    )
    assert check_in.progress_note == "line one\r\n\tline two"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", D("1e20")),
        ("baseline", D("-1e15")),
        ("title", "a\x00b"),
        ("unit_label", "u" * 31),
    ],
)
def test_the_key_result_service_refuses_what_its_columns_cannot_hold(
    world: World, cycle: Cycle, field: str, value: Any
) -> None:
    kr = _kr(world, cycle)
    data = KeyResultData(title=kr.title, baseline=D(0), target=D(100))
    data = KeyResultData(**{**data.__dict__, field: value})
    with pytest.raises(ValidationError) as caught:
        update_key_result(actor=world.member, key_result=kr, version=kr.version, data=data)
    assert field in caught.value.message_dict


def test_an_objective_title_with_a_control_character_is_refused_by_the_api(
    world: World, cycle: Cycle
) -> None:
    response = Api(world.member).send(
        "post",
        "/objectives",
        {"title": "Ship\x1bfaster", "level": "personal", "cycle_id": str(cycle.public_id)},
    )
    assert response.status_code == 422 and response.json()["field"] == "title"
    assert not Objective.objects.for_org(world.org).exists()


def test_forms_apply_the_same_value_bound_as_the_api(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    form = CheckInForm(
        {f"kr-{kr.public_id}-value": "999999999999", f"kr-{kr.public_id}-confidence": "5"},
        key_result=kr,
    )
    assert not form.is_valid() and "value" in form.errors
    edit = KeyResultForm(
        {"title": "Faster replies", "kr_type": "metric", "target": "-100000000000"},
        actor=world.member,
    )
    assert not edit.is_valid() and "target" in edit.errors


def test_an_objective_weight_below_the_column_precision_is_refused(
    world: World, cycle: Cycle
) -> None:
    response = Api(world.member).send(
        "post",
        "/objectives",
        {"title": "Calmer on-call", "level": "personal", "weight": "0.001"},
    )
    assert response.status_code == 422 and response.json()["field"] == "weight"


# --- 13: closed cycles --------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Cycle.State.GRADING, Cycle.State.CLOSED])
def test_key_results_of_a_closed_cycle_cannot_be_edited_or_deleted(
    world: World, cycle: Cycle, state: str
) -> None:
    kr = _kr(world, cycle, current_value=D(50))
    rollup.refresh_objectives(world.org, objective_ids=[kr.objective_id])
    Cycle.objects.for_org(world.org).filter(pk=cycle.pk).update(state=state)
    kr = KeyResult.objects.for_org(world.org).select_related("objective__cycle").get(pk=kr.pk)
    data = KeyResultData(title=kr.title, baseline=D(0), target=D(200))
    with pytest.raises(ValidationError):
        update_key_result(actor=world.admin, key_result=kr, version=kr.version, data=data)
    with pytest.raises(ValidationError):
        delete_key_result(actor=world.admin, key_result=kr)
    api = Api(world.admin)
    assert api.send("patch", f"/key-results/{kr.public_id}", {"target": 200}).status_code == 422
    assert api.send("delete", f"/key-results/{kr.public_id}").status_code == 422
    kr.refresh_from_db()
    assert kr.target == D(100)


# --- 12: a check-in made with a key result read before an edit ---------------------------------


def test_a_check_in_computes_progress_from_the_stored_target_not_a_stale_copy(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    stale = KeyResult.objects.for_org(world.org).select_related("objective__cycle").get(pk=kr.pk)
    fresh = KeyResult.objects.for_org(world.org).select_related("objective__cycle").get(pk=kr.pk)
    update_key_result(
        actor=world.member,
        key_result=fresh,
        version=fresh.version,
        data=KeyResultData(title=kr.title, baseline=D(0), target=D(200)),
    )
    record_check_in(
        actor=world.member, key_result=stale, data=CheckInData(confidence=5, value=D(50))
    )
    kr.refresh_from_db()
    assert kr.target == D(200)
    assert kr.progress == D("0.25") == rollup.recompute_key_result(kr).progress


def test_an_edit_computes_progress_from_the_latest_check_in_not_a_stale_copy(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    stale = KeyResult.objects.for_org(world.org).select_related("objective__cycle").get(pk=kr.pk)
    record_check_in(actor=world.member, key_result=kr, data=CheckInData(confidence=5, value=D(50)))
    update_key_result(
        actor=world.member,
        key_result=stale,
        version=stale.version,
        data=KeyResultData(title=kr.title, baseline=D(0), target=D(200)),
    )
    kr.refresh_from_db()
    assert kr.current_value == D(50)
    assert kr.progress == D("0.25") == rollup.recompute_key_result(kr).progress


# --- 15: deactivated people own nothing new ---------------------------------------------------


def test_the_api_cannot_give_an_objective_to_a_deactivated_person(
    world: World, cycle: Cycle
) -> None:
    deactivate_member(actor=world.admin, member=world.peer)
    api = Api(world.admin)
    response = api.send(
        "post",
        "/objectives",
        {"title": "Quieter pager", "level": "personal", "owner_id": str(world.peer.public_id)},
    )
    assert response.status_code == 422 and response.json()["field"] == "owner"
    mine = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    response = api.send(
        "patch", f"/objectives/{mine.public_id}", {"owner_id": str(world.peer.public_id)}
    )
    assert response.status_code == 422 and response.json()["field"] == "owner"
    kr = KeyResultFactory(objective=mine)
    response = api.send(
        "patch", f"/key-results/{kr.public_id}", {"owner_id": str(world.peer.public_id)}
    )
    assert response.status_code == 422 and response.json()["field"] == "owner"
    mine.refresh_from_db()
    assert mine.owner_id == world.member.pk
