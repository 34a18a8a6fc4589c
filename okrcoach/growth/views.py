"""Growth pages. Each view resolves access (404 across organisations, 403 by the permission
matrix), validates a form, calls one service or selector, and renders or redirects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_stubs_ext import StrOrPromise

from okrcoach.core.forms import Saved, attempt, posted, submit
from okrcoach.core.http import OrgRequest, wants_fragment
from okrcoach.orgs.models import Membership

from . import evidence, selectors, services
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AssessmentForm,
    DevelopmentKeyResultForm,
    DevelopmentObjectiveForm,
    DevelopmentProgressForm,
    DevelopmentStatusForm,
    FeedbackForm,
    FeedbackRequestForm,
    PrivateNoteForm,
    SeriesForm,
    SharedNotesForm,
    SkillForm,
)
from .ics import series_ics
from .models import Meeting
from .permissions import Subject, require


@login_required
def home(request: OrgRequest) -> HttpResponse:
    page = selectors.growth_home(request.membership)
    return render(request, "growth/home.html", {"page": page})


# --- 1:1s ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request: OrgRequest) -> HttpResponse:
    m = request.membership
    form = SeriesForm(posted(request), actor=m, initial={"report": request.GET.get("report")})
    result = submit(form, lambda: services.create_series(actor=m, **form.cleaned_data))
    if isinstance(result, Saved):
        return redirect("growth:series", request.org.slug, result.value.public_id)
    return render(request, "growth/series_new.html", {"form": form})


@login_required
def series_detail(request: OrgRequest, series_id: UUID) -> HttpResponse:
    series = selectors.get_series(request.membership, series_id)
    page = selectors.series_page(request.membership, series)
    return render(request, "growth/series_detail.html", {"page": page})


@login_required
def series_calendar(request: OrgRequest, series_id: UUID) -> HttpResponse:
    series = selectors.get_series(request.membership, series_id)
    body = series_ics(series, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{series.public_id}.ics"'
    return response


@login_required
@require_POST
def meeting_next(request: OrgRequest, series_id: UUID) -> HttpResponse:
    m = request.membership
    series = selectors.get_series(m, series_id)
    result = attempt(request, lambda: services.schedule_next_meeting(actor=m, series=series))
    if isinstance(result, Saved):
        return redirect("growth:meeting", request.org.slug, result.value.public_id)
    return redirect("growth:series", request.org.slug, series.public_id)


def _meeting_url(request: OrgRequest, meeting: Meeting) -> str:
    return reverse("growth:meeting", args=[request.org.slug, meeting.public_id])


@dataclass(frozen=True)
class MeetingRegion:
    """One editable region of the meeting page: its form, the service its form calls, and
    the partial that renders it (the page includes the same partial, so they cannot drift)."""

    form: Callable[..., forms.Form]
    save: Callable[[Membership, Meeting, dict[str, Any]], Any]
    partial: str
    anchor: str
    saved_message: StrOrPromise = ""


REGIONS: dict[str, MeetingRegion] = {
    "agenda": MeetingRegion(
        form=lambda data, meeting: AgendaItemForm(data),
        save=lambda m, meeting, d: services.add_agenda_item(actor=m, meeting=meeting, **d),
        partial="growth/partials/meeting_agenda.html",
        anchor="agenda-h",
    ),
    "actions": MeetingRegion(
        form=lambda data, meeting: ActionItemForm(data, series=meeting.series),
        save=lambda m, meeting, d: services.add_action_item(actor=m, meeting=meeting, **d),
        partial="growth/partials/meeting_actions.html",
        anchor="actions-h",
    ),
    "shared": MeetingRegion(
        form=lambda data, meeting: SharedNotesForm(data),
        save=lambda m, meeting, d: services.save_shared_notes(
            actor=m, meeting=meeting, text=d["shared_notes"]
        ),
        partial="growth/partials/meeting_shared_notes.html",
        anchor="shared-h",
        saved_message=gettext_lazy("Shared notes saved."),
    ),
    "private": MeetingRegion(
        form=lambda data, meeting: PrivateNoteForm(data),
        save=lambda m, meeting, d: services.save_private_note(
            actor=m, meeting=meeting, body=d["body"]
        ),
        partial="growth/partials/meeting_private_note.html",
        anchor="private-h",
        saved_message=gettext_lazy("Private note saved. Only you can read it."),
    ),
}


def _meeting_context(request: OrgRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    m = request.membership
    page = selectors.meeting_page(m, meeting)
    return {
        "page": page,
        "agenda_form": AgendaItemForm(),
        "notes_form": SharedNotesForm(initial={"shared_notes": meeting.shared_notes}),
        "private_form": PrivateNoteForm(
            initial={"body": page.private_note.body if page.private_note else ""}
        ),
        "action_form": ActionItemForm(series=meeting.series, initial={"owner": m.pk}),
        **extra,
    }


_FORM_KEYS = {"agenda": "agenda_form", "actions": "action_form", "shared": "notes_form"}


def _meeting_response(
    request: OrgRequest, meeting: Meeting, region: str, *, saved: bool, **extra: Any
) -> HttpResponse:
    """The outcome of a post to one region. htmx: that region's partial (with the form
    refused, or fresh and a saved note), plus the suggestions swapped out of band, since adding
    a point or closing an item changes them. Without JS: a redirect when saved (the message
    shows on the page), else the whole page with the refused form."""
    spec = REGIONS[region]
    if wants_fragment(request):
        context = _meeting_context(request, meeting, saved=saved, oob=True, **extra)
        body = render_to_string(spec.partial, context, request)
        body += render_to_string("growth/partials/meeting_suggestions.html", context, request)
        return HttpResponse(body)
    if saved:
        if spec.saved_message:
            messages.success(request, str(spec.saved_message))
        return redirect(f"{_meeting_url(request, meeting)}#{spec.anchor}")
    return render(
        request, "growth/meeting_detail.html", _meeting_context(request, meeting, **extra)
    )


@login_required
def meeting_detail(request: OrgRequest, meeting_id: UUID) -> HttpResponse:
    meeting = selectors.get_meeting(request.membership, meeting_id)
    return render(request, "growth/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@vary_on_headers("HX-Request")
@require_POST
def meeting_post(request: OrgRequest, meeting_id: UUID, region: str) -> HttpResponse:
    """Add a talking point or an action item, save the shared notes or my private note."""
    m = request.membership
    meeting = selectors.get_meeting(m, meeting_id)
    spec = REGIONS[region]
    form = spec.form(request.POST, meeting)
    result = submit(form, lambda: spec.save(m, meeting, form.cleaned_data))
    saved = isinstance(result, Saved)
    key = _FORM_KEYS.get(region, "private_form")
    return _meeting_response(
        request, meeting, region, saved=saved, **({} if saved else {key: form})
    )


@login_required
@vary_on_headers("HX-Request")
@require_POST
def action_done(request: OrgRequest, meeting_id: UUID, item_id: UUID) -> HttpResponse:
    m = request.membership
    meeting = selectors.get_meeting(m, meeting_id)
    item = selectors.get_action_item(m, meeting, item_id)
    try:
        services.complete_action_item(actor=m, item=item, meeting=meeting)
    except ValidationError as exc:
        if not wants_fragment(request):
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{_meeting_url(request, meeting)}#actions-h")
        return _meeting_response(request, meeting, "actions", saved=False, item_errors=exc.messages)
    return _meeting_response(request, meeting, "actions", saved=True)


# --- development OKRs ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def development_list(request: OrgRequest, person_id: UUID) -> HttpResponse:
    m = request.membership
    person = selectors.get_person(m, person_id)
    page = selectors.development_list_page(m, person)
    form = DevelopmentObjectiveForm(posted(request), actor=m)
    if request.method == "POST":
        require(m, "development_okr", "change", Subject(person=person))
    result = submit(
        form,
        lambda: services.create_development_objective(
            actor=m,
            person=person,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            skills=list(form.cleaned_data["skills"]),
            modules=list(form.cleaned_data["modules"]),
            key_results=form.key_result_titles(),
        ),
    )
    if isinstance(result, Saved):
        return redirect("growth:development", request.org.slug, result.value.public_id)
    return render(request, "growth/development_list.html", {"page": page, "form": form})


def _render_development(request: OrgRequest, objective: Any, **bound: Any) -> HttpResponse:
    page = selectors.development_page(request.membership, objective)
    context = {
        "page": page,
        "kr_form": DevelopmentKeyResultForm(),
        "status_form": DevelopmentStatusForm(),
        **bound,
    }
    return render(request, "growth/development_detail.html", context)


@login_required
def development_detail(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    objective = selectors.get_development_objective(request.membership, objective_id)
    return _render_development(request, objective)


def _development_post(
    request: OrgRequest,
    objective_id: UUID,
    form_class: type[forms.Form],
    form_key: str,
    save: Callable[[Membership, Any, dict[str, Any]], Any],
) -> HttpResponse:
    """A form posted on a development OKR's page: saved, back to the page; refused, the page
    again with the form and its errors."""
    m = request.membership
    objective = selectors.get_development_objective(m, objective_id)
    form = form_class(request.POST)
    if isinstance(submit(form, lambda: save(m, objective, form.cleaned_data)), Saved):
        return redirect("growth:development", request.org.slug, objective.public_id)
    return _render_development(request, objective, **{form_key: form})


@login_required
@require_POST
def development_kr_add(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    return _development_post(
        request,
        objective_id,
        DevelopmentKeyResultForm,
        "kr_form",
        lambda m, o, d: services.add_development_key_result(actor=m, objective=o, title=d["title"]),
    )


@login_required
@require_POST
def development_status(request: OrgRequest, objective_id: UUID) -> HttpResponse:
    """Done or dropped, or reopened, with a note."""

    def save(m: Membership, objective: Any, data: dict[str, Any]) -> Any:
        services.set_development_status(actor=m, objective=objective, **data)
        messages.success(request, _("Status saved: %(s)s.") % {"s": objective.get_status_display()})

    return _development_post(request, objective_id, DevelopmentStatusForm, "status_form", save)


@login_required
@require_POST
def development_progress(request: OrgRequest, kr_id: UUID) -> HttpResponse:
    m = request.membership
    kr = selectors.get_development_key_result(m, kr_id)
    form = DevelopmentProgressForm(request.POST)
    result = submit(
        form,
        lambda: services.record_development_progress(actor=m, key_result=kr, **form.cleaned_data),
    )
    if not isinstance(result, Saved):
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        messages.error(request, _("Progress not saved: %(e)s") % {"e": errors})
    return redirect("growth:development", request.org.slug, kr.objective.public_id)


# --- skills ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def skills(request: OrgRequest) -> HttpResponse:
    m = request.membership
    page = selectors.skills_page(m)
    form = SkillForm(posted(request), actor=m)
    if request.method == "POST":
        require(m, "skills_framework", "change", Subject())
    result = submit(form, lambda: services.create_skill(actor=m, **form.cleaned_data))
    if isinstance(result, Saved):
        messages.success(request, _("Skill added to the framework."))
        return redirect("growth:skills", request.org.slug)
    return render(request, "growth/skills.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_skills(request: OrgRequest, person_id: UUID) -> HttpResponse:
    m = request.membership
    person = selectors.get_person(m, person_id)
    page = selectors.person_skills_page(m, person)
    form = AssessmentForm(posted(request), actor=m, person=person)

    def save() -> Any:
        return services.assess_skill(
            actor=m,
            person=person,
            skill=form.cleaned_data["skill"],
            level=form.cleaned_data["level"],
            note=form.cleaned_data["note"],
            evidence=form.evidence(),
        )

    result = submit(form, save)
    if isinstance(result, Saved):
        messages.success(request, _("Assessment recorded."))
        return redirect("growth:person_skills", request.org.slug, person.public_id)
    return render(request, "growth/person_skills.html", {"page": page, "form": form})


# --- feedback --------------------------------------------------------------------------------


@login_required
def feedback(request: OrgRequest) -> HttpResponse:
    m = request.membership
    page = selectors.feedback_page(m)
    context = {"page": page, "request_form": FeedbackRequestForm(actor=m)}
    return render(request, "growth/feedback.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_give(request: OrgRequest) -> HttpResponse:
    m = request.membership
    fr = None
    request_id = request.POST.get("request") or request.GET.get("request")
    if request_id:
        fr = selectors.get_feedback_request(m, request_id)
    initial = {"recipient": fr.about_id if fr else request.GET.get("to"), "request": request_id}
    form = FeedbackForm(posted(request), actor=m, initial=initial)

    def save() -> Any:
        data = form.cleaned_data
        return services.give_feedback(
            actor=m,
            recipient=data["recipient"],
            body=data["body"],
            kind=data["kind"],
            visibility=data["visibility"],
            objective=data["objective"],
            request=fr,
        )

    result = submit(form, save)
    if isinstance(result, Saved):
        messages.success(request, _("Feedback sent."))
        return redirect("growth:feedback", request.org.slug)
    return render(request, "growth/feedback_give.html", {"form": form, "feedback_request": fr})


@login_required
@require_POST
def feedback_request(request: OrgRequest) -> HttpResponse:
    m = request.membership
    form = FeedbackRequestForm(request.POST, actor=m)
    result = submit(form, lambda: services.request_feedback(actor=m, about=m, **form.cleaned_data))
    if isinstance(result, Saved):
        messages.success(request, _("Feedback requested."))
        return redirect("growth:feedback", request.org.slug)
    page = selectors.feedback_page(m)
    return render(request, "growth/feedback.html", {"page": page, "request_form": form})


@login_required
def feedback_detail(request: OrgRequest, feedback_id: UUID) -> HttpResponse:
    """One piece of feedback, for whoever may read it (evidence links point here)."""
    f = selectors.get_feedback(request.membership, feedback_id)
    return render(request, "growth/feedback_detail.html", {"f": f})


@login_required
def recognition(request: OrgRequest) -> HttpResponse:
    items = selectors.recognition(request.membership)
    return render(request, "growth/recognition.html", {"items": items})


# --- evidence pack ---------------------------------------------------------------------------


@login_required
def evidence_pack(request: OrgRequest, person_id: UUID) -> HttpResponse:
    m = request.membership
    person = selectors.get_person(m, person_id)
    pack = evidence.evidence_pack(m, person, request.GET.get("cycle"))
    return render(request, "growth/evidence_pack.html", {"pack": pack})
