"""Comments, notifications, the activity feed, reminders' and digests' bookkeeping, and outgoing
webhooks. Nothing here knows what an objective is: a row points at "a target" by its kind and
public id, and at a "gate" (the public id of the item whose visibility governs it), which the
app that owns the target resolves (see targets.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okrcoach.core.tenancy import OrgOwned


class TargetFields(models.Model):
    """Where a row points: a target of a registered kind, and the gate that decides who sees it."""

    target_kind = models.CharField(max_length=30)
    target_id = models.UUIDField()
    gate_id = models.UUIDField(null=True, blank=True)

    class Meta:
        abstract = True


class Comment(OrgOwned, TargetFields):
    author = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(blank=True)
    mentioned = models.ManyToManyField("orgs.Membership", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["organisation", "target_kind", "target_id"], name="comment_target")
        ]

    def __str__(self) -> str:
        return f"Comment {self.public_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentRevision(OrgOwned):
    """The text a comment had before an edit: edits keep their history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "comment"], name="comment_revision_comment")
        ]


class Kind(models.TextChoices):
    MENTION = "mention", _("Mentioned you")
    REPLY = "reply", _("Replied to you")
    COMMENT = "comment", _("Commented on what you own")
    CHECK_IN = "check_in", _("Checked in on what you follow")
    AT_RISK = "at_risk", _("A key result turned at risk")
    GRADE = "grade", _("Graded")
    RETRO_DUE = "retro_due", _("Retrospective due")
    CHECK_IN_DUE = "check_in_due", _("Check-in due")
    LATE_CHECK_INS = "late_check_ins", _("Late check-ins in your team")
    ACADEMY = "academy", _("Academy assignment")
    WEBHOOK_DISABLED = "webhook_disabled", _("Webhook endpoint disabled")
    # growth's: a colleague asks you for feedback, gives you some, or a 1:1 action item is yours.
    FEEDBACK_REQUEST = "feedback_request", _("Asked you for feedback")
    FEEDBACK = "feedback", _("Gave you feedback or praise")
    ACTION_ITEM = "action_item", _("Gave you a 1:1 action item")


class Notification(OrgOwned, TargetFields):
    recipient = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        "orgs.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "recipient", "read_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title


class FeedEntry(OrgOwned, TargetFields):
    """One line of an activity feed: who did what to which target, and where it belongs (the
    objective it sits under, the team)."""

    class Verb(models.TextChoices):
        CHECKED_IN = "checked_in", _("checked in on")
        COMMENTED = "commented", _("commented on")
        STATUS = "status", _("changed the status of")
        AT_RISK = "at_risk", _("flagged at risk")
        GRADED = "graded", _("graded")
        RECOGNISED = "recognised", _("recognised")

    actor = models.ForeignKey(
        "orgs.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    title = models.CharField(max_length=300)
    detail = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    team = models.ForeignKey(
        "orgs.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A snapshot: was the gate private when this happened? Channels that reach many people at
    # once (digests' team section, webhooks) leave private entries out entirely.
    is_private = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="feed_org_recent"),
            models.Index(fields=["organisation", "gate_id"], name="feed_org_gate"),
            models.Index(fields=["organisation", "team"], name="feed_org_team"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.title}"


class DailySlot(OrgOwned):
    """At most one message of a kind per person per day (reminders, managers' late lists)."""

    member = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "kind", "day"], name="daily_slot_unique"
            )
        ]


class DigestSent(OrgOwned):
    """The weekly digest went to this person for this ISO week: a second run sends nothing."""

    member = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    iso_week = models.CharField(max_length=8)  # "2026-W49"
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "iso_week"], name="digest_sent_unique"
            )
        ]


class WebhookEndpoint(OrgOwned):
    class Format(models.TextChoices):
        GENERIC = "generic", _("Generic JSON (Standard Webhooks)")
        SLACK = "slack", _("Slack incoming webhook (Block Kit)")
        TEAMS = "teams", _("Microsoft Teams Workflows (Adaptive Card)")

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.GENERIC
    )
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_org_active")]

    def __str__(self) -> str:
        return self.description or self.url


class WebhookDelivery(OrgOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "endpoint", "-created_at"], name="delivery_log")
        ]
