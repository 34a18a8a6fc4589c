"""Cycles, objectives, key results, check-ins, initiatives and retrospectives.

Models hold fields, constraints and small facts about one row. Progress roll-up, permissions and
state changes live in services/ (one module per topic); progress arithmetic in progress.py."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okrcoach.core.tenancy import OrgOwned, TenantManager, TenantQuerySet

if TYPE_CHECKING:
    from okrcoach.orgs.models import Membership

ZERO = Decimal("0")
ONE = Decimal("1")
PROGRESS_FIELD: dict[str, Any] = {"max_digits": 6, "decimal_places": 4, "default": ZERO}
VALUE_FIELD: dict[str, Any] = {"max_digits": 16, "decimal_places": 4}
WEIGHT_FIELD: dict[str, Any] = {
    "max_digits": 6,
    "decimal_places": 2,
    "default": ONE,
    "validators": [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
}


class Cycle(OrgOwned):
    """A planning period. Exactly the states below, in this order."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    class State(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        GRADING = "grading", _("Grading")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUARTER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cycle_org_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="cycle_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "-starts_on"], name="cycle_org_state"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_check_ins(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.PLANNING, self.State.ACTIVE)


class TeamSettings(OrgOwned):
    """Per-team overrides of organisation settings; a null field means "use the organisation's"."""

    team = models.OneToOneField(
        "orgs.Team", on_delete=models.CASCADE, related_name="okr_settings", verbose_name=_("team")
    )
    check_in_cadence_days = models.PositiveSmallIntegerField(
        _("check-in cadence (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "team"], name="teamsettings_org_team")
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.check_in_cadence_days}"


M = TypeVar("M", bound=models.Model)


class VisibleQuerySet(TenantQuerySet[M], Generic[M]):
    """THE visibility rule for every read (pages, fragments, exports, the API, counts):
    `Model.objects.for_org(org).visible_to(actor)` keeps the rows whose objective the actor may
    see (permissions.visible_q says who sees what). `objective_paths` names the objective(s) a
    row belongs to; a row needs every one of them visible."""

    objective_paths: ClassVar[tuple[str, ...]] = ("objective__",)

    def visible_to(self, actor: Membership, subtree: Collection[int] | None = None) -> Self:
        """`subtree`: the actor's reporting subtree when the caller has it already (a page's
        `Reach`), so the query names the ids instead of walking the reporting line again."""
        from .permissions import visible_q  # the rule; permissions imports these models

        qs = self
        for path in self.objective_paths:
            qs = qs.filter(visible_q(actor, path, subtree))
        return qs


def hide_unseen_parent(obj: Objective) -> None:
    """An objective read with `visible_to` whose parent the reader may not see comes out with
    no parent: breadcrumbs, "Aligns to", the export's parent column and the API's parent_id
    then show nothing. Only the cached relation is cleared; parent_id stays, so a save never
    loses the real link."""
    if obj.parent_id is not None and not getattr(obj, "parent_visible", True):
        Objective._meta.get_field("parent").set_cached_value(obj, None)


class _HiddenParentIterable(ModelIterable[Any]):
    """Applies `hide_unseen_parent` to every objective of a `visible_to` queryset."""

    def __iter__(self) -> Any:
        for obj in super().__iter__():
            hide_unseen_parent(obj)
            yield obj


class ObjectiveQuerySet(VisibleQuerySet["Objective"]):
    objective_paths = ("",)

    def visible_to(self, actor: Membership, subtree: Collection[int] | None = None) -> Self:
        """Visible objectives, with a parent the actor may not see hidden (see above)."""

        return super().visible_to(actor, subtree).hiding_parents_from(actor, subtree)

    def hiding_parents_from(
        self, actor: Membership, subtree: Collection[int] | None = None
    ) -> Self:
        """Rows as they are, but a parent the actor may not see comes out as None."""
        from .permissions import visible_q

        qs = self
        if actor.sees_everything:
            return qs
        qs = qs.annotate(
            parent_visible=Case(
                When(visible_q(actor, "parent__", subtree), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        qs._iterable_class = _HiddenParentIterable
        return qs

    def shown_as_root(self, actor: Membership, cycle: Cycle) -> Self:
        """The cycle's objectives that have no parent the actor may see (the top of its tree)."""
        from .permissions import visible_q

        # The index objective_tree_top holds exactly the candidates: no parent, or a private one.
        qs = self.filter(cycle=cycle, tree_top_cycle=cycle.pk)
        if actor.sees_everything:
            return qs.filter(parent__isnull=True)
        return qs.filter(Q(parent__isnull=True) | ~visible_q(actor, "parent__"))

    def aligned_for(self, actor: Membership) -> Self:
        """Objectives aligned to a parent the actor may see."""
        from .permissions import visible_q

        return self.filter(visible_q(actor, "parent__"), parent__isnull=False)


class ObjectiveManager(TenantManager["Objective"]):
    def get_queryset(self) -> ObjectiveQuerySet:
        return ObjectiveQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Any) -> ObjectiveQuerySet:
        return self.get_queryset().for_org(organisation)


class KeyResultQuerySet(VisibleQuerySet["KeyResult"]):
    objective_paths = ("objective__",)


class KeyResultManager(TenantManager["KeyResult"]):
    def get_queryset(self) -> KeyResultQuerySet:
        return KeyResultQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Any) -> KeyResultQuerySet:
        return self.get_queryset().for_org(organisation)


class ContributionLinkQuerySet(VisibleQuerySet["ContributionLink"]):
    # Both ends: the key result counted and the objective it is counted in.
    objective_paths = ("objective__", "key_result__objective__")


class ContributionLinkManager(TenantManager["ContributionLink"]):
    def get_queryset(self) -> ContributionLinkQuerySet:
        return ContributionLinkQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Any) -> ContributionLinkQuerySet:
        return self.get_queryset().for_org(organisation)


# What `coach_verdict` holds while an imported row waits for the task worker's review
# (okrs.tasks.review_imported_rows): no "verdict" key, so every count of rated rows (insights,
# the coach report's groups) leaves it out until the review is stored.
COACH_REVIEW_PENDING: dict[str, Any] = {"pending": True}


def coach_state(verdict: dict[str, Any] | None) -> str:
    """ "good", "weak", "bad", "not_reviewed" (not English), "pending" (queued) or "" (never
    reviewed): what the coach badge shows for a stored verdict."""
    if not verdict:
        return ""
    return "pending" if verdict.get("pending") else str(verdict.get("verdict", ""))


class Objective(OrgOwned):
    class Level(models.TextChoices):
        COMPANY = "company", _("Company")
        TEAM = "team", _("Team")
        PERSONAL = "personal", _("Personal")

    class Type(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        ASPIRATIONAL = "aspirational", _("Aspirational")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone in the organisation")
        PRIVATE = "private", _("Private: owner, their managers, admins and executives")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ABANDONED = "abandoned", _("Abandoned")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("cycle")
    )
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("why this, why now"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.TEAM)
    team = models.ForeignKey(
        "orgs.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
        verbose_name=_("team"),
    )
    owner = models.ForeignKey(
        "orgs.Membership",
        on_delete=models.PROTECT,
        related_name="owned_objectives",
        verbose_name=_("owner"),
    )
    contributors = models.ManyToManyField(
        "orgs.Membership", blank=True, related_name="contributed_objectives"
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.COMMITTED)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    weight = models.DecimalField(_("weight"), **WEIGHT_FIELD)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("aligns to"),
    )
    # The cycle whose company tree this objective heads: its cycle when it has no parent or a
    # private one (only a private parent can be hidden from a reader), else none. Kept by the
    # database's triggers (migration 0006) on every write path (save, update(), bulk_create, raw
    # SQL); never set it in Python. A column of its own, not a condition: the planner knows from
    # its statistics that the active cycle has few such rows while past cycles may be full of
    # them, and reads the index below instead of every objective of the cycle.
    tree_top_cycle = models.BigIntegerField(null=True, editable=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    progress = models.DecimalField(**PROGRESS_FIELD)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    coach_verdict = models.JSONField(default=dict, blank=True)
    coach_rules = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ObjectiveManager] = ObjectiveManager()

    class Meta:
        ordering = ["position", "created_at", "pk"]
        indexes = [
            # In the API list's order, so a keyset page walks the index and stops.
            models.Index(
                fields=["organisation", "cycle", "level", "position", "id"],
                name="objective_org_cycle_order",
            ),
            models.Index(fields=["organisation", "owner"], name="objective_org_owner"),
            models.Index(fields=["organisation", "team"], name="objective_org_team"),
            models.Index(fields=["organisation", "parent"], name="objective_org_parent"),
            # The tree's top level (few rows, whatever the size of the organisation).
            models.Index(
                fields=["organisation", "tree_top_cycle"],
                condition=Q(tree_top_cycle__isnull=False),
                name="objective_tree_top",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def coach_state(self) -> str:
        return coach_state(self.coach_verdict)

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class KeyResult(OrgOwned):
    class KRType(models.TextChoices):
        METRIC = "metric", _("Metric: from a baseline to a target")
        MILESTONE = "milestone", _("Milestone: done or not done")
        ORDINAL = "ordinal", _("Levels: commit, target, stretch")

    class UnitKind(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percent")
        CURRENCY = "currency", _("Currency")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Level(models.IntegerChoices):
        NONE = 0, _("Not reached")
        COMMIT = 1, _("Commit")
        TARGET = 2, _("Target")
        STRETCH = 3, _("Stretch")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("objective")
    )
    title = models.CharField(_("key result"), max_length=200)
    owner = models.ForeignKey(
        "orgs.Membership",
        on_delete=models.PROTECT,
        related_name="owned_key_results",
        verbose_name=_("owner"),
    )
    weight = models.DecimalField(_("weight"), **WEIGHT_FIELD)
    data_source = models.CharField(_("where the number comes from"), max_length=300, blank=True)
    kr_type = models.CharField(
        _("kind"), max_length=10, choices=KRType.choices, default=KRType.METRIC
    )
    unit_kind = models.CharField(
        _("unit"), max_length=10, choices=UnitKind.choices, default=UnitKind.NUMBER
    )
    unit_label = models.CharField(_("unit label"), max_length=30, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE_FIELD)
    target = models.DecimalField(_("target"), null=True, blank=True, **VALUE_FIELD)
    stretch = models.DecimalField(_("stretch"), null=True, blank=True, **VALUE_FIELD)
    commit_label = models.CharField(_("commit level"), max_length=200, blank=True)
    target_label = models.CharField(_("target level"), max_length=200, blank=True)
    stretch_label = models.CharField(_("stretch level"), max_length=200, blank=True)
    current_value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    milestone_done = models.BooleanField(default=False)
    ordinal_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.NONE)
    progress = models.DecimalField(**PROGRESS_FIELD)
    # Progress before clamping to [0, 1]: overachievement (1.3) and regression (-0.2) stay visible.
    progress_raw = models.DecimalField(max_digits=12, decimal_places=4, default=ZERO)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    next_check_in_due = models.DateField(null=True, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    score_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    coach_verdict = models.JSONField(default=dict, blank=True)
    coach_rules = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[KeyResultManager] = KeyResultManager()

    class Meta:
        ordering = ["position", "created_at", "pk"]
        indexes = [
            # In the API list's order, so a keyset page walks the index and stops.
            models.Index(
                fields=["organisation", "objective", "position", "id"],
                name="kr_org_objective_order",
            ),
            models.Index(
                fields=["organisation", "owner", "next_check_in_due"], name="kr_org_owner_due"
            ),
            # Lists "furthest behind first" (insights' key-result list) walk this and stop.
            models.Index(fields=["organisation", "progress", "id"], name="kr_org_progress"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__lte=10),
                name="kr_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def coach_state(self) -> str:
        return coach_state(self.coach_verdict)

    def is_late(self, today: date) -> bool:
        return self.next_check_in_due is not None and self.next_check_in_due < today

    @property
    def level_labels(self) -> dict[int, str]:
        return {1: self.commit_label, 2: self.target_label, 3: self.stretch_label}


class ContributionLink(OrgOwned):
    """Another team's key result that counts towards this objective's progress, with a weight:
    the way one team's objective depends on work tracked elsewhere."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="contribution_links"
    )
    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="contributes_to"
    )
    weight = models.DecimalField(_("weight"), **WEIGHT_FIELD)

    objects: ClassVar[ContributionLinkManager] = ContributionLinkManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "objective", "key_result"], name="link_org_obj_kr_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "key_result"], name="link_org_kr")]

    def __str__(self) -> str:
        return f"{self.key_result_id} → {self.objective_id}"


class InitiativeQuerySet(VisibleQuerySet["Initiative"]):
    objective_paths = ("key_result__objective__",)


class InitiativeManager(TenantManager["Initiative"]):
    def get_queryset(self) -> InitiativeQuerySet:
        return InitiativeQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Any) -> InitiativeQuerySet:
        return self.get_queryset().for_org(organisation)


class Initiative(OrgOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("initiative"), max_length=200)
    owner = models.ForeignKey(
        "orgs.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[InitiativeManager] = InitiativeManager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organisation", "key_result"], name="initiative_org_kr")]

    def __str__(self) -> str:
        return self.title


class CheckInQuerySet(VisibleQuerySet["CheckIn"]):
    objective_paths = ("key_result__objective__",)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Check-ins are append-only.")


class CheckInManager(TenantManager["CheckIn"]):
    def get_queryset(self) -> CheckInQuerySet:
        return CheckInQuerySet(self.model, using=self._db)

    def for_org(self, organisation: Any) -> CheckInQuerySet:
        return self.get_queryset().for_org(organisation)


class CheckIn(OrgOwned):
    """One weekly update of a key result. Append-only: the only change allowed is the author's
    correction of the latest check-in within 24 hours, made by
    services.check_ins.correct_latest_check_in (a queryset update, audited)."""

    # Indexed below, newest first (checkin_kr_newest).
    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="check_ins", db_index=False
    )
    author = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(null=True, blank=True, **VALUE_FIELD)
    milestone_done = models.BooleanField(null=True, blank=True)
    ordinal_level = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=KeyResult.Level.choices
    )
    confidence = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    progress_note = models.TextField(_("progress since last time"), blank=True)
    plans_note = models.TextField(_("plans for next week"), blank=True)
    problems_note = models.TextField(_("problems and help needed"), blank=True)
    progress = models.DecimalField(**PROGRESS_FIELD)
    created_at = models.DateTimeField(default=timezone.now)
    corrected_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[CheckInManager] = CheckInManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Both indexes that find a key result's check-ins give them in `ordering`'s order, so
        # "the latest N" is read from the index and stops after N at any history length. With
        # a plain key_result index beside them PostgreSQL, estimating a key result's check-ins
        # from the average (~13), planned a read and sort of every row of a long history (the
        # objective page's chart planned with its parameters: 1.4 ms at 10,000 check-ins and
        # 14 ms at 100,000, against 0.02; migration 0007).
        indexes = [
            models.Index(
                fields=["organisation", "key_result", "-created_at", "-id"],
                name="checkin_org_kr_newest",
            ),
            # The foreign key's own lookups (deleting a key result, kr.check_ins).
            models.Index(fields=["key_result", "-created_at", "-id"], name="checkin_kr_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__lte=10), name="checkin_confidence_range")
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id} @ {self.created_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Check-ins are append-only; use correct_latest_check_in.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Check-ins are append-only.")


class Retrospective(OrgOwned):
    """What a team learned from an objective, or from a whole cycle (team + cycle)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="retrospectives")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="retrospectives"
    )
    team = models.ForeignKey(
        "orgs.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    went_well = models.TextField(_("what went well"), blank=True)
    went_badly = models.TextField(_("what went badly"), blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    change_next = models.TextField(_("what we change next cycle"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(objective__isnull=False) & Q(team__isnull=True))
                | (Q(objective__isnull=True) & Q(team__isnull=False)),
                name="retro_objective_xor_team",
            ),
            models.UniqueConstraint(
                fields=["organisation", "objective"],
                condition=Q(objective__isnull=False),
                name="retro_org_objective_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "team", "cycle"],
                condition=Q(team__isnull=False),
                name="retro_org_team_cycle_unique",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "cycle"], name="retro_org_cycle")]

    def __str__(self) -> str:
        return f"Retrospective {self.pk}"


class CoachDismissal(OrgOwned):
    """A coach finding a person set aside, with their reason: hidden for that item afterwards,
    and kept as data for improving the coach. The target is exactly one of a saved objective, a
    saved key result, or a draft not saved yet (the hash of its kind and text)."""

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("Objective")
        KEY_RESULT = "key_result", _("Key result")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    draft_hash = models.CharField(max_length=64, blank=True)
    rule = models.CharField(_("rule"), max_length=40)
    reason = models.CharField(_("reason"), max_length=300)
    text = models.CharField(_("text reviewed"), max_length=200)
    member = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "key_result"], name="dismissal_org_kr"),
            models.Index(fields=["organisation", "objective"], name="dismissal_org_objective"),
            models.Index(fields=["organisation", "draft_hash"], name="dismissal_org_draft"),
            models.Index(fields=["organisation", "rule"], name="dismissal_org_rule"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(objective__isnull=False, key_result__isnull=True, draft_hash="")
                    | Q(objective__isnull=True, key_result__isnull=False, draft_hash="")
                    | (Q(objective__isnull=True, key_result__isnull=True) & ~Q(draft_hash=""))
                ),
                name="dismissal_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.reason[:40]}"


class ExportJob(OrgOwned):
    """An XLSX or CSV export built by the task worker (okrs/services/exports.py): any size,
    memory bounded, offered for download to the person who asked once it is ready."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey("orgs.Membership", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.XLSX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # under MEDIA_ROOT, once DONE
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "requested_by", "-created_at"], name="exportjob_org_member"
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.public_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, 100 * self.rows_done // self.rows_total)
