"""1:1s, development OKRs, skills, feedback and recognition.

Development OKRs are growth's own rows (DevelopmentObjective / DevelopmentKeyResult), not
okrs.Objective: the company tree, grading and every OKR report read okrs' tables only, so a
personal growth goal can never be graded into performance or shown in the tree, by construction."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okrcoach.core.tenancy import OrgOwned

# --- 1:1s ------------------------------------------------------------------------------------


class OneOnOneSeries(OrgOwned):
    """A manager and one report meeting on a rhythm."""

    class Rhythm(models.IntegerChoices):
        WEEKLY = 7, _("Weekly")
        BIWEEKLY = 14, _("Every two weeks")
        FOUR_WEEKLY = 28, _("Every four weeks")

    manager = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("manager")
    )
    report = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("report")
    )
    rhythm_days = models.PositiveSmallIntegerField(
        _("rhythm"), choices=Rhythm.choices, default=Rhythm.BIWEEKLY
    )
    first_meeting_on = models.DateField(_("first meeting"))
    start_time = models.TimeField(_("time"), default="10:00")
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "manager", "report"], name="oneonone_org_pair_unique"
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("report")), name="oneonone_not_with_self"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "report"], name="oneonone_org_report"),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.manager_id} / {self.report_id}"


class Meeting(OrgOwned):
    """One 1:1 of a series: its agenda, shared notes and the action items raised in it."""

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    shared_notes = models.TextField(_("shared notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "held_on"], name="meeting_series_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"1:1 on {self.held_on}"


class AgendaItem(OrgOwned):
    """A talking point: typed in, or taken from the suggestions (then `source` says which)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    text = models.CharField(_("talking point"), max_length=300)
    source = models.CharField(max_length=40, blank=True)
    link = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "meeting"], name="agenda_org_meeting")]

    def __str__(self) -> str:
        return self.text


class PrivateNote(OrgOwned):
    """One participant's own notes on a meeting. Read only by `author`, never by anyone else,
    admins included: every read filters on the reader as author."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("private note"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "meeting", "author"], name="private_note_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Private note {self.pk}"


class ActionItem(OrgOwned):
    """A to-do agreed in a 1:1. It appears in every meeting of its series from the one it was
    raised in until the one it was done in."""

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="+")
    raised_in = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("action item"), max_length=300)
    owner = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "series"], name="action_org_series")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# --- skills ----------------------------------------------------------------------------------


class Skill(OrgOwned):
    """A skill of the organisation's framework, for everyone, one team, or one role title."""

    name = models.CharField(_("skill"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    team = models.ForeignKey(
        "orgs.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    role_title = models.CharField(_("role"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="skill_org_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SkillLevel(OrgOwned):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("what it looks like"))

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "skill", "level"], name="skill_level_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"


class SkillAssessment(OrgOwned):
    """One judgement of one person's level on one skill, by themselves or a manager. Kept as a
    history: a new assessment never overwrites an old one."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self assessment")
        MANAGER = "manager", _("Manager assessment")

    person = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.TextField(_("why this level"), blank=True)
    assessed_on = models.DateField(_("date"), default=date.today)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "person", "skill"], name="assess_org_person")
        ]

    def __str__(self) -> str:
        return f"{self.skill_id}: {self.level}"


class Evidence(OrgOwned):
    """What an assessment rests on: a key result, a check-in, feedback, a certificate or a
    link. Exactly one of them."""

    assessment = models.ForeignKey(
        SkillAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    check_in = models.ForeignKey(
        "okrs.CheckIn", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    feedback = models.ForeignKey(
        "Feedback", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    certificate = models.ForeignKey(
        "academy.Certificate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("link"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["organisation", "assessment"], name="evidence_org_assessment")
        ]

    def __str__(self) -> str:
        return self.note or f"Evidence {self.pk}"


# --- development OKRs ------------------------------------------------------------------------


class DevelopmentObjective(OrgOwned):
    """A personal growth objective. Visible to the person, their manager chain and admins;
    never graded, never in the company tree (okrs never reads this table)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    person = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("development objective"), max_length=200)
    description = models.TextField(_("why this matters to you"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # When it was last marked done, dropped or reopened, and what was said then. A status is a
    # fact about the goal, never a grade of the person.
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    academy_modules = models.ManyToManyField(
        "academy.Module", blank=True, related_name="+", verbose_name=_("academy modules")
    )
    created_by = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="devobjective_ends_after"
            )
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="devobj_org_person")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.ACTIVE


class DevelopmentKeyResult(OrgOwned):
    """A learning key result, with progress in percent the person updates."""

    objective = models.ForeignKey(
        DevelopmentObjective, on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(_("key result"), max_length=200)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "objective"], name="devkr_org_objective")]

    def __str__(self) -> str:
        return self.title


class DevelopmentCheckIn(OrgOwned):
    key_result = models.ForeignKey(
        DevelopmentKeyResult, on_delete=models.CASCADE, related_name="check_ins"
    )
    author = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    note = models.TextField(_("what you learned"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "key_result"], name="devcheckin_org_kr")]

    def __str__(self) -> str:
        return f"{self.progress}%"


# --- feedback --------------------------------------------------------------------------------


class Feedback(OrgOwned):
    """Feedback or praise from one colleague to another, optionally about an objective or key
    result. Private: the recipient, their manager and the giver. Public: recognition that every
    member of the organisation may read."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback")
        PRAISE = "praise", _("Praise")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: the person and their manager")
        PUBLIC = "public", _("Public recognition")

    giver = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEEDBACK)
    body = models.TextField(_("what you want to say"))
    objective = models.ForeignKey(
        "okrs.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about objective"),
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about key result"),
    )
    visibility = models.CharField(
        _("who sees it"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    request = models.ForeignKey(
        "FeedbackRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "recipient"], name="feedback_org_recipient"),
            models.Index(fields=["organisation", "visibility"], name="feedback_org_visibility"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class FeedbackRequest(OrgOwned):
    """Someone asks a named colleague for feedback about a person (usually themselves)."""

    requester = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("ask")
    )
    message = models.CharField(_("what you would like feedback on"), max_length=300)
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "respondent"], name="fbrequest_org_respondent")
        ]

    def __str__(self) -> str:
        return self.message


def next_meeting_day(series: OneOnOneSeries, last: date | None) -> date:
    """The series' next date after `last` (the first date when there is none)."""
    if last is None:
        return series.first_meeting_on
    return last + timedelta(days=series.rhythm_days)
