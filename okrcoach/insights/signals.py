"""Keep the cycle snapshots current after writes: a saved key result (a check-in saves its key
result), a saved objective and okrs' bulk check-ins recount the teams they touch once the
transaction commits (after bulk check-ins, only the weeks they wrote to are recounted).
Deletions and writes that bypass save() (imports' bulk writes, grading)
are caught by the nightly full computation."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from okrcoach.okrs.models import CheckIn, KeyResult, Objective
from okrcoach.orgs.models import Organisation

from . import snapshots


def key_result_saved(sender: Any, instance: KeyResult, **kwargs: Any) -> None:
    org_id, kr_id = instance.organisation_id, instance.pk
    transaction.on_commit(lambda: snapshots.refresh_for_key_results(org_id, [kr_id]))


def objective_saved(sender: Any, instance: Objective, **kwargs: Any) -> None:
    org_id, objective_id = instance.organisation_id, instance.pk
    transaction.on_commit(lambda: snapshots.refresh_for_objective(org_id, objective_id))


def key_results_changed(
    sender: Organisation,
    key_result_ids: list[int],
    check_ins: list[CheckIn] | None = None,
    **kwargs: Any,
) -> None:
    org_id, ids = sender.pk, list(key_result_ids)
    if check_ins is None:
        transaction.on_commit(lambda: snapshots.refresh_for_key_results(org_id, ids))
        return
    # New check-ins: their teams and weeks are known now; the refresh recounts only those weeks.
    touched = snapshots.check_in_touches(check_ins)
    transaction.on_commit(lambda: snapshots.refresh_for_check_ins(org_id, touched))
