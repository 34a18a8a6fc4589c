"""Academy pages. Each view resolves access, calls one selector or service, and renders; the
activity view answers htmx with the activity panel fragment and plain posts with a redirect."""

from __future__ import annotations

import csv
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from okrcoach.core.forms import Saved, submit
from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment
from okrcoach.orgs import selectors as org_selectors
from okrcoach.orgs.access import admin_required, get_for_member_or_404, require_role
from okrcoach.orgs.models import Membership, Role

from . import authoring, selectors, services
from .forms import (
    AcademySettingsForm,
    AssignForm,
    CourseForm,
    LessonForm,
    ModuleForm,
    RevokeForm,
    parse_answers,
    parse_choice,
    parse_refresher_answers,
)
from .models import Activity, ActivityType, Certificate
from .verification import get_certificate_by_code


def _activity_url(org_slug: str, activity: Activity) -> str:
    return reverse(
        "academy:activity",
        args=[org_slug, activity.module.course.slug, activity.module.slug, activity.slug],
    )


@login_required
def home(request: OrgRequest) -> HttpResponse:
    page = selectors.home_page(request.membership)
    return render(request, "academy/home.html", {"page": page})


@login_required
def course_detail(request: OrgRequest, course_slug: str) -> HttpResponse:
    course = selectors.get_course_or_404(request.org, course_slug)
    status = selectors.course_statuses(request.membership, [course])[0]
    return render(request, "academy/course_detail.html", {"status": status})


@login_required
@require_POST
def enroll(request: OrgRequest, course_slug: str) -> HttpResponse:
    course = selectors.get_course_or_404(request.org, course_slug)
    services.enroll(membership=request.membership, course=course)
    status = selectors.course_statuses(request.membership, [course])[0]
    target = status.continue_activity
    if target is None:
        return redirect("academy:course", request.org.slug, course.slug)
    return redirect(_activity_url(request.org.slug, target))


@login_required
def module_detail(request: OrgRequest, course_slug: str, module_slug: str) -> HttpResponse:
    course = selectors.get_course_or_404(request.org, course_slug)
    page = selectors.module_page(request.membership, course, module_slug)
    return render(request, "academy/module_detail.html", {"page": page})


def _panel_context(
    request: OrgRequest, activity: Activity, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    page = selectors.activity_page(request.membership, activity)
    fresh = request.GET.get("again") == "1" or errors is not None
    context: dict[str, Any] = {
        "page": page,
        "activity": activity,
        "spec": activity.spec,
        "errors": errors or {},
        "values": request.POST if errors is not None else {},
        "show_result": page.latest is not None and not fresh,
    }
    if activity.type == ActivityType.SCENARIO:
        context["scenario"] = selectors.scenario_view(activity.spec, page.open_scenario)
        context["show_result"] = context["show_result"] and page.open_scenario is None
    return context


def _render_activity(request: OrgRequest, context: dict[str, Any]) -> HttpResponse:
    return render_page_or_fragment(
        request, "academy/activity_detail.html", "academy/partials/activity_panel.html", context
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def activity_detail(
    request: OrgRequest, course_slug: str, module_slug: str, activity_slug: str
) -> HttpResponse:
    course = selectors.get_course_or_404(request.org, course_slug)
    activity = selectors.get_activity_or_404(course, module_slug, activity_slug)
    if request.method == "GET":
        if activity.type == ActivityType.FIELD_ASSIGNMENT:
            # The learner comes here to see whether their work counted: count it now.
            services.sync_product_evidence(membership=request.membership)
        context = _panel_context(request, activity)
        if not context["page"].is_open:
            return render(request, "academy/locked.html", context, status=403)
        return _render_activity(request, context)
    # Not core.forms.submit: there is no Django form (the answers are parsed from the POST by
    # activity type), the errors go to the panel as a dict keyed by question, and a refusal
    # keyed "activity" (closed to this learner) is a 403, not an error beside a field.
    try:
        _submit(request, activity)
    except ValidationError as exc:
        if "activity" in getattr(exc, "error_dict", {}):
            raise PermissionDenied(exc.error_dict["activity"][0].message) from exc
        return _render_activity(request, _panel_context(request, activity, exc.message_dict))
    if activity.type == ActivityType.LESSON:
        page = selectors.activity_page(request.membership, activity)
        url = (
            _activity_url(request.org.slug, page.next_activity)
            if page.next_activity
            else reverse("academy:course", args=[request.org.slug, course.slug])
        )
        return HttpResponseClientRedirect(url) if wants_fragment(request) else redirect(url)
    if wants_fragment(request):
        return _render_activity(request, _panel_context(request, activity))
    return redirect(_activity_url(request.org.slug, activity))


def _submit(request: OrgRequest, activity: Activity) -> None:
    m = request.membership
    if activity.type == ActivityType.LESSON:
        services.mark_lesson_read(membership=m, activity=activity)
    elif activity.type == ActivityType.SCENARIO:
        services.choose_scenario_option(
            membership=m, activity=activity, choice=parse_choice(request.POST)
        )
    elif activity.type == ActivityType.FIELD_ASSIGNMENT:
        raise ValidationError(
            {
                "field": _(
                    "This assignment completes itself from your work in "
                    "okrcoach; there is nothing to submit here."
                )
            }
        )
    else:
        answers = parse_answers(activity.type, activity.spec, request.POST)
        services.submit_activity(membership=m, activity=activity, answers=answers)


@login_required
@require_http_methods(["GET", "POST"])
def refreshers(request: OrgRequest) -> HttpResponse:
    m = request.membership
    feedback: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # Not core.forms.submit: no Django form; the refusal's dict (keyed by question) is
        # handed to the template as it is, beside each question.
        try:
            feedback = services.answer_refreshers(
                membership=m, answers=parse_refresher_answers(request.POST)
            )
        except ValidationError as exc:
            errors = exc.message_dict
    questions = [] if feedback else selectors.due_refreshers(m)
    template = (
        "academy/partials/refreshers_panel.html"
        if wants_fragment(request)
        else "academy/refreshers.html"
    )
    return render(
        request, template, {"questions": questions, "feedback": feedback, "errors": errors}
    )


def _certificate_for_viewer(request: OrgRequest, code: str) -> Certificate:
    cert = get_for_member_or_404(
        Certificate.objects.for_org(request.org).select_related(
            "membership__user", "course", "revoked_by__user"
        ),
        request.membership,
        code=code,
    )
    if not selectors.can_view_person(request.membership, cert.membership):
        raise PermissionDenied(_("Only the holder, their managers and admins see this."))
    return cert


@login_required
def certificate_detail(request: OrgRequest, code: str) -> HttpResponse:
    cert = _certificate_for_viewer(request, code)
    verify_url = request.build_absolute_uri(reverse("academy:verify", args=[cert.code]))
    return render(
        request,
        "academy/certificate.html",
        {"cert": cert, "verify_url": verify_url, "form": RevokeForm()},
    )


@login_required
@admin_required
@require_POST
def certificate_revoke(request: OrgRequest, code: str) -> HttpResponse:
    cert = _certificate_for_viewer(request, code)
    form = RevokeForm(request.POST)
    submit(
        form,
        lambda: services.revoke_certificate(
            actor=request.membership, certificate=cert, reason=form.cleaned_data["reason"]
        ),
    )
    if form.errors:
        verify_url = request.build_absolute_uri(reverse("academy:verify", args=[cert.code]))
        return render(
            request,
            "academy/certificate.html",
            {"cert": cert, "verify_url": verify_url, "form": form},
        )
    messages.success(request, _("Certificate revoked."))
    return redirect("academy:certificate", request.org.slug, cert.code)


def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code sees name, course, dates and status, nothing else."""
    cert = get_certificate_by_code(code)
    if cert is None:
        return render(request, "academy/verify.html", {"cert": None, "code": code[:40]}, status=404)
    return render(request, "academy/verify.html", {"cert": cert, "code": cert.code})


def _assign_form(request: OrgRequest, data: Any = None) -> AssignForm:
    org = request.org
    return AssignForm(
        data,
        courses=selectors.visible_courses(org),
        people=org_selectors.people(org),
        teams=org_selectors.team_choices(org),
        initial={"audience": "managers"},
    )


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def assign(request: OrgRequest) -> HttpResponse:
    form = _assign_form(request, request.POST if request.method == "POST" else None)
    outcome = submit(
        form,
        lambda: services.assign_course(
            actor=request.membership,
            course=form.cleaned_data["course"],
            audience=form.cleaned_data["audience"],
            due_on=form.cleaned_data["due_on"],
            people=list(form.cleaned_data["people"]),
            team=form.cleaned_data["team"],
            note=form.cleaned_data["note"],
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Course assigned."))
        return redirect("academy:assignments", request.org.slug)
    return render(request, "academy/assign.html", {"form": form})


def _require_admin_or_manager(m: Membership) -> None:
    if m.role != Role.ADMIN and not getattr(m, "active_report_count", 0):
        raise PermissionDenied(_("Only admins and managers see assignments."))


@login_required
def assignments(request: OrgRequest) -> HttpResponse:
    _require_admin_or_manager(request.membership)
    page = selectors.assignments_page(request.membership)
    return render(request, "academy/assignments.html", {"page": page})


@login_required
def reports(request: OrgRequest) -> HttpResponse:
    require_role(request.membership, Role.ADMIN, Role.EXECUTIVE)
    courses = list(selectors.visible_courses(request.org))
    if not courses:
        return render(request, "academy/reports.html", {"page": None, "courses": courses})
    slug = request.GET.get("course", "")
    course = next((c for c in courses if c.slug == slug), courses[0])
    page = selectors.reports_page(request.org, course)
    return render(request, "academy/reports.html", {"page": page, "courses": courses})


@login_required
def reports_csv(request: OrgRequest) -> HttpResponse:
    require_role(request.membership, Role.ADMIN, Role.EXECUTIVE)
    slug = request.GET.get("course", "")
    if not slug_re.match(slug):
        raise Http404("No such course.")  # not a slug (a NUL byte, say): nothing to look up
    course = selectors.get_course_or_404(request.org, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="academy-{course.slug}.csv"'
    writer = csv.writer(response)
    for row in selectors.report_csv_rows(request.org, course):
        # A leading =, +, - or @ would run as a formula in a spreadsheet.
        writer.writerow([f"'{v}" if v[:1] in ("=", "+", "-", "@") else v for v in row])
    return response


@login_required
def training_record(request: OrgRequest, person_id: UUID) -> HttpResponse:
    person = get_for_member_or_404(
        org_selectors.people(request.org, include_inactive=True),
        request.membership,
        public_id=person_id,
    )
    if not selectors.can_view_person(request.membership, person):
        raise PermissionDenied(_("Only this person, their managers and admins see this record."))
    record = selectors.training_record(person)
    return render(request, "academy/training_record.html", {"record": record})


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def academy_settings(request: OrgRequest) -> HttpResponse:
    relaxed = selectors.relaxed_gating(request.org)
    form = AcademySettingsForm(request.POST or None, initial={"relax_gating": relaxed})
    if request.method == "POST" and form.is_valid():
        services.update_academy_settings(
            actor=request.membership, relax_gating=form.cleaned_data["relax_gating"]
        )
        messages.success(request, _("Academy settings saved."))
        return redirect("academy:settings", request.org.slug)
    return render(request, "academy/settings.html", {"form": form})


# Authoring: admins write their organisation's own courses


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def author_courses(request: OrgRequest) -> HttpResponse:
    form = CourseForm(request.POST if request.method == "POST" else None)
    outcome = submit(
        form, lambda: authoring.create_course(actor=request.membership, **form.cleaned_data)
    )
    if isinstance(outcome, Saved):
        course = outcome.value
        messages.success(request, _("Course created. Add its first module."))
        return redirect("academy:author_course", request.org.slug, course.public_id)
    courses = list(selectors.own_courses(request.org))
    return render(request, "academy/author_courses.html", {"courses": courses, "form": form})


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def author_course(request: OrgRequest, course_id: UUID) -> HttpResponse:
    course = selectors.get_own_course_or_404(request.org, course_id)
    form = ModuleForm(request.POST if request.method == "POST" else None)
    outcome = submit(
        form,
        lambda: authoring.add_module(actor=request.membership, course=course, **form.cleaned_data),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Module added."))
        return redirect("academy:author_course", request.org.slug, course.public_id)
    modules = selectors.authored_modules(course)
    return render(
        request, "academy/author_course.html", {"course": course, "modules": modules, "form": form}
    )


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def author_lesson(request: OrgRequest, course_id: UUID, module_slug: str) -> HttpResponse:
    course = selectors.get_own_course_or_404(request.org, course_id)
    module = selectors.get_own_module_or_404(course, module_slug)
    form = LessonForm(request.POST if request.method == "POST" else None)
    outcome = submit(
        form,
        lambda: authoring.add_lesson(actor=request.membership, module=module, **form.cleaned_data),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Lesson added."))
        return redirect("academy:author_course", request.org.slug, course.public_id)
    return render(request, "academy/author_lesson.html", {"module": module, "form": form})
