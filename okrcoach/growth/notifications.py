"""growth's door into comms: who hears of a feedback request, of feedback given and of a 1:1
action item, through comms' own notification service (the inbox, and the email that the
person's profile switch allows; see comms.tasks.EMAIL_SWITCH).

A notification needs a comms target. Growth's rows are targets only for this: the one person a
message is for may see it, nobody else, and they carry no comment thread (`resolve` is a 404
for everyone), so registering them opens no page in comms. They have no gate: the person a
notification is for may always see what it is about, so the inbox keeps it for them.

Texts never carry the feedback itself: the notification says who and what about, the page
shows the words to those who may read them."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from okrcoach.comms import services as comms
from okrcoach.comms.models import Kind
from okrcoach.comms.targets import Target, register_target
from okrcoach.orgs.models import Membership

from .models import ActionItem, Feedback, FeedbackRequest


class ForOnePerson:
    """A growth row as a notification target: visible to the person it is addressed to."""

    def resolve(self, actor: Membership, public_id: UUID) -> Target:
        raise Http404("Growth items have no comment thread.")

    def resolve_any(self, organisation_id: int, public_id: UUID) -> Target | None:
        return None

    def viewers_q(self, target: Target) -> Q:
        return Q(pk=target.owner_id)


def _send(
    kind: str,
    row: FeedbackRequest | Feedback | ActionItem,
    *,
    actor: Membership,
    person_id: int,
    notification_kind: str,
    title: str,
    url: str,
    excerpt: str = "",
) -> None:
    """One notification to `person_id` about `row`, through comms (the inbox, then an email
    if the person's switch allows)."""
    target = Target(
        kind=kind,
        public_id=row.public_id,
        title=title,
        url=url,
        organisation_id=row.organisation_id,
        gate_id=None,
        is_private=True,  # never a webhook: these are between named people
        owner_id=person_id,
    )
    comms.notify(
        target=target,
        actor=actor,
        recipients={person_id: notification_kind},
        title=title,
        excerpt=excerpt,
    )


def _name(member: Membership) -> str:
    return member.user.full_name or member.user.email


def feedback_requested(*, actor: Membership, request: FeedbackRequest) -> None:
    """Tell the named colleague that someone asks them for feedback."""
    slug = actor.organisation.slug
    url = reverse("growth:feedback_give", args=[slug]) + f"?request={request.public_id}"
    about = request.about
    title = (
        _("%(a)s asked you for feedback") % {"a": _name(actor)}
        if about.pk == actor.pk
        else _("%(a)s asked you for feedback about %(p)s") % {"a": _name(actor), "p": _name(about)}
    )
    _send(
        "growth_feedback_request",
        request,
        actor=actor,
        person_id=request.respondent_id,
        notification_kind=Kind.FEEDBACK_REQUEST,
        title=title,
        url=url,
        excerpt=request.message,
    )


def feedback_given(*, actor: Membership, feedback: Feedback) -> None:
    """Tell the person that feedback or praise was given to them (not its words)."""
    url = reverse("growth:feedback", args=[actor.organisation.slug]) + "#recv-h"
    if feedback.kind == Feedback.Kind.PRAISE:
        title = _("%(a)s praised you") % {"a": _name(actor)}
    else:
        title = _("%(a)s gave you feedback") % {"a": _name(actor)}
    excerpt = ""
    if feedback.objective is not None:
        excerpt = _("About “%(o)s”") % {"o": feedback.objective.title}
    _send(
        "growth_feedback",
        feedback,
        actor=actor,
        person_id=feedback.recipient_id,
        notification_kind=Kind.FEEDBACK,
        title=title,
        url=url,
        excerpt=excerpt,
    )


def action_item_assigned(*, actor: Membership, item: ActionItem) -> None:
    """Tell the owner of an action item that the other person gave it to them (nobody is told
    of an item they gave themselves: comms leaves the actor out)."""
    url = reverse("growth:meeting", args=[actor.organisation.slug, item.raised_in.public_id])
    title = _("%(a)s gave you a 1:1 action item") % {"a": _name(actor)}
    _send(
        "growth_action_item",
        item,
        actor=actor,
        person_id=item.owner_id,
        notification_kind=Kind.ACTION_ITEM,
        title=title,
        url=url,
        excerpt=item.text,
    )


# Registered on import, as agenda sources are: services import this module before any notify.
register_target("growth_feedback_request", ForOnePerson())
register_target("growth_feedback", ForOnePerson())
register_target("growth_action_item", ForOnePerson())
