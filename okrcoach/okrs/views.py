"""Thin views: resolve access, validate with a form, call one service or selector, respond.
An htmx request gets the fragment, anyone else the page or a redirect."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from okrcoach.core.forms import attach_errors
from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment
from okrcoach.orgs.access import get_for_member_or_404, require_admin
from okrcoach.orgs.models import Team

from .forms import (
    CheckInForm,
    CycleForm,
    GradeForm,
    InitiativeForm,
    KeyResultForm,
    ObjectiveForm,
    RetrospectiveForm,
)
from .models import CheckIn, Cycle, Objective
from .permissions import require_edit_objective
from .selectors import accountability, cycles, lookups, pages, tree
from .services.check_ins import correct_latest_check_in, record_check_in
from .services.cycles import NEXT_STATE, advance_cycle, create_cycle
from .services.grading import grade_key_result, write_retrospective
from .services.key_results import create_initiative, create_key_result, update_key_result
from .services.objectives import (
    carry_over_objective,
    create_objective,
    delete_objective,
    update_objective,
)
from .services.versions import StaleEdit


def _posted(request: OrgRequest) -> Any:
    """The POST data for a bound form, even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def _next_url(request: OrgRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _detail_url(request: OrgRequest, objective: Objective) -> str:
    return reverse("okrs:objective_detail", args=[request.org.slug, objective.public_id])


def _done(request: OrgRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


# --- pages -----------------------------------------------------------------------------------


@login_required
def my_okrs(request: OrgRequest) -> HttpResponse:
    page = pages.my_okrs_page(request.membership, request.GET.get("cycle"))
    return render(request, "okrs/my_okrs.html", {"page": page})


@login_required
def objective_detail(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    page = pages.objective_page(request.membership, objective)
    return render(request, "okrs/objective_detail.html", {"page": page})


@login_required
def company(request: OrgRequest) -> HttpResponse:
    page = tree.company_page(request.membership, request.GET.get("cycle"))
    return render(request, "okrs/company.html", {"page": page})


@login_required
@vary_on_headers("HX-Request")
def company_coverage(request: OrgRequest) -> HttpResponse:
    coverage = tree.company_coverage(request.membership, request.GET.get("cycle"))
    return render_page_or_fragment(
        request, "okrs/coverage.html", "okrs/partials/coverage.html", {"coverage": coverage}
    )


@login_required
@vary_on_headers("HX-Request")
def company_children(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    if not wants_fragment(request):
        return redirect(_detail_url(request, objective))
    nodes = tree.tree_children(request.membership, objective)
    return render(
        request, "okrs/partials/tree_children.html", {"nodes": nodes, "parent": objective}
    )


@login_required
def team_okrs(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = get_for_member_or_404(
        Team.objects.for_org(request.org).select_related("lead__user"),
        request.membership,
        public_id=team_id,
    )
    page = pages.team_okrs_page(request.membership, team, request.GET.get("cycle"))
    return render(request, "okrs/team_okrs.html", {"page": page})


@login_required
def late_check_ins(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "okrs/late_check_ins.html",
        {"key_results": accountability.late_check_ins(request.membership)},
    )


# --- objectives ------------------------------------------------------------------------------


def _objective_form_response(
    request: OrgRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page_or_fragment(
        request,
        "okrs/objective_form.html",
        "okrs/partials/objective_form.html",
        context,
        status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: OrgRequest) -> HttpResponse:
    actor = request.membership
    cycle, _cycles = cycles.pick_cycle(request.org, request.GET.get("cycle"))
    if cycle is None:
        messages.error(request, _("There is no cycle yet: an admin opens one first."))
        return redirect("okrs:my_okrs", org_slug=request.org.slug)
    initial: dict[str, Any] = {
        "owner": actor,
        "team": actor.team,
        "level": Objective.Level.PERSONAL,
    }
    if parent_id := request.GET.get("parent"):
        initial["parent"] = lookups.get_objective(actor, parent_id)
    form = ObjectiveForm(_posted(request), actor=actor, cycle=cycle, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            objective = create_objective(actor=actor, cycle=cycle, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Objective created. Now add its key results."))
            return _done(request, _detail_url(request, objective))
    return _objective_form_response(request, {"form": form, "cycle": cycle, "objective": None})


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = ObjectiveForm(
        _posted(request),
        actor=actor,
        cycle=objective.cycle,
        objective=objective,
        initial=ObjectiveForm.initial_from(objective),
    )
    context: dict[str, Any] = {"form": form, "cycle": objective.cycle, "objective": objective}
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        try:
            update_objective(actor=actor, objective=objective, version=version, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        except StaleEdit as exc:
            return _conflict(request, form, exc, context, _objective_form_response)
        else:
            messages.success(request, _("Objective saved."))
            return _done(request, _detail_url(request, objective))
    return _objective_form_response(request, context)


def _conflict(
    request: OrgRequest, form: Any, exc: StaleEdit, context: dict[str, Any], respond: Any
) -> HttpResponse:
    """409: show what is stored now beside the editor's input, which is kept. The form carries
    the current version, so saving again deliberately overwrites."""
    data = form.data.copy()
    data["version"] = exc.current.version
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved this while you were editing. Their version is "
            "shown below; save again to replace it with yours."
        ),
    )
    return respond(request, {**context, "form": form, "conflict": exc.current}, status=409)


@login_required
@require_POST
def objective_delete(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    try:
        delete_objective(actor=request.membership, objective=objective)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _done(request, _detail_url(request, objective))
    messages.success(request, _("Objective deleted."))
    return _done(request, reverse("okrs:my_okrs", args=[request.org.slug]))


@login_required
@require_POST
def objective_carry_over(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = lookups.get_objective(request.membership, objective_id)
    to_cycle = get_for_member_or_404(
        Cycle.objects.for_org(request.org),
        request.membership,
        public_id=request.POST.get("cycle", ""),
    )
    try:
        copy = carry_over_objective(
            actor=request.membership, objective=objective, to_cycle=to_cycle
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _done(request, _detail_url(request, objective))
    messages.success(request, _("Carried into %(cycle)s as a draft.") % {"cycle": to_cycle.name})
    return _done(request, _detail_url(request, copy))


# --- key results -----------------------------------------------------------------------------


def _kr_form_response(
    request: OrgRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page_or_fragment(
        request,
        "okrs/key_result_form.html",
        "okrs/partials/key_result_form.html",
        context,
        status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_result_create(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    form = KeyResultForm(_posted(request), actor=actor, initial={"owner": objective.owner})
    if request.method == "POST" and form.is_valid():
        try:
            create_key_result(actor=actor, objective=objective, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Key result added."))
            return _done(request, _detail_url(request, objective))
    return _kr_form_response(request, {"form": form, "objective": objective, "key_result": None})


@login_required
@require_http_methods(["GET", "POST"])
def key_result_edit(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    actor = request.membership
    kr = lookups.get_key_result(actor, key_result_id)
    require_edit_objective(actor, kr.objective)
    form = KeyResultForm(_posted(request), actor=actor, initial=KeyResultForm.initial_from(kr))
    context: dict[str, Any] = {"form": form, "objective": kr.objective, "key_result": kr}
    if request.method == "POST" and form.is_valid():
        try:
            update_key_result(
                actor=actor,
                key_result=kr,
                version=form.cleaned_data["version"] or 0,
                data=form.to_data(),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except StaleEdit as exc:
            return _conflict(request, form, exc, context, _kr_form_response)
        else:
            messages.success(request, _("Key result saved."))
            return _done(request, _detail_url(request, kr.objective))
    return _kr_form_response(request, context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def check_in(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    """The quick check-in of a My OKRs row (htmx: the row swaps itself) and its full-page
    fallback without JavaScript."""
    actor = request.membership
    row = pages.key_result_row(actor, key_result_id)
    if not row.can_check_in:
        raise PermissionDenied(
            _("Only the key result's owner and the objective's editors can check in.")
        )
    form = CheckInForm(_posted(request), key_result=row.kr)
    if request.method == "POST" and form.is_valid():
        try:
            record_check_in(actor=actor, key_result=row.kr, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if wants_fragment(request):
                fresh = pages.key_result_row(actor, key_result_id)
                response = render(
                    request,
                    "okrs/partials/key_result_row.html",
                    {
                        "row": fresh,
                        "form": CheckInForm(key_result=fresh.kr),
                        "just_checked_in": True,
                    },
                )
                return trigger_client_event(response, "check-in-recorded")
            messages.success(request, _("Check-in recorded."))
            return redirect(_next_url(request, reverse("okrs:my_okrs", args=[request.org.slug])))
    if wants_fragment(request):
        return render(request, "okrs/partials/key_result_row.html", {"row": row, "form": form})
    return render(request, "okrs/check_in.html", {"row": row, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def check_in_correct(request: OrgRequest, check_in_id: UUID) -> HttpResponse:
    actor = request.membership
    entry = get_for_member_or_404(
        CheckIn.objects.for_org(request.org).select_related(
            "key_result__objective__cycle", "key_result__objective__team"
        ),
        actor,
        public_id=check_in_id,
    )
    row = pages.key_result_row(actor, entry.key_result.public_id)
    initial = {
        "value": entry.value,
        "confidence": entry.confidence,
        "milestone_done": {True: "yes", False: "no"}.get(entry.milestone_done, ""),
        "ordinal_level": entry.ordinal_level,
        "progress_note": entry.progress_note,
        "plans_note": entry.plans_note,
        "problems_note": entry.problems_note,
    }
    form = CheckInForm(_posted(request), key_result=row.kr, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correct_latest_check_in(actor=actor, check_in=entry, data=form.to_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Check-in corrected."))
            return redirect(_detail_url(request, row.objective))
    return render(request, "okrs/check_in.html", {"row": row, "form": form, "correcting": entry})


@login_required
@require_POST
def initiative_create(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = lookups.get_key_result(request.membership, key_result_id)
    form = InitiativeForm(request.POST)
    if form.is_valid():
        try:
            create_initiative(
                actor=request.membership, key_result=kr, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Initiative added."))
    else:
        messages.error(request, _("Give the initiative a title."))
    return redirect(_detail_url(request, kr.objective))


# --- grading, retrospectives, cycles ---------------------------------------------------------


@login_required
def grading(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    cycle = get_for_member_or_404(
        Cycle.objects.for_org(request.org), request.membership, public_id=cycle_id
    )
    return render(
        request, "okrs/grading.html", {"page": pages.grading_page(request.membership, cycle)}
    )


@login_required
@require_POST
def grade(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    kr = lookups.get_key_result(request.membership, key_result_id)
    form = GradeForm(request.POST, key_result=kr)
    saved = False
    if form.is_valid():
        try:
            grade_key_result(
                actor=request.membership,
                key_result=kr,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["score_reason"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if not wants_fragment(request):
                messages.success(request, _("Grade saved."))
                return redirect(
                    "okrs:grading", org_slug=request.org.slug, cycle_id=kr.objective.cycle.public_id
                )
            saved, form = True, GradeForm(key_result=kr)
    return render_page_or_fragment(
        request,
        "okrs/grade.html",
        "okrs/partials/grade_row.html",
        {"kr": kr, "form": form, "saved": saved},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retrospective(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    actor = request.membership
    objective = lookups.get_objective(actor, objective_id)
    require_edit_objective(actor, objective)
    existing = objective.retrospectives.first() if request.method == "GET" else None
    initial = {f: getattr(existing, f) for f in RetrospectiveForm.base_fields} if existing else {}
    form = RetrospectiveForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write_retrospective(
                actor=actor, cycle=objective.cycle, objective=objective, data=form.to_data()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Retrospective saved."))
            return redirect(_detail_url(request, objective))
    return render(request, "okrs/retrospective.html", {"form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_list(request: OrgRequest) -> HttpResponse:
    form = CycleForm(_posted(request))
    if request.method == "POST":
        require_admin(request.membership)
        if form.is_valid():
            try:
                create_cycle(actor=request.membership, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Cycle created."))
                return redirect("okrs:cycles", org_slug=request.org.slug)
    return render(
        request,
        "okrs/cycles.html",
        {
            "cycles": cycles.cycles(request.org),
            "form": form,
            "next_state": NEXT_STATE,
        },
    )


@login_required
@require_POST
def cycle_advance(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    require_admin(request.membership)
    cycle = get_for_member_or_404(
        Cycle.objects.for_org(request.org), request.membership, public_id=cycle_id
    )
    try:
        advance_cycle(actor=request.membership, cycle=cycle, to_state=request.POST.get("state", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now %(state)s.")
            % {"name": cycle.name, "state": cycle.get_state_display()},
        )
    return redirect("okrs:cycles", org_slug=request.org.slug)
