"""A second check-in on the same day never replaces the first: every path that records
check-ins (full form, inline htmx row, API, bulk API) keeps both with their notes, and a
correction (the only path that changes a check-in) keeps what it replaced in the audit log and
says so on its page. (The OKR import writes objectives and key results, never check-ins.)"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

from django.test import Client
from django.urls import reverse

from conftest import World
from okrcoach.core.models import AuditEvent
from okrcoach.okrs.models import CheckIn, Cycle, KeyResult
from okrcoach.okrs.services.check_ins import (
    CheckInData,
    correct_latest_check_in,
    record_check_in,
)

from .factories import KeyResultFactory, ObjectiveFactory
from .test_api import Api

MORNING = "Morning: the Leeds depot joined the pilot"
AFTERNOON = "Afternoon: two drivers asked for the new route sheets"


def _kr(world: World, cycle: Cycle) -> KeyResult:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective))


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.member.user)
    return client


def _form(kr: KeyResult, value: str, note: str) -> dict[str, str]:
    prefix = f"kr-{kr.public_id}"
    return {f"{prefix}-value": value, f"{prefix}-confidence": "6", f"{prefix}-progress_note": note}


def _both_kept(world: World, kr: KeyResult) -> None:
    notes = sorted(
        CheckIn.objects.for_org(world.org)
        .filter(key_result=kr)
        .values_list("progress_note", flat=True)
    )
    assert notes == sorted([MORNING, AFTERNOON])
    page = _client(world).get(
        reverse("okrs:objective_detail", args=[world.org.slug, kr.objective.public_id])
    )
    body = page.content.decode()
    assert MORNING in body and AFTERNOON in body


def test_the_full_check_in_form_twice_a_day_keeps_both(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    client = _client(world)
    url = reverse("okrs:check_in", args=[world.org.slug, kr.public_id])
    assert client.post(url, _form(kr, "20", MORNING)).status_code == 302
    assert client.post(url, _form(kr, "30", AFTERNOON)).status_code == 302
    _both_kept(world, kr)


def test_the_inline_row_twice_a_day_keeps_both(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    client = _client(world)
    url = reverse("okrs:check_in", args=[world.org.slug, kr.public_id])
    for value, note in (("20", MORNING), ("30", AFTERNOON)):
        response = client.post(url, _form(kr, value, note), headers={"HX-Request": "true"})
        assert response.status_code == 200 and "Check-in recorded" in response.content.decode()
    _both_kept(world, kr)


def test_the_api_twice_a_day_keeps_both(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    api = Api(world.member)
    for value, note in (("20", MORNING), ("30", AFTERNOON)):
        body = {"value": value, "confidence": 6, "progress_note": note}
        assert api.send("post", f"/key-results/{kr.public_id}/check-ins", body).status_code == 201
    history = api.get(f"/key-results/{kr.public_id}/check-ins").json()
    items = history["items"] if isinstance(history, dict) else history
    assert sorted(i["progress_note"] for i in items) == sorted([MORNING, AFTERNOON])
    _both_kept(world, kr)


def test_bulk_check_ins_naming_one_key_result_twice_keep_both(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    items: list[dict[str, Any]] = [
        {"key_result_id": str(kr.public_id), "value": v, "confidence": 6, "progress_note": n}
        for v, n in (("20", MORNING), ("30", AFTERNOON))
    ]
    response = Api(world.member).send("post", "/check-ins/bulk", {"items": items})
    assert response.status_code == 201 and response.json() == {"count": 2}
    kr.refresh_from_db()
    assert kr.current_value == D(30)  # the last one named sets the key result
    _both_kept(world, kr)


def test_a_bulk_check_in_after_a_single_one_the_same_day_keeps_both(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    record_check_in(
        actor=world.member,
        key_result=kr,
        data=CheckInData(value=D(20), confidence=6, progress_note=MORNING),
    )
    items = [
        {
            "key_result_id": str(kr.public_id),
            "value": "30",
            "confidence": 6,
            "progress_note": AFTERNOON,
        }
    ]
    assert Api(world.member).send("post", "/check-ins/bulk", {"items": items}).status_code == 201
    _both_kept(world, kr)


def test_a_correction_keeps_the_notes_it_replaced_in_the_audit_log(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member,
        key_result=kr,
        data=CheckInData(value=D(20), confidence=6, progress_note=MORNING, plans_note="Call Ana"),
    )
    correct_latest_check_in(
        actor=world.member,
        check_in=check_in,
        data=CheckInData(value=D(30), confidence=6, progress_note=AFTERNOON),
    )
    event = AuditEvent.objects.for_org(world.org).get(action="okrs.check_in.corrected")
    assert event.data["before"]["progress_note"] == MORNING
    assert event.data["before"]["plans_note"] == "Call Ana"


def test_the_correction_page_says_it_replaces_and_points_to_a_new_check_in(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle)
    check_in = record_check_in(
        actor=world.member,
        key_result=kr,
        data=CheckInData(value=D(20), confidence=6, progress_note=MORNING),
    )
    page = _client(world).get(
        reverse("okrs:check_in_correct", args=[world.org.slug, check_in.public_id])
    )
    body = page.content.decode()
    assert "replaces your check-in" in body
    assert reverse("okrs:check_in", args=[world.org.slug, kr.public_id]) in body
