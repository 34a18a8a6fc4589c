"""core.prepared.insert: `save()` of a new row with its INSERT compiled once per process writes
the same row, sends the same signals and keeps the append-only guard; inside
`inserts_together` the rows are written as the block ends (PostgreSQL: in one statement)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from okrcoach.core.bulk import update_rows
from okrcoach.core.models import AuditEvent
from okrcoach.core.prepared import insert, inserts_together

COLUMNS = [
    f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "created_at")
]


def _event(membership: Any, action: str) -> AuditEvent:
    return AuditEvent(
        organisation=membership.organisation,
        actor_user=membership.user,
        actor_label=membership.user.email,
        action=action,
        target_type="orgs.membership",
        target_id=str(membership.public_id),
        target_label="Ada «quoted» 'label'",
        data={"nested": {"list": [1, "two", None]}, "n": 3},
        ip_address="192.0.2.7",
    )


@pytest.mark.django_db
def test_insert_writes_the_row_save_would(admin: Any) -> None:
    saved = _event(admin, "core.test.saved")
    saved.save()
    inserted = insert(_event(admin, "core.test.saved"))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    rows = AuditEvent.all_orgs.filter(pk__in=[saved.pk, inserted.pk]).order_by("pk")
    first, second = rows.values(*COLUMNS, "created_at")
    assert second.pop("created_at") >= first.pop("created_at")
    assert first == second
    assert AuditEvent.all_orgs.get(pk=inserted.pk).data == {
        "nested": {"list": [1, "two", None]},
        "n": 3,
    }


@pytest.mark.django_db
def test_insert_sends_the_signals_save_sends(admin: Any) -> None:
    heard: list[tuple[str, bool | None, int | None]] = []

    def before(sender: Any, instance: AuditEvent, **kwargs: Any) -> None:
        heard.append(("pre", None, instance.pk))

    def after(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
        heard.append(("post", created, instance.pk))

    pre_save.connect(before, sender=AuditEvent)
    post_save.connect(after, sender=AuditEvent)
    try:
        event = insert(_event(admin, "core.test.signals"))
    finally:
        pre_save.disconnect(before, sender=AuditEvent)
        post_save.disconnect(after, sender=AuditEvent)
    assert heard == [("pre", None, None), ("post", True, event.pk)]


@pytest.mark.django_db
def test_a_row_that_brings_its_own_key_keeps_it() -> None:
    row: DBTaskResult[Any, Any] = DBTaskResult(
        task_path="okrcoach.core.tasks.send_email",
        args_kwargs={"args": [], "kwargs": {"to": ["a@example.com"]}},
        backend_name="default",
    )
    key = row.pk
    insert(row)
    stored = DBTaskResult.objects.get(pk=key)
    assert stored.args_kwargs == {"args": [], "kwargs": {"to": ["a@example.com"]}}
    assert stored.status == "READY"


@pytest.mark.django_db
def test_an_existing_row_goes_to_save_and_its_append_only_guard(admin: Any) -> None:
    event = insert(_event(admin, "core.test.once"))
    event.action = "core.test.twice"
    with pytest.raises(PermissionError):
        insert(event)
    assert AuditEvent.all_orgs.get(pk=event.pk).action == "core.test.once"


@pytest.mark.django_db
def test_rows_inserted_together_are_the_rows_inserted_one_by_one(admin: Any) -> None:
    alone = insert(_event(admin, "core.test.together"))
    task: DBTaskResult[Any, Any] = DBTaskResult(
        task_path="okrcoach.core.tasks.send_email",
        args_kwargs={"args": [], "kwargs": {"to": ["a@example.com"]}},
        backend_name="default",
    )
    heard: list[int | None] = []

    def after(sender: Any, instance: AuditEvent, **kwargs: Any) -> None:
        heard.append(instance.pk)

    post_save.connect(after, sender=AuditEvent)
    try:
        with CaptureQueriesContext(connection) as ctx, transaction.atomic(), inserts_together():
            first = insert(_event(admin, "core.test.together"))
            insert(task)
            second = insert(_event(admin, "core.test.together"))
            if connection.vendor == "postgresql":  # held until the block ends
                assert first.pk is None and first._state.adding and heard == []
    finally:
        post_save.disconnect(after, sender=AuditEvent)
    inserts = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    # PostgreSQL: one statement (a WITH of the three INSERTs); elsewhere one each.
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 3)
    assert heard == [first.pk, second.pk] and None not in heard
    assert not first._state.adding and not second._state.adding
    rows = AuditEvent.all_orgs.filter(pk__in=[alone.pk, first.pk, second.pk]).order_by("pk")
    written = [{k: v for k, v in r.items() if k != "created_at"} for r in rows.values(*COLUMNS)]
    assert len(written) == 3 and written[0] == written[1] == written[2]
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"


@pytest.mark.django_db
def test_an_error_in_the_block_writes_none_of_its_rows(admin: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(), inserts_together():
        insert(_event(admin, "core.test.dropped"))
        raise RuntimeError
    assert not AuditEvent.all_orgs.filter(action="core.test.dropped").exists()


@pytest.mark.django_db
def test_updates_held_with_the_rows_go_in_their_statement(admin: Any) -> None:
    """`inserts_together(updates_of=...)`: core.bulk.update_rows' UPDATE of those models waits
    for the block's one statement (PostgreSQL); another model's runs at once."""
    postgres = connection.vendor == "postgresql"
    old = insert(_event(admin, "core.test.before"))
    org = admin.organisation_id
    with (
        CaptureQueriesContext(connection) as ctx,
        transaction.atomic(),
        inserts_together(updates_of=(AuditEvent,)),
    ):
        new = insert(_event(admin, "core.test.together"))
        assert update_rows(AuditEvent, org, ["action"], [(old.pk, "core.test.after")]) == 1
        stored = AuditEvent.all_orgs.get(pk=old.pk).action
        assert stored == ("core.test.before" if postgres else "core.test.after")
    writes = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "WITH"))
    ]
    assert len(writes) == (1 if postgres else 2)
    assert AuditEvent.all_orgs.get(pk=old.pk).action == "core.test.after"
    assert new.pk is not None and not new._state.adding


@pytest.mark.django_db
def test_a_held_update_alone_is_written_and_an_error_drops_it(admin: Any) -> None:
    old = insert(_event(admin, "core.test.before"))
    org = admin.organisation_id
    with transaction.atomic(), inserts_together(updates_of=(AuditEvent,)):
        update_rows(AuditEvent, org, ["action"], [(old.pk, "core.test.alone")])
    assert AuditEvent.all_orgs.get(pk=old.pk).action == "core.test.alone"
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        inserts_together(updates_of=(AuditEvent,)),
    ):
        update_rows(AuditEvent, org, ["action"], [(old.pk, "core.test.dropped")])
        raise RuntimeError
    assert AuditEvent.all_orgs.get(pk=old.pk).action == "core.test.alone"
    with transaction.atomic(), inserts_together():  # not asked: at once
        update_rows(AuditEvent, org, ["action"], [(old.pk, "core.test.now")])
        assert AuditEvent.all_orgs.get(pk=old.pk).action == "core.test.now"
