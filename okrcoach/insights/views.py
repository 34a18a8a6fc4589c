"""Insights pages: thin views over selectors and services."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from okrcoach.core.http import OrgRequest
from okrcoach.orgs.access import require_role
from okrcoach.orgs.models import Membership, Role

from . import dashboards, selectors, services
from .calibration import calibration_from_rows, calibration_view

SCOPES = ("person", "team", "organisation")


def _require_leadership(member: Membership) -> None:
    require_role(member, Role.ADMIN, Role.EXECUTIVE)


@login_required
def key_results(request: OrgRequest) -> HttpResponse:
    page = selectors.key_result_list(request.membership, request.GET.dict())
    return render(request, "insights/key_results.html", {"page": page})


@login_required
def calibration(request: OrgRequest) -> HttpResponse:
    m = request.membership
    scope = request.GET.get("scope", "person")
    if scope not in SCOPES:
        scope = "person"
    if scope == "organisation" and not m.sees_everything:
        _require_leadership(m)
    view = calibration_view(m, scope)
    return render(
        request,
        "insights/calibration.html",
        {"cal": view, "scope": scope, "is_demo": dashboards.is_demo(request.org)},
    )


@login_required
def impact(request: OrgRequest) -> HttpResponse:
    _require_leadership(request.membership)
    page = selectors.impact_page(request.membership)
    return render(request, "insights/impact.html", {"page": page})


@login_required
@require_POST
def impact_recompute(request: OrgRequest) -> HttpResponse:
    services.compute_training_impact(organisation=request.org, actor=request.membership)
    return redirect("insights:impact", org_slug=request.org.slug)


@login_required
def impact_csv(request: OrgRequest) -> HttpResponse:
    _require_leadership(request.membership)
    rows = selectors.impact_rows(selectors.impact_page(request.membership))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-impact.csv"'
    csv.writer(response).writerows(rows)
    return response


@login_required
def impact_xlsx(request: OrgRequest) -> HttpResponse:
    _require_leadership(request.membership)
    page = selectors.impact_page(request.membership)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Training impact")
    for row in selectors.impact_rows(page):
        sheet.append(row)
    limits = book.create_sheet("Limits")
    for line in page.limits:
        limits.append([line])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="training-impact.xlsx"'
    return response


@login_required
def summary(request: OrgRequest) -> HttpResponse:
    _require_leadership(request.membership)
    m = request.membership
    today = timezone.localdate()
    cycle = dashboards.active_cycle(request.org)
    ex = dashboards.executive_dashboard(m, cycle, today)
    context = {
        "cycle": cycle,
        "today": today,
        "exec": ex,
        "impact": selectors.impact_page(m),
        "cal": calibration_from_rows("organisation", ex.calibration_rows)
        if cycle
        else calibration_view(m, "organisation"),
        "is_demo": dashboards.is_demo(request.org),
    }
    return render(request, "insights/summary.html", context)


@login_required
def summary_csv(request: OrgRequest) -> HttpResponse:
    _require_leadership(request.membership)
    m = request.membership
    today = timezone.localdate()
    cycle = dashboards.active_cycle(request.org)
    ex = dashboards.executive_dashboard(m, cycle, today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="executive-summary.csv"'
    w = csv.writer(response)
    w.writerow(["cycle", cycle.name if cycle else ""])
    w.writerow(
        [
            "department",
            "on track",
            "at risk",
            "off track",
            "check-ins on time %",
            "coach rates good %",
            "aligned %",
        ]
    )
    for d in ex.departments:
        w.writerow(
            [
                d.team.name,
                d.counts["on_track"],
                d.counts["at_risk"],
                d.counts["off_track"],
                d.regularity,
                d.quality,
                d.alignment,
            ]
        )
    w.writerow([])
    w.writerow(["company objective", "status", "reason"])
    for o, p in ex.objectives:
        w.writerow([o.title, p.label if p else "", p.reason if p else ""])
    return response
