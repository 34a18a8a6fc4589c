"""The coach in the editors: review as you type, apply a suggestion, dismiss a finding with a
reason; the coach's view of a saved key result; the admin's report by verdict and rule.

The review and dismiss URLs take the editor's whole form (htmx includes it; without JavaScript
the Apply and Dismiss buttons submit it with `formaction`), so the page works either way."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from coach import accuracy as coach_accuracy_data
from okrcoach.core.http import OrgRequest, wants_fragment
from okrcoach.orgs.access import admin_required

from .. import coach_panel
from ..coach_set import SetView, owner_objective_count, set_view
from ..forms import DismissForm, KeyResultForm, ObjectiveForm
from ..models import CoachDismissal, Cycle, KeyResult, Objective
from ..permissions import can_edit_objective, require_edit_objective
from ..selectors import cycles, lookups
from ..selectors.coach_report import coach_report_page
from ..services.coach import dismiss_finding

FEEDBACK = "okrs/partials/coach_feedback.html"


@dataclass(frozen=True)
class Editor:
    """One editor (objective or key result, new or saved) bound to the posted input."""

    kind: str
    form: ObjectiveForm | KeyResultForm
    context: dict[str, Any]  # what the editor's templates read
    target: Objective | KeyResult | None
    page: str
    fragment: str
    review: Callable[[dict[str, Any]], coach_panel.Feedback]

    def feedback(self) -> coach_panel.Feedback:
        self.form.is_valid()
        # Mid-typing, some fields do not validate yet: review with those that do.
        return self.review(getattr(self.form, "cleaned_data", {}))


Build = Callable[[QueryDict], Editor]


def _kr_editor(request: OrgRequest, objective: Objective, kr: KeyResult | None) -> Build:
    actor = request.membership
    initial = KeyResultForm.initial_from(kr) if kr else {"owner": objective.owner}

    def build(data: QueryDict) -> Editor:
        form = KeyResultForm(data, actor=actor, initial=initial)
        return Editor(
            kind=CoachDismissal.Kind.KEY_RESULT,
            form=form,
            context={"form": form, "objective": objective, "key_result": kr},
            target=kr,
            page="okrs/key_result_form.html",
            fragment="okrs/partials/key_result_form.html",
            review=lambda cleaned: coach_panel.key_result_feedback(
                actor=actor, cleaned=cleaned, objective=objective, key_result=kr
            ),
        )

    return build


def _objective_editor(request: OrgRequest, cycle: Cycle, objective: Objective | None) -> Build:
    actor = request.membership
    initial = ObjectiveForm.initial_from(objective) if objective else {}

    def build(data: QueryDict) -> Editor:
        form = ObjectiveForm(data, actor=actor, cycle=cycle, objective=objective, initial=initial)
        return Editor(
            kind=CoachDismissal.Kind.OBJECTIVE,
            form=form,
            context={"form": form, "cycle": cycle, "objective": objective},
            target=objective,
            page="okrs/objective_form.html",
            fragment="okrs/partials/objective_form.html",
            review=lambda cleaned: coach_panel.objective_feedback(
                actor=actor, cleaned=cleaned, cycle=cycle, objective=objective
            ),
        )

    return build


def _review(request: OrgRequest, build: Build) -> HttpResponse:
    """Feedback on the posted input; with `coach_apply`, the editor again with that text."""
    data = request.POST.copy()
    applied = data.get("coach_apply", "").strip()[: coach_panel.TITLE_MAX]
    if applied:
        data["title"] = applied
    editor = build(data)
    feedback = editor.feedback()
    context = {
        **editor.context,
        "coach": feedback,
        "coach_applied": bool(applied),
        "coach_set": _set_review(request, editor, feedback),
    }
    if not wants_fragment(request):
        return render(request, editor.page, context)
    return render(request, editor.fragment if applied else FEEDBACK, context)


def _set_review(
    request: OrgRequest, editor: Editor, feedback: coach_panel.Feedback
) -> SetView | None:
    """In a saved objective's editor: the set review, with the objective as being typed (one
    query for its key results, one for the objective count of its team or owner)."""
    target = editor.target
    if not isinstance(target, Objective) or feedback.review is None:
        return None
    draft = copy.copy(target)
    draft.title = feedback.text
    draft.coach_verdict = (
        {"verdict": feedback.verdict, "score": feedback.score}
        if feedback.reviewed
        else {"verdict": feedback.verdict}
    )
    krs = list(KeyResult.objects.for_org(request.org).filter(objective=target))
    return set_view(draft, krs, owner_objective_count(target))


def _dismiss(request: OrgRequest, build: Build) -> HttpResponse:
    editor = build(request.POST)
    feedback = editor.feedback()
    rule = request.POST.get("coach_rule", "")
    form = DismissForm({"rule": rule, "reason": request.POST.get(f"coach_reason_{rule}", "")})
    if form.is_valid() and form.cleaned_data["rule"] not in feedback.rules:
        form.add_error("rule", _("The coach no longer raises this finding."))
    dismissed = form.is_valid()
    if dismissed:
        dismiss_finding(
            actor=request.membership,
            kind=editor.kind,
            target=editor.target,
            text=feedback.text,
            rule=form.cleaned_data["rule"],
            reason=form.cleaned_data["reason"],
        )
        feedback = editor.feedback()
    context = {
        **editor.context,
        "coach": feedback,
        "dismiss_form": form,
        "dismissed_rule": rule if dismissed else "",
        "coach_set": _set_review(request, editor, feedback),
    }
    return render(request, FEEDBACK if wants_fragment(request) else editor.page, context)


# --- key results -----------------------------------------------------------------------------


def _editable_kr(request: OrgRequest, key_result_id: UUID) -> KeyResult:
    kr = lookups.get_key_result(request.membership, key_result_id)
    require_edit_objective(request.membership, kr.objective)
    return kr


def _editable_objective(request: OrgRequest, objective_id: UUID) -> Objective:
    objective = lookups.get_objective(request.membership, objective_id)
    require_edit_objective(request.membership, objective)
    return objective


@login_required
@require_POST
@vary_on_headers("HX-Request")
def key_result_review(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = _editable_kr(request, key_result_id)
    return _review(request, _kr_editor(request, kr.objective, kr))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def key_result_dismiss(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = _editable_kr(request, key_result_id)
    return _dismiss(request, _kr_editor(request, kr.objective, kr))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def new_key_result_review(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = _editable_objective(request, objective_id)
    return _review(request, _kr_editor(request, objective, None))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def new_key_result_dismiss(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = _editable_objective(request, objective_id)
    return _dismiss(request, _kr_editor(request, objective, None))


# --- objectives ------------------------------------------------------------------------------


@login_required
@require_POST
@vary_on_headers("HX-Request")
def objective_review(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = _editable_objective(request, objective_id)
    return _review(request, _objective_editor(request, objective.cycle, objective))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def objective_dismiss(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = _editable_objective(request, objective_id)
    return _dismiss(request, _objective_editor(request, objective.cycle, objective))


def _draft_cycle(request: OrgRequest) -> Cycle:
    cycle, _cycles = cycles.pick_cycle(request.org, request.GET.get("cycle"))
    if cycle is None:
        raise Http404("There is no cycle to write objectives in.")
    return cycle


@login_required
@require_POST
@vary_on_headers("HX-Request")
def new_objective_review(request: OrgRequest) -> HttpResponse:
    return _review(request, _objective_editor(request, _draft_cycle(request), None))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def new_objective_dismiss(request: OrgRequest) -> HttpResponse:
    return _dismiss(request, _objective_editor(request, _draft_cycle(request), None))


# --- pages -----------------------------------------------------------------------------------


@login_required
@require_GET
def key_result_coach(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    """What the coach says about a saved key result, for anyone who can see it."""
    kr = lookups.get_key_result(request.membership, key_result_id)
    context = {
        "kr": kr,
        "key_result": kr,
        "objective": kr.objective,
        "coach": coach_panel.stored_feedback(actor=request.membership, key_result=kr),
        "can_edit": can_edit_objective(request.membership, kr.objective),
    }
    return render(request, "okrs/coach_key_result.html", context)


@login_required
@admin_required
@require_GET
@vary_on_headers("HX-Request")
def coach_report(request: OrgRequest) -> HttpResponse:
    g = request.GET
    report = coach_report_page(
        request.membership,
        cycle_id=g.get("cycle"),
        verdict=g.get("verdict", ""),
        rule=g.get("rule", "")[:40],
        kind=g.get("kind", ""),
        page_number=g.get("page") or 1,
    )
    template = (
        "okrs/partials/coach_report_list.html"
        if wants_fragment(request)
        else "okrs/coach_report.html"
    )
    return render(
        request,
        template,
        {"report": report, "base_url": reverse("okrs:coach_report", args=[request.org.slug])},
    )


def set_label(name: str) -> str:
    """What an evaluation set is, in words a manager reads (the file name stays beside it)."""
    if name == "realistic-heldback":
        return _("Real-world style OKRs, held back (never used to tune the coach)")
    if name == "realistic-tune":
        return _("Real-world style OKRs, tuning part")
    if name == "holdout":
        return _("Invented OKRs, held-back part")
    if name == "tune":
        return _("Invented OKRs, tuning part")
    if name.startswith("fresh"):
        return _("Invented OKRs, fresh set %(n)s (written after tuning)") % {
            "n": name.removeprefix("fresh") or "1"
        }
    return name


@login_required
@require_GET
def coach_accuracy(request: OrgRequest) -> HttpResponse:
    """How often the coach is right: the figures measured on the evaluation sets and shipped
    with the coach (coach/accuracy.json). Any member of the organisation; no query beyond the
    session's."""
    data = coach_accuracy_data.load()
    sets = [
        {
            "name": name,
            "label": set_label(name),
            **figures,
            "kr_bad_to_good_pct": round(100 * figures["key_result"]["bad_to_good"], 1),
        }
        for name, figures in data["sets"].items()
    ]
    return render(
        request,
        "okrs/coach_accuracy.html",
        {
            "measured": data["measured"],
            "reference_set": data["reference_set"],
            "reference_label": set_label(data["reference_set"]),
            "how_counted": data["how_right_is_counted"],
            "sets": sets,
            "rules": coach_accuracy_data.rule_rows(),
        },
    )
