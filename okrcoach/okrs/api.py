"""OKR endpoints under /api/v1/okrs: the same selectors, services and permissions as the pages.

Writes to an objective or key result honour `If-Match: <version>` (the `ETag` of a read): a
mismatch is 412 and nothing is written."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from okrcoach.api.auth import actor
from okrcoach.core.api.body import IF_MATCH, documented_body, parse_body
from okrcoach.core.api.pagination import KeysetIn, KeysetOut, PagePagination, keyset_page
from okrcoach.core.api.rows import RowWriter, page_response
from okrcoach.core.api.schemas import (
    NOT_FOUND,
    VERSIONED_WRITE,
    WRITE,
    ErrorOut,
    InSchema,
    Note,
    Value,
)
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership, Team

from .models import CheckIn, Cycle, KeyResult, Objective
from .selectors import cycles, lookups
from .services import bulk_check_ins, check_ins, key_results, objectives, versions

router = Router(tags=["okrs"])

ERRORS: dict[int, Any] = WRITE


# --- schemas ---------------------------------------------------------------------------------


class CycleOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    kind: str
    starts_on: date
    ends_on: date
    state: str


class ObjectiveOut(Schema):
    id: UUID = Field(alias="public_id")
    cycle_id: UUID
    title: str
    description: str
    level: str
    team_id: UUID | None
    owner_id: UUID
    type: str
    visibility: str
    weight: float
    status: str
    parent_id: UUID | None
    progress: float
    score: float | None
    version: int

    # The list reads plain rows (OBJECTIVE_ROW); one objective is a model instance.
    @staticmethod
    def resolve_cycle_id(o: Objective | dict[str, Any]) -> UUID:
        if isinstance(o, dict):
            return o["cycle__public_id"]  # type: ignore[no-any-return]
        return o.cycle.public_id

    @staticmethod
    def resolve_team_id(o: Objective | dict[str, Any]) -> UUID | None:
        if isinstance(o, dict):
            return o["team__public_id"]  # type: ignore[no-any-return]
        return o.team.public_id if o.team is not None else None

    @staticmethod
    def resolve_owner_id(o: Objective | dict[str, Any]) -> UUID:
        if isinstance(o, dict):
            return o["owner__public_id"]  # type: ignore[no-any-return]
        return o.owner.public_id

    @staticmethod
    def resolve_parent_id(o: Objective | dict[str, Any]) -> UUID | None:
        if isinstance(o, dict):
            # As the model path: a parent the reader may not see comes out as none.
            return o["parent__public_id"] if o.get("parent_visible", True) else None
        return o.parent.public_id if o.parent is not None else None


OBJECTIVE_ROW = (
    *(
        f
        for f in ObjectiveOut.model_fields
        if f not in ("id", "cycle_id", "team_id", "owner_id", "parent_id")
    ),
    "public_id",
    "cycle__public_id",
    "team__public_id",
    "owner__public_id",
    "parent__public_id",
    "position",
    "pk",
)


class ObjectivePage(KeysetOut):
    items: list[ObjectiveOut]


# The list pages write their plain rows straight to JSON (core/api/rows.py): the same bytes as
# validating them through the schemas above, without a model per row.
OBJECTIVE_WRITER = RowWriter(ObjectiveOut)


class ObjectiveIn(InSchema):
    cycle_id: UUID | None = None
    title: str = Field(min_length=1, max_length=200)
    description: Note = ""
    level: Objective.Level = Objective.Level.TEAM
    team_id: UUID | None = None
    owner_id: UUID | None = None
    type: Objective.Type = Objective.Type.COMMITTED
    visibility: Objective.Visibility = Objective.Visibility.PUBLIC
    weight: Decimal = Field(Decimal(1), ge=Decimal("0.01"), le=100, decimal_places=2)
    status: Objective.Status = Objective.Status.DRAFT
    parent_id: UUID | None = None


class ObjectivePatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: Note | None = None
    level: Objective.Level | None = None
    team_id: UUID | None = None
    owner_id: UUID | None = None
    type: Objective.Type | None = None
    visibility: Objective.Visibility | None = None
    weight: Decimal | None = Field(None, ge=Decimal("0.01"), le=100, decimal_places=2)
    status: Objective.Status | None = None
    parent_id: UUID | None = None


class KeyResultOut(Schema):
    id: UUID = Field(alias="public_id")
    objective_id: UUID
    title: str
    owner_id: UUID
    kr_type: str
    unit_kind: str
    unit_label: str
    direction: str
    baseline: float | None
    target: float | None
    stretch: float | None
    current_value: float | None
    milestone_done: bool
    ordinal_level: int
    progress: float
    progress_raw: float
    confidence: int | None
    next_check_in_due: date | None
    weight: float
    score: float | None
    version: int

    # The list reads plain rows (KEY_RESULT_ROW); one key result is a model instance.
    @staticmethod
    def resolve_objective_id(kr: KeyResult | dict[str, Any]) -> UUID:
        if isinstance(kr, dict):
            return kr["objective__public_id"]  # type: ignore[no-any-return]
        return kr.objective.public_id

    @staticmethod
    def resolve_owner_id(kr: KeyResult | dict[str, Any]) -> UUID:
        if isinstance(kr, dict):
            return kr["owner__public_id"]  # type: ignore[no-any-return]
        return kr.owner.public_id


KEY_RESULT_ROW = (
    *(f for f in KeyResultOut.model_fields if f not in ("id", "objective_id", "owner_id")),
    "public_id",
    "objective__public_id",
    "owner__public_id",
    "objective_id",
    "position",
    "id",
)


class KeyResultPage(KeysetOut):
    items: list[KeyResultOut]


KEY_RESULT_WRITER = RowWriter(KeyResultOut)


class KeyResultIn(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    owner_id: UUID | None = None
    kr_type: KeyResult.KRType | None = None
    unit_kind: KeyResult.UnitKind | None = None
    unit_label: str | None = Field(None, max_length=30)
    direction: KeyResult.Direction | None = None
    baseline: Value | None = None
    target: Value | None = None
    stretch: Value | None = None
    commit_label: str | None = None
    target_label: str | None = None
    stretch_label: str | None = None
    weight: Decimal | None = Field(None, ge=Decimal("0.01"), le=100, decimal_places=2)
    data_source: str | None = Field(None, max_length=300)


class KeyResultCreate(KeyResultIn):
    objective_id: UUID
    title: str = Field(min_length=1, max_length=200)


class CheckInIn(InSchema):
    # Optional in the schema so a missing object answers 404 before the body is judged; the
    # service then names the missing field (422).
    confidence: int | None = Field(None, ge=0, le=10)
    value: Value | None = None
    milestone_done: bool | None = None
    ordinal_level: int | None = Field(None, ge=0, le=3)
    progress_note: Note = ""
    plans_note: Note = ""
    problems_note: Note = ""


class CheckInCorrection(CheckInIn):
    """A correction replaces the check-in's values: confidence is required."""

    confidence: int = Field(ge=0, le=10)


class BulkCheckInItem(CheckInIn):
    key_result_id: UUID


class BulkCheckInIn(InSchema):
    items: list[BulkCheckInItem] = Field(min_length=1, max_length=check_ins.BULK_CHECK_IN_LIMIT)


class BulkCheckInOut(Schema):
    count: int


class CheckInOut(Schema):
    id: UUID = Field(alias="public_id")
    key_result_id: UUID
    author_id: UUID
    value: float | None
    milestone_done: bool | None
    ordinal_level: int | None
    confidence: int
    progress: float
    progress_note: str
    plans_note: str
    problems_note: str
    created_at: Any

    @staticmethod
    def resolve_key_result_id(c: CheckIn) -> UUID:
        return c.key_result.public_id

    @staticmethod
    def resolve_author_id(c: CheckIn) -> UUID:
        return c.author.public_id


class AlignmentNode(Schema):
    id: UUID
    title: str
    level: str
    owner: str
    progress: float
    children: list["AlignmentNode"] = []


AlignmentNode.model_rebuild()


class AlignmentOut(Schema):
    ancestors: list[AlignmentNode]
    objective: AlignmentNode


# --- helpers ---------------------------------------------------------------------------------


def _objectives(m: Membership) -> QuerySet[Objective]:
    return (
        Objective.objects.for_org(m.organisation)
        .visible_to(m)
        .select_related("cycle", "team", "owner", "parent")
    )


def _key_results(m: Membership) -> QuerySet[KeyResult]:
    return (
        KeyResult.objects.for_org(m.organisation)
        .visible_to(m)
        .select_related("objective__cycle", "objective__team", "objective__owner", "owner__team")
    )


def _if_match(request: HttpRequest, version: int) -> int:
    raw = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    if not raw:
        return version
    if raw != str(version):
        raise HttpError(412, f"The object changed: it is at version {version}, not {raw}.")
    return version


def _member(m: Membership, public_id: UUID | None) -> Membership | None:
    if public_id is None:
        return None
    return get_for_member_or_404(Membership.objects.for_org(m.organisation), m, public_id=public_id)


def _team(m: Membership, public_id: UUID | None) -> Team | None:
    if public_id is None:
        return None
    return get_for_member_or_404(Team.objects.for_org(m.organisation), m, public_id=public_id)


def _parent(m: Membership, public_id: UUID | None) -> Objective | None:
    return lookups.get_objective(m, public_id) if public_id is not None else None


# --- cycles and objectives -------------------------------------------------------------------


@router.get(
    "/objectives",
    response={200: ObjectivePage, 422: ErrorOut},
    summary="Objectives you can see",
)
def list_objectives(
    request: HttpRequest,
    paging: Query[KeysetIn],
    cycle: UUID | None = None,
    team: UUID | None = None,
    owner: UUID | None = None,
) -> HttpResponse:
    """By cycle start date, then level and position. Keyset pages: follow `next`; a page
    never spans two cycles, so one may hold fewer than `limit` items before the end."""
    m = actor(request)
    # Plain rows, not model instances: the list needs no behaviour, only the fields it shows.
    qs = Objective.objects.for_org(m.organisation).visible_to(m)
    cycles_in_order = Cycle.objects.for_org(m.organisation).order_by("starts_on", "pk")
    if cycle is not None:
        cycles_in_order = cycles_in_order.filter(public_id=cycle)
    if team is not None:
        qs = qs.filter(team__public_id=team)
    if owner is not None:
        qs = qs.filter(owner__public_id=owner)
    order = list(cycles_in_order.values_list("pk", flat=True))
    rows = qs.values(*OBJECTIVE_ROW, *(["parent_visible"] if not m.sees_everything else []))
    page = keyset_page(
        request,
        rows,
        paging,
        keys=("level", "position", "pk"),
        partitions=("cycle_id", order),
        offset_order=("cycle__starts_on", "cycle_id", "level", "position", "pk"),
    )
    return page_response(ObjectivePage, OBJECTIVE_WRITER, page)


@router.post(
    "/objectives",
    response={201: ObjectiveOut, **ERRORS},
    openapi_extra=documented_body(ObjectiveIn),
)
def create_objective(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, ObjectiveIn)
    m = actor(request)
    cycle: Cycle | None
    if payload.cycle_id is not None:
        cycle = get_for_member_or_404(
            Cycle.objects.for_org(m.organisation), m, public_id=payload.cycle_id
        )
    else:
        cycle = cycles.current_cycle(m.organisation)
        if cycle is None:
            raise HttpError(422, "There is no active cycle; pass cycle_id.")
    data = objectives.ObjectiveData(
        title=payload.title,
        description=payload.description,
        level=payload.level,
        team=_team(m, payload.team_id),
        owner=_member(m, payload.owner_id),
        type=payload.type,
        visibility=payload.visibility,
        weight=payload.weight,
        status=payload.status,
        parent=_parent(m, payload.parent_id),
    )
    objective = objectives.create_objective(actor=m, cycle=cycle, data=data)
    return Status(201, _objectives(m).get(pk=objective.pk))


@router.get("/objectives/{objective_id}", response={200: ObjectiveOut, **NOT_FOUND})
def get_objective(request: HttpRequest, objective_id: UUID, response: HttpResponse) -> Objective:
    objective = get_for_member_or_404(
        _objectives(actor(request)), actor(request), public_id=objective_id
    )
    response["ETag"] = f'"{objective.version}"'
    return objective


@router.patch(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, **VERSIONED_WRITE},
    openapi_extra={**documented_body(ObjectivePatch, required=False), "parameters": [IF_MATCH]},
)
def update_objective(request: HttpRequest, objective_id: UUID, response: HttpResponse) -> Objective:
    m = actor(request)
    o = get_for_member_or_404(_objectives(m), m, public_id=objective_id)
    payload = parse_body(request, ObjectivePatch, required=False)
    version = _if_match(request, o.version)
    sent = payload.model_fields_set
    data = objectives.ObjectiveData(
        title=payload.title if "title" in sent and payload.title else o.title,
        description=payload.description
        if "description" in sent and payload.description is not None
        else o.description,
        level=payload.level or o.level,
        team=_team(m, payload.team_id) if "team_id" in sent else o.team,
        owner=_member(m, payload.owner_id) if "owner_id" in sent and payload.owner_id else o.owner,
        type=payload.type or o.type,
        visibility=payload.visibility or o.visibility,
        weight=payload.weight or o.weight,
        status=payload.status or o.status,
        parent=_parent(m, payload.parent_id) if "parent_id" in sent else o.parent,
    )
    try:
        objectives.update_objective(actor=m, objective=o, version=version, data=data)
    except versions.StaleEdit as exc:
        raise HttpError(
            412, f"The object changed: it is at version {exc.current.version}."
        ) from exc
    fresh = _objectives(m).get(pk=o.pk)
    response["ETag"] = f'"{fresh.version}"'
    return fresh


@router.delete(
    "/objectives/{objective_id}",
    response={204: None, **VERSIONED_WRITE},
    openapi_extra={"parameters": [IF_MATCH]},
)
def delete_objective(request: HttpRequest, objective_id: UUID) -> Status[Any]:
    m = actor(request)
    o = get_for_member_or_404(_objectives(m), m, public_id=objective_id)
    _if_match(request, o.version)
    objectives.delete_objective(actor=m, objective=o)
    return Status(204, None)


class CarryOverIn(InSchema):
    cycle_id: UUID


@router.post(
    "/objectives/{objective_id}/carry-over",
    response={201: ObjectiveOut, **ERRORS},
    summary="Carry an unfinished objective into a later cycle, as a draft",
    openapi_extra=documented_body(CarryOverIn),
)
def carry_over(request: HttpRequest, objective_id: UUID) -> Status[Any]:
    """As the Carry over button: the objective's editors only; the copy is a draft in the later
    cycle, each key result starting from where the old one ended."""
    m = actor(request)
    objective = lookups.get_objective(m, objective_id)
    payload = parse_body(request, CarryOverIn)
    to_cycle = lookups.get_cycle(m, payload.cycle_id)
    try:
        copy = objectives.carry_over_objective(actor=m, objective=objective, to_cycle=to_cycle)
    except ValidationError as exc:
        # The page's field is `cycle`; the body's is `cycle_id`.
        raise ValidationError(
            {("cycle_id" if k == "cycle" else k): v for k, v in exc.message_dict.items()}
        ) from exc
    return Status(201, _objectives(m).get(pk=copy.pk))


def _node(o: Objective, children: list[AlignmentNode] | None = None) -> AlignmentNode:
    return AlignmentNode(
        id=o.public_id,
        title=o.title,
        level=o.level,
        owner=o.owner.user.full_name,
        progress=float(o.progress),
        children=children or [],
    )


@router.get(
    "/objectives/{objective_id}/alignment",
    response={200: AlignmentOut, 404: ErrorOut},
    summary="What the objective aligns to, and everything aligned below it",
)
def alignment(request: HttpRequest, objective_id: UUID) -> AlignmentOut:
    m = actor(request)
    root = get_for_member_or_404(_objectives(m), m, public_id=objective_id)
    in_cycle = list(
        Objective.objects.for_org(m.organisation)
        .visible_to(m)
        .filter(cycle_id=root.cycle_id)
        .select_related("owner__user")
        .order_by("level", "position", "pk")
    )
    by_id = {o.pk: o for o in in_cycle}
    kids: dict[int, list[Objective]] = {}
    for o in in_cycle:
        if o.parent_id is not None:
            kids.setdefault(o.parent_id, []).append(o)

    def build(o: Objective, seen: frozenset[int]) -> AlignmentNode:
        return _node(o, [build(c, seen | {c.pk}) for c in kids.get(o.pk, []) if c.pk not in seen])

    ancestors: list[AlignmentNode] = []
    current = by_id.get(root.parent_id) if root.parent_id else None
    while current is not None and len(ancestors) < 100:
        ancestors.insert(0, _node(current))
        current = by_id.get(current.parent_id) if current.parent_id else None
    return AlignmentOut(
        ancestors=ancestors, objective=build(by_id.get(root.pk, root), frozenset({root.pk}))
    )


# --- key results and check-ins ---------------------------------------------------------------


@router.get(
    "/key-results",
    response={200: KeyResultPage, 422: ErrorOut},
    summary="Key results you can see",
)
def list_key_results(
    request: HttpRequest, paging: Query[KeysetIn], objective: UUID | None = None
) -> HttpResponse:
    """Grouped by objective, in their order. Keyset pages: follow `next`."""
    m = actor(request)
    # Plain rows, not model instances: the list needs no behaviour, only the fields it shows.
    qs = KeyResult.objects.for_org(m.organisation).visible_to(m).values(*KEY_RESULT_ROW)
    if objective is not None:
        qs = qs.filter(objective__public_id=objective)
    page = keyset_page(request, qs, paging, keys=("objective_id", "position", "id"))
    return page_response(KeyResultPage, KEY_RESULT_WRITER, page)


NULLABLE_KR_FIELDS = {"baseline", "target", "stretch"}


def _kr_data(
    payload: KeyResultIn, m: Membership, current: KeyResult | None
) -> key_results.KeyResultData:
    base = (
        key_results.KeyResultData(title="")
        if current is None
        else key_results.KeyResultData(
            **{f: getattr(current, f) for f in key_results.KeyResultData.__dataclass_fields__}
        )
    )
    values = {f: getattr(base, f) for f in key_results.KeyResultData.__dataclass_fields__}
    for name in payload.model_fields_set:
        value = getattr(payload, name)
        if name == "owner_id":
            values["owner"] = _member(m, payload.owner_id)
        elif name in NULLABLE_KR_FIELDS or (name in values and value is not None):
            # null clears a number; for any other field it leaves the stored value alone
            values[name] = value
    for name in ("unit_label", "commit_label", "target_label", "stretch_label", "data_source"):
        values[name] = values[name] or ""
    return key_results.KeyResultData(**values)


@router.post(
    "/key-results",
    response={201: KeyResultOut, **ERRORS},
    openapi_extra=documented_body(KeyResultCreate),
)
def create_key_result(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, KeyResultCreate)
    m = actor(request)
    objective = lookups.get_objective(m, payload.objective_id)
    kr = key_results.create_key_result(
        actor=m, objective=objective, data=_kr_data(payload, m, None)
    )
    return Status(201, _key_results(m).get(pk=kr.pk))


@router.get("/key-results/{key_result_id}", response={200: KeyResultOut, **NOT_FOUND})
def get_key_result(request: HttpRequest, key_result_id: UUID, response: HttpResponse) -> KeyResult:
    m = actor(request)
    kr = get_for_member_or_404(_key_results(m), m, public_id=key_result_id)
    response["ETag"] = f'"{kr.version}"'
    return kr


@router.patch(
    "/key-results/{key_result_id}",
    response={200: KeyResultOut, **VERSIONED_WRITE},
    openapi_extra={**documented_body(KeyResultIn, required=False), "parameters": [IF_MATCH]},
)
def update_key_result(
    request: HttpRequest, key_result_id: UUID, response: HttpResponse
) -> KeyResult:
    m = actor(request)
    kr = get_for_member_or_404(_key_results(m), m, public_id=key_result_id)
    payload = parse_body(request, KeyResultIn, required=False)
    version = _if_match(request, kr.version)
    try:
        key_results.update_key_result(
            actor=m, key_result=kr, version=version, data=_kr_data(payload, m, kr)
        )
    except versions.StaleEdit as exc:
        raise HttpError(
            412, f"The object changed: it is at version {exc.current.version}."
        ) from exc
    fresh = _key_results(m).get(pk=kr.pk)
    response["ETag"] = f'"{fresh.version}"'
    return fresh


@router.delete(
    "/key-results/{key_result_id}",
    response={204: None, **VERSIONED_WRITE},
    openapi_extra={"parameters": [IF_MATCH]},
)
def delete_key_result(request: HttpRequest, key_result_id: UUID) -> Status[Any]:
    m = actor(request)
    kr = get_for_member_or_404(_key_results(m), m, public_id=key_result_id)
    _if_match(request, kr.version)
    key_results.delete_key_result(actor=m, key_result=kr)
    return Status(204, None)


@router.get(
    "/key-results/{key_result_id}/check-ins", response={200: list[CheckInOut], 404: ErrorOut}
)
@paginate(PagePagination)
def list_check_ins(request: HttpRequest, key_result_id: UUID) -> QuerySet[CheckIn]:
    m = actor(request)
    kr = get_for_member_or_404(_key_results(m), m, public_id=key_result_id)
    return (
        CheckIn.objects.for_org(m.organisation)
        .filter(key_result=kr)
        .select_related("key_result", "author")
        .order_by("-created_at", "-pk")
    )


def _check_in_data(payload: CheckInIn) -> check_ins.CheckInData:
    if payload.confidence is None:
        raise ValidationError({"confidence": "Confidence (0–10) is required."})
    return check_ins.CheckInData(
        confidence=payload.confidence,
        value=payload.value,
        milestone_done=payload.milestone_done,
        ordinal_level=payload.ordinal_level,
        progress_note=payload.progress_note,
        plans_note=payload.plans_note,
        problems_note=payload.problems_note,
    )


@router.post(
    "/key-results/{key_result_id}/check-ins",
    response={201: CheckInOut, **ERRORS},
    openapi_extra=documented_body(CheckInIn),
)
def create_check_in(request: HttpRequest, key_result_id: UUID) -> Status[Any]:
    m = actor(request)
    kr = get_for_member_or_404(_key_results(m), m, public_id=key_result_id)
    payload = parse_body(request, CheckInIn)
    check_in = check_ins.record_check_in(actor=m, key_result=kr, data=_check_in_data(payload))
    return Status(201, check_in)


@router.post(
    "/check-ins/bulk",
    response={201: BulkCheckInOut, **ERRORS},
    summary="Up to 500 check-ins in one transaction: all recorded, or none",
    openapi_extra=documented_body(BulkCheckInIn),
)
def bulk_check_in(request: HttpRequest) -> Status[Any]:
    """A key result the caller may not see is "No such key result" (422), as one that does not
    exist; the service reads and locks the key results itself (services/bulk_check_ins.py)."""
    payload = parse_body(request, BulkCheckInIn)
    m = actor(request)
    errors = {
        f"items.{index}.confidence": ["Confidence (0–10) is required."]
        for index, item in enumerate(payload.items)
        if item.confidence is None
    }
    if errors:
        raise ValidationError(errors)
    items = [(item.key_result_id, _check_in_data(item)) for item in payload.items]
    count = bulk_check_ins.record_check_ins_by_public_id(actor=m, items=items)
    return Status(201, BulkCheckInOut(count=count))


@router.put(
    "/check-ins/{check_in_id}",
    response={200: CheckInOut, **ERRORS},
    summary="Correct your latest check-in of a key result (within 24 hours)",
    openapi_extra=documented_body(CheckInCorrection),
)
def correct_check_in(request: HttpRequest, check_in_id: UUID) -> CheckIn:
    """As the page's Correct link: only the author, only the key result's latest check-in, only
    within 24 hours and while the cycle is active. The body replaces the check-in's values."""
    m = actor(request)
    entry = lookups.get_check_in(m, check_in_id)
    # Not visible (a private objective of someone else): 404, as the page.
    get_for_member_or_404(_key_results(m), m, pk=entry.key_result_id)
    payload = parse_body(request, CheckInCorrection)
    check_ins.correct_latest_check_in(actor=m, check_in=entry, data=_check_in_data(payload))
    return (
        CheckIn.objects.for_org(m.organisation)
        .select_related("key_result", "author")
        .get(pk=entry.pk)
    )
