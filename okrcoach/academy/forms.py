"""Shape checks for activity submissions. Activity forms are generated from content, so instead of
Django Form classes each type has a parser from POST data to the answers the grader takes; a
problem raises ValidationError keyed by the HTML field name, shown beside that field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from okrcoach.core import bounds
from okrcoach.orgs.models import Membership, Team

from .models import ActivityType, Assignment, Course

MAX_TEXT = 5000
MAX_DRAFT = 500


def _quiz(spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    answers: dict[str, list[int]] = {}
    errors: dict[str, str] = {}
    for n, q in enumerate(spec["questions"], start=1):
        name = f"q-{q['id']}"
        raw = data.getlist(name)
        try:
            picked = sorted({bounds.parse_int(v) for v in raw})
        except ValueError:
            picked = [-1]
        if not picked:
            errors[name] = _("Question %(n)s: choose an answer.") % {"n": n}
        elif any(not 0 <= i < len(q["choices"]) for i in picked) or (
            q["kind"] == "single" and len(picked) > 1
        ):
            errors[name] = _("Question %(n)s: that is not one of the choices.") % {"n": n}
        answers[q["id"]] = picked
    if errors:
        raise ValidationError(errors)
    return answers


def _sorting(spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    categories = {c["id"] for c in spec["categories"]}
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for item in spec["items"]:
        name = f"item-{item['id']}"
        value = data.get(name, "")
        if value not in categories:
            errors[name] = _("Choose a category for “%(t)s”.") % {"t": item["text"][:60]}
        answers[item["id"]] = value
    if errors:
        raise ValidationError(errors)
    return answers


def _flaws(spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    ids = {o["id"] for o in spec["options"]}
    selected = data.getlist("option")
    if not selected:
        raise ValidationError({"option": _("Select at least one option.")})
    if any(s not in ids for s in selected):
        raise ValidationError({"option": _("That is not one of the options.")})
    return {"options": sorted(set(selected))}


def _calibration(spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    answers: dict[str, float] = {}
    errors: dict[str, str] = {}
    for n, item in enumerate(spec["items"], start=1):
        name = f"item-{item['id']}"
        try:
            value = float(data.get(name, "").replace(",", ".")[:20])
            if not 0.0 <= value <= 1.0:
                raise ValueError
        except ValueError:
            errors[name] = _("Item %(n)s: enter a score from 0.0 to 1.0.") % {"n": n}
            continue
        answers[item["id"]] = value
    if errors:
        raise ValidationError(errors)
    return answers


def _text(limit: int) -> Callable[[dict[str, Any], QueryDict], dict[str, Any]]:
    def parse(spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
        text = data.get("text", "").strip()
        if not text:
            raise ValidationError({"text": _("Write your answer first.")})
        if len(text) > limit:
            raise ValidationError({"text": _("Keep it under %(n)s characters.") % {"n": limit}})
        return {"text": text}

    return parse


PARSERS: dict[str, Callable[[dict[str, Any], QueryDict], dict[str, Any]]] = {
    ActivityType.QUIZ: _quiz,
    ActivityType.SORTING: _sorting,
    ActivityType.FLAW_SPOTTING: _flaws,
    ActivityType.CALIBRATION: _calibration,
    ActivityType.REWRITE: _text(MAX_DRAFT),
    ActivityType.REFLECTION: _text(MAX_TEXT),
}


def parse_answers(activity_type: str, spec: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    return PARSERS[activity_type](spec, data)


def parse_choice(data: QueryDict) -> int:
    try:
        return bounds.parse_int(data.get("choice", ""))
    except ValueError as exc:
        raise ValidationError({"choice": _("Choose one of the options.")}) from exc


def parse_refresher_answers(data: QueryDict) -> dict[int, list[int]]:
    answers: dict[int, list[int]] = {}
    for key in data:
        if key.startswith("r-"):
            try:
                answers[bounds.parse_int(key[2:])] = [
                    bounds.parse_int(v) for v in data.getlist(key)
                ]
            except ValueError as exc:
                raise ValidationError({key: _("That is not one of the choices.")}) from exc
    if not answers:
        raise ValidationError({"answers": _("Answer at least one question.")})
    return answers


class AssignForm(forms.Form):
    """One "assign to" choice (selected people, a team, all managers) and only the control it
    needs: the page shows the others only without JavaScript (static/js/app.js hides them).
    Every mistake is reported at once, each beside its field and in a summary at the top."""

    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Course"), to_field_name="slug"
    )
    audience = forms.ChoiceField(
        choices=Assignment.Audience.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Assign to"),
    )
    people: forms.ModelMultipleChoiceField[Membership] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("People"),
    )
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="public_id",
        label=gettext_lazy("Team"),
        help_text=gettext_lazy("Includes its sub-teams."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Note"))

    def __init__(self, *args: Any, courses: Any, people: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_field: Any = self.fields["course"]
        course_field.queryset = courses
        people_field: Any = self.fields["people"]
        people_field.queryset = people
        people_field.label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"
        team_field: Any = self.fields["team"]
        team_field.queryset = teams

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        people_missing = not data.get("people") and "people" not in self.errors
        if audience == Assignment.Audience.PEOPLE and people_missing:
            self.add_error("people", gettext_lazy("Choose at least one person."))
        team_missing = not data.get("team") and "team" not in self.errors
        if audience == Assignment.Audience.TEAM and team_missing:
            self.add_error("team", gettext_lazy("Choose a team."))
        due = data.get("due_on")
        if due is not None and due < timezone.localdate():
            self.add_error("due_on", gettext_lazy("The due date cannot be in the past."))
        return data

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for every error, in the form's order."""
        rows = []
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                bound = self[name]
                anchor = (
                    bound.auto_id if name not in {"audience", "people"} else f"{bound.auto_id}_0"
                )
                rows.append((anchor, str(field.label), str(message)))
        return rows


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=300, label=gettext_lazy("Reason"))


class AcademySettingsForm(forms.Form):
    relax_gating = forms.BooleanField(
        required=False,
        label=gettext_lazy("Let learners open any module without finishing the previous one"),
    )


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Course title"))
    summary = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Summary"),
    )


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Module title"))
    summary = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Summary"),
    )


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Lesson title"))
    body = forms.CharField(
        max_length=40_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        label=gettext_lazy("Lesson (Markdown)"),
        help_text=gettext_lazy(
            "Headings with ##, lists, tables, emphasis and links. HTML and images are removed."
        ),
    )
