"""Cycles, grading and retrospectives under /api/v1/okrs: the same selectors, services and
checks as the cycles, grading and retrospective pages. Admins open cycles and move them on;
whoever may edit an objective grades its key results and writes its retrospective; a team's
members, its lead and admins write the team's retrospective."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from okrcoach.api.auth import actor
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import NOT_FOUND, WRITE, ErrorOut, InSchema
from okrcoach.orgs.access import get_for_member_or_404, require_admin
from okrcoach.orgs.models import Membership, Team

from . import permissions, progress
from .api import CycleOut, KeyResultOut, _key_results
from .models import Cycle, Objective, Retrospective
from .permissions import require_edit_objective
from .selectors import lookups
from .selectors import pages as page_selectors
from .services import cycles as cycle_services
from .services import grading as grading_services

router = Router(tags=["okrs: cycles and grading"])


class CycleIn(InSchema):
    name: str = Field(min_length=1, max_length=60)
    kind: Cycle.Kind = Cycle.Kind.QUARTER
    starts_on: date
    ends_on: date
    confirm: bool = Field(
        default=False,
        description="Save despite the warnings (a start more than two years back, an end more "
        "than a year back, an overlap with an active cycle of the same kind); without it they "
        'come back as a 422 keyed "confirmed".',
    )


class AdvanceIn(InSchema):
    state: Cycle.State = Field(description="The next state: planning → active → grading → closed.")


class GradeIn(InSchema):
    score: Decimal | None = Field(
        None, ge=0, le=1, decimal_places=2, description="Leave out to use the final progress."
    )
    score_reason: str = Field("", max_length=2000)


class GradeOut(Schema):
    key_result_id: UUID
    title: str
    progress: float
    default_score: float
    score: float | None
    score_reason: str
    can_grade: bool


class ObjectiveGradesOut(Schema):
    objective_id: UUID
    title: str
    score: float | None
    key_results: list[GradeOut]


class GradingOut(Schema):
    cycle: CycleOut
    is_open: bool
    objectives: list[ObjectiveGradesOut] = Field(description="This page's objectives.")
    count: int = Field(description="Objectives on every page.")
    page: int
    page_size: int
    pages: int


class RetrospectiveIn(InSchema):
    went_well: str = Field("", max_length=5000)
    went_badly: str = Field("", max_length=5000)
    learned: str = Field("", max_length=5000)
    change_next: str = Field("", max_length=5000)


class RetrospectiveOut(Schema):
    id: UUID = Field(alias="public_id")
    cycle_id: UUID
    objective_id: UUID | None
    team_id: UUID | None
    author_id: UUID
    went_well: str
    went_badly: str
    learned: str
    change_next: str
    updated_at: datetime

    @staticmethod
    def resolve_cycle_id(r: Retrospective) -> UUID:
        return r.cycle.public_id

    @staticmethod
    def resolve_objective_id(r: Retrospective) -> UUID | None:
        return r.objective.public_id if r.objective is not None else None

    @staticmethod
    def resolve_team_id(r: Retrospective) -> UUID | None:
        return r.team.public_id if r.team is not None else None

    @staticmethod
    def resolve_author_id(r: Retrospective) -> UUID:
        return r.author.public_id


def _cycle(m: Membership, cycle_id: UUID) -> Cycle:
    return get_for_member_or_404(Cycle.objects.for_org(m.organisation), m, public_id=cycle_id)


def _team(m: Membership, team_id: UUID) -> Team:
    return get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=team_id)


def _retrospectives(m: Membership) -> QuerySet[Retrospective]:
    return Retrospective.objects.for_org(m.organisation).select_related(
        "cycle", "objective", "team", "author"
    )


# --- cycles ----------------------------------------------------------------------------------


@router.get("/cycles", response=list[CycleOut], summary="Cycles, newest first")
@paginate(PagePagination)
def list_cycles(request: HttpRequest) -> QuerySet[Cycle]:
    return Cycle.objects.for_org(actor(request).organisation).order_by("-starts_on", "-pk")


@router.post(
    "/cycles",
    response={201: CycleOut, **WRITE},
    summary="Open a cycle (admins)",
    openapi_extra=documented_body(CycleIn),
)
def create_cycle(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, CycleIn)
    m = actor(request)
    require_admin(m)
    cycle = cycle_services.create_cycle(
        actor=m,
        name=payload.name,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        confirmed=payload.confirm,
    )
    return Status(201, cycle)


@router.post(
    "/cycles/{cycle_id}/advance",
    response={200: CycleOut, **WRITE},
    summary="Move a cycle to its next state (admins); closing fills in missing grades",
    openapi_extra=documented_body(AdvanceIn),
)
def advance_cycle(request: HttpRequest, cycle_id: UUID) -> Cycle:
    m = actor(request)
    require_admin(m)
    cycle = _cycle(m, cycle_id)
    payload = parse_body(request, AdvanceIn)
    return cycle_services.advance_cycle(actor=m, cycle=cycle, to_state=payload.state)


# --- grading ---------------------------------------------------------------------------------


@router.get(
    "/cycles/{cycle_id}/grades",
    response={200: GradingOut, **NOT_FOUND, 422: ErrorOut},
    summary="The grading sheet: objectives you may grade, with their key results' grades, "
    "a page at a time (?page=N&page_size=M, at most 200)",
)
def list_grades(
    request: HttpRequest, cycle_id: UUID, paging: Query[PagePagination.Input]
) -> dict[str, Any]:
    m = actor(request)
    sheet = page_selectors.grading_sheet(
        m, _cycle(m, cycle_id), page=paging.page, page_size=paging.page_size
    )
    return {
        "cycle": sheet.cycle,
        "is_open": sheet.is_open,
        "count": sheet.count,
        "page": sheet.page,
        "page_size": sheet.page_size,
        "pages": sheet.pages,
        "objectives": [
            {
                "objective_id": card.objective.public_id,
                "title": card.objective.title,
                "score": card.objective.score,
                "key_results": [
                    {
                        "key_result_id": row.kr.public_id,
                        "title": row.kr.title,
                        "progress": row.kr.progress,
                        "default_score": progress.default_score(row.kr.progress),
                        "score": row.kr.score,
                        "score_reason": row.kr.score_reason,
                        "can_grade": card.can_edit,
                    }
                    for row in card.rows
                ],
            }
            for card in sheet.cards
        ],
    }


@router.post(
    "/key-results/{key_result_id}/grade",
    response={200: KeyResultOut, **WRITE},
    summary="Grade a key result while its cycle is in grading",
    openapi_extra=documented_body(GradeIn, required=False),
)
def grade_key_result(request: HttpRequest, key_result_id: UUID) -> object:
    m = actor(request)
    kr = lookups.get_key_result(m, key_result_id)
    payload = parse_body(request, GradeIn, required=False)
    grading_services.grade_key_result(
        actor=m, key_result=kr, score=payload.score, reason=payload.score_reason
    )
    return _key_results(m).get(pk=kr.pk)


# --- retrospectives --------------------------------------------------------------------------


def _editable_objective(m: Membership, objective_id: UUID) -> Objective:
    objective = lookups.get_objective(m, objective_id)
    require_edit_objective(m, objective)
    return objective


@router.get(
    "/objectives/{objective_id}/retrospective",
    response={200: RetrospectiveOut, **NOT_FOUND, 403: WRITE[403]},
    summary="An objective's retrospective (404 until one is written)",
)
def get_objective_retrospective(request: HttpRequest, objective_id: UUID) -> object:
    m = actor(request)
    objective = _editable_objective(m, objective_id)
    return get_for_member_or_404(_retrospectives(m), m, objective=objective)


@router.put(
    "/objectives/{objective_id}/retrospective",
    response={200: RetrospectiveOut, **WRITE},
    summary="Write or replace an objective's retrospective",
    openapi_extra=documented_body(RetrospectiveIn, required=False),
)
def put_objective_retrospective(request: HttpRequest, objective_id: UUID) -> object:
    m = actor(request)
    objective = _editable_objective(m, objective_id)
    payload = parse_body(request, RetrospectiveIn, required=False)
    retro = grading_services.write_retrospective(
        actor=m,
        cycle=objective.cycle,
        objective=objective,
        data=grading_services.RetrospectiveData(**payload.model_dump()),
    )
    return _retrospectives(m).get(pk=retro.pk)


def _team_and_cycle(m: Membership, team_id: UUID, cycle_id: UUID) -> tuple[Team, Cycle]:
    team, cycle = _team(m, team_id), _cycle(m, cycle_id)
    if not permissions.can_write_team_retrospective(m, team):
        raise PermissionDenied(_("Only the team's members and admins can write its retrospective."))
    return team, cycle


@router.get(
    "/teams/{team_id}/cycles/{cycle_id}/retrospective",
    response={200: RetrospectiveOut, **NOT_FOUND, 403: WRITE[403]},
    summary="A team's retrospective of a cycle (404 until one is written)",
)
def get_team_retrospective(request: HttpRequest, team_id: UUID, cycle_id: UUID) -> object:
    m = actor(request)
    team, cycle = _team_and_cycle(m, team_id, cycle_id)
    return get_for_member_or_404(_retrospectives(m), m, team=team, cycle=cycle)


@router.put(
    "/teams/{team_id}/cycles/{cycle_id}/retrospective",
    response={200: RetrospectiveOut, **WRITE},
    summary="Write or replace a team's retrospective of a cycle (its members, lead, admins)",
    openapi_extra=documented_body(RetrospectiveIn, required=False),
)
def put_team_retrospective(request: HttpRequest, team_id: UUID, cycle_id: UUID) -> object:
    m = actor(request)
    team, cycle = _team_and_cycle(m, team_id, cycle_id)
    payload = parse_body(request, RetrospectiveIn, required=False)
    retro = grading_services.write_retrospective(
        actor=m,
        cycle=cycle,
        team=team,
        data=grading_services.RetrospectiveData(**payload.model_dump()),
    )
    return _retrospectives(m).get(pk=retro.pk)
