"""The page actions added to the API: carry-over, correcting a check-in, the coach on a saved
item and dismissing its findings, import and export. Same services, same permissions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal as D
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from okrcoach.okrs.models import CheckIn, CoachDismissal, Cycle, KeyResult, Objective
from okrcoach.okrs.services.check_ins import CheckInData, record_check_in

from .factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from .test_api import Api
from .test_import_export import GOOD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _later(world: World, after: Cycle) -> Cycle:
    return cast(
        Cycle,
        CycleFactory(
            organisation=world.org,
            starts_on=after.ends_on + timedelta(days=1),
            ends_on=after.ends_on + timedelta(days=90),
            state=Cycle.State.PLANNING,
        ),
    )


def _kr(world: World, cycle: Cycle, **kwargs: Any) -> KeyResult:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, team=world.team)
    return cast(KeyResult, KeyResultFactory(objective=objective, **kwargs))


# --- carry-over ------------------------------------------------------------------------------


def test_the_owner_carries_an_objective_into_a_later_cycle(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    later = _later(world, cycle)
    response = Api(world.member).send(
        "post",
        f"/objectives/{kr.objective.public_id}/carry-over",
        {"cycle_id": str(later.public_id)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cycle_id"] == str(later.public_id) and body["status"] == "draft"
    copy = Objective.objects.for_org(world.org).get(public_id=body["id"])
    assert copy.carried_from_id == kr.objective_id and copy.key_results.count() == 1


def test_carrying_into_an_earlier_cycle_is_422_on_cycle_id(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    earlier = CycleFactory(
        organisation=world.org,
        starts_on=cycle.starts_on - timedelta(days=90),
        ends_on=cycle.starts_on - timedelta(days=1),
    )
    response = Api(world.member).send(
        "post",
        f"/objectives/{kr.objective.public_id}/carry-over",
        {"cycle_id": str(earlier.public_id)},
    )
    assert response.status_code == 422 and response.json()["field"] == "cycle_id"
    assert Objective.objects.for_org(world.org).count() == 1


def test_carry_over_refuses_unknown_fields_and_non_editors(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    later = _later(world, cycle)
    path = f"/objectives/{kr.objective.public_id}/carry-over"
    body = {"cycle_id": str(later.public_id)}
    typo = Api(world.member).send("post", path, {**body, "cycle": str(later.public_id)})
    assert typo.status_code == 422 and typo.json()["field"] == "cycle"
    refused = Api(world.peer).send("post", path, {"cycle_id": str(later.public_id)})
    assert refused.status_code == 403 and refused.json()["detail"]
    assert Objective.objects.for_org(world.org).count() == 1


def test_carry_over_into_another_organisations_cycle_is_404(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    theirs = CycleFactory(organisation=world.other_org, starts_on=cycle.ends_on)
    response = Api(world.member).send(
        "post",
        f"/objectives/{kr.objective.public_id}/carry-over",
        {"cycle_id": str(theirs.public_id)},
    )
    assert response.status_code == 404 and response.json()["detail"]
    assert Objective.objects.for_org(world.org).count() == 1


# --- correcting a check-in -------------------------------------------------------------------


def _checked_in(world: World, cycle: Cycle) -> CheckIn:
    kr = _kr(world, cycle)
    return record_check_in(
        actor=world.member, key_result=kr, data=CheckInData(value=D(50), confidence=7)
    )


def test_the_author_corrects_the_latest_check_in(world: World, cycle: Cycle) -> None:
    entry = _checked_in(world, cycle)
    response = Api(world.member).send(
        "put", f"/check-ins/{entry.public_id}", {"value": 20, "confidence": 4}
    )
    assert response.status_code == 200, response.content
    assert response.json()["value"] == 20 and response.json()["confidence"] == 4
    kr = KeyResult.objects.for_org(world.org).get()
    assert (kr.progress, kr.confidence) == (D("0.2"), 4)


def test_a_check_in_older_than_a_day_is_422_and_unchanged(world: World, cycle: Cycle) -> None:
    entry = _checked_in(world, cycle)
    CheckIn.objects.for_org(world.org).update(created_at=timezone.now() - timedelta(hours=25))
    response = Api(world.member).send(
        "put", f"/check-ins/{entry.public_id}", {"value": 20, "confidence": 4}
    )
    assert response.status_code == 422 and response.json()["field"] == "value"
    assert CheckIn.objects.for_org(world.org).get().value == D(50)


def test_only_the_author_corrects_and_typos_are_refused(world: World, cycle: Cycle) -> None:
    entry = _checked_in(world, cycle)
    path = f"/check-ins/{entry.public_id}"
    assert Api(world.admin).send("put", path, {"value": 1, "confidence": 4}).status_code == 403
    typo = Api(world.member).send("put", path, {"value": 1, "confidence": 4, "confidance": 4})
    assert typo.status_code == 422 and typo.json()["field"] == "confidance"
    missing = Api(world.member).send("put", path, {"value": 1})
    assert missing.status_code == 422 and missing.json()["field"] == "confidence"
    assert CheckIn.objects.for_org(world.org).get().value == D(50)


def test_a_private_objectives_check_in_is_404_to_others(world: World, cycle: Cycle) -> None:
    entry = _checked_in(world, cycle)
    Objective.objects.for_org(world.org).update(visibility=Objective.Visibility.PRIVATE)
    response = Api(world.peer).send("put", f"/check-ins/{entry.public_id}", {"confidence": 1})
    assert response.status_code == 404 and response.json()["detail"]


# --- the coach: what it says about a saved item, and dismissing a finding --------------------


def test_an_editor_dismisses_a_finding_with_a_reason(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle, title="Improve things")
    api = Api(world.member)
    before = api.get(f"/key-results/{kr.public_id}/coach").json()
    assert before["findings"], before
    rule = before["findings"][0]["rule"]
    response = api.send(
        "post",
        f"/key-results/{kr.public_id}/coach/dismissals",
        {"rule": rule, "reason": "We measure this elsewhere."},
    )
    assert response.status_code == 201, response.content
    after = response.json()
    assert after["dismissed"] == before["dismissed"] + 1
    assert rule not in {f["rule"] for f in after["findings"]}
    stored = CoachDismissal.objects.for_org(world.org).get()
    assert (stored.rule, stored.reason, stored.key_result_id) == (
        rule,
        "We measure this elsewhere.",
        kr.pk,
    )


def test_a_rule_the_coach_does_not_raise_is_422_on_rule(world: World, cycle: Cycle) -> None:
    objective = ObjectiveFactory(cycle=cycle, owner=world.member, title="Improve things")
    path = f"/objectives/{objective.public_id}/coach/dismissals"
    api = Api(world.member)
    wrong = api.send("post", path, {"rule": "KR-99-NOPE", "reason": "x"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "rule"
    typo = api.send("post", path, {"rule": "KR-99-NOPE", "reason": "x", "why": "y"})
    assert typo.status_code == 422 and typo.json()["field"] == "why"
    assert not CoachDismissal.objects.for_org(world.org).exists()


def test_only_editors_dismiss_and_other_organisations_items_are_404(
    world: World, cycle: Cycle
) -> None:
    kr = _kr(world, cycle, title="Improve things")
    body = {"rule": "KR-01-MEASURABLE", "reason": "x"}
    refused = Api(world.peer).send("post", f"/key-results/{kr.public_id}/coach/dismissals", body)
    assert refused.status_code == 403
    theirs = KeyResultFactory(
        objective=ObjectiveFactory(cycle=CycleFactory(organisation=world.other_org))
    )
    for path in (
        f"/key-results/{theirs.public_id}/coach",
        f"/objectives/{theirs.objective.public_id}/coach",
    ):
        response = Api(world.member).get(path)
        assert response.status_code == 404 and response.json()["detail"]
    assert not CoachDismissal.objects.for_org(world.org).exists()


# --- import and export -----------------------------------------------------------------------


def _upload(api: Api, fields: dict[str, Any]) -> Any:
    return api.client.post("/api/v1/okrs/import", fields, **api.headers)


def test_an_admin_imports_a_csv_file(world: World, cycle: Cycle) -> None:
    upload = SimpleUploadedFile("okrs.csv", GOOD.encode(), content_type="text/csv")
    response = _upload(Api(world.admin), {"cycle_id": str(cycle.public_id), "file": upload})
    assert response.status_code == 201, response.content
    assert response.json() == {"objectives": 2, "key_results": 3}
    assert Objective.objects.for_org(world.org).filter(cycle=cycle).count() == 2


def test_a_file_with_bad_rows_is_422_naming_line_and_column(world: World, cycle: Cycle) -> None:
    bad = GOOD.replace("mia@acme.test", "nobody@acme.test", 1)
    upload = SimpleUploadedFile("okrs.csv", bad.encode(), content_type="text/csv")
    response = _upload(Api(world.admin), {"cycle_id": str(cycle.public_id), "file": upload})
    assert response.status_code == 422
    assert response.json()["field"] == "rows.2.owner_email", response.json()
    assert not Objective.objects.for_org(world.org).exists()


def test_import_refuses_members_unknown_fields_and_other_cycles(world: World, cycle: Cycle) -> None:
    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("okrs.csv", GOOD.encode(), content_type="text/csv")

    ours = str(cycle.public_id)
    member = _upload(Api(world.member), {"cycle_id": ours, "file": upload()})
    assert member.status_code == 403
    admin = Api(world.admin)
    typo = _upload(admin, {"cycle_id": ours, "file": upload(), "dry_run": "1"})
    assert typo.status_code == 422 and typo.json()["field"] == "dry_run"
    no_file = _upload(admin, {"cycle_id": ours})
    assert no_file.status_code == 422 and no_file.json()["field"] == "file"
    wrong_kind = SimpleUploadedFile("okrs.txt", GOOD.encode())
    refused = _upload(admin, {"cycle_id": ours, "file": wrong_kind})
    assert refused.status_code == 422 and refused.json()["field"] == "file"
    theirs = CycleFactory(organisation=world.other_org)
    other = _upload(admin, {"cycle_id": str(theirs.public_id), "file": upload()})
    assert other.status_code == 404 and other.json()["detail"]
    closed = CycleFactory(organisation=world.org, state=Cycle.State.CLOSED)
    shut = _upload(admin, {"cycle_id": str(closed.public_id), "file": upload()})
    assert shut.status_code == 422 and shut.json()["field"] == "cycle_id"
    assert not Objective.objects.for_org(world.org).exists()


def test_a_cycle_is_exported_as_csv_or_xlsx(world: World, cycle: Cycle) -> None:
    kr = _kr(world, cycle)
    api = Api(world.member)
    as_csv = api.get(f"/cycles/{cycle.public_id}/export")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.streaming  # whatever the size, rows leave as they are read
    text = b"".join(as_csv.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["key_result"] for r in rows] == [kr.title]
    # XLSX is a job for the task worker (test_api_exports.py follows it to the file).
    as_xlsx = api.get(f"/cycles/{cycle.public_id}/export?format=xlsx")
    assert as_xlsx.status_code == 202 and as_xlsx.json()["status"] == "queued"
    assert as_xlsx["Location"] == as_xlsx.json()["status_url"]
    assert api.get(f"/cycles/{cycle.public_id}/export?format=pdf").status_code == 422
    theirs = CycleFactory(organisation=world.other_org)
    assert api.get(f"/cycles/{theirs.public_id}/export").status_code == 404


def test_private_objectives_stay_out_of_a_peers_export(world: World, cycle: Cycle) -> None:
    _kr(world, cycle)
    Objective.objects.for_org(world.org).update(visibility=Objective.Visibility.PRIVATE)
    response = Api(world.peer).get(f"/cycles/{cycle.public_id}/export")
    rows = b"".join(response.streaming_content).decode()
    assert len(rows.strip().splitlines()) == 1  # the header only


# --- query counts of the new reads, at two sizes ---------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_the_export_and_the_coach_run_a_constant_number_of_queries(
    world: World, cycle: Cycle, size: int, django_assert_num_queries: Any
) -> None:
    krs = [_kr(world, cycle, title=f"Improve things {n}") for n in range(size)]
    api = Api(world.member)
    with django_assert_num_queries(EXPORT_QUERIES):
        streamed = api.get(f"/cycles/{cycle.public_id}/export")
        assert b"".join(streamed.streaming_content).count(b"\n") == size + 1
    with django_assert_num_queries(COACH_QUERIES):
        assert api.get(f"/key-results/{krs[-1].public_id}/coach").status_code == 200
    with django_assert_num_queries(OBJECTIVE_COACH_QUERIES):
        assert api.get(f"/objectives/{krs[-1].objective.public_id}/coach").status_code == 200


# Token auth, the cycle, the two counts that decide whether it may stream
# (exports.streams_at_once), objectives, key results.
EXPORT_QUERIES = 7
# Token auth (one query), the item, its dismissed rules: the same whatever the number of key
# results.
COACH_QUERIES = 3
OBJECTIVE_COACH_QUERIES = 3


def test_a_body_that_is_not_multipart_is_400_json(world: World) -> None:
    api = Api(world.admin)
    response = api.client.post(
        "/api/v1/okrs/import", b"x", content_type="multipart/form-data", **api.headers
    )
    assert response.status_code == 400 and response.json()["detail"]
