"""Academy writes: one function per operation a learner, an admin or the product performs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.core.mail import queue_templated_email
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Organisation, Team

from . import comms_hooks, grading, planning, selectors
from .coaching import review_draft
from .evidence import product_event_counts
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
    LearningEvent,
    LearningEventCount,
    Module,
    ModuleCompletion,
    RefresherItem,
    RefresherNotice,
    ReminderSent,
)

# Scored activities whose completion needs a pass; the others complete when finished.
MASTERY_TYPES = {
    ActivityType.QUIZ,
    ActivityType.REWRITE,
    ActivityType.REFLECTION,
    ActivityType.FIELD_ASSIGNMENT,
}
FIRST_REFRESHER_DAYS = 7
REFRESHERS_PER_MODULE = 5
DUE_SOON_DAYS = 3
OVERDUE_REPEAT_DAYS = 7


def course_visible_to(course: Course, organisation: Organisation) -> bool:
    return course.is_active and course.organisation_id in (None, organisation.pk)


def _check_course(actor: Membership, course: Course) -> None:
    if not course_visible_to(course, actor.organisation):
        raise ValidationError({"course": _("This course is not available here.")})


def module_is_open(enrollment: Enrollment | None, module: Module, *, relaxed: bool) -> bool:
    """A module opens when the one before it is complete (or the organisation relaxed gating)."""
    if relaxed:
        return True
    previous = (
        Module.objects.filter(
            course_id=module.course_id, is_active=True, position__lt=module.position
        )
        .order_by("-position")
        .first()
    )
    if previous is None:
        return True
    return (
        enrollment is not None
        and ModuleCompletion.objects.for_org(enrollment.organisation)
        .filter(enrollment=enrollment, module=previous)
        .exists()
    )


@transaction.atomic
def enroll(*, membership: Membership, course: Course) -> Enrollment:
    """Start a course (or return the existing enrollment); events already recorded count."""
    _check_course(membership, course)
    enrollment, created = Enrollment.objects.for_org(membership.organisation).get_or_create(
        organisation=membership.organisation, membership=membership, course=course
    )
    if created:
        counts = dict(
            LearningEventCount.objects.for_org(membership.organisation)
            .filter(membership=membership)
            .values_list("event", "count")
        )
        _sync_field_assignments(enrollment, counts)
    return enrollment


def _ensure_open(membership: Membership, activity: Activity) -> Enrollment:
    module = activity.module
    course = module.course
    _check_course(membership, course)
    if not activity.is_active or not module.is_active:
        raise ValidationError({"activity": _("This activity is no longer part of the course.")})
    enrollment = enroll(membership=membership, course=course)
    if not module_is_open(
        enrollment, module, relaxed=selectors.relaxed_gating(membership.organisation)
    ):
        raise ValidationError(
            {"activity": _("Finish the previous module first: this one opens after it.")}
        )
    return enrollment


def _is_complete(activity: Activity, attempt_passed: bool, finished: bool) -> bool:
    return attempt_passed if activity.type in MASTERY_TYPES else finished


def _record_progress(
    enrollment: Enrollment,
    activity: Activity,
    *,
    score: float | None,
    passed: bool,
    finished: bool,
    counts_attempt: bool = True,
) -> ActivityProgress:
    progress, _created = ActivityProgress.objects.for_org(enrollment.organisation).get_or_create(
        organisation=enrollment.organisation, enrollment=enrollment, activity=activity
    )
    if counts_attempt:
        progress.attempts += 1
    if score is not None:
        progress.last_score = score
        progress.best_score = max(score, progress.best_score or 0.0)
    progress.passed = progress.passed or passed
    if progress.completed_at is None and _is_complete(activity, passed, finished):
        progress.completed_at = timezone.now()
    progress.save()
    if progress.completed_at is not None:
        _update_module_completion(enrollment, activity.module)
    return progress


def _update_module_completion(enrollment: Enrollment, module: Module) -> None:
    org = enrollment.organisation
    required = list(
        Activity.objects.filter(module=module, is_active=True, is_required=True).values_list(
            "pk", flat=True
        )
    )
    done = (
        ActivityProgress.objects.for_org(org)
        .filter(enrollment=enrollment, activity_id__in=required, completed_at__isnull=False)
        .count()
    )
    if done < len(required):
        return
    _completion, created = ModuleCompletion.objects.for_org(org).get_or_create(
        organisation=org, enrollment=enrollment, module=module
    )
    if not created:
        _maybe_issue_certificate(enrollment)
        return
    _schedule_refreshers(enrollment, module)
    modules = Module.objects.filter(course_id=enrollment.course_id, is_active=True).count()
    completed = (
        ModuleCompletion.objects.for_org(org)
        .filter(enrollment=enrollment, module__is_active=True)
        .count()
    )
    if completed >= modules and enrollment.completed_at is None:
        enrollment.completed_at = timezone.now()
        enrollment.save(update_fields=["completed_at"])
    _maybe_issue_certificate(enrollment)


def _start_attempt(
    enrollment: Enrollment, activity: Activity, membership: Membership, **values: Any
) -> ActivityAttempt:
    enrollment.last_activity = activity
    enrollment.last_seen_at = timezone.now()
    enrollment.save(update_fields=["last_activity", "last_seen_at"])
    return ActivityAttempt.objects.for_org(membership.organisation).create(
        organisation=membership.organisation,
        enrollment=enrollment,
        membership=membership,
        activity=activity,
        activity_version=activity.version,
        **values,
    )


def grade_answers(activity: Activity, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Grade a submission for any type answered in one go (not scenarios or field work)."""
    spec = activity.spec
    kind = activity.type
    if kind == ActivityType.QUIZ:
        return grading.grade_quiz(spec, answers)
    if kind == ActivityType.SORTING:
        return grading.grade_sorting(spec, answers)
    if kind == ActivityType.FLAW_SPOTTING:
        return grading.grade_flaws(spec, answers["options"])
    if kind == ActivityType.CALIBRATION:
        return grading.grade_calibration(spec, answers)
    if kind == ActivityType.REFLECTION:
        return grading.grade_reflection(spec, answers["text"])
    if kind == ActivityType.REWRITE:
        review = review_draft(
            answers["text"], kind=spec["kind"], parent_objective=spec.get("parent_objective")
        )
        return grading.grade_rewrite(spec, review.to_dict())
    raise ValidationError({"activity": _("This activity is not answered with a form.")})


@transaction.atomic
def submit_activity(
    *, membership: Membership, activity: Activity, answers: Mapping[str, Any]
) -> ActivityAttempt:
    """Grade one attempt, store it with its feedback, and update progress. Answers arrive in
    the shape the form parsed; the rules (word minimum, gating) are decided here."""
    enrollment = _ensure_open(membership, activity)
    result = grade_answers(activity, answers)
    if activity.type == ActivityType.REFLECTION and not result["passed"]:
        raise ValidationError(
            {
                "text": _("Write at least %(min)s words; you wrote %(n)s.")
                % {"min": result["min_words"], "n": result["words"]}
            }
        )
    attempt = _start_attempt(
        enrollment,
        activity,
        membership,
        answers=dict(answers),
        result=result,
        score=result["score"],
        passed=result["passed"],
    )
    if activity.type == ActivityType.REFLECTION:
        JournalEntry.objects.for_org(membership.organisation).create(
            organisation=membership.organisation,
            membership=membership,
            activity=activity,
            prompt=activity.spec.get("prompt", ""),
            text=answers["text"],
            word_count=result["words"],
        )
    _record_progress(
        enrollment, activity, score=result["score"], passed=result["passed"], finished=True
    )
    return attempt


@transaction.atomic
def mark_lesson_read(*, membership: Membership, activity: Activity) -> ActivityProgress:
    if activity.type != ActivityType.LESSON:
        raise ValidationError({"activity": _("Only lessons are marked as read.")})
    enrollment = _ensure_open(membership, activity)
    enrollment.last_activity = activity
    enrollment.last_seen_at = timezone.now()
    enrollment.save(update_fields=["last_activity", "last_seen_at"])
    return _record_progress(enrollment, activity, score=None, passed=True, finished=True)


def _open_scenario_attempt(enrollment: Enrollment, activity: Activity) -> ActivityAttempt | None:
    return (
        ActivityAttempt.objects.for_org(enrollment.organisation)
        .filter(enrollment=enrollment, activity=activity, is_finished=False)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def choose_scenario_option(
    *, membership: Membership, activity: Activity, choice: int
) -> ActivityAttempt:
    """Take one step through a branching scenario; the walk so far lives in the attempt."""
    if activity.type != ActivityType.SCENARIO:
        raise ValidationError({"activity": _("This activity is not a scenario.")})
    enrollment = _ensure_open(membership, activity)
    attempt = _open_scenario_attempt(enrollment, activity)
    if attempt is None:
        attempt = _start_attempt(
            enrollment,
            activity,
            membership,
            is_finished=False,
            state=grading.scenario_start(activity.spec),
        )
    try:
        state = grading.scenario_choose(activity.spec, attempt.state, choice)
    except ValueError as exc:
        raise ValidationError({"choice": _("Choose one of the options.")}) from exc
    result = grading.grade_scenario(activity.spec, state)
    attempt.state = state
    attempt.result = result
    attempt.answers = {"choices": [s["choice"] for s in state["path"]]}
    attempt.score = result["score"]
    attempt.passed = result["passed"]
    attempt.is_finished = result["finished"]
    attempt.save(update_fields=["state", "result", "answers", "score", "passed", "is_finished"])
    if attempt.is_finished:
        _record_progress(
            enrollment, activity, score=result["score"], passed=result["passed"], finished=True
        )
    return attempt


def _sync_field_assignments(enrollment: Enrollment, counts: Mapping[str, int]) -> None:
    """Update every field assignment of the enrollment's course that waits for one of these
    events: one query for the activities, whatever the number of events."""
    if not counts:
        return
    activities = Activity.objects.filter(
        module__course_id=enrollment.course_id,
        module__is_active=True,
        is_active=True,
        type=ActivityType.FIELD_ASSIGNMENT,
        spec__event__in=list(counts),
    ).select_related("module")
    for activity in activities:
        result = grading.field_progress(activity.spec, counts[activity.spec["event"]])
        _record_progress(
            enrollment,
            activity,
            score=result["score"],
            passed=result["passed"],
            finished=result["passed"],
            counts_attempt=False,
        )


def _sync_learner(membership: Membership, counts: Mapping[str, int]) -> None:
    """Apply event counts to all of the learner's enrollments."""
    if not counts:
        return
    for enrollment in Enrollment.objects.for_org(membership.organisation).filter(
        membership=membership
    ):
        _sync_field_assignments(enrollment, counts)


@transaction.atomic
def record_learning_event(*, membership: Membership, event: str, count: int = 1) -> int:
    """The product reports evidence of practice (a check-in logged, an objective published with
    a good coach verdict…); field assignments that wait for it complete. Returns the new total."""
    if event not in LearningEvent.values:
        raise ValidationError({"event": _("Unknown learning event %(e)s.") % {"e": event}})
    if count < 1:
        raise ValidationError({"count": _("The count must be at least 1.")})
    org = membership.organisation
    counter, _created = LearningEventCount.objects.for_org(org).get_or_create(
        organisation=org, membership=membership, event=event
    )
    LearningEventCount.objects.for_org(org).filter(pk=counter.pk).update(count=F("count") + count)
    counter.refresh_from_db(fields=["count"])
    _sync_learner(membership, {event: counter.count})
    return counter.count


@transaction.atomic
def sync_product_evidence(*, membership: Membership) -> dict[str, int]:
    """Bring the learner's event counts up to what the product records show, and complete the
    field assignments that were waiting for them. Idempotent: counts only ever rise to the
    evidence, so running it on every visit or nightly changes nothing twice."""
    org = membership.organisation
    evidence = product_event_counts(membership)
    if not evidence:
        return {}
    stored = dict(
        LearningEventCount.objects.for_org(org)
        .filter(membership=membership)
        .values_list("event", "count")
    )
    raised = {e: n for e, n in evidence.items() if n > stored.get(e, 0)}
    for event, count in raised.items():
        LearningEventCount.objects.for_org(org).update_or_create(
            organisation=org, membership=membership, event=event, defaults={"count": count}
        )
    _sync_learner(membership, raised)
    return {**stored, **raised}


# Certificates


def quiz_average(enrollment: Enrollment) -> float:
    """The average best score over every quiz in the course; a quiz not taken counts as 0."""
    quizzes = list(
        Activity.objects.filter(
            module__course_id=enrollment.course_id,
            module__is_active=True,
            is_active=True,
            type=ActivityType.QUIZ,
        ).values_list("pk", flat=True)
    )
    if not quizzes:
        return 100.0
    best = dict(
        ActivityProgress.objects.for_org(enrollment.organisation)
        .filter(enrollment=enrollment, activity_id__in=quizzes)
        .values_list("activity_id", "best_score")
    )
    return round(sum(best.get(q) or 0.0 for q in quizzes) / len(quizzes), 1)


def certificate_criteria(enrollment: Enrollment) -> dict[str, Any]:
    capstone = (
        Module.objects.filter(course_id=enrollment.course_id, is_active=True)
        .order_by("-position")
        .first()
    )
    capstone_done = (
        capstone is not None
        and ModuleCompletion.objects.for_org(enrollment.organisation)
        .filter(enrollment=enrollment, module=capstone)
        .exists()
    )
    average = quiz_average(enrollment)
    return {
        "capstone_complete": capstone_done,
        "quiz_average": average,
        "min_quiz_average": enrollment.course.min_quiz_average,
        "met": capstone_done and average >= enrollment.course.min_quiz_average,
    }


def _maybe_issue_certificate(enrollment: Enrollment) -> Certificate | None:
    criteria = certificate_criteria(enrollment)
    if not criteria["met"]:
        return None
    org = enrollment.organisation
    now = timezone.now()
    if (
        Certificate.objects.for_org(org)
        .filter(
            membership_id=enrollment.membership_id,
            course_id=enrollment.course_id,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .exists()
    ):
        return None
    return issue_certificate(enrollment=enrollment, quiz_avg=criteria["quiz_average"])


def issue_certificate(*, enrollment: Enrollment, quiz_avg: float) -> Certificate:
    membership = enrollment.membership
    course = enrollment.course
    now = timezone.now()
    certificate = Certificate.objects.for_org(enrollment.organisation).create(
        organisation=enrollment.organisation,
        membership=membership,
        course=course,
        recipient_name=membership.user.full_name,
        course_title=course.title,
        issued_at=now,
        expires_at=now + dt.timedelta(days=course.validity_days),
        quiz_average=quiz_avg,
    )
    audit(membership, "academy.certificate.issued", certificate)
    return certificate


@transaction.atomic
def revoke_certificate(*, actor: Membership, certificate: Certificate, reason: str) -> Certificate:
    ensure_same_org(actor, certificate)
    if not actor.is_admin:
        raise ValidationError({"certificate": _("Only an admin can revoke a certificate.")})
    if certificate.revoked_at is not None:
        raise ValidationError({"certificate": _("This certificate is already revoked.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit(actor, "academy.certificate.revoked", certificate, data={"reason": reason[:300]})
    return certificate


# Assignments and reminders


def managers(organisation: Organisation) -> Iterable[Membership]:
    return (
        Membership.objects.for_org(organisation)
        .filter(is_active=True, reports__is_active=True)
        .distinct()
    )


@transaction.atomic
def assign_course(
    *,
    actor: Membership,
    course: Course,
    audience: str,
    due_on: dt.date,
    people: Iterable[Membership] = (),
    team: Team | None = None,
    note: str = "",
) -> Assignment:
    """Assign a course to people, a team (with its sub-teams) or every manager; each person
    gets a target row and an email."""
    ensure_same_org(actor, team, *people)
    if not actor.is_admin:
        raise ValidationError({"course": _("Only an admin can assign courses.")})
    _check_course(actor, course)
    # Every mistake at once, each keyed by its field.
    errors: dict[str, str] = {}
    if due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    org = actor.organisation
    targets: list[Membership] = []
    if audience == Assignment.Audience.PEOPLE:
        targets = [p for p in people if p.is_active]
        if not targets:
            errors["people"] = _("Choose at least one person.")
    elif audience == Assignment.Audience.TEAM:
        if team is None:
            errors["team"] = _("Choose a team.")
        else:
            teams = Team.objects.for_org(org).descendants(team, include_self=True)
            targets = list(Membership.objects.for_org(org).filter(is_active=True, team__in=teams))
            if not targets:
                errors["team"] = _("Nobody is in this team yet.")
    elif audience == Assignment.Audience.MANAGERS:
        targets = list(managers(org))
        if not targets:
            errors["audience"] = _("Nobody in the organisation has reports yet.")
    else:
        errors["audience"] = _("Choose who the course is for.")
    if errors:
        raise ValidationError(errors)
    assignment = Assignment.objects.for_org(org).create(
        organisation=org,
        course=course,
        audience=audience,
        team=team if audience == Assignment.Audience.TEAM else None,
        due_on=due_on,
        note=note[:300],
        assigned_by=actor,
    )
    AssignmentTarget.objects.for_org(org).bulk_create(
        [AssignmentTarget(organisation=org, assignment=assignment, membership=m) for m in targets]
    )
    audit(
        actor,
        "academy.assignment.created",
        assignment,
        data={
            "course": course.slug,
            "audience": audience,
            "targets": len(targets),
            "due_on": due_on.isoformat(),
        },
    )
    # The inbox and an email under each person's "academy" switch (comms).
    comms_hooks.assignment_created(
        org=org, assignment=assignment, course=course, people=[m.pk for m in targets]
    )
    return assignment


def reminder_kind(
    due_on: dt.date, today: dt.date, last_overdue: dt.date | None, had_due_soon: bool
) -> str | None:
    """Which reminder, if any, a learner who has not finished gets today."""
    days_left = (due_on - today).days
    if 0 <= days_left <= DUE_SOON_DAYS and not had_due_soon:
        return ReminderSent.Kind.DUE_SOON
    if days_left < 0 and (
        last_overdue is None or (today - last_overdue).days >= OVERDUE_REPEAT_DAYS
    ):
        return ReminderSent.Kind.OVERDUE
    return None


def pending_targets(organisation: Organisation) -> QuerySet[AssignmentTarget]:
    """Assignment targets whose learner has not completed the course yet."""
    return (
        selectors.targets_with_completion(organisation)
        .filter(Q(is_done=False), membership__is_active=True, membership__user__is_active=True)
        .select_related("assignment__course", "membership__user", "organisation")
    )


def send_reminder(*, target: AssignmentTarget, kind: str, today: dt.date) -> bool:
    """Send one reminder unless this target already got this kind today. Returns True when
    an email was queued. The unique (target, kind, day) row makes a second run a no-op."""
    with transaction.atomic():
        _row, created = ReminderSent.objects.for_org(target.organisation).get_or_create(
            organisation=target.organisation, target=target, kind=kind, sent_on=today
        )
        if not created:
            return False
        comms_hooks.reminder(target=target, kind=kind, today=today)
    return True


def send_assignment_reminders(*, today: dt.date | None = None) -> int:
    """Remind every learner, in every organisation, whose unfinished assignment is due soon
    or overdue. Returns how many reminders were queued."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    sent = 0
    for org in Organisation.objects.order_by("pk"):
        targets = list(pending_targets(org).filter(assignment__due_on__lte=horizon))
        if not targets:
            continue
        had_due_soon: set[int] = set()
        last_overdue: dict[int, dt.date] = {}
        for target_id, sent_kind, sent_on in (
            ReminderSent.objects.for_org(org)
            .filter(target__in=targets)
            .values_list("target_id", "kind", "sent_on")
        ):
            if sent_kind == ReminderSent.Kind.DUE_SOON:
                had_due_soon.add(target_id)
            elif sent_on > last_overdue.get(target_id, dt.date.min):
                last_overdue[target_id] = sent_on
        for target in targets:
            kind = reminder_kind(
                target.assignment.due_on,
                today,
                last_overdue.get(target.pk),
                target.pk in had_due_soon,
            )
            if kind is not None and send_reminder(target=target, kind=kind, today=today):
                sent += 1
    return sent


# Refreshers


def _schedule_refreshers(enrollment: Enrollment, module: Module) -> int:
    """Queue up to five refresher questions from a module just completed, due in about a week
    (or in the planning week, when one starts around then)."""
    org = enrollment.organisation
    today = timezone.localdate()
    due = planning.refresher_due_on(
        today, FIRST_REFRESHER_DAYS, planning.weeks_for(org, today, FIRST_REFRESHER_DAYS)
    )
    rows = []
    for quiz in Activity.objects.filter(module=module, is_active=True, type=ActivityType.QUIZ):
        for q in quiz.spec.get("questions", []):
            if q.get("refresher"):
                rows.append(
                    RefresherItem(
                        organisation=org,
                        membership_id=enrollment.membership_id,
                        activity=quiz,
                        question_id=q["id"],
                        due_on=due,
                        interval_days=FIRST_REFRESHER_DAYS,
                    )
                )
    rows = rows[:REFRESHERS_PER_MODULE]
    RefresherItem.objects.for_org(org).bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def answer_refreshers(
    *, membership: Membership, answers: Mapping[int, list[int]]
) -> list[dict[str, Any]]:
    """Grade the refresher questions answered (by item id) and reschedule each one: the
    interval doubles after a right answer, and the date moves to a nearby planning week."""
    org = membership.organisation
    items = list(
        RefresherItem.objects.for_org(org)
        .filter(membership=membership, pk__in=list(answers))
        .select_related("activity")
    )
    if not items:
        raise ValidationError({"answers": _("Answer at least one question.")})
    today = timezone.localdate()
    longest = max(item.interval_days for item in items) * 2
    weeks = planning.weeks_for(org, today, longest)
    feedback = []
    for item in items:
        question = next(
            (q for q in item.activity.spec.get("questions", []) if q["id"] == item.question_id),
            None,
        )
        if question is None:
            item.delete()
            continue
        graded = grading.grade_quiz(
            {"questions": [question], "pass_mark": 100}, {question["id"]: answers[item.pk]}
        )
        correct = graded["passed"]
        item.interval_days = grading.next_interval(
            item.interval_days, correct, FIRST_REFRESHER_DAYS
        )
        item.correct_streak = item.correct_streak + 1 if correct else 0
        item.reviews += 1
        item.due_on = planning.refresher_due_on(today, item.interval_days, weeks)
        item.last_reviewed_at = timezone.now()
        item.save()
        feedback.append({**graded["questions"][0], "next_due": item.due_on})
    return feedback


def send_refresher_reminders(*, today: dt.date | None = None) -> int:
    """Email every active learner who has refresher questions due, at most once a day each
    (the unique (learner, day) row makes a second run a no-op). Returns how many were queued."""
    today = today or timezone.localdate()
    sent = 0
    for org in Organisation.objects.order_by("pk"):
        due = dict(
            RefresherItem.objects.for_org(org)
            .filter(due_on__lte=today, membership__is_active=True)
            .values("membership_id")
            .annotate(n=Count("pk"))
            .values_list("membership_id", "n")
        )
        if not due:
            continue
        already = set(
            RefresherNotice.objects.for_org(org)
            .filter(sent_on=today, membership_id__in=list(due))
            .values_list("membership_id", flat=True)
        )
        people = (
            Membership.objects.for_org(org)
            .filter(pk__in=[pk for pk in due if pk not in already])
            .select_related("user")
        )
        for person in people:
            with transaction.atomic():
                _row, created = RefresherNotice.objects.for_org(org).get_or_create(
                    organisation=org,
                    membership=person,
                    sent_on=today,
                    defaults={"questions": due[person.pk]},
                )
                if not created:
                    continue
                queue_templated_email(
                    to=person.user.email,
                    template="academy/email/refreshers_due",
                    context={
                        "person": person,
                        "count": due[person.pk],
                        "org": org,
                        "site_url": settings.SITE_URL,
                    },
                )
            sent += 1
    return sent


@transaction.atomic
def update_academy_settings(*, actor: Membership, relax_gating: bool) -> AcademySettings:
    if not actor.is_admin:
        raise ValidationError({"relax_gating": _("Only an admin can change academy settings.")})
    org = actor.organisation
    row, _created = AcademySettings.objects.for_org(org).get_or_create(organisation=org)
    row.relax_gating = relax_gating
    row.save(update_fields=["relax_gating"])
    audit(actor, "academy.settings.updated", None, data={"relax_gating": relax_gating})
    return row


def overdue_filter(today: dt.date) -> Q:
    return Q(assignment__due_on__lt=today)
