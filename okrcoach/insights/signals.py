"""Keep the cycle snapshots current after writes: a saved key result (a check-in saves its key
result), a saved objective and okrs' bulk check-ins recount the teams they touch once the
transaction commits. Deletions and writes that bypass save() (imports' bulk writes, grading)
are caught by the nightly full computation."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.orgs.models import Organisation

from . import snapshots


def key_result_saved(sender: Any, instance: KeyResult, **kwargs: Any) -> None:
    org_id, kr_id = instance.organisation_id, instance.pk
    transaction.on_commit(lambda: snapshots.refresh_for_key_results(org_id, [kr_id]))


def objective_saved(sender: Any, instance: Objective, **kwargs: Any) -> None:
    org_id, objective_id = instance.organisation_id, instance.pk
    transaction.on_commit(lambda: snapshots.refresh_for_objective(org_id, objective_id))


def key_results_changed(sender: Organisation, key_result_ids: list[int], **kwargs: Any) -> None:
    org_id, ids = sender.pk, list(key_result_ids)
    transaction.on_commit(lambda: snapshots.refresh_for_key_results(org_id, ids))
