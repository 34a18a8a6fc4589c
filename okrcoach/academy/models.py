"""The academy: shipped course content (global, or owned by one organisation when an admin
authored it) and each learner's progress, attempts, assignments and certificates (always
organisation-owned)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okrcoach.core.tenancy import OrgOwned


class ActivityType(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    QUIZ = "quiz", _("Quiz")
    SORTING = "sorting", _("Sorting drill")
    FLAW_SPOTTING = "flaw_spotting", _("Flaw spotting")
    REWRITE = "rewrite", _("Rewrite exercise")
    SCENARIO = "scenario", _("Scenario")
    CALIBRATION = "calibration", _("Calibration")
    REFLECTION = "reflection", _("Reflection")
    FIELD_ASSIGNMENT = "field_assignment", _("Field assignment")


class LearningEvent(models.TextChoices):
    CHECK_IN_LOGGED = "check_in_logged", _("Check-in logged")
    OBJECTIVE_PUBLISHED_COACH_GOOD = (
        "objective_published_coach_good",
        _("Objective published with a good coach verdict"),
    )
    RETROSPECTIVE_WRITTEN = "retrospective_written", _("Retrospective written")
    OBJECTIVE_CREATED = "objective_created", _("Objective created")
    GRADE_RECORDED = "grade_recorded", _("Grade recorded")


class Course(models.Model):
    """A course. Shipped courses have no organisation and are visible to every organisation;
    an admin-authored course belongs to one organisation and is visible to it alone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64, blank=True)
    validity_days = models.PositiveIntegerField(default=365)
    min_quiz_average = models.PositiveSmallIntegerField(default=80)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(organisation__isnull=True), name="course_global_slug"
            ),
            models.UniqueConstraint(fields=["organisation", "slug"], name="course_org_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    slug = models.SlugField(max_length=80)
    number = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=30)
    learning_objectives = models.JSONField(default=list)
    required_slugs = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="module_course_slug")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Activity(models.Model):
    """One activity; `spec` is the parsed content file (a lesson's spec carries its sanitised
    HTML), `content_hash` the file's hash: a changed file bumps `version`."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="activities")
    slug = models.SlugField(max_length=80)
    type = models.CharField(max_length=30, choices=ActivityType.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    is_required = models.BooleanField(default=True)
    spec = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["module", "position"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="activity_module_slug")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pass_mark(self) -> int | None:
        value = self.spec.get("pass_mark", self.spec.get("pass_score"))
        return int(value) if value is not None else None


class AcademySettings(OrgOwned):
    """Per-organisation academy options."""

    relax_gating = models.BooleanField(
        _("let learners open any module without finishing the previous one"), default=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="academy_settings_org")
        ]


class Enrollment(OrgOwned):
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="academy_enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    started_at = models.DateTimeField(default=timezone.now)
    last_activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership", "course"], name="enrollment_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "course"], name="enrollment_org_course")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.course_id}"


class ActivityAttempt(OrgOwned):
    """One try at an activity. `answers` is what the learner sent, `result` the graded
    feedback the page shows, `state` a scenario's walk so far."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attempts")
    activity_version = models.PositiveIntegerField(default=1)
    answers: models.JSONField[Any, Any] = models.JSONField(default=dict)
    state: models.JSONField[Any, Any] = models.JSONField(default=dict)
    result: models.JSONField[Any, Any] = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    is_finished = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "enrollment", "activity"], name="attempt_enr_act"),
            models.Index(fields=["organisation", "activity"], name="attempt_org_activity"),
        ]


class ActivityProgress(OrgOwned):
    """A learner's standing on one activity: best score, attempts, and when it was completed."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.FloatField(null=True, blank=True)
    last_score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "enrollment", "activity"], name="progress_unique"
            )
        ]


class ModuleCompletion(OrgOwned):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "enrollment", "module"],
                name="module_completion_unique",
            )
        ]


def new_certificate_code() -> str:
    # 16 characters from an unambiguous alphabet: unguessable, and easy to read out or type.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class Certificate(OrgOwned):
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="academy_certificates"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=32, unique=True, default=new_certificate_code)
    recipient_name = models.CharField(max_length=150)
    course_title = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "orgs.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)
    quiz_average = models.FloatField(default=0)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["organisation", "membership"], name="cert_org_member")]

    def __str__(self) -> str:
        return f"{self.course_title}: {self.recipient_name}"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "valid"

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


class Assignment(OrgOwned):
    class Audience(models.TextChoices):
        PEOPLE = "people", _("Selected people")
        TEAM = "team", _("A team")
        MANAGERS = "managers", _("All managers")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    team = models.ForeignKey(
        "orgs.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        "orgs.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "due_on"], name="assignment_org_due")]

    def __str__(self) -> str:
        # Read in the audit log: the course's title, not its id.
        return f"{self.course.title}, due {self.due_on.day} {self.due_on:%b %Y}"


class AssignmentTarget(OrgOwned):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="academy_assignments"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "assignment", "membership"], name="target_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "membership"], name="target_org_member")]


class ReminderSent(OrgOwned):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    target = models.ForeignKey(AssignmentTarget, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target", "kind", "sent_on"],
                name="reminder_once_a_day",
            )
        ]


class RefresherItem(OrgOwned):
    """One refresher question scheduled for one learner: due on `due_on`; the interval doubles
    after a correct answer and starts again after a wrong one."""

    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=40)
    due_on = models.DateField()
    interval_days = models.PositiveIntegerField(default=7)
    correct_streak = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership", "activity", "question_id"],
                name="refresher_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "membership", "due_on"], name="refresher_due")
        ]


class RefresherNotice(OrgOwned):
    """One "refreshers are waiting" email to one learner on one day: a second run is a no-op."""

    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    questions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership", "sent_on"], name="refresher_notice_once"
            )
        ]


class JournalEntry(OrgOwned):
    """A reflection the learner wrote: kept as their journal."""

    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompt = models.TextField(blank=True)
    text = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["organisation", "membership"], name="journal_org_member")]


class LearningEventCount(OrgOwned):
    """How often a product event happened for a learner; field assignments read it."""

    membership = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40, choices=LearningEvent.choices)
    count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership", "event"], name="event_count_unique"
            )
        ]
