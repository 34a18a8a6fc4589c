"""Render an email from templates and hand it to the worker once the transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .tasks import send_email


def queue_templated_email(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """`headers`: extra mail headers (List-Unsubscribe). An optional `{template}.html` is sent
    as the HTML alternative."""
    subject = render_to_string(f"{template}_subject.txt", context).strip().replace("\n", " ")
    text = render_to_string(f"{template}.txt", context)
    try:
        html: str | None = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    transaction.on_commit(
        partial(send_email.enqueue, to=[to], subject=subject, text=text, html=html, headers=headers)
    )
