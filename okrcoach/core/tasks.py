"""Background work that belongs to no domain: sending one email."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one email through the configured backend. Safe to run twice: at worst the
    recipient gets the same message again, which is why callers enqueue it on commit."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
