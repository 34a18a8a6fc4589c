"""Academy reads. Pages get frozen dataclasses built with a fixed number of queries, so the
templates only read attributes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from okrcoach.orgs.models import Membership, Organisation, Role, Team
from okrcoach.orgs.selectors import subtree_ids

from . import grading
from .models import (
    AcademySettings,
    Activity,
    ActivityAttempt,
    ActivityProgress,
    ActivityType,
    Assignment,
    AssignmentTarget,
    Certificate,
    Course,
    Enrollment,
    JournalEntry,
    LearningEventCount,
    Module,
    ModuleCompletion,
    RefresherItem,
)


def visible_courses(organisation: Organisation) -> QuerySet[Course]:
    """Shipped courses plus the organisation's own."""
    return Course.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), is_active=True
    ).order_by("title", "pk")


def get_course_or_404(organisation: Organisation, slug: str) -> Course:
    course = (
        visible_courses(organisation)
        .filter(slug=slug)
        # An organisation's own course wins over a shipped one; NULLs sort first on SQLite and
        # last on PostgreSQL, so say where they go.
        .order_by(F("organisation_id").asc(nulls_last=True))
        .first()
    )
    if course is None:
        raise Http404("No such course.")
    return course


def get_activity_or_404(course: Course, module_slug: str, activity_slug: str) -> Activity:
    activity = (
        Activity.objects.filter(
            module__course=course,
            module__slug=module_slug,
            module__is_active=True,
            slug=activity_slug,
            is_active=True,
        )
        .select_related("module")
        .first()
    )
    if activity is None:
        raise Http404("No such activity.")
    activity.module.course = course
    return activity


@dataclass(frozen=True)
class ActivityStatus:
    activity: Activity
    completed: bool
    passed: bool
    best_score: float | None
    attempts: int


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    activities: list[ActivityStatus]
    is_open: bool
    is_complete: bool
    required_total: int
    required_done: int

    @property
    def percent(self) -> int:
        return round(100 * self.required_done / self.required_total) if self.required_total else 0

    @property
    def next_activity(self) -> Activity | None:
        pending = [s for s in self.activities if not s.completed]
        required = [s for s in pending if s.activity.is_required]
        chosen = required or pending
        return chosen[0].activity if chosen else None


@dataclass(frozen=True)
class CourseStatus:
    course: Course
    enrollment: Enrollment | None
    modules: list[ModuleStatus]
    certificate: Certificate | None

    @property
    def modules_done(self) -> int:
        return sum(m.is_complete for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.modules_done / len(self.modules)) if self.modules else 0

    @property
    def continue_activity(self) -> Activity | None:
        """The first unfinished required activity in an open module (resume point)."""
        for status in self.modules:
            if status.is_open and not status.is_complete and status.next_activity:
                return status.next_activity
        if self.enrollment is not None and self.enrollment.last_activity_id:
            return next(
                (
                    a.activity
                    for m in self.modules
                    for a in m.activities
                    if a.activity.pk == self.enrollment.last_activity_id
                ),
                None,
            )
        return None


def relaxed_gating(organisation: Organisation) -> bool:
    """Whether the organisation opens every module without waiting for the one before."""
    return AcademySettings.objects.for_org(organisation).filter(relax_gating=True).exists()


def course_statuses(membership: Membership, courses: list[Course]) -> list[CourseStatus]:
    """Progress through each course for one learner: six queries whatever the data size."""
    org = membership.organisation
    course_ids = [c.pk for c in courses]
    modules = list(
        Module.objects.filter(course_id__in=course_ids, is_active=True).order_by(
            "course_id", "position"
        )
    )
    activities = list(
        Activity.objects.filter(module__in=modules, is_active=True)
        .defer("spec")
        .order_by("module_id", "position")
    )
    enrollments = {
        e.course_id: e
        for e in Enrollment.objects.for_org(org).filter(
            membership=membership, course_id__in=course_ids
        )
    }
    enrollment_ids = [e.pk for e in enrollments.values()]
    progress = {
        p.activity_id: p
        for p in ActivityProgress.objects.for_org(org).filter(enrollment_id__in=enrollment_ids)
    }
    completed = set(
        ModuleCompletion.objects.for_org(org)
        .filter(enrollment_id__in=enrollment_ids)
        .values_list("module_id", flat=True)
    )
    certificates: dict[int, Certificate] = {}
    for cert in (
        Certificate.objects.for_org(org)
        .filter(membership=membership, course_id__in=course_ids, revoked_at__isnull=True)
        .order_by("issued_at")
    ):
        certificates[cert.course_id] = cert
    relaxed = relaxed_gating(org) if modules else False
    by_module: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_module[activity.module_id].append(activity)
    courses_by_id = {c.pk: c for c in courses}
    result: dict[int, list[ModuleStatus]] = defaultdict(list)
    for module in modules:
        module.course = courses_by_id[module.course_id]
        statuses = []
        for activity in by_module[module.pk]:
            activity.module = module
            p = progress.get(activity.pk)
            statuses.append(
                ActivityStatus(
                    activity=activity,
                    completed=bool(p and p.completed_at),
                    passed=bool(p and p.passed),
                    best_score=p.best_score if p else None,
                    attempts=p.attempts if p else 0,
                )
            )
        previous = result[module.course_id][-1] if result[module.course_id] else None
        required = [s for s in statuses if s.activity.is_required]
        result[module.course_id].append(
            ModuleStatus(
                module=module,
                activities=statuses,
                is_open=relaxed or previous is None or previous.is_complete,
                is_complete=module.pk in completed,
                required_total=len(required),
                required_done=sum(s.completed for s in required),
            )
        )
    for enrollment in enrollments.values():
        enrollment.course = courses_by_id[enrollment.course_id]
    return [
        CourseStatus(
            course=c,
            enrollment=enrollments.get(c.pk),
            modules=result[c.pk],
            certificate=certificates.get(c.pk),
        )
        for c in courses
    ]


@dataclass(frozen=True)
class AssignedCourse:
    target: AssignmentTarget
    course: Course
    due_on: dt.date
    is_done: bool

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


@dataclass(frozen=True)
class AcademyHome:
    courses: list[CourseStatus]
    assigned: list[AssignedCourse]
    refreshers_due: int
    journal: list[JournalEntry]


def home_page(membership: Membership) -> AcademyHome:
    org = membership.organisation
    courses = course_statuses(membership, list(visible_courses(org)))
    done = Enrollment.objects.for_org(org).filter(
        membership_id=OuterRef("membership_id"),
        course_id=OuterRef("assignment__course_id"),
        completed_at__isnull=False,
    )
    targets = (
        AssignmentTarget.objects.for_org(org)
        .filter(membership=membership)
        .annotate(is_done=Exists(done))
        .select_related("assignment__course")
        .order_by("assignment__due_on", "pk")
    )
    assigned = [
        AssignedCourse(
            target=t, course=t.assignment.course, due_on=t.assignment.due_on, is_done=t.is_done
        )
        for t in targets
    ]
    return AcademyHome(
        courses=courses,
        assigned=assigned,
        refreshers_due=RefresherItem.objects.for_org(org)
        .filter(membership=membership, due_on__lte=timezone.localdate())
        .count(),
        journal=list(
            JournalEntry.objects.for_org(org)
            .filter(membership=membership)
            .select_related("activity")[:3]
        ),
    )


@dataclass(frozen=True)
class ModulePage:
    course: CourseStatus
    status: ModuleStatus
    previous: ModuleStatus | None
    next: ModuleStatus | None


def module_page(membership: Membership, course: Course, module_slug: str) -> ModulePage:
    status = course_statuses(membership, [course])[0]
    for i, m in enumerate(status.modules):
        if m.module.slug == module_slug:
            return ModulePage(
                course=status,
                status=m,
                previous=status.modules[i - 1] if i else None,
                next=status.modules[i + 1] if i + 1 < len(status.modules) else None,
            )
    raise Http404("No such module.")


@dataclass(frozen=True)
class ActivityPage:
    course: CourseStatus
    module: ModuleStatus
    activity: Activity
    status: ActivityStatus
    latest: ActivityAttempt | None
    open_scenario: ActivityAttempt | None
    event_count: int
    next_activity: Activity | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.module.is_open


def activity_page(membership: Membership, activity: Activity) -> ActivityPage:
    org = membership.organisation
    course = course_statuses(membership, [activity.module.course])[0]
    module = next(m for m in course.modules if m.module.pk == activity.module_id)
    status = next(s for s in module.activities if s.activity.pk == activity.pk)
    latest = open_scenario = None
    if course.enrollment is not None:
        attempts = list(
            ActivityAttempt.objects.for_org(org)
            .filter(enrollment=course.enrollment, activity=activity)
            .order_by("-created_at", "-pk")[:2]
        )
        finished = [a for a in attempts if a.is_finished]
        latest = finished[0] if finished else None
        open_scenario = next((a for a in attempts if not a.is_finished), None)
        if (
            open_scenario is not None
            and latest is not None
            and latest.created_at > open_scenario.created_at
        ):
            open_scenario = None
    event_count = 0
    if activity.type == ActivityType.FIELD_ASSIGNMENT:
        event_count = (
            LearningEventCount.objects.for_org(org)
            .filter(membership=membership, event=activity.spec.get("event"))
            .values_list("count", flat=True)
            .first()
            or 0
        )
    flat = [s.activity for m in course.modules for s in m.activities]
    index = next(i for i, a in enumerate(flat) if a.pk == activity.pk)
    return ActivityPage(
        course=course,
        module=module,
        activity=activity,
        status=status,
        latest=latest,
        open_scenario=open_scenario,
        event_count=event_count,
        next_activity=flat[index + 1] if index + 1 < len(flat) else None,
    )


def scenario_view(spec: dict[str, Any], attempt: ActivityAttempt | None) -> dict[str, Any]:
    """What a scenario page shows: the walk so far and the node waiting for a choice."""
    state = attempt.state if attempt is not None else grading.scenario_start(spec)
    node_id = state.get("node")
    node = grading.scenario_node(spec, node_id) if node_id else None
    return {
        "path": state.get("path", []),
        "node": node,
        "choices": list(enumerate(node["choices"])) if node else [],
    }


# Refreshers


@dataclass(frozen=True)
class RefresherQuestion:
    item: RefresherItem
    question: dict[str, Any]

    @property
    def choices(self) -> list[tuple[int, dict[str, Any]]]:
        return list(enumerate(self.question["choices"]))


def due_refreshers(membership: Membership, *, limit: int = 5) -> list[RefresherQuestion]:
    items = (
        RefresherItem.objects.for_org(membership.organisation)
        .filter(membership=membership, due_on__lte=timezone.localdate())
        .select_related("activity")[:limit]
    )
    out = []
    for item in items:
        question = next(
            (q for q in item.activity.spec.get("questions", []) if q["id"] == item.question_id),
            None,
        )
        if question is not None:
            out.append(RefresherQuestion(item=item, question=question))
    return out


# Who may see whose training


def can_view_person(viewer: Membership, person: Membership) -> bool:
    """Themselves, anyone above them in the reporting line, and admins."""
    if viewer.pk == person.pk or viewer.role == Role.ADMIN:
        return True
    return (
        Membership.objects.for_org(viewer.organisation)
        .filter(pk=person.pk)
        .filter(pk__in=subtree_ids(viewer))
        .exists()
    )


@dataclass(frozen=True)
class TrainingRecord:
    person: Membership
    courses: list[CourseStatus]
    certificates: list[Certificate]
    assigned: list[AssignedCourse]
    journal_count: int


def training_record(person: Membership) -> TrainingRecord:
    org = person.organisation
    enrolled = list(
        Course.objects.filter(
            pk__in=Enrollment.objects.for_org(org).filter(membership=person).values("course_id")
        ).order_by("title")
    )
    home = home_page(person)
    return TrainingRecord(
        person=person,
        courses=course_statuses(person, enrolled) if enrolled else [],
        certificates=list(
            Certificate.objects.for_org(org)
            .filter(membership=person)
            .select_related("revoked_by__user")
        ),
        assigned=home.assigned,
        journal_count=JournalEntry.objects.for_org(org).filter(membership=person).count(),
    )


# Assignments (admins: everyone; managers: their reporting line)


def targets_with_completion(organisation: Organisation) -> QuerySet[AssignmentTarget]:
    """Assignment targets, each with `is_done`: has the learner completed the course?"""
    done = Enrollment.objects.for_org(organisation).filter(
        membership_id=OuterRef("membership_id"),
        course_id=OuterRef("assignment__course_id"),
        completed_at__isnull=False,
    )
    return AssignmentTarget.objects.for_org(organisation).annotate(is_done=Exists(done))


def assignment_targets(viewer: Membership) -> QuerySet[AssignmentTarget]:
    org = viewer.organisation
    qs = (
        targets_with_completion(org)
        .select_related("assignment__course", "membership__user", "membership__team")
        .order_by("assignment__due_on", "membership__user__full_name", "pk")
    )
    if viewer.role != Role.ADMIN:
        qs = qs.filter(membership_id__in=subtree_ids(viewer))
    return qs


def assignments_with_counts(organisation: Organisation) -> QuerySet[Assignment]:
    """Assignments with how many people each targets and how many have finished."""
    done = Enrollment.objects.for_org(organisation).filter(
        membership_id=OuterRef("targets__membership_id"),
        course_id=OuterRef("course_id"),
        completed_at__isnull=False,
    )
    return (
        Assignment.objects.for_org(organisation)
        .select_related("course", "team", "assigned_by__user")
        .annotate(
            target_count=Count("targets", distinct=True),
            done_count=Count("targets", filter=Q(Exists(done)), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class AssignmentsPage:
    assignments: list[Assignment]
    overdue: list[AssignmentTarget]
    targets: list[AssignmentTarget]


def assignments_page(viewer: Membership) -> AssignmentsPage:
    org = viewer.organisation
    targets = list(assignment_targets(viewer))
    today = timezone.localdate()
    overdue = [
        t for t in targets if not getattr(t, "is_done", False) and t.assignment.due_on < today
    ]
    assignments: list[Assignment] = []
    if viewer.role == Role.ADMIN:
        assignments = list(assignments_with_counts(org))
    return AssignmentsPage(assignments=assignments, overdue=overdue, targets=targets)


# Reports


@dataclass(frozen=True)
class TeamRow:
    """A team's learners counted with every sub-team's: a department's row covers its teams."""

    team: Team
    depth: int
    people: int
    enrolled: int
    completed: int
    certified: int


@dataclass(frozen=True)
class QuestionRow:
    activity: Activity
    id: str
    prompt: str
    answered: int
    share_correct: float | None
    discrimination: float | None


@dataclass(frozen=True)
class ActivityScoreRow:
    activity: Activity
    attempts: int
    learners: int
    average: float | None


@dataclass(frozen=True)
class ReportsPage:
    course: Course
    teams: list[TeamRow]
    assignments: Sequence[Assignment]
    scores: list[ActivityScoreRow]
    items: list[QuestionRow]


def reports_page(organisation: Organisation, course: Course) -> ReportsPage:
    org = organisation
    now = timezone.now()
    enrollments = Enrollment.objects.for_org(org).filter(course=course)
    certs = Certificate.objects.for_org(org).filter(
        course=course, revoked_at__isnull=True, expires_at__gt=now
    )
    team_rows = team_completion_rows(org, enrollments, certs)
    done = Enrollment.objects.for_org(org).filter(
        membership_id=OuterRef("targets__membership_id"),
        course_id=OuterRef("course_id"),
        completed_at__isnull=False,
    )
    assignments = list(
        Assignment.objects.for_org(org)
        .filter(course=course)
        .select_related("team")
        .annotate(
            target_count=Count("targets", distinct=True),
            done_count=Count("targets", filter=Q(Exists(done)), distinct=True),
        )
    )
    quizzes = list(
        Activity.objects.filter(module__course=course, module__is_active=True, is_active=True)
        .select_related("module")
        .order_by("module__position", "position")
    )
    stats: dict[int, Any] = {
        row["activity_id"]: row
        for row in ActivityAttempt.objects.for_org(org)
        .filter(activity__module__course=course, is_finished=True)
        .values("activity_id")
        .annotate(n=Count("pk"), learners=Count("membership_id", distinct=True))
    }
    best: defaultdict[int, list[float]] = defaultdict(list)
    for activity_id, score in (
        ActivityProgress.objects.for_org(org)
        .filter(enrollment__course=course, best_score__isnull=False)
        .values_list("activity_id", "best_score")
    ):
        if score is not None:  # filtered above; the column is nullable
            best[activity_id].append(score)
    scores = [
        ActivityScoreRow(
            a,
            stats.get(a.pk, {}).get("n", 0),
            stats.get(a.pk, {}).get("learners", 0),
            round(sum(best[a.pk]) / len(best[a.pk]), 1) if best[a.pk] else None,
        )
        for a in quizzes
        if a.type not in (ActivityType.LESSON, ActivityType.FIELD_ASSIGNMENT)
    ]
    return ReportsPage(
        course=course,
        teams=team_rows,
        assignments=assignments,
        scores=scores,
        items=item_rows(org, [a for a in quizzes if a.type == ActivityType.QUIZ]),
    )


def team_completion_rows(
    organisation: Organisation,
    enrollments: QuerySet[Enrollment],
    certificates: QuerySet[Certificate],
) -> list[TeamRow]:
    """Completion per team including its sub-teams, in tree order: two queries whatever the
    number of teams or people (the tree path of each team carries its ancestors)."""
    teams = list(Team.objects.for_org(organisation).with_tree_fields().order_siblings_by("name"))
    ancestors = {t.pk: list(t.tree_path) for t in teams}
    totals: dict[int, list[int]] = {t.pk: [0, 0, 0, 0] for t in teams}
    people = (
        Membership.objects.for_org(organisation)
        .filter(is_active=True, team__isnull=False)
        .annotate(
            is_enrolled=Exists(enrollments.filter(membership_id=OuterRef("pk"))),
            is_completed=Exists(
                enrollments.filter(membership_id=OuterRef("pk"), completed_at__isnull=False)
            ),
            is_certified=Exists(certificates.filter(membership_id=OuterRef("pk"))),
        )
        .values_list("team_id", "is_enrolled", "is_completed", "is_certified")
    )
    for team_id, enrolled, completed, certified in people:
        for pk in ancestors.get(team_id, []):
            row = totals[pk]
            row[0] += 1
            row[1] += enrolled
            row[2] += completed
            row[3] += certified
    return [TeamRow(t, len(ancestors[t.pk]) - 1, *totals[t.pk]) for t in teams if totals[t.pk][0]]


def item_rows(organisation: Organisation, quizzes: list[Activity]) -> list[QuestionRow]:
    """Item analysis on each learner's latest attempt at each quiz."""
    latest: dict[tuple[int, int], ActivityAttempt] = {}
    for attempt in (
        ActivityAttempt.objects.for_org(organisation)
        .filter(activity__in=quizzes, is_finished=True)
        .only("activity_id", "membership_id", "score", "result", "created_at")
        .order_by("created_at", "pk")
    ):
        latest[(attempt.activity_id, attempt.membership_id)] = attempt
    rows: list[QuestionRow] = []
    for quiz in quizzes:
        learners = [
            (a.score or 0.0, {q["id"]: q["correct"] for q in a.result.get("questions", [])})
            for (activity_id, _m), a in latest.items()
            if activity_id == quiz.pk
        ]
        questions = quiz.spec.get("questions", [])
        analysis = grading.item_analysis(learners, [q["id"] for q in questions])
        for q, stats in zip(questions, analysis, strict=True):
            rows.append(
                QuestionRow(
                    quiz,
                    q["id"],
                    q["prompt"],
                    stats["answered"],
                    stats["share_correct"],
                    stats["discrimination"],
                )
            )
    return rows


def report_csv_rows(organisation: Organisation, course: Course) -> list[list[str]]:
    """One row per active person: enrollment, modules, completion, certificate, quiz average."""
    org = organisation
    modules_total = Module.objects.filter(course=course, is_active=True).count()
    enrollments = {
        e.membership_id: e
        for e in Enrollment.objects.for_org(org)
        .filter(course=course)
        .annotate(modules_done=Count("module_completions", distinct=True))
    }
    certificates = {
        c.membership_id: c
        for c in Certificate.objects.for_org(org).filter(course=course).order_by("issued_at")
    }
    quiz_ids = list(
        Activity.objects.filter(
            module__course=course, is_active=True, type=ActivityType.QUIZ
        ).values_list("pk", flat=True)
    )
    best: dict[int, list[float]] = defaultdict(list)
    for enrollment_id, score in (
        ActivityProgress.objects.for_org(org)
        .filter(enrollment__course=course, activity_id__in=quiz_ids)
        .values_list("enrollment_id", "best_score")
    ):
        best[enrollment_id].append(score or 0.0)
    rows = [
        [
            "name",
            "email",
            "team",
            "enrolled",
            "modules_completed",
            "modules_total",
            "completed_on",
            "certificate",
            "certificate_expires",
            "quiz_average",
        ]
    ]
    people = (
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .select_related("user", "team")
        .order_by("user__full_name", "pk")
    )
    for person in people:
        e = enrollments.get(person.pk)
        cert = certificates.get(person.pk)
        avg = round(sum(best[e.pk]) / len(quiz_ids), 1) if e and quiz_ids else ""
        rows.append(
            [
                person.user.full_name,
                person.user.email,
                person.team.name if person.team else "",
                "yes" if e else "no",
                str(getattr(e, "modules_done", 0) if e else 0),
                str(modules_total),
                e.completed_at.date().isoformat() if e and e.completed_at else "",
                cert.status if cert else "",
                cert.expires_at.date().isoformat() if cert else "",
                str(avg),
            ]
        )
    return rows


# Authoring (admins: their organisation's own courses)


def own_courses(organisation: Organisation) -> QuerySet[Course]:
    """The organisation's own courses, with how many modules and lessons each has."""
    return (
        Course.objects.filter(organisation=organisation)
        .annotate(
            module_count=Count("modules", distinct=True),
            lesson_count=Count(
                "modules__activities",
                filter=Q(modules__activities__type=ActivityType.LESSON),
                distinct=True,
            ),
        )
        .order_by("title", "pk")
    )


def get_own_course_or_404(organisation: Organisation, course_id: Any) -> Course:
    """One of the organisation's own courses by public id; shipped or foreign ones are 404."""
    try:
        return Course.objects.get(organisation=organisation, public_id=course_id)
    except (Course.DoesNotExist, ValueError) as exc:
        raise Http404("No such course.") from exc


@dataclass(frozen=True)
class AuthoredModule:
    module: Module
    lessons: list[Activity]


def authored_modules(course: Course) -> list[AuthoredModule]:
    """A course's modules, each with its lessons: two queries whatever the size."""
    modules = list(Module.objects.filter(course=course).order_by("position"))
    lessons: dict[int, list[Activity]] = defaultdict(list)
    for lesson in (
        Activity.objects.filter(module__course=course, type=ActivityType.LESSON)
        .defer("spec")
        .order_by("position")
    ):
        lessons[lesson.module_id].append(lesson)
    for module in modules:
        module.course = course
    return [AuthoredModule(module=m, lessons=lessons[m.pk]) for m in modules]


def get_own_module_or_404(course: Course, module_slug: str) -> Module:
    module = Module.objects.filter(course=course, slug=module_slug).first()
    if module is None:
        raise Http404("No such module.")
    module.course = course
    return module
