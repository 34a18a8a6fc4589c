"""Background work that belongs to no domain: enqueueing on commit, sending email, with retries.

A failed delivery (the mail server refused or could not be reached) is queued again to run
after a growing delay (EMAIL_RETRY_DELAY_SECONDS, doubled each time) up to EMAIL_MAX_ATTEMPTS
tries; the failed attempt is recorded as a failed task, so it stays visible."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import router, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend, TaskResult
from django_tasks_db.compat import Task as BackendTask
from django_tasks_db.compat import normalize_json, task_enqueued
from typing_extensions import ParamSpec

from .prepared import insert

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

MAIL_ERRORS = (smtplib.SMTPException, OSError)


class DeliveryFailed(Exception):
    """Some messages could not be sent; a retry was queued if attempts remain."""


class DatabaseTaskBackend(DatabaseBackend):
    """django_tasks_db's backend (TASKS in settings/base.py), its task row written through
    the INSERT compiled once per process (core.prepared.insert) instead of the ORM's create:
    a check-in queues its webhook event in every request (perf/LOAD_RESULTS.md, session 24).
    The same row and the same `task_enqueued` signal; the worker and its commands take it for
    the database backend it extends."""

    def _task_to_db_task(
        self,
        task: BackendTask[P, T],
        # The ignores are the overridden method's own (django_tasks_db/backend.py).
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> DBTaskResult[P, T]:
        from django_tasks_db.models import DBTaskResult  # a model: not at import time

        return insert(
            DBTaskResult(
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after,  # type: ignore[misc]
                backend_name=self.alias,
            )
        )

    def enqueue(
        self,
        task: BackendTask[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[P, T]:
        # As DatabaseBackend.enqueue, with the task's result built once, not twice.
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result


def enqueue_on_commit(task_: Task[..., Any], **kwargs: Any) -> None:
    """Queue `task_` to run only if the current transaction commits.

    With the database task backend the task's row is written inside the transaction itself: the
    worker sees it with the commit, and a rollback takes it away, exactly as an on-commit
    enqueue would, but without a commit of its own (a write-ahead-log flush, about 3 ms on the
    benchmark machine, on every check-in that notifies or emits an event). Any other backend
    (the immediate one in tests, a broker) is enqueued once the transaction has committed."""
    from django_tasks_db.models import DBTaskResult  # a model: not at import time

    using = router.db_for_write(DBTaskResult)
    if (
        isinstance(task_.get_backend(), DatabaseBackend)
        and transaction.get_connection(using).in_atomic_block
    ):
        task_.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task_.enqueue, **kwargs), using=using)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, …)."""
    base = float(getattr(settings, "EMAIL_RETRY_DELAY_SECONDS", 30))
    return timedelta(seconds=base * 2 ** (attempt - 1))


def _max_attempts() -> int:
    return int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 5))


def _send(
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
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


def _retry(task_: Task[..., Any], attempt: int, **kwargs: Any) -> None:
    if attempt >= _max_attempts():
        logger.error("Giving up %s after %d attempts", task_.name, attempt)
        return
    if not task_.get_backend().supports_defer:  # the tests' immediate backend
        return
    task_.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
        **kwargs, attempt=attempt + 1
    )


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> int:
    """Send one email that carries no secret. Safe to run twice: at worst the recipient gets
    the same message again, which is why callers enqueue it on commit. `headers`: extra mail
    headers (List-Unsubscribe)."""
    try:
        return _send(to, subject, text, html, headers)
    except MAIL_ERRORS as exc:
        _retry(send_email, attempt, to=to, subject=subject, text=text, html=html, headers=headers)
        raise DeliveryFailed(f"attempt {attempt}: {exc}") from exc


@task()
def deliver_email(*, kind: str, object_ids: list[int], attempt: int = 1) -> int:
    """Render and send the `kind` mail of each object now (okrcoach.core.mail): the arguments
    hold ids only. The ids whose delivery failed are retried together, later."""
    from .mail import render_email

    sent, failed = 0, []
    for object_id in object_ids:
        email = render_email(kind, object_id)
        if email is None:
            continue
        try:
            sent += _send(email.to, email.subject, email.text)
        except MAIL_ERRORS:
            logger.warning("Sending %s %s failed (attempt %d)", kind, object_id, attempt)
            failed.append(object_id)
    if failed:
        _retry(deliver_email, attempt, kind=kind, object_ids=failed)
        raise DeliveryFailed(
            f"{kind}: {len(failed)} of {len(object_ids)} failed (attempt {attempt})"
        )
    return sent
