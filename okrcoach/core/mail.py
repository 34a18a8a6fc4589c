"""Render an email from templates and hand it to the worker once the transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.template import Context
from django.template.loader import get_template

from .tasks import send_email


def render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template without HTML escaping: "quarter's" stays "quarter's", not
    "quarter&#x27;s" (an email's text part is not HTML)."""
    return str(get_template(name).template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def queue_templated_email(*, to: str, template: str, context: dict[str, Any]) -> None:
    subject = render_plain(f"{template}_subject.txt", context).strip().replace("\n", " ")
    text = render_plain(f"{template}.txt", context)
    transaction.on_commit(partial(send_email.enqueue, to=[to], subject=subject, text=text))
