"""Render an email from templates and hand it to the worker once the transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from .tasks import send_email


def render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template without HTML escaping: "quarter's" stays "quarter's", not
    "quarter&#x27;s" (an email's text part is not HTML)."""
    return str(get_template(name).template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def queue_templated_email(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """`headers`: extra mail headers (List-Unsubscribe). An optional `{template}.html` is sent
    as the HTML alternative."""
    subject = render_plain(f"{template}_subject.txt", context).strip().replace("\n", " ")
    text = render_plain(f"{template}.txt", context)
    try:
        html: str | None = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    transaction.on_commit(
        partial(send_email.enqueue, to=[to], subject=subject, text=text, html=html, headers=headers)
    )
