"""Comment threads, the inbox, activity feeds and the webhook admin pages. Thin: resolve the
target or row for the member (404 when they may not see it), call one service or selector."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.accounts.models import User
from okrcoach.core import bounds
from okrcoach.core.forms import Saved, posted, submit
from okrcoach.core.http import OrgRequest, render_page_or_fragment, wants_fragment
from okrcoach.orgs.access import admin_required, get_for_member_or_404
from okrcoach.orgs.models import Team

from . import selectors, services, targets
from .forms import CommentForm, WebhookEndpointForm
from .models import Comment, WebhookDelivery, WebhookEndpoint
from .tasks import UNSUBSCRIBE_SALT


def _thread_context(
    request: OrgRequest, target: targets.Target, form: CommentForm
) -> dict[str, Any]:
    return {
        "page": selectors.thread(target),
        "form": form,
        "target": target,
        "kind": target.kind,
    }


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def thread(request: OrgRequest, kind: str, target_id: UUID) -> HttpResponse:
    """A target's comments and the form to add one (POST adds, or replies with `parent`)."""
    actor = request.membership
    target = targets.resolve(actor, kind, target_id)
    form = CommentForm(posted(request))

    def save() -> Comment:
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_for_member_or_404(
                Comment.objects.for_org(actor.organisation).filter(
                    target_kind=kind, target_id=target_id
                ),
                actor,
                public_id=form.cleaned_data["parent"],
            )
        return services.post_comment(
            actor=actor, target=target, body=form.cleaned_data["body"], parent=parent
        )

    outcome = submit(form, save)
    if isinstance(outcome, Saved) and not wants_fragment(request):
        return redirect(f"{target.url}#comment-{outcome.value.public_id}")
    if isinstance(outcome, Saved):
        form = CommentForm()
    return render_page_or_fragment(
        request,
        "comms/thread.html",
        "comms/partials/thread.html",
        _thread_context(request, target, form),
    )


@login_required
@require_POST
def compose_preview(request: OrgRequest, kind: str, target_id: UUID) -> HttpResponse:
    """Who the comment being typed will notify (the form shows it before posting)."""
    actor = request.membership
    target = targets.resolve(actor, kind, target_id)
    body = request.POST.get("body", "")[: services.MAX_COMMENT]
    parent = None
    if request.POST.get("parent"):
        parent = (
            Comment.objects.for_org(actor.organisation)
            .filter(target_kind=kind, target_id=target_id, public_id=request.POST["parent"])
            .first()
        )
    recipients = services.comment_recipients(actor=actor, target=target, text=body, parent=parent)
    allowed = targets.who_may_see(target, set(recipients))
    people = selectors.people_by_id(actor.organisation_id, allowed)
    return render(request, "comms/partials/notify_preview.html", {"people": people})


@login_required
@require_GET
def mention_people(request: OrgRequest, kind: str, target_id: UUID) -> JsonResponse:
    """Autocomplete for @mentions: people who may see this item."""
    target = targets.resolve(request.membership, kind, target_id)
    query = bounds.strip_control_characters(request.GET.get("q", "")).strip()[:60]
    people = selectors.people_who_may_see(target, query)
    return JsonResponse(
        {"people": [{"handle": h, "name": n} for h, n in selectors.handles(people)]}
    )


def _own_comment(request: OrgRequest, comment_id: UUID) -> tuple[Comment, targets.Target]:
    actor = request.membership
    comment = get_for_member_or_404(
        Comment.objects.for_org(actor.organisation), actor, public_id=comment_id
    )
    target = targets.resolve(actor, comment.target_kind, comment.target_id)
    return comment, target


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: OrgRequest, comment_id: UUID) -> HttpResponse:
    comment, target = _own_comment(request, comment_id)
    if comment.author_id != request.membership.pk:
        raise PermissionDenied(_("Only the author can change or delete a comment."))
    form = CommentForm(posted(request), initial={"body": comment.body})
    outcome = submit(
        form,
        lambda: services.edit_comment(
            actor=request.membership, comment=comment, body=form.cleaned_data["body"]
        ),
    )
    if isinstance(outcome, Saved):
        return redirect(f"{target.url}#comment-{comment.public_id}")
    history = selectors.comment_history(comment)
    return render(
        request,
        "comms/comment_edit.html",
        {"form": form, "comment": comment, "target": target, "history": history},
    )


@login_required
@require_POST
def comment_delete(request: OrgRequest, comment_id: UUID) -> HttpResponse:
    comment, target = _own_comment(request, comment_id)
    services.delete_comment(actor=request.membership, comment=comment)
    messages.success(request, _("Comment deleted."))
    return redirect(target.url)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: OrgRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = list(selectors.inbox(request.membership, unread_only=unread_only)[: selectors.PAGE])
    context = {"notifications": rows, "unread_only": unread_only}
    return render_page_or_fragment(
        request, "comms/inbox.html", "comms/partials/inbox_list.html", context
    )


@login_required
@require_GET
def badge(request: OrgRequest) -> HttpResponse:
    count = selectors.unread_count(request.membership)
    return render(request, "comms/partials/inbox_link.html", {"unread": count, "loaded": True})


@login_required
@require_GET
def notification_open(request: OrgRequest, notification_id: UUID) -> HttpResponse:
    """Follow a notification's link; opening it marks it read."""
    notification = selectors.get_notification(request.membership, notification_id)
    services.mark_read(member=request.membership, notification=notification)
    return redirect(notification.url)


@login_required
@require_POST
def notification_read(request: OrgRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.get_notification(request.membership, notification_id)
    services.mark_read(member=request.membership, notification=notification)
    if wants_fragment(request):
        return render(request, "comms/partials/notification.html", {"n": notification})
    return redirect("comms:inbox", org_slug=request.org.slug)


@login_required
@require_POST
def read_all(request: OrgRequest) -> HttpResponse:
    count = services.mark_all_read(member=request.membership)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return redirect("comms:inbox", org_slug=request.org.slug)


@login_required
@require_GET
def feed(request: OrgRequest) -> HttpResponse:
    entries = selectors.feed(request.membership)
    return render(request, "comms/feed.html", {"entries": entries, "scope": request.org.name})


@login_required
@require_GET
def team_feed(request: OrgRequest, team_id: UUID) -> HttpResponse:
    team = get_for_member_or_404(
        Team.objects.for_org(request.org), request.membership, public_id=team_id
    )
    entries = selectors.feed(request.membership, team=team)
    return render(request, "comms/feed.html", {"entries": entries, "scope": team.name})


@login_required
@require_GET
def target_feed(request: OrgRequest, kind: str, target_id: UUID) -> HttpResponse:
    target = targets.resolve(request.membership, kind, target_id)
    entries = selectors.feed(request.membership, gate_id=target.gate_id)
    return render(
        request, "comms/feed.html", {"entries": entries, "scope": target.title, "target": target}
    )


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def webhooks(request: OrgRequest) -> HttpResponse:
    form = WebhookEndpointForm(posted(request))
    outcome = submit(
        form,
        lambda: services.create_webhook_endpoint(
            actor=request.membership,
            url=form.cleaned_data["url"],
            format=form.cleaned_data["format"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Endpoint added. Its signing secret is shown below."))
        return redirect(
            "comms:webhook_detail", org_slug=request.org.slug, endpoint_id=outcome.value.public_id
        )
    return render(
        request,
        "comms/webhooks.html",
        {"form": form, "endpoints": list(selectors.endpoints(request.membership))},
    )


def _endpoint(request: OrgRequest, endpoint_id: UUID) -> WebhookEndpoint:
    return get_for_member_or_404(
        WebhookEndpoint.objects.for_org(request.org), request.membership, public_id=endpoint_id
    )


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: OrgRequest, endpoint_id: UUID) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    initial = {
        "url": endpoint.url,
        "format": endpoint.format,
        "events": endpoint.events,
        "description": endpoint.description,
        "is_active": endpoint.is_active,
    }
    form = WebhookEndpointForm(posted(request), initial=initial)
    outcome = submit(
        form,
        lambda: services.update_webhook_endpoint(
            actor=request.membership,
            endpoint=endpoint,
            url=form.cleaned_data["url"],
            format=form.cleaned_data["format"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
            is_active=form.cleaned_data["is_active"],
        ),
    )
    if isinstance(outcome, Saved):
        messages.success(request, _("Endpoint saved."))
        return redirect(
            "comms:webhook_detail", org_slug=request.org.slug, endpoint_id=endpoint.public_id
        )
    context = {"endpoint": endpoint, "form": form, "deliveries": selectors.delivery_log(endpoint)}
    return render(request, "comms/webhook_detail.html", context)


@login_required
@admin_required
@require_POST
def webhook_test(request: OrgRequest, endpoint_id: UUID) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    services.send_test_event(actor=request.membership, endpoint=endpoint)
    messages.success(request, _("Test event queued; it appears in the delivery log below."))
    return redirect(
        "comms:webhook_detail", org_slug=request.org.slug, endpoint_id=endpoint.public_id
    )


@login_required
@admin_required
@require_POST
def webhook_delete(request: OrgRequest, endpoint_id: UUID) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    services.delete_webhook_endpoint(actor=request.membership, endpoint=endpoint)
    messages.success(request, _("Endpoint deleted."))
    return redirect("comms:webhooks", org_slug=request.org.slug)


@login_required
@admin_required
@require_POST
def webhook_redeliver(request: OrgRequest, delivery_id: UUID) -> HttpResponse:
    delivery = get_for_member_or_404(
        WebhookDelivery.objects.for_org(request.org).select_related("endpoint"),
        request.membership,
        public_id=delivery_id,
    )
    services.redeliver(actor=request.membership, delivery=delivery)
    messages.success(request, _("Queued again."))
    return redirect(
        "comms:webhook_detail", org_slug=request.org.slug, endpoint_id=delivery.endpoint.public_id
    )


SWITCH_LABELS = {
    "weekly_digest": _("the weekly digest"),
    "check_in_reminders": _("check-in reminders"),
    "mentions": _("mention and reply emails"),
    "activity": _("activity emails"),
    "retrospectives": _("grading and retrospective reminders"),
    "academy": _("academy assignment emails"),
}


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """One-click unsubscribe: GET shows a confirm button, POST turns the switch off."""
    token = request.GET.get("t", "")
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"])
        switch = str(data["s"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as exc:
        raise Http404("This unsubscribe link is not valid.") from exc
    if switch not in SWITCH_LABELS:
        raise Http404("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        services.unsubscribe(user=user, switch=switch)
    return render(
        request,
        "comms/unsubscribe.html",
        {
            "what": SWITCH_LABELS[switch],
            "done": done,
            "action": f"{reverse('comms:unsubscribe')}?t={token}",
        },
    )
