"""Keep the cycle snapshots current after writes: a saved key result (a check-in saves its key
result) and a saved objective recount the teams they touch once the transaction commits; okrs'
bulk check-ins do it inside their transaction, moving the weekly counts by the check-ins they
wrote (snapshots.refresh_for_check_ins says why). Deletions and writes that bypass save()
(imports' bulk writes, grading) are caught by the nightly full computation."""

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
    # New check-ins: counted now, in their transaction (see refresh_for_check_ins).
    snapshots.refresh_for_check_ins(sender, check_ins)
