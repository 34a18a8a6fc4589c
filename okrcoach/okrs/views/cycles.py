"""Cycles: the list (admins open and advance them), a team's last cycles compared, one cycle's
evaluation team by team."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrcoach.core.forms import Saved, attempt, posted, submit
from okrcoach.core.http import OrgRequest
from okrcoach.orgs.access import require_admin

from ..forms import CycleForm
from ..selectors import cycles, lookups
from ..services.cycles import NEXT_STATE, advance_cycle, create_cycle, update_cycle


def _warnings(form: CycleForm) -> list[str]:
    """The service's warnings (dates far back, an overlap) leave the error list: they are shown
    above the form with a box to tick, not as errors."""
    if "confirmed" not in form.errors:
        return []
    warnings = [str(w) for w in form.errors.pop("confirmed")]
    form.ask_to_confirm()
    return warnings


@login_required
@require_http_methods(["GET", "POST"])
def cycle_list(request: OrgRequest) -> HttpResponse:
    form = CycleForm(posted(request))
    warnings: list[str] = []
    if request.method == "POST":
        require_admin(request.membership)
        outcome = submit(form, lambda: create_cycle(actor=request.membership, **form.cleaned_data))
        if isinstance(outcome, Saved):
            messages.success(request, _("Cycle created."))
            return redirect("okrs:cycles", org_slug=request.org.slug)
        warnings = _warnings(form)
    return render(
        request,
        "okrs/cycles.html",
        {
            "cycles": cycles.cycles(request.org),
            "form": form,
            "warnings": warnings,
            "next_state": NEXT_STATE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    require_admin(request.membership)
    cycle = lookups.get_cycle(request.membership, cycle_id)
    initial = {
        "name": cycle.name,
        "kind": cycle.kind,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
    }
    form = CycleForm(posted(request), initial=initial)
    outcome = submit(
        form, lambda: update_cycle(actor=request.membership, cycle=cycle, **form.cleaned_data)
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Cycle saved."))
        return redirect("okrs:cycles", org_slug=request.org.slug)
    return render(
        request,
        "okrs/cycle_edit.html",
        {"cycle": cycle, "form": form, "warnings": _warnings(form)},
    )


@login_required
@require_POST
def cycle_advance(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    require_admin(request.membership)
    cycle = lookups.get_cycle(request.membership, cycle_id)
    outcome = attempt(
        request,
        lambda: advance_cycle(
            actor=request.membership, cycle=cycle, to_state=request.POST.get("state", "")
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(
            request,
            _("%(name)s is now %(state)s.")
            % {"name": cycle.name, "state": cycle.get_state_display()},
        )
    return redirect("okrs:cycles", org_slug=request.org.slug)


@login_required
@require_GET
def team_cycles(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = lookups.get_team(request.membership, team_id)
    page = cycles.team_cycles_page(request.membership, team)
    return render(request, "okrs/team_cycles.html", {"page": page})


@login_required
@require_GET
def cycle_evaluation(request: OrgRequest, cycle_id: UUID) -> HttpResponse:
    cycle = lookups.get_cycle(request.membership, cycle_id)
    page = cycles.cycle_evaluation_page(request.membership, cycle)
    return render(request, "okrs/cycle_evaluation.html", {"page": page})
