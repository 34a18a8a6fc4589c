"""Email through the task worker.

Mail that carries a secret (an invitation link, a password-reset link) is queued *by id*: the
task's arguments hold only a kind and object ids, and the message (with its secret) is rendered
when the worker sends it, by a renderer the owning app registers in its AppConfig.ready(). A
database dump then holds no live link. Other mail (`queue_templated_email`) carries no secret
and is rendered at once. Both are retried with backoff when the mail server fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from .tasks import deliver_email, send_email


@dataclass(frozen=True)
class Email:
    to: list[str]
    subject: str
    text: str


# kind -> renderer(object id) -> the message to send now, or None when there is nothing to send
# any more (the invitation was revoked, the account deactivated).
Renderer = Callable[[int], Email | None]
_RENDERERS: dict[str, Renderer] = {}


def register_email(kind: str, renderer: Renderer) -> None:
    _RENDERERS[kind] = renderer


def render_email(kind: str, object_id: int) -> Email | None:
    return _RENDERERS[kind](object_id)


def render_templated(*, to: str, template: str, context: dict[str, Any]) -> Email:
    subject = render_plain(f"{template}_subject.txt", context).strip().replace("\n", " ")
    return Email(to=[to], subject=subject, text=render_plain(f"{template}.txt", context))


def queue_email(*, kind: str, object_ids: list[int]) -> None:
    """Send the `kind` mail of these objects once the transaction commits: one task for all."""
    if object_ids:
        transaction.on_commit(
            partial(deliver_email.enqueue, kind=kind, object_ids=list(object_ids))
        )


def render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template without HTML escaping: "quarter's" stays "quarter's", not
    "quarter&#x27;s" (an email's text part is not HTML)."""
    return str(get_template(name).template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def queue_templated_email(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Mail without a secret, rendered now. `headers`: extra mail headers (List-Unsubscribe).
    An optional `{template}.html` is sent as the HTML alternative."""
    email = render_templated(to=to, template=template, context=context)
    try:
        html: str | None = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    transaction.on_commit(
        partial(
            send_email.enqueue,
            to=email.to,
            subject=email.subject,
            text=email.text,
            html=html,
            headers=headers,
        )
    )
