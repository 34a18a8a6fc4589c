"""Check-ins: the quick check-in of a My OKRs row, correcting the latest one, and a team's
check-in cadence."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from okrcoach.core.forms import Saved, posted, submit
from okrcoach.core.http import OrgRequest, wants_fragment
from okrcoach.orgs.models import Team

from ..cadence import can_change_cadence, team_override
from ..forms import CheckInForm, TeamCadenceForm
from ..selectors import lookups, pages
from ..selectors.check_in_row import check_in_row
from ..services.check_ins import correct_latest_check_in, record_check_in, set_team_cadence
from ..templatetags.okrs_tags import fresh_check_in_form
from .redirects import next_url, objective_url


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def check_in(request: OrgRequest, key_result_id: UUID) -> HttpResponse:
    """The quick check-in of a My OKRs row (htmx: the row swaps itself) and its full-page
    fallback without JavaScript."""
    actor = request.membership
    target = check_in_row(actor, key_result_id)
    row = target.row
    if not row.can_check_in:
        raise PermissionDenied(
            _("Only the key result's owner and the objective's editors can check in.")
        )
    form = CheckInForm(posted(request), key_result=row.kr)
    outcome = submit(
        form,
        lambda: record_check_in(
            actor=actor,
            key_result=row.kr,
            data=form.to_data(),
            reach=target.reach,
            cadence_overrides=target.cadence_overrides,
        ),
    )
    if isinstance(outcome, Saved):
        if wants_fragment(request):
            # record_check_in moved row.kr and its objective in memory: the row is current.
            response = render(
                request,
                "okrs/partials/key_result_row.html",
                {
                    "row": row,
                    "form": fresh_check_in_form(row.kr),
                    "just_checked_in": True,
                    # The objective's progress in the same card moves too (out of band).
                    "oob_objective": row.objective,
                },
            )
            return trigger_client_event(response, "check-in-recorded")
        messages.success(request, _("Check-in recorded."))
        return redirect(next_url(request, reverse("okrs:my_okrs", args=[request.org.slug])))
    if wants_fragment(request):
        return render(request, "okrs/partials/key_result_row.html", {"row": row, "form": form})
    return render(request, "okrs/check_in.html", {"row": row, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def check_in_correct(request: OrgRequest, check_in_id: UUID) -> HttpResponse:
    actor = request.membership
    entry = lookups.get_check_in(actor, check_in_id)
    row = pages.key_result_row(actor, entry.key_result.public_id)
    initial = {
        "value": entry.value,
        "confidence": entry.confidence,
        "milestone_done": {True: "yes", False: "no", None: ""}[entry.milestone_done],
        "ordinal_level": entry.ordinal_level,
        "progress_note": entry.progress_note,
        "plans_note": entry.plans_note,
        "problems_note": entry.problems_note,
    }
    form = CheckInForm(posted(request), key_result=row.kr, initial=initial)
    outcome = submit(
        form, lambda: correct_latest_check_in(actor=actor, check_in=entry, data=form.to_data())
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Check-in corrected."))
        return redirect(objective_url(request, row.objective))
    return render(request, "okrs/check_in.html", {"row": row, "form": form, "correcting": entry})


def _require_team_lead(request: OrgRequest, team: Team) -> None:
    if not can_change_cadence(request.membership, team):
        raise PermissionDenied(_("Only admins and the team's lead can change its cadence."))


@login_required
@require_http_methods(["GET", "POST"])
def team_cadence(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = lookups.get_team(request.membership, team_id)
    _require_team_lead(request, team)
    current = team_override(request.org, team)
    form = TeamCadenceForm(
        posted(request),
        organisation_days=request.org.check_in_cadence_days,
        initial={"check_in_cadence_days": current},
    )
    outcome = submit(
        form,
        lambda: set_team_cadence(
            actor=request.membership, team=team, days=form.cleaned_data["check_in_cadence_days"]
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Check-in cadence saved."))
        return redirect("okrs:team_cycles", request.org.slug, team.public_id)
    return render(request, "okrs/team_cadence.html", {"form": form, "team": team})
