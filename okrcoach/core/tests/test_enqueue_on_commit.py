"""enqueue_on_commit: a task runs only if the transaction that asked for it commits, whichever
the backend; with the database backend its row is written inside that transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from okrcoach.core.tasks import enqueue_on_commit

# The production backend (settings/base.py): django_tasks_db's, its row inserted by
# core.prepared.insert.
DB_TASKS = {"default": {"BACKEND": "okrcoach.core.tasks.DatabaseTaskBackend"}}
LIBRARY_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ran: list[int] = []


@task()
def remember(*, n: int) -> int:
    ran.append(n)
    return n


class Refused(Exception):
    pass


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_with_the_database_backend_the_row_is_written_in_the_transaction(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        enqueue_on_commit(remember, n=1)
        assert DBTaskResult.objects.filter(task_path__endswith="remember").count() == 1
    assert callbacks == []  # nothing left for the commit to do: no write of its own


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_with_the_database_backend_a_rollback_takes_the_task_away() -> None:
    with pytest.raises(Refused), transaction.atomic():
        enqueue_on_commit(remember, n=2)
        raise Refused
    assert not DBTaskResult.objects.filter(task_path__endswith="remember").exists()


@pytest.mark.django_db
def test_other_backends_enqueue_once_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ran.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(remember, n=3)
        assert ran == []  # the immediate backend would have run it already
    assert ran == [3]


@pytest.mark.django_db
def test_other_backends_never_run_the_task_of_a_rolled_back_transaction(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ran.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        enqueue_on_commit(remember, n=4)
        raise Refused
    assert callbacks == [] and ran == []


@pytest.mark.django_db
def test_the_production_backend_writes_the_row_django_tasks_db_writes() -> None:
    columns = ["status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name"]
    rows = []
    for tasks in (LIBRARY_TASKS, DB_TASKS):
        with override_settings(TASKS=tasks), transaction.atomic():
            result = remember.using(priority=5).enqueue(n=7)
        row = DBTaskResult.objects.get(pk=result.id)
        assert result.status == "READY" and result.kwargs == {"n": 7}
        rows.append({name: getattr(row, name) for name in columns} | {"run_after": row.run_after})
    assert rows[0] == rows[1]
    assert rows[1]["args_kwargs"] == {"args": [], "kwargs": {"n": 7}}
