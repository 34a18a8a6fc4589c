"""Id-bearing OKR routes for the isolation sweep (okrcoach/orgs/tests/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from okrcoach.core.tests.isolation import Route
from okrcoach.okrs.models import ContributionLink, ExportJob
from okrcoach.orgs.models import Membership, Team

from .factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
)


def _objective(world: Any, org: Any) -> Any:
    owner = Membership.objects.for_org(org).first()
    return ObjectiveFactory(cycle=CycleFactory(organisation=org), owner=owner)


def _objective_id(world: Any, org: Any) -> dict[str, Any]:
    return {"objective_id": _objective(world, org).public_id}


def _kr_id(world: Any, org: Any) -> dict[str, Any]:
    return {"key_result_id": KeyResultFactory(objective=_objective(world, org)).public_id}


def _check_in_id(world: Any, org: Any) -> dict[str, Any]:
    kr = KeyResultFactory(objective=_objective(world, org))
    return {"check_in_id": CheckInFactory(key_result=kr).public_id}


def _cycle_id(world: Any, org: Any) -> dict[str, Any]:
    return {"cycle_id": CycleFactory(organisation=org).public_id}


def _team_id(world: Any, org: Any) -> dict[str, Any]:
    return {"team_id": Team.objects.for_org(org).first().public_id}


def _link_id(world: Any, org: Any) -> dict[str, Any]:
    objective = _objective(world, org)
    other = ObjectiveFactory(cycle=objective.cycle, owner=objective.owner)
    link = ContributionLink.objects.for_org(org).create(
        organisation=org, objective=objective, key_result=KeyResultFactory(objective=other)
    )
    return {"link_id": link.public_id}


def _initiative_id(world: Any, org: Any) -> dict[str, Any]:
    kr = KeyResultFactory(objective=_objective(world, org))
    return {"initiative_id": InitiativeFactory(key_result=kr).public_id}


def _export_job_id(world: Any, org: Any) -> dict[str, Any]:
    owner = Membership.objects.for_org(org).first()
    job = ExportJob.objects.create(
        organisation=org, requested_by=owner, cycle=CycleFactory(organisation=org)
    )
    return {"job_id": job.public_id}


def _team_and_cycle_id(world: Any, org: Any) -> dict[str, Any]:
    return {**_team_id(world, org), **_cycle_id(world, org)}


ROUTES = {
    "okrs:company_children": Route(_objective_id),
    "okrs:team_okrs": Route(_team_id),
    "okrs:objective_detail": Route(_objective_id),
    "okrs:objective_edit": Route(_objective_id),
    "okrs:objective_delete": Route(_objective_id, "post"),
    "okrs:objective_carry_over": Route(_objective_id, "post"),
    "okrs:retrospective": Route(_objective_id),
    "okrs:key_result_create": Route(_objective_id),
    "okrs:key_result_edit": Route(_kr_id),
    "okrs:check_in": Route(_kr_id),
    "okrs:initiative_create": Route(_kr_id, "post"),
    "okrs:grade": Route(_kr_id, "post"),
    "okrs:check_in_correct": Route(_check_in_id),
    "okrs:cycle_advance": Route(_cycle_id, "post"),
    "okrs:cycle_edit": Route(_cycle_id),
    "okrs:grading": Route(_cycle_id),
    "okrs:coach_objective_review": Route(_objective_id, "post"),
    "okrs:coach_objective_dismiss": Route(_objective_id, "post"),
    "okrs:coach_new_key_result_review": Route(_objective_id, "post"),
    "okrs:coach_new_key_result_dismiss": Route(_objective_id, "post"),
    "okrs:coach_key_result": Route(_kr_id),
    "okrs:coach_key_result_review": Route(_kr_id, "post"),
    "okrs:coach_key_result_dismiss": Route(_kr_id, "post"),
    "okrs:export": Route(_cycle_id),
    "okrs:export_xlsx_start": Route(_cycle_id, "post"),
    "okrs:export_csv_start": Route(_cycle_id, "post"),
    "okrs:export_job": Route(_export_job_id),
    "okrs:export_download": Route(_export_job_id),
    "okrs:cycle_evaluation": Route(_cycle_id),
    "okrs:objective_contributors": Route(_objective_id),
    "okrs:objective_links": Route(_objective_id),
    "okrs:link_delete": Route(_link_id, "post"),
    "okrs:initiative_status": Route(_initiative_id, "post"),
    "okrs:team_cadence": Route(_team_id),
    "okrs:team_cycles": Route(_team_id),
    "okrs:team_retrospective": Route(_team_and_cycle_id),
}


def _api_objective(world: Any, org: Any) -> dict[str, Any]:
    return {"objective_id": _objective(world, org).public_id}


def _api_kr(world: Any, org: Any) -> dict[str, Any]:
    return {"key_result_id": KeyResultFactory(objective=_objective(world, org)).public_id}


API_ROUTES: dict[str, Any] = {
    "/api/v1/okrs/objectives/{objective_id}": _api_objective,
    "/api/v1/okrs/objectives/{objective_id}/alignment": _api_objective,
    "/api/v1/okrs/objectives/{objective_id}/retrospective": _api_objective,
    "/api/v1/okrs/objectives/{objective_id}/contributors": _api_objective,
    "/api/v1/okrs/objectives/{objective_id}/links": _api_objective,
    "/api/v1/okrs/key-results/{key_result_id}": _api_kr,
    "/api/v1/okrs/key-results/{key_result_id}/check-ins": _api_kr,
    "/api/v1/okrs/key-results/{key_result_id}/grade": _api_kr,
    "/api/v1/okrs/key-results/{key_result_id}/initiatives": _api_kr,
    "/api/v1/okrs/initiatives/{initiative_id}/status": _initiative_id,
    "/api/v1/okrs/links/{link_id}": _link_id,
    "/api/v1/okrs/cycles/{cycle_id}/advance": _cycle_id,
    "/api/v1/okrs/cycles/{cycle_id}/grades": _cycle_id,
    "/api/v1/okrs/teams/{team_id}/cadence": _team_id,
    "/api/v1/okrs/teams/{team_id}/cycles/{cycle_id}/retrospective": _team_and_cycle_id,
    "/api/v1/okrs/objectives/{objective_id}/carry-over": _api_objective,
    "/api/v1/okrs/check-ins/{check_in_id}": _check_in_id,
    "/api/v1/okrs/cycles/{cycle_id}/export": _cycle_id,
    "/api/v1/okrs/cycles/{cycle_id}/exports": _cycle_id,
    "/api/v1/okrs/exports/{job_id}": _export_job_id,
    "/api/v1/okrs/exports/{job_id}/download": _export_job_id,
    "/api/v1/okrs/objectives/{objective_id}/coach": _api_objective,
    "/api/v1/okrs/objectives/{objective_id}/coach/dismissals": _api_objective,
    "/api/v1/okrs/key-results/{key_result_id}/coach": _api_kr,
    "/api/v1/okrs/key-results/{key_result_id}/coach/dismissals": _api_kr,
}
