"""core.prepared.insert: `save()` of a new row with its INSERT compiled once per process writes
the same row, sends the same signals and keeps the append-only guard."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.signals import post_save, pre_save
from django_tasks_db.models import DBTaskResult

from okrcoach.core.models import AuditEvent
from okrcoach.core.prepared import insert

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
