"""Academy API: courses and modules, my progress, assignments (admins), course authoring (admins:
their organisation's own courses, modules and Markdown lessons), certificate verification
(public: no token)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from okrcoach.api.auth import actor
from okrcoach.core.api.body import documented_body, parse_body
from okrcoach.core.api.pagination import PagePagination
from okrcoach.core.api.schemas import FORBIDDEN, WRITE, ErrorOut, InSchema
from okrcoach.orgs.access import get_for_member_or_404, require_admin
from okrcoach.orgs.models import Membership, Role, Team

from . import authoring, selectors, services
from .forms import (
    CourseForm,
    LessonForm,
    ModuleForm,
    RevokeForm,
    parse_answers,
    parse_choice,
    parse_refresher_answers,
)
from .models import Activity, ActivityType, Assignment, AssignmentTarget, Certificate, Course
from .verification import get_certificate_by_code

router = Router(tags=["academy"])


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    version: int
    validity_days: int
    min_quiz_average: int


class ActivityOut(Schema):
    slug: str
    type: str
    title: str
    required: bool
    completed: bool
    best_score: float | None


class ModuleOut(Schema):
    slug: str
    number: int
    title: str
    summary: str
    estimated_minutes: int
    is_open: bool
    is_complete: bool
    activities: list[ActivityOut]


class CourseDetailOut(CourseOut):
    enrolled: bool
    modules: list[ModuleOut]


class ProgressOut(Schema):
    course: str
    enrolled: bool
    modules_complete: int
    modules_total: int
    percent: int
    completed_at: dt.datetime | None
    certificate_code: str | None


class AssignmentOut(Schema):
    id: UUID
    course: str
    audience: str
    team_id: UUID | None
    due_on: dt.date
    note: str
    targets: int

    @staticmethod
    def resolve_id(a: Assignment) -> UUID:
        return a.public_id

    @staticmethod
    def resolve_course(a: Assignment) -> str:
        return a.course.slug

    @staticmethod
    def resolve_team_id(a: Assignment) -> UUID | None:
        return a.team.public_id if a.team is not None else None

    @staticmethod
    def resolve_targets(a: Assignment) -> int:
        return int(getattr(a, "target_count", 0))


class AssignmentIn(InSchema):
    course: str
    audience: Assignment.Audience
    due_on: dt.date
    people: list[UUID] = []
    team_id: UUID | None = None
    note: str = ""


class VerificationOut(Schema):
    code: str
    name: str
    course: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    status: str


def _course_detail(membership: Membership, course: Course) -> CourseDetailOut:
    status = selectors.course_statuses(membership, [course])[0]
    return CourseDetailOut(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        version=course.version,
        validity_days=course.validity_days,
        min_quiz_average=course.min_quiz_average,
        enrolled=status.enrollment is not None,
        modules=[
            ModuleOut(
                slug=m.module.slug,
                number=m.module.number,
                title=m.module.title,
                summary=m.module.summary,
                estimated_minutes=m.module.estimated_minutes,
                is_open=m.is_open,
                is_complete=m.is_complete,
                activities=[
                    ActivityOut(
                        slug=s.activity.slug,
                        type=s.activity.type,
                        title=s.activity.title,
                        required=s.activity.is_required,
                        completed=s.completed,
                        best_score=s.best_score,
                    )
                    for s in m.activities
                ],
            )
            for m in status.modules
        ],
    )


@router.get("/academy/courses", response=list[CourseOut], summary="Courses you can take")
@paginate(PagePagination)
def list_courses(request: HttpRequest) -> QuerySet[Course]:
    return selectors.visible_courses(actor(request).organisation)


@router.get(
    "/academy/courses/{slug}",
    response={200: CourseDetailOut, 404: ErrorOut},
    summary="A course with its modules and your progress",
)
def get_course(request: HttpRequest, slug: str) -> CourseDetailOut:
    m = actor(request)
    return _course_detail(m, selectors.get_course_or_404(m.organisation, slug))


@router.get("/academy/me/progress", response=list[ProgressOut], summary="Your progress")
def my_progress(request: HttpRequest) -> list[ProgressOut]:
    m = actor(request)
    statuses = selectors.course_statuses(m, list(selectors.visible_courses(m.organisation)))
    return [
        ProgressOut(
            course=s.course.slug,
            enrolled=s.enrollment is not None,
            modules_complete=s.modules_done,
            modules_total=len(s.modules),
            percent=s.percent,
            completed_at=s.enrollment.completed_at if s.enrollment else None,
            certificate_code=s.certificate.code if s.certificate else None,
        )
        for s in statuses
    ]


def _require_admin(m: Membership) -> None:
    if m.role != Role.ADMIN:
        raise PermissionDenied("Only admins manage assignments.")


@router.get(
    "/academy/assignments",
    response={200: list[AssignmentOut], 403: ErrorOut},
    summary="Assignments (admins)",
)
@paginate(PagePagination)
def list_assignments(request: HttpRequest) -> Any:
    m = actor(request)
    _require_admin(m)
    return selectors.assignments_with_counts(m.organisation)


@router.post(
    "/academy/assignments",
    response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign a course (admins)",
    openapi_extra=documented_body(AssignmentIn),
)
def create_assignment(request: HttpRequest) -> Status[Any]:
    payload = parse_body(request, AssignmentIn)
    m = actor(request)
    _require_admin(m)
    org = m.organisation
    course = selectors.get_course_or_404(org, payload.course)
    people = list(Membership.objects.for_org(org).filter(public_id__in=payload.people))
    if len(people) != len(set(payload.people)):
        raise Http404("No such person in this organisation.")
    team = None
    if payload.team_id is not None:
        team = Team.objects.for_org(org).filter(public_id=payload.team_id).first()
        if team is None:
            raise Http404("No such team in this organisation.")
    assignment = services.assign_course(
        actor=m,
        course=course,
        audience=payload.audience,
        due_on=payload.due_on,
        people=people,
        team=team,
        note=payload.note,
    )
    assignment.target_count = (  # type: ignore[attr-defined]
        AssignmentTarget.objects.for_org(org).filter(assignment=assignment).count()
    )
    return Status(201, assignment)


@router.get(
    "/academy/certificate-verification",
    auth=None,
    response={200: VerificationOut, 404: ErrorOut},
    summary="Verify a certificate by its code (?code=…; no token needed)",
)
def verify_certificate(request: HttpRequest, code: str) -> VerificationOut:
    cert: Certificate | None = get_certificate_by_code(code)
    if cert is None:
        raise Http404("No such certificate.")
    return VerificationOut(
        code=cert.code,
        name=cert.recipient_name,
        course=cert.course_title,
        issued_at=cert.issued_at,
        expires_at=cert.expires_at,
        status=cert.status,
    )


# --- taking a course: start or resume it, and submit an activity ----------------------------


@router.post(
    "/academy/courses/{slug}/enroll",
    response={200: CourseDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="Start a course, or resume it (the page's Start / Continue button)",
)
def enroll(request: HttpRequest, slug: str) -> CourseDetailOut:
    m = actor(request)
    course = selectors.get_course_or_404(m.organisation, slug)
    services.enroll(membership=m, course=course)
    return _course_detail(m, course)


class AttemptIn(InSchema):
    """The activity page's form, as field name → value (or list of values, for a question with
    several answers): a quiz `q-<question id>` (the chosen choice indexes), a sorting or a
    calibration `item-<item id>`, a flaw-spotting `option` (option ids), a rewrite or a
    reflection `text`, a scenario step `choice`. A lesson takes no fields (it is marked read)."""

    fields: dict[str, str | list[str]] = Field(default_factory=dict, max_length=200)


class AttemptOut(Schema):
    activity: str
    type: str
    score: float | None
    passed: bool
    finished: bool
    result: dict[str, Any]


def _as_form(fields: dict[str, str | list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name, [value] if isinstance(value, str) else value)
    return data


@router.post(
    "/academy/courses/{slug}/modules/{module_slug}/activities/{activity_slug}/attempts",
    response={201: AttemptOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Submit an activity: answer a quiz, sort, spot flaws, calibrate, rewrite, reflect, "
    "take a scenario step, or mark a lesson read",
    openapi_extra=documented_body(AttemptIn, required=False),
)
def submit_activity(
    request: HttpRequest, slug: str, module_slug: str, activity_slug: str
) -> Status[Any]:
    """The same parsers and services as the activity page: a module that is not open yet is
    403; an invalid answer is 422 with `field` naming the form field (`fields.<name>`)."""
    m = actor(request)
    course = selectors.get_course_or_404(m.organisation, slug)
    activity = selectors.get_activity_or_404(course, module_slug, activity_slug)
    payload = parse_body(request, AttemptIn, required=False)
    data = _as_form(payload.fields)
    try:
        if activity.type == ActivityType.LESSON:
            progress = services.mark_lesson_read(membership=m, activity=activity)
            return Status(
                201,
                AttemptOut(
                    activity=activity.slug,
                    type=activity.type,
                    score=progress.best_score,
                    passed=True,
                    finished=True,
                    result={},
                ),
            )
        if activity.type == ActivityType.SCENARIO:
            attempt = services.choose_scenario_option(
                membership=m, activity=activity, choice=parse_choice(data)
            )
        elif activity.type == ActivityType.FIELD_ASSIGNMENT:
            raise ValidationError(
                {
                    "fields": "This assignment completes itself from your work in okrcoach; "
                    "there is nothing to submit."
                }
            )
        else:
            answers = parse_answers(activity.type, activity.spec, data)
            attempt = services.submit_activity(membership=m, activity=activity, answers=answers)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", {})
        if "activity" in errors:
            raise PermissionDenied(errors["activity"][0].message) from exc
        if not errors:
            raise
        raise ValidationError(
            {(k if k == "fields" else f"fields.{k}"): v for k, v in exc.message_dict.items()}
        ) from exc
    return Status(
        201,
        AttemptOut(
            activity=activity.slug,
            type=activity.type,
            score=attempt.score,
            passed=attempt.passed,
            finished=attempt.is_finished,
            result=attempt.result or {},
        ),
    )


# --- refreshers: the spaced-repetition questions due for you ---------------------------------


class RefresherChoiceOut(Schema):
    index: int
    text: str


class RefresherOut(Schema):
    id: int
    kind: str
    prompt: str
    choices: list[RefresherChoiceOut]


class RefresherAnswersIn(InSchema):
    answers: dict[str, list[int]] = Field(
        ...,
        min_length=1,
        max_length=50,
        description="Refresher id → the chosen choice indexes.",
    )


@router.get(
    "/academy/me/refreshers",
    response=list[RefresherOut],
    summary="The refresher questions due for you (at most five)",
)
def due_refreshers(request: HttpRequest) -> list[RefresherOut]:
    return [
        RefresherOut(
            id=due.item.pk,
            kind=str(due.question.get("kind", "single")),
            prompt=str(due.question.get("prompt", "")),
            choices=[RefresherChoiceOut(index=i, text=str(c["text"])) for i, c in due.choices],
        )
        for due in selectors.due_refreshers(actor(request))
    ]


@router.post(
    "/academy/me/refreshers",
    response={200: list[dict[str, Any]], 422: ErrorOut},
    summary="Answer due refresher questions; each answer's feedback and when it comes back",
    openapi_extra=documented_body(RefresherAnswersIn),
)
def answer_refreshers(request: HttpRequest) -> list[dict[str, Any]]:
    payload = parse_body(request, RefresherAnswersIn)
    data = _as_form(
        {f"r-{key}": [str(v) for v in values] for key, values in payload.answers.items()}
    )
    try:
        answers = parse_refresher_answers(data)
    except ValidationError as exc:
        raise ValidationError(
            {f"answers.{k.removeprefix('r-')}": v for k, v in exc.message_dict.items()}
        ) from exc
    return services.answer_refreshers(membership=actor(request), answers=answers)


# --- revoking a certificate (admins) ---------------------------------------------------------


class RevokeIn(InSchema):
    reason: str = Field(..., max_length=300)


@router.post(
    "/academy/certificates/{code}/revoke",
    response={200: VerificationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Revoke a certificate, with a reason (admins)",
    openapi_extra=documented_body(RevokeIn),
)
def revoke_certificate(request: HttpRequest, code: str) -> VerificationOut:
    m = actor(request)
    cert = get_for_member_or_404(
        Certificate.objects.for_org(m.organisation).select_related("membership", "course"),
        m,
        code=code,
    )
    if not m.is_admin:
        raise PermissionDenied("Only an admin can revoke a certificate.")
    payload = parse_body(request, RevokeIn)
    form = RevokeForm({"reason": payload.reason})
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    services.revoke_certificate(actor=m, certificate=cert, reason=form.cleaned_data["reason"])
    cert.refresh_from_db()
    return VerificationOut(
        code=cert.code,
        name=cert.recipient_name,
        course=cert.course_title,
        issued_at=cert.issued_at,
        expires_at=cert.expires_at,
        status=cert.status,
    )


# --- academy settings (admins) ---------------------------------------------------------------


class AcademySettingsOut(Schema):
    relax_gating: bool


class AcademySettingsIn(InSchema):
    relax_gating: bool


@router.get(
    "/academy/settings",
    response={200: AcademySettingsOut, 403: ErrorOut},
    summary="The academy's settings (admins)",
)
def academy_settings(request: HttpRequest) -> AcademySettingsOut:
    m = actor(request)
    require_admin(m)
    return AcademySettingsOut(relax_gating=selectors.relaxed_gating(m.organisation))


@router.put(
    "/academy/settings",
    response={200: AcademySettingsOut, 403: ErrorOut, 422: ErrorOut},
    summary="Change the academy's settings (admins): relaxed gating opens every module",
    openapi_extra=documented_body(AcademySettingsIn),
)
def update_academy_settings(request: HttpRequest) -> AcademySettingsOut:
    m = actor(request)
    require_admin(m)
    payload = parse_body(request, AcademySettingsIn)
    services.update_academy_settings(actor=m, relax_gating=payload.relax_gating)
    return AcademySettingsOut(relax_gating=selectors.relaxed_gating(m.organisation))


# --- authoring (admins): the organisation's own courses, modules and Markdown lessons --------
# The same forms, services and checks as the authoring pages: admins only (403); a shipped course
# or another organisation's course or module is 404, as on the pages; a lesson's Markdown is
# rendered and sanitised by the same service (no raw HTML, no images).


class AuthoredCourseIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=2000)


class AuthoredModuleIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=2000)


class AuthoredLessonIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(
        min_length=1,
        max_length=authoring.MAX_LESSON_CHARS,
        description="Markdown: headings, lists, tables, emphasis and links. HTML and images "
        "are removed.",
    )


class AuthoredCourseOut(Schema):
    id: UUID = Field(alias="public_id")
    slug: str
    title: str
    summary: str
    module_count: int
    lesson_count: int

    @staticmethod
    def resolve_module_count(c: Course) -> int:
        return int(getattr(c, "module_count", 0))

    @staticmethod
    def resolve_lesson_count(c: Course) -> int:
        return int(getattr(c, "lesson_count", 0))


class AuthoredLessonSummaryOut(Schema):
    slug: str
    title: str
    position: int


class AuthoredModuleOut(Schema):
    slug: str
    number: int
    title: str
    summary: str
    lessons: list[AuthoredLessonSummaryOut]


class AuthoredCourseDetailOut(Schema):
    id: UUID
    slug: str
    title: str
    summary: str
    modules: list[AuthoredModuleOut]


class AuthoredLessonOut(Schema):
    course_id: UUID
    module: str
    slug: str
    title: str
    position: int
    html: str = Field(description="The lesson as the page shows it: rendered and sanitised.")
    words: int


def _form_data(form_class: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    form = form_class(data)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return dict(form.cleaned_data)


def _authored_module_out(m: Any) -> AuthoredModuleOut:
    return AuthoredModuleOut(
        slug=m.module.slug,
        number=m.module.number,
        title=m.module.title,
        summary=m.module.summary,
        lessons=[
            AuthoredLessonSummaryOut(slug=a.slug, title=a.title, position=a.position)
            for a in m.lessons
        ],
    )


def _own_course_for_admin(request: HttpRequest, course_id: UUID) -> tuple[Membership, Course]:
    """The course first (another organisation's, or a shipped one, is 404 whoever asks), then
    the admin check (403), then the body: ids cannot be probed through 403 or 422."""
    m = actor(request)
    course = selectors.get_own_course_or_404(m.organisation, course_id)
    require_admin(m)
    return m, course


@router.get(
    "/academy/authoring/courses",
    response={200: list[AuthoredCourseOut], **FORBIDDEN},
    summary="Your organisation's own courses, with their module and lesson counts (admins)",
)
@paginate(PagePagination)
def list_authored_courses(request: HttpRequest) -> QuerySet[Course]:
    m = actor(request)
    require_admin(m)
    return selectors.own_courses(m.organisation)


@router.post(
    "/academy/authoring/courses",
    response={201: AuthoredCourseOut, **WRITE},
    summary="Create a course of your organisation's own (admins)",
    openapi_extra=documented_body(AuthoredCourseIn),
)
def create_authored_course(request: HttpRequest) -> Status[Any]:
    m = actor(request)
    require_admin(m)
    payload = parse_body(request, AuthoredCourseIn)
    data = _form_data(CourseForm, payload.model_dump())
    return Status(201, authoring.create_course(actor=m, **data))


@router.get(
    "/academy/authoring/courses/{course_id}",
    response={200: AuthoredCourseDetailOut, **FORBIDDEN, 404: ErrorOut},
    summary="One of your organisation's own courses, with its modules and lessons (admins)",
)
def get_authored_course(request: HttpRequest, course_id: UUID) -> AuthoredCourseDetailOut:
    _m, course = _own_course_for_admin(request, course_id)
    return AuthoredCourseDetailOut(
        id=course.public_id,
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        modules=[_authored_module_out(a) for a in selectors.authored_modules(course)],
    )


@router.post(
    "/academy/authoring/courses/{course_id}/modules",
    response={201: AuthoredModuleOut, **WRITE},
    summary="Add a module to one of your organisation's own courses (admins)",
    openapi_extra=documented_body(AuthoredModuleIn),
)
def add_authored_module(request: HttpRequest, course_id: UUID) -> Status[Any]:
    m, course = _own_course_for_admin(request, course_id)
    payload = parse_body(request, AuthoredModuleIn)
    data = _form_data(ModuleForm, payload.model_dump())
    module = authoring.add_module(actor=m, course=course, **data)
    return Status(
        201,
        AuthoredModuleOut(
            slug=module.slug,
            number=module.number,
            title=module.title,
            summary=module.summary,
            lessons=[],
        ),
    )


@router.post(
    "/academy/authoring/courses/{course_id}/modules/{module_slug}/lessons",
    response={201: AuthoredLessonOut, **WRITE},
    summary="Add a Markdown lesson to a module of one of your organisation's own courses (admins)",
    openapi_extra=documented_body(AuthoredLessonIn),
)
def add_authored_lesson(request: HttpRequest, course_id: UUID, module_slug: str) -> Status[Any]:
    m, course = _own_course_for_admin(request, course_id)
    module = selectors.get_own_module_or_404(course, module_slug)
    payload = parse_body(request, AuthoredLessonIn)
    data = _form_data(LessonForm, payload.model_dump())
    lesson: Activity = authoring.add_lesson(actor=m, module=module, **data)
    return Status(
        201,
        AuthoredLessonOut(
            course_id=course.public_id,
            module=module.slug,
            slug=lesson.slug,
            title=lesson.title,
            position=lesson.position,
            html=str(lesson.spec["html"]),
            words=int(lesson.spec["words"]),
        ),
    )
