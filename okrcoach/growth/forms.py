"""Forms of the growth pages: shape only (types, lengths, choices), choices scoped to the actor's
organisation; services decide the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrcoach.academy.models import Module
from okrcoach.okrs.models import Objective
from okrcoach.orgs.forms import MemberChoiceField, TeamChoiceField
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import people, team_choices

from . import selectors
from .models import DevelopmentObjective, Feedback, OneOnOneSeries, Skill

# Choice fields start empty (`for_org(0)`: no organisation has id 0); each form's __init__ scopes
# them to the actor's organisation.


class SeriesForm(forms.Form):
    report = MemberChoiceField(queryset=Membership.objects.for_org(0).none(), label=_("Report"))
    rhythm_days = forms.TypedChoiceField(
        label=_("Rhythm"), choices=OneOnOneSeries.Rhythm.choices, coerce=int
    )
    first_meeting_on = forms.DateField(
        label=_("First meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Time"), initial="10:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=240, initial=30
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = people(actor.organisation).exclude(pk=actor.pk)
        if not actor.is_admin:
            qs = qs.filter(manager=actor)
        self.fields["report"].queryset = qs  # type: ignore[attr-defined]


class AgendaItemForm(forms.Form):
    text = forms.CharField(label=_("Talking point"), max_length=300)
    source = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    link = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the meeting page: ids must not collide (labels point at them).
        kwargs.setdefault("auto_id", "agenda_%s")
        super().__init__(*args, **kwargs)


class SharedNotesForm(forms.Form):
    shared_notes = forms.CharField(
        label=_("Shared notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Both of you see these."),
    )


class PrivateNoteForm(forms.Form):
    body = forms.CharField(
        label=_("My private note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can read this, now and later. Not even admins can."),
    )


class ParticipantChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.full_name


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action item"), max_length=300)
    owner = ParticipantChoiceField(queryset=Membership.objects.for_org(0).none(), label=_("Owner"))
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, series: OneOnOneSeries, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people(series.organisation).filter(  # type: ignore[attr-defined]
            pk__in=[series.manager_id, series.report_id]
        )


class DevelopmentObjectiveForm(forms.Form):
    title = forms.CharField(
        label=_("Development objective"),
        max_length=200,
        help_text=_("What you want to become able to do, in your own words."),
    )
    description = forms.CharField(
        label=_("Why this matters to you"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    key_results = forms.CharField(
        label=_("Learning key results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: evidence that you learned it, not hours spent."),
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.for_org(0).none(),
        required=False,
        label=_("Skills it builds"),
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.ModelMultipleChoiceField(
        queryset=Module.objects.none(),
        required=False,
        label=_("Academy modules that help"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = selectors.skill_choices(actor)  # type: ignore[attr-defined]
        self.fields["modules"].queryset = selectors.academy_module_choices(actor)  # type: ignore[attr-defined]

    def key_result_titles(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["key_results"].splitlines() if line.strip()
        ]


class DevelopmentStatusForm(forms.Form):
    """Done / dropped (from active) or reopen: the button pressed names the status."""

    status = forms.ChoiceField(
        choices=DevelopmentObjective.Status.choices, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("What you learned, or why it stopped mattering. Optional."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)

    def add_error(self, field: str | None, error: Any) -> None:
        # The status is the button pressed, not a field on screen: its errors go on top.
        super().add_error(None if field == "status" else field, error)


class DevelopmentKeyResultForm(forms.Form):
    title = forms.CharField(label=_("New learning key result"), max_length=200)


class DevelopmentProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What you learned"), required=False, max_length=2000)


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    team = TeamChoiceField(
        queryset=Membership.objects.for_org(0).none(), label=_("Team"), required=False
    )
    role_title = forms.CharField(label=_("Role"), max_length=120, required=False)
    levels = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One level per line, lowest first: “Name: what it looks like”."),
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_choices(actor.organisation)  # type: ignore[attr-defined]

    def clean_levels(self) -> list[tuple[str, str]]:
        out = []
        for line in self.cleaned_data["levels"].splitlines():
            if not line.strip():
                continue
            name, _sep, description = line.partition(":")
            if not description.strip():
                raise forms.ValidationError(_("Write each level as “Name: what it looks like”."))
            out.append((name.strip()[:60], description.strip()))
        return out


class _LabelledChoice(forms.ModelChoiceField[Any]):
    def __init__(self, *args: Any, label_of: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return str(self.label_of(obj))


def _evidence_field(label: Any, label_of: Any) -> _LabelledChoice:
    return _LabelledChoice(
        queryset=Skill.objects.for_org(0).none(), required=False, label=label, label_of=label_of
    )


class AssessmentForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.for_org(0).none(), label=_("Skill"))
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=9)
    note = forms.CharField(
        label=_("Why this level"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Evidence: any of the person's own records below (only those the actor may see are
    # offered), and/or a web address.
    evidence_key_result = _evidence_field(
        _("Evidence: a key result"), lambda kr: f"{kr.objective.title}: {kr.title}"
    )
    evidence_check_in = _evidence_field(
        _("Evidence: a check-in"),
        lambda c: f"{c.key_result.title}, {c.created_at:%d %b %Y} ({round(c.progress * 100)}%)",
    )
    evidence_feedback = _evidence_field(
        _("Evidence: feedback received"),
        lambda f: f"{f.giver.user.full_name}, {f.created_at:%d %b %Y}: {f.body[:60]}",
    )
    evidence_certificate = _evidence_field(
        _("Evidence: an academy certificate"), lambda c: f"{c.course_title} ({c.code})"
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")

    EVIDENCE_FIELDS = {
        "evidence_key_result": "key_result",
        "evidence_check_in": "check_in",
        "evidence_feedback": "feedback",
        "evidence_certificate": "certificate",
    }

    def __init__(self, *args: Any, actor: Membership, person: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = selectors.skill_choices(actor)  # type: ignore[attr-defined]
        choices = selectors.evidence_choices(actor, person)
        for name, attr in self.EVIDENCE_FIELDS.items():
            self.fields[name].queryset = choices.of_kind(attr)  # type: ignore[attr-defined]

    def evidence(self) -> list[Any]:
        """One EvidenceIn per record chosen, and one for the link."""
        from .services import EvidenceIn

        items: list[Any] = [
            EvidenceIn(**{attr: self.cleaned_data[name]})
            for name, attr in self.EVIDENCE_FIELDS.items()
            if self.cleaned_data.get(name) is not None
        ]
        if self.cleaned_data.get("evidence_url"):
            items.append(EvidenceIn(url=self.cleaned_data["evidence_url"]))
        return items


class ObjectiveChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.cycle.name}: {obj.title}"


class FeedbackForm(forms.Form):
    recipient = MemberChoiceField(queryset=Membership.objects.for_org(0).none(), label=_("To"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Feedback.Kind.choices)
    body = forms.CharField(
        label=_("What you want to say"), widget=forms.Textarea(attrs={"rows": 4})
    )
    objective = ObjectiveChoiceField(
        queryset=Objective.objects.for_org(0).none(), label=_("About objective"), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Feedback.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Feedback.Visibility.PRIVATE,
    )
    request = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = people(actor.organisation).exclude(pk=actor.pk)  # type: ignore[attr-defined]
        self.fields["objective"].queryset = selectors.objective_choices(actor)  # type: ignore[attr-defined]


class FeedbackRequestForm(forms.Form):
    respondent = MemberChoiceField(queryset=Membership.objects.for_org(0).none(), label=_("Ask"))
    message = forms.CharField(label=_("What you would like feedback on"), max_length=300)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["respondent"].queryset = people(actor.organisation).exclude(pk=actor.pk)  # type: ignore[attr-defined]
