from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from okrcoach.core.tenancy import OrgOwned, TenantManager, TenantQuerySet


class Organisation(models.Model):
    """A tenant. Nothing of one organisation is ever visible from another."""

    class CycleLength(models.IntegerChoices):
        QUARTER = 3, _("Quarterly")
        YEAR = 12, _("Annual")

    class Cadence(models.IntegerChoices):
        WEEKLY = 7, _("Weekly")
        BIWEEKLY = 14, _("Every two weeks")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    cycle_length_months = models.PositiveSmallIntegerField(
        _("cycle length"), choices=CycleLength.choices, default=CycleLength.QUARTER
    )
    cycle_start_month = models.PositiveSmallIntegerField(
        _("first month of the year's first cycle"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    check_in_cadence_days = models.PositiveSmallIntegerField(
        _("check-in cadence"), choices=Cadence.choices, default=Cadence.WEEKLY
    )
    rollup_includes_children = models.BooleanField(
        _("parent objectives include aligned children in their progress"), default=False
    )
    # Email domains whose people may join as members by proving their address (only when the
    # installation's ALLOW_DOMAIN_JOIN is on): lower case, one space between domains.
    join_domains = models.TextField(_("email domains that may join"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Admin (OKR champion / HR)")
    EXECUTIVE = "executive", _("Executive")


class TeamQuerySet(TreeQuerySet["Team"], TenantQuerySet["Team"]):
    if TYPE_CHECKING:  # the part of tree_queries' (untyped) API that we use

        def with_tree_fields(self, tree_fields: bool = True) -> TeamQuerySet: ...
        def descendants(self, of: Team | int, *, include_self: bool = False) -> TeamQuerySet: ...
        def ancestors(self, of: Team | int, *, include_self: bool = False) -> TeamQuerySet: ...
        def order_siblings_by(self, *order_by: str) -> TeamQuerySet: ...


if TYPE_CHECKING:

    class TeamManager(TenantManager["Team"]):
        """What `TeamQuerySet.as_manager(with_tree_fields=False)` hands out, for mypy."""

        def get_queryset(self) -> TeamQuerySet: ...
        def for_org(self, organisation: Organisation | int) -> TeamQuerySet: ...


class Team(TreeNode, OrgOwned):
    """A node of the organisation's team tree: company → departments → teams."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")

    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    lead = models.ForeignKey(
        "Membership",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # tree_queries is untyped: declare what its managers hand out (TeamManager above).
    objects: ClassVar[TeamManager] = cast(
        "TeamManager",
        TeamQuerySet.as_manager(with_tree_fields=False),  # type: ignore[call-arg]
    )
    all_orgs: ClassVar[models.Manager[Team]] = TreeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="team_org_slug_unique")
        ]
        indexes = [models.Index(fields=["organisation", "parent"], name="team_org_parent")]

    def __str__(self) -> str:
        return self.name


class Membership(OrgOwned):
    """A user's place in one organisation: role, team and reporting line."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # This organisation's job title for the person: set by its admins (member page, people
    # import), never seen or changed by another organisation. Empty: the person's own title
    # from their profile (User.title, which only they edit) is shown.
    title = models.CharField(_("job title"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_org_user_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "manager"], name="membership_org_manager"),
            models.Index(fields=["organisation", "team"], name="membership_org_team"),
            models.Index(fields=["organisation", "is_active"], name="membership_org_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id}"

    @property
    def display_title(self) -> str:
        """The job title this organisation shows: its own, else the person's own."""
        return self.title or self.user.title

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_executive(self) -> bool:
        return self.role == Role.EXECUTIVE

    @property
    def sees_everything(self) -> bool:
        """Admins and executives see private items too."""
        return self.role in (Role.ADMIN, Role.EXECUTIVE)


class Invitation(OrgOwned):
    """An emailed link that lets a person join the organisation. Only a hash of the token is
    stored; the link expires."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    manager = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("manager"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Asked for by the person at /join/ (their email domain is one the organisation lists),
    # not sent by an admin.
    joined_by_domain = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
