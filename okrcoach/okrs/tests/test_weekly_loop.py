"""Defects a new user hit in the weekly loop: stale objective progress after an inline
check-in, same-day check-ins, negative percentages, and numbers typed as text."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in
from okrcoach.okrs.services.key_results import KeyResultData, create_key_result

from .factories import KeyResultFactory, ObjectiveFactory


def _kr(world: World, cycle: Cycle, **kwargs: Any) -> KeyResult:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective, **kwargs))


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.member.user)
    return client


def _check_in(client: Client, world: World, kr: KeyResult, **fields: str) -> Any:
    prefix = f"kr-{kr.public_id}"
    data = {f"{prefix}-{k}": v for k, v in {"confidence": "6", **fields}.items()}
    return client.post(
        reverse("okrs:check_in", args=[world.org.slug, kr.public_id]),
        data,
        headers={"HX-Request": "true"},
    )


def test_an_inline_check_in_also_updates_the_objectives_progress(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    response = _check_in(_client(world), world, kr, value="40")
    body = response.content.decode()
    objective = kr.objective
    assert f'<span id="obj-progress-{objective.public_id}" hx-swap-oob="true">' in body
    oob = body.split(f'id="obj-progress-{objective.public_id}"')[1]
    assert 'value="40"' in oob  # the objective's bar, not only the key result's


def test_two_check_ins_on_one_day_are_both_kept_with_their_notes(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    client = _client(world)
    _check_in(client, world, kr, value="20", progress_note="Morning: pilot route live")
    _check_in(client, world, kr, value="30", progress_note="Afternoon: second depot joined")
    assert CheckIn.objects.for_org(world.org).filter(key_result=kr).count() == 2
    page = client.get(
        reverse("okrs:objective_detail", args=[world.org.slug, kr.objective.public_id])
    )
    body = page.content.decode()
    assert "Morning: pilot route live" in body and "Afternoon: second depot joined" in body


def test_a_negative_value_on_a_percentage_key_result_is_refused(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle, unit_kind=KeyResult.UnitKind.PERCENT, target=D(85))
    with pytest.raises(ValidationError) as caught:
        record_check_in(
            actor=world.member, key_result=kr, data=CheckInData(value=D(-50), confidence=5)
        )
    assert caught.value.message_dict == {"value": ["A percentage cannot be below 0."]}
    response = _check_in(_client(world), world, kr, value="-50")
    assert "A percentage cannot be below 0." in response.content.decode()
    assert not CheckIn.objects.for_org(world.org).exists()
    # A plain number may go below zero (a margin, a temperature).
    plain = _kr(world, cycle, baseline=D(-10), target=D(5))
    record_check_in(
        actor=world.member, key_result=plain, data=CheckInData(value=D(-4), confidence=5)
    )


def test_a_percentage_key_result_refuses_a_negative_baseline(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    data = KeyResultData(
        title="Share of parcels tracked live",
        kr_type=KeyResult.KRType.METRIC,
        baseline=D(-5),
        target=D(60),
        unit_kind=KeyResult.UnitKind.PERCENT,
    )
    with pytest.raises(ValidationError) as caught:
        create_key_result(actor=world.member, objective=objective, data=data)
    assert caught.value.message_dict == {"baseline": ["A percentage cannot be below 0."]}


def test_text_typed_into_the_value_field_comes_back_with_the_error(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    body = _check_in(_client(world), world, kr, value="forty").content.decode()
    assert 'value="forty"' in body and 'inputmode="decimal"' in body
    assert 'type="number"' not in body.split(f'name="kr-{kr.public_id}-value"')[0][-200:]


def test_a_nan_baseline_is_refused_and_kept_in_its_box(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    response = _client(world).post(
        reverse("okrs:key_result_create", args=[world.org.slug, objective.public_id]),
        {
            "title": "Returns processed within two days",
            "kr_type": "metric",
            "direction": "increase",
            "baseline": "NaN",
            "target": "90",
            "unit_kind": "percent",
            "weight": "1",
            "owner": str(world.member.pk),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="NaN"' in body and "Enter a number." in body
