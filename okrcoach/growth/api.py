"""/api/v1/growth: 1:1s, action items, development OKRs, skills assessments and feedback, with
the same services, selectors and permission matrix as the pages. Private notes are the
author's own: the meeting endpoint returns the caller's note and nobody else's."""

from collections.abc import Callable
from datetime import date, time
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from okrcoach.api.auth import actor
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import WRITE, InSchema, WallClockTime
from okrcoach.okrs.selectors import lookups
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import people

from . import selectors, services
from .models import (
    ActionItem,
    DevelopmentKeyResult,
    DevelopmentObjective,
    Feedback,
    Meeting,
    OneOnOneSeries,
    SkillAssessment,
)
from .permissions import Subject, require

router = Router(tags=["growth"])
T = TypeVar("T")


def _public_id(attr: str) -> Any:
    """A schema resolver: the public id of the related row `attr` (None when there is none).
    Related rows are addressed by UUID, never by pk, in every schema below."""

    def resolve(obj: Any) -> UUID | None:
        related = getattr(obj, attr)
        return related.public_id if related is not None else None

    return staticmethod(resolve)


# --- schemas ---------------------------------------------------------------------------------


class SeriesIn(InSchema):
    report_id: UUID
    rhythm_days: OneOnOneSeries.Rhythm
    first_meeting_on: date
    start_time: time | None = None
    duration_minutes: int = Field(30, ge=5, le=240)


class SeriesOut(Schema):
    id: UUID = Field(alias="public_id")
    manager_id: UUID
    report_id: UUID
    rhythm_days: int
    first_meeting_on: date
    start_time: WallClockTime
    duration_minutes: int

    resolve_manager_id = _public_id("manager")
    resolve_report_id = _public_id("report")


class ActionItemOut(Schema):
    id: UUID = Field(alias="public_id")
    text: str
    owner_id: UUID
    due_on: date | None
    done: bool

    resolve_owner_id = _public_id("owner")

    @staticmethod
    def resolve_done(i: ActionItem) -> bool:
        return i.done_at is not None


class MeetingActionOut(Schema):
    id: UUID
    text: str
    owner_id: UUID
    due_on: date | None
    done: bool
    carried_over: bool


class AgendaOut(Schema):
    text: str
    source: str
    link: str


class SuggestionOut(Schema):
    source: str
    text: str
    link: str


class MeetingOut(Schema):
    id: UUID
    series_id: UUID
    held_on: date
    shared_notes: str
    my_private_note: str | None
    agenda: list[AgendaOut]
    suggestions: list[SuggestionOut]
    action_items: list[MeetingActionOut]


class MeetingSummaryOut(Schema):
    id: UUID = Field(alias="public_id")
    held_on: date


class AgendaIn(InSchema):
    text: str = Field(min_length=1, max_length=300)


class NotesIn(InSchema):
    shared_notes: str | None = Field(None, max_length=20000)
    my_private_note: str | None = Field(None, max_length=20000)


class ActionItemIn(InSchema):
    text: str = Field(min_length=1, max_length=300)
    owner_id: UUID
    due_on: date | None = None


class DevKeyResultOut(Schema):
    id: UUID = Field(alias="public_id")
    title: str
    progress: int


class DevObjectiveOut(Schema):
    id: UUID = Field(alias="public_id")
    person_id: UUID
    title: str
    description: str
    starts_on: date
    ends_on: date
    status: str
    status_changed_on: date | None
    status_note: str
    key_results: list[DevKeyResultOut]
    skill_ids: list[UUID]

    resolve_person_id = _public_id("person")

    @staticmethod
    def resolve_key_results(o: DevelopmentObjective) -> list[DevelopmentKeyResult]:
        return list(o.key_results.all())

    @staticmethod
    def resolve_skill_ids(o: DevelopmentObjective) -> list[UUID]:
        return [s.public_id for s in o.skills.all()]


class DevObjectiveIn(InSchema):
    person_id: UUID
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    starts_on: date
    ends_on: date
    key_results: list[str] = Field(default_factory=list, max_length=10)
    skill_ids: list[UUID] = Field(default_factory=list, max_length=50)


class DevStatusIn(InSchema):
    status: DevelopmentObjective.Status
    note: str = Field("", max_length=500)


class DevKeyResultIn(InSchema):
    title: str = Field(min_length=1, max_length=200)


class DevProgressIn(InSchema):
    progress: int = Field(ge=0, le=100)
    note: str = Field("", max_length=2000)


EvidenceKind = Literal["key_result", "check_in", "feedback", "certificate", "url"]


class EvidenceItemIn(InSchema):
    kind: EvidenceKind
    id: UUID | None = Field(None, description="The record's id (every kind but url).")
    url: str = Field("", max_length=500, description="The web address (kind url).")


class EvidenceOut(Schema):
    kind: str
    label: str
    url: str


class AssessmentOut(Schema):
    id: UUID = Field(alias="public_id")
    person_id: UUID
    skill_id: UUID
    assessor_id: UUID
    kind: str
    level: int
    note: str
    assessed_on: date
    evidence: list[EvidenceOut]

    resolve_person_id = _public_id("person")
    resolve_skill_id = _public_id("skill")
    resolve_assessor_id = _public_id("assessor")

    @staticmethod
    def resolve_evidence(a: SkillAssessment, context: Any) -> list[EvidenceOut]:
        viewer = actor(context["request"])
        links = (selectors.evidence_link(viewer, e) for e in a.evidence.all())
        return [EvidenceOut(kind=x.kind, label=x.label, url=x.url) for x in links if x]


class AssessmentIn(InSchema):
    skill_id: UUID
    level: int = Field(ge=1, le=9)
    note: str = Field("", max_length=5000)
    evidence_url: str = Field("", max_length=500)
    evidence: list[EvidenceItemIn] = Field(
        default_factory=list,
        max_length=20,
        description="The person's own key results, check-ins, feedback received or "
        "certificates that you may see, and/or links.",
    )


class FeedbackOut(Schema):
    id: UUID = Field(alias="public_id")
    giver_id: UUID
    recipient_id: UUID
    kind: str
    body: str
    visibility: str
    objective_id: UUID | None
    created_at: Any

    resolve_giver_id = _public_id("giver")
    resolve_recipient_id = _public_id("recipient")
    resolve_objective_id = _public_id("objective")


class FeedbackIn(InSchema):
    recipient_id: UUID
    kind: Feedback.Kind = Feedback.Kind.FEEDBACK
    body: str = Field(min_length=1, max_length=10000)
    visibility: Feedback.Visibility = Feedback.Visibility.PRIVATE
    objective_id: UUID | None = None
    key_result_id: UUID | None = None
    request_id: UUID | None = None


class FeedbackRequestIn(InSchema):
    respondent_id: UUID
    message: str = Field(min_length=1, max_length=300)


class FeedbackRequestOut(Schema):
    id: UUID = Field(alias="public_id")
    about_id: UUID
    respondent_id: UUID
    message: str

    resolve_about_id = _public_id("about")
    resolve_respondent_id = _public_id("respondent")


# --- helpers ---------------------------------------------------------------------------------


def _member(m: Membership, person_id: UUID, field: str) -> Membership:
    """An active member named in a body: unknown is a 422 on that field, not a 404."""
    person = people(m.organisation).filter(public_id=person_id).first()
    if person is None:
        raise ValidationError({field: _("No such active member.")})
    return person


def _web_address(url: str, field: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValidationError({field: _("Give a web address (https://…).")})
    return url


def _evidence(m: Membership, person: Membership, payload: AssessmentIn) -> list[Any]:
    """The body's evidence as the service takes it. A record is found only among the person's
    own that the caller may see (the same choices the page offers): anything else is a 422."""
    items = (
        [services.EvidenceIn(url=_web_address(payload.evidence_url, "evidence_url"))]
        if (payload.evidence_url)
        else []
    )
    choices = selectors.evidence_choices(m, person)
    for item in payload.evidence:
        if item.kind == "url":
            items.append(services.EvidenceIn(url=_web_address(item.url, "evidence")))
            continue
        row = (
            choices.of_kind(item.kind).filter(public_id=item.id).first()
            if item.id is not None
            else None
        )
        if row is None:
            raise ValidationError(
                {
                    "evidence": _("No such %(k)s of this person that you may cite.")
                    % {"k": item.kind.replace("_", " ")}
                }
            )
        items.append(services.EvidenceIn(**{item.kind: row}))
    return items


def _act(
    request: HttpRequest,
    fetch: Callable[[Membership, UUID], T],
    object_id: UUID,
    body: type[InSchema] | None = None,
) -> tuple[Membership, T, Any]:
    """The first steps of every endpoint acting on one object: the caller, the object as the
    caller may reach it (404 across organisations, 403 by the matrix) and the parsed body."""
    m = actor(request)
    obj = fetch(m, object_id)
    return m, obj, parse_body(request, body) if body is not None else None


def _meeting_out(m: Membership, meeting: Meeting) -> MeetingOut:
    page = selectors.meeting_page(m, meeting)
    return MeetingOut(
        id=meeting.public_id,
        series_id=page.series.public_id,
        held_on=meeting.held_on,
        shared_notes=meeting.shared_notes,
        my_private_note=page.private_note.body if page.private_note else None,
        agenda=[AgendaOut(text=a.text, source=a.source, link=a.link) for a in page.agenda],
        suggestions=[
            SuggestionOut(source=s.source, text=s.text, link=s.link) for s in page.suggestions
        ],
        action_items=[
            MeetingActionOut(
                id=row.item.public_id,
                text=row.item.text,
                owner_id=row.item.owner.public_id,
                due_on=row.item.due_on,
                done=row.item.is_done,
                carried_over=row.carried,
            )
            for row in page.action_items
        ],
    )


# --- 1:1s ------------------------------------------------------------------------------------


@router.get("/one-on-ones", response=list[SeriesOut], summary="My 1:1 series")
@paginate(PagePagination)
def list_series(request: HttpRequest) -> QuerySet[OneOnOneSeries]:
    return selectors.series_for(actor(request)).order_by("created_at", "pk")


@router.post(
    "/one-on-ones",
    response={201: SeriesOut, **WRITE},
    summary="Start a 1:1 series with a report",
    openapi_extra=documented_body(SeriesIn),
)
def create_series(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    payload = parse_body(request, SeriesIn)
    series = services.create_series(
        actor=m,
        report=_member(m, payload.report_id, "report_id"),
        rhythm_days=int(payload.rhythm_days),
        first_meeting_on=payload.first_meeting_on,
        start_time=payload.start_time,
        duration_minutes=payload.duration_minutes,
    )
    return Status(201, selectors.get_series(m, series.public_id))


@router.get(
    "/one-on-ones/{series_id}",
    response={200: SeriesOut, **WRITE},
    summary="A 1:1 series",
)
def get_series(request: HttpRequest, series_id: UUID) -> OneOnOneSeries:
    return selectors.get_series(actor(request), series_id)


@router.get(
    "/one-on-ones/{series_id}/meetings",
    response={200: list[MeetingSummaryOut], **WRITE},
    summary="A series' meetings, newest first",
)
@paginate(PagePagination)
def list_meetings(request: HttpRequest, series_id: UUID) -> Any:
    m, series, _body = _act(request, selectors.get_series, series_id)
    return Meeting.objects.for_org(m.organisation).filter(series=series).order_by("-held_on")


@router.post(
    "/one-on-ones/{series_id}/meetings",
    response={201: MeetingOut, **WRITE},
    summary="Schedule the next meeting, one rhythm after the latest",
)
def schedule_meeting(request: HttpRequest, series_id: UUID) -> Status[Any]:
    m, series, _body = _act(request, selectors.get_series, series_id)
    meeting = services.schedule_next_meeting(actor=m, series=series)
    return Status(201, _meeting_out(m, selectors.get_meeting(m, meeting.public_id)))


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **WRITE},
    summary="A meeting: agenda, suggested talking points, action items, my private note",
)
def get_meeting(request: HttpRequest, meeting_id: UUID) -> MeetingOut:
    m, meeting, _body = _act(request, selectors.get_meeting, meeting_id)
    return _meeting_out(m, meeting)


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={201: MeetingOut, **WRITE},
    summary="Add a talking point",
    openapi_extra=documented_body(AgendaIn),
)
def add_agenda(request: HttpRequest, meeting_id: UUID) -> Status[Any]:
    m, meeting, payload = _act(request, selectors.get_meeting, meeting_id, AgendaIn)
    services.add_agenda_item(actor=m, meeting=meeting, text=payload.text)
    return Status(201, _meeting_out(m, meeting))


@router.put(
    "/meetings/{meeting_id}/notes",
    response={200: MeetingOut, **WRITE},
    summary="Save the shared notes and/or my private note (fields left out are unchanged)",
    openapi_extra=documented_body(NotesIn),
)
def save_notes(request: HttpRequest, meeting_id: UUID) -> MeetingOut:
    m, meeting, payload = _act(request, selectors.get_meeting, meeting_id, NotesIn)
    if payload.shared_notes is not None:
        services.save_shared_notes(actor=m, meeting=meeting, text=payload.shared_notes)
    if payload.my_private_note is not None:
        services.save_private_note(actor=m, meeting=meeting, body=payload.my_private_note)
    return _meeting_out(m, meeting)


@router.post(
    "/meetings/{meeting_id}/action-items",
    response={201: ActionItemOut, **WRITE},
    summary="Add an action item (its owner is one of the two people meeting)",
    openapi_extra=documented_body(ActionItemIn),
)
def add_action_item(request: HttpRequest, meeting_id: UUID) -> Status[Any]:
    m, meeting, payload = _act(request, selectors.get_meeting, meeting_id, ActionItemIn)
    item = services.add_action_item(
        actor=m,
        meeting=meeting,
        text=payload.text,
        owner=_member(m, payload.owner_id, "owner_id"),
        due_on=payload.due_on,
    )
    return Status(201, item)


@router.post(
    "/meetings/{meeting_id}/action-items/{item_id}/done",
    response={200: ActionItemOut, **WRITE},
    summary="Mark an action item done in this meeting",
)
def complete_action_item(request: HttpRequest, meeting_id: UUID, item_id: UUID) -> ActionItem:
    m, meeting, _body = _act(request, selectors.get_meeting, meeting_id)
    item = selectors.get_action_item(m, meeting, item_id)
    return services.complete_action_item(actor=m, item=item, meeting=meeting)


# --- development OKRs ------------------------------------------------------------------------


@router.get(
    "/development-objectives",
    response=list[DevObjectiveOut],
    summary="Development OKRs I may see (mine, my reporting line's; everyone's for admins)",
)
@paginate(PagePagination)
def list_development(
    request: HttpRequest, person_id: UUID | None = None
) -> QuerySet[DevelopmentObjective]:
    qs = selectors.development_list(actor(request)).order_by("created_at", "pk")
    if person_id is not None:
        qs = qs.filter(person__public_id=person_id)
    return qs


@router.post(
    "/development-objectives",
    response={201: DevObjectiveOut, **WRITE},
    summary="Write a development OKR (the person or their manager)",
    openapi_extra=documented_body(DevObjectiveIn),
)
def create_development(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    payload = parse_body(request, DevObjectiveIn)
    skills = list(selectors.skill_choices(m).filter(public_id__in=payload.skill_ids))
    if len(skills) != len(set(payload.skill_ids)):
        raise ValidationError({"skill_ids": _("No such skill in this organisation.")})
    objective = services.create_development_objective(
        actor=m,
        person=_member(m, payload.person_id, "person_id"),
        title=payload.title,
        description=payload.description,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        skills=skills,
        key_results=payload.key_results,
    )
    return Status(201, selectors.development_list(m).get(pk=objective.pk))


@router.get(
    "/development-objectives/{objective_id}",
    response={200: DevObjectiveOut, **WRITE},
    summary="A development OKR",
)
def get_development(request: HttpRequest, objective_id: UUID) -> DevelopmentObjective:
    m, objective, _body = _act(request, selectors.get_development_objective, objective_id)
    return selectors.development_list(m).get(pk=objective.pk)


@router.post(
    "/development-objectives/{objective_id}/status",
    response={200: DevObjectiveOut, **WRITE},
    summary="Mark a development OKR done or dropped, or reopen it (status active), with a note",
    openapi_extra=documented_body(DevStatusIn),
)
def set_development_status(request: HttpRequest, objective_id: UUID) -> DevelopmentObjective:
    m, objective, payload = _act(
        request, selectors.get_development_objective, objective_id, DevStatusIn
    )
    services.set_development_status(
        actor=m, objective=objective, status=payload.status, note=payload.note
    )
    return selectors.development_list(m).get(pk=objective.pk)


@router.post(
    "/development-objectives/{objective_id}/key-results",
    response={201: DevKeyResultOut, **WRITE},
    summary="Add a learning key result",
    openapi_extra=documented_body(DevKeyResultIn),
)
def add_development_kr(request: HttpRequest, objective_id: UUID) -> Status[Any]:
    m, objective, payload = _act(
        request, selectors.get_development_objective, objective_id, DevKeyResultIn
    )
    return Status(
        201,
        services.add_development_key_result(actor=m, objective=objective, title=payload.title),
    )


@router.post(
    "/development-key-results/{kr_id}/progress",
    response={200: DevKeyResultOut, **WRITE},
    summary="Record progress on a learning key result",
    openapi_extra=documented_body(DevProgressIn),
)
def record_development_progress(request: HttpRequest, kr_id: UUID) -> DevelopmentKeyResult:
    m, kr, payload = _act(request, selectors.get_development_key_result, kr_id, DevProgressIn)
    services.record_development_progress(
        actor=m, key_result=kr, progress=payload.progress, note=payload.note
    )
    return kr


# --- skills assessments ----------------------------------------------------------------------


@router.get(
    "/people/{person_id}/skill-assessments",
    response={200: list[AssessmentOut], **WRITE},
    summary="A person's skills assessments, oldest first",
)
@paginate(PagePagination)
def list_assessments(request: HttpRequest, person_id: UUID) -> QuerySet[SkillAssessment]:
    m, person, _body = _act(request, selectors.get_person, person_id)
    require(m, "skill_assessment", "view", Subject(person=person))
    return selectors.assessment_list(m).filter(person=person)


@router.post(
    "/people/{person_id}/skill-assessments",
    response={201: AssessmentOut, **WRITE},
    summary="Assess a skill: yourself (self assessment) or a report (manager assessment)",
    openapi_extra=documented_body(AssessmentIn),
)
def create_assessment(request: HttpRequest, person_id: UUID) -> Status[Any]:
    m, person, payload = _act(request, selectors.get_person, person_id, AssessmentIn)
    skill = selectors.skill_choices(m).filter(public_id=payload.skill_id).first()
    if skill is None:
        raise ValidationError({"skill_id": _("No such skill in this organisation.")})
    evidence = _evidence(m, person, payload)
    assessment = services.assess_skill(
        actor=m,
        person=person,
        skill=skill,
        level=payload.level,
        note=payload.note,
        evidence=evidence,
    )
    return Status(201, selectors.assessment_list(m).get(pk=assessment.pk))


# --- feedback --------------------------------------------------------------------------------


@router.get("/feedback", response=list[FeedbackOut], summary="Feedback I may read, newest first")
@paginate(PagePagination)
def list_feedback(request: HttpRequest) -> QuerySet[Feedback]:
    return selectors.feedback_list(actor(request))


@router.post(
    "/feedback",
    response={201: FeedbackOut, **WRITE},
    summary="Give feedback or praise, optionally about an objective or key result",
    openapi_extra=documented_body(FeedbackIn),
)
def give_feedback(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    payload = parse_body(request, FeedbackIn)
    objective = lookups.get_objective(m, payload.objective_id) if payload.objective_id else None
    key_result = lookups.get_key_result(m, payload.key_result_id) if payload.key_result_id else None
    fr = selectors.get_feedback_request(m, payload.request_id) if payload.request_id else None
    feedback = services.give_feedback(
        actor=m,
        recipient=_member(m, payload.recipient_id, "recipient_id"),
        body=payload.body,
        kind=payload.kind,
        visibility=payload.visibility,
        objective=objective,
        key_result=key_result,
        request=fr,
    )
    return Status(201, selectors.feedback_list(m).get(pk=feedback.pk))


@router.post(
    "/feedback-requests",
    response={201: FeedbackRequestOut, **WRITE},
    summary="Ask a named colleague for feedback about yourself",
    openapi_extra=documented_body(FeedbackRequestIn),
)
def request_feedback(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    payload = parse_body(request, FeedbackRequestIn)
    fr = services.request_feedback(
        actor=m,
        about=m,
        respondent=_member(m, payload.respondent_id, "respondent_id"),
        message=payload.message,
    )
    return Status(201, selectors.get_feedback_request(m, fr.public_id))
