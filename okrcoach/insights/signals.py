"""Keep the cycle snapshots current after writes: a saved key result (a check-in saves its key
result), a saved objective and okrs' bulk check-ins recount the teams they touch in the task
worker, queued with the write (core.tasks.enqueue_on_commit: a rollback queues nothing); okrs'
bulk check-ins instead move the weekly counts by the check-ins they wrote, inside their own
transaction (snapshots.refresh_for_check_ins says why: a queued job may run twice).

The recount was about 40% of a check-in request's work (nine queries and a row lock on the
cycle's snapshot, perf/LOAD_RESULTS.md); the person checking in does not wait for it, and the
executive views say their figures follow check-ins within moments. Deletions and writes that
bypass save() (imports' bulk writes, grading) are caught by the nightly full computation."""

from __future__ import annotations

from typing import Any

from okrcoach.core.tasks import enqueue_on_commit
from okrcoach.okrs.models import KeyResult, Objective
from okrcoach.okrs.signals import CheckInWritten
from okrcoach.orgs.models import Organisation

from . import snapshots, tasks


def key_result_saved(sender: Any, instance: KeyResult, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the snapshots come from the same fixture
        return
    enqueue_on_commit(
        tasks.refresh_key_result_snapshots,
        organisation_id=instance.organisation_id,
        key_result_ids=[instance.pk],
    )


def objective_saved(sender: Any, instance: Objective, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    enqueue_on_commit(
        tasks.refresh_objective_snapshots,
        organisation_id=instance.organisation_id,
        objective_id=instance.pk,
    )


def key_results_changed(
    sender: Organisation,
    key_result_ids: list[int],
    check_ins: list[CheckInWritten] | None = None,
    **kwargs: Any,
) -> None:
    if check_ins is None:
        enqueue_on_commit(
            tasks.refresh_key_result_snapshots,
            organisation_id=sender.pk,
            key_result_ids=sorted(set(key_result_ids)),
        )
        return
    # New check-ins: counted now, in their transaction (see refresh_for_check_ins).
    snapshots.refresh_for_check_ins(sender, check_ins)
