"""Forms of the import page and of the collaboration pages (contributors, contribution links,
team cadence, initiative status). Choices are scoped to the actor's organisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import people

from .models import Cycle, Initiative, KeyResult, Objective
from .permissions import visible_q

MAX_UPLOAD = 2 * 1024 * 1024


class CycleChoiceField(forms.ModelChoiceField):
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


class PersonChoiceField(forms.ModelMultipleChoiceField):
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


class KeyResultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KeyResult) -> str:
        team = obj.objective.team.name if obj.objective.team else obj.objective.owner.user.full_name
        return f"{team}: {obj.title}"


def linkable_key_results(actor: Membership, objective: Objective) -> QuerySet[KeyResult]:
    """Key results of the same cycle, of other objectives the actor can see."""
    return (
        KeyResult.objects.for_org(actor.organisation)
        .filter(visible_q(actor, "objective__"), objective__cycle_id=objective.cycle_id)
        .exclude(objective=objective)
        .exclude(objective__status=Objective.Status.ABANDONED)
        .select_related("objective__team", "objective__owner__user")
        .order_by("objective__team__name", "objective__title", "position", "pk")
    )


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
