"""Forms of the OKR pages: they check shape (types, lengths, choices); services decide the rules.
Choices of people, teams, cycles, objectives and key results are always scoped to the actor's
organisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from okrcoach.core import bounds
from okrcoach.core.forms import value_field
from okrcoach.orgs.forms import MemberChoiceField, TeamChoiceField
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import people, team_choices

from . import coach_panel
from .models import Cycle, Initiative, KeyResult, Objective
from .selectors.lookups import linkable_key_results, objective_choices
from .services.check_ins import CheckInData
from .services.grading import RetrospectiveData
from .services.key_results import KeyResultData
from .services.objectives import ObjectiveData


class ObjectiveChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.get_level_display()}: {obj.title}"


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label=_("Objective"),
        max_length=200,
        help_text=_("A qualitative, inspiring outcome, not a task."),
    )
    description = forms.CharField(
        label=_("Why this, why now"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Objective.Level.choices)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=Objective.Type.choices,
        help_text=_("Committed: 1.0 expected. Aspirational: 0.7 is a success."),
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Objective.Visibility.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Objective.Status.choices)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(1),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        actor: Membership,
        cycle: Cycle,
        objective: Objective | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        org = actor.organisation
        # A parent the editor may not see (hidden by Objective.objects.visible_to) is neither
        # shown nor dropped: left empty, the field keeps it.
        self.hidden_parent_id = (
            objective.parent_id
            if objective is not None and objective.parent_id and objective.parent is None
            else None
        )
        self.org = org
        self.fields["team"] = TeamChoiceField(
            queryset=team_choices(org), label=_("Team"), required=False
        )
        self.fields["owner"] = MemberChoiceField(
            queryset=people(org),
            label=_("Owner"),
            required=False,
            help_text=_("Exactly one person; you if empty."),
        )
        self.fields["parent"] = ObjectiveChoiceField(
            queryset=objective_choices(actor, cycle, exclude=objective),
            label=_("Aligns to"),
            required=False,
        )
        self.order_fields(
            [
                "title",
                "description",
                "level",
                "team",
                "owner",
                "parent",
                "type",
                "visibility",
                "status",
                "weight",
            ]
        )

    def to_data(self) -> ObjectiveData:
        d = self.cleaned_data
        return ObjectiveData(
            title=d["title"],
            description=d["description"],
            level=d["level"],
            team=d["team"],
            owner=d["owner"],
            type=d["type"],
            visibility=d["visibility"],
            weight=d["weight"],
            status=d["status"],
            parent=d["parent"]
            if d["parent"] is not None or self.hidden_parent_id is None
            else Objective.objects.for_org(self.org).get(pk=self.hidden_parent_id),
        )

    @staticmethod
    def initial_from(objective: Objective) -> dict[str, Any]:
        fields = (
            "title",
            "description",
            "level",
            "type",
            "visibility",
            "status",
            "weight",
            "team",
            "owner",
            "parent",
            "version",
        )
        return {f: getattr(objective, f) for f in fields}


def number_input() -> forms.TextInput:
    """A text box for numbers: a browser empties an <input type=number> holding "forty" or
    "NaN", so the person would lose what they typed when the form comes back with its error."""
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class KeyResultForm(forms.Form):
    # The editor groups these in fieldsets and shows only the group that fits the kind.
    METRIC_FIELDS = ("direction", "baseline", "target", "stretch", "unit_kind", "unit_label")
    LEVEL_FIELDS = ("commit_label", "target_label", "stretch_label")
    title = forms.CharField(
        label=_("Key result"),
        max_length=200,
        help_text=_("A measurable outcome: from what, to what, by when."),
    )
    kr_type = forms.ChoiceField(label=_("Kind"), choices=KeyResult.KRType.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=KeyResult.Direction.choices)
    baseline = value_field(_("Baseline"), required=False, widget=number_input())
    target = value_field(_("Target"), required=False, widget=number_input())
    stretch = value_field(_("Stretch (optional)"), required=False, widget=number_input())
    unit_kind = forms.ChoiceField(label=_("Unit"), choices=KeyResult.UnitKind.choices)
    unit_label = forms.CharField(
        label=_("Unit label"),
        max_length=30,
        required=False,
        help_text=_("e.g. deliveries, %, EUR, minutes"),
    )
    commit_label = forms.CharField(label=_("Commit level"), max_length=200, required=False)
    target_label = forms.CharField(label=_("Target level"), max_length=200, required=False)
    stretch_label = forms.CharField(label=_("Stretch level"), max_length=200, required=False)
    data_source = forms.CharField(
        label=_("Where the number comes from"), max_length=300, required=False
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(1),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberChoiceField(
            queryset=people(actor.organisation), label=_("Owner"), required=False
        )
        self.order_fields(["title", "owner", "kr_type"])

    def to_data(self) -> KeyResultData:
        d = self.cleaned_data
        return KeyResultData(**{k: d[k] for k in KeyResultData.__dataclass_fields__})

    @staticmethod
    def initial_from(kr: KeyResult) -> dict[str, Any]:
        fields = [*KeyResultData.__dataclass_fields__, "version"]
        return {f: getattr(kr, f) for f in fields}


MILESTONE_CHOICES = [("", _("Choose…")), ("yes", _("Done")), ("no", _("Not yet"))]


class CheckInForm(forms.Form):
    """Fields follow the key result's kind: a value, done/not done, or the level reached."""

    confidence = forms.IntegerField(
        label=_("Confidence (0–10)"),
        min_value=0,
        max_value=10,
        help_text=_("How sure are you of reaching the target?"),
    )
    progress_note = forms.CharField(
        label=_("Progress since last time"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plans_note = forms.CharField(
        label=_("Plans for next week"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problems_note = forms.CharField(
        label=_("Problems, help needed"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, key_result: KeyResult, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"kr-{key_result.public_id}")
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        if key_result.kr_type == KeyResult.KRType.METRIC:
            label: str = str(_("Current value"))
            if key_result.unit_label:
                label = f"{label} ({key_result.unit_label})"
            self.fields["value"] = value_field(label, widget=number_input())
        elif key_result.kr_type == KeyResult.KRType.MILESTONE:
            self.fields["milestone_done"] = forms.ChoiceField(
                label=_("Milestone"), choices=MILESTONE_CHOICES
            )
        else:
            labels = key_result.level_labels
            choices = [(0, _("Not reached"))] + [
                (level, f"{name}: {labels[level]}" if labels[level] else str(name))
                for level, name in ((1, _("Commit")), (2, _("Target")), (3, _("Stretch")))
            ]
            self.fields["ordinal_level"] = forms.TypedChoiceField(
                label=_("Level reached"), choices=choices, coerce=int
            )
        self.order_fields(["value", "milestone_done", "ordinal_level", "confidence"])

    NOTES = ("progress_note", "plans_note", "problems_note")

    @property
    def primary_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.NOTES]

    @property
    def note_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NOTES]

    def to_data(self) -> CheckInData:
        d = self.cleaned_data
        done = d.get("milestone_done")
        return CheckInData(
            confidence=d["confidence"],
            value=d.get("value"),
            milestone_done=None if done is None else done == "yes",
            ordinal_level=d.get("ordinal_level"),
            progress_note=d["progress_note"],
            plans_note=d["plans_note"],
            problems_note=d["problems_note"],
        )


class GradeForm(forms.Form):
    score = forms.DecimalField(
        label=_("Grade (0.0–1.0)"),
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the final progress."),
    )
    score_reason = forms.CharField(
        label=_("Why this grade"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, key_result: KeyResult, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"grade-{key_result.public_id}")
        super().__init__(*args, **kwargs)


class RetrospectiveForm(forms.Form):
    went_well = forms.CharField(label=_("What went well"), required=False, widget=forms.Textarea)
    went_badly = forms.CharField(label=_("What went badly"), required=False, widget=forms.Textarea)
    learned = forms.CharField(label=_("What we learned"), required=False, widget=forms.Textarea)
    change_next = forms.CharField(
        label=_("What we change next cycle"), required=False, widget=forms.Textarea
    )

    def to_data(self) -> RetrospectiveData:
        return RetrospectiveData(**self.cleaned_data)


class InitiativeForm(forms.Form):
    title = forms.CharField(
        label=_("Initiative"),
        max_length=200,
        help_text=_("Work you will do to move this key result."),
    )


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=Cycle.Kind.choices)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    confirmed = forms.BooleanField(
        label=_("I checked the dates: save anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def ask_to_confirm(self) -> None:
        """After the service's warnings: the checkbox appears (unticked)."""
        field = self.fields["confirmed"]
        field.widget = forms.CheckboxInput()
        self.needs_confirmation = True


MAX_UPLOAD = 2 * 1024 * 1024


class CycleChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Cycle) -> str:
        return f"{obj.name} · {obj.get_state_display()}"


class OkrImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("A header row, then one row per key result; at most 2 MB."),
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"] = CycleChoiceField(
            queryset=Cycle.objects.for_org(actor.organisation).filter(
                state__in=[Cycle.State.PLANNING, Cycle.State.ACTIVE]
            ),
            label=_("Import into cycle"),
            empty_label=None,
        )
        self.order_fields(["cycle", "file"])

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class PersonChoiceField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.full_name


class ContributorsForm(forms.Form):
    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributors"] = PersonChoiceField(
            queryset=people(actor.organisation),
            label=_("Contributors"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("People who work on this objective besides its owner."),
        )


class KeyResultChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: KeyResult) -> str:
        team = obj.objective.team.name if obj.objective.team else obj.objective.owner.user.full_name
        return f"{team}: {obj.title}"


class ContributionLinkForm(forms.Form):
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(1),
        help_text=_("How much this key result counts beside the objective's own ones."),
    )

    def __init__(self, *args: Any, actor: Membership, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_result"] = KeyResultChoiceField(
            queryset=linkable_key_results(actor, objective),
            label=_("Key result of another team"),
            to_field_name="public_id",
        )
        self.order_fields(["key_result", "weight"])


class TeamCadenceForm(forms.Form):
    check_in_cadence_days = forms.TypedChoiceField(
        label=_("Check-in cadence"),
        choices=[],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, organisation_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["check_in_cadence_days"].choices = [  # type: ignore[attr-defined]
            ("", _("The organisation's cadence (every %(n)d days)") % {"n": organisation_days}),
            (7, _("Weekly")),
            (14, _("Every two weeks")),
        ]


class InitiativeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)


class DismissForm(forms.Form):
    rule = forms.RegexField(regex=coach_panel.RULE_ID, max_length=40)
    reason = forms.CharField(
        label=gettext_lazy("Why does this not apply?"), max_length=300, strip=True
    )
