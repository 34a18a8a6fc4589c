"""Keep the cycle snapshots current after writes: a saved key result (a check-in saves its key
result), a saved objective and okrs' bulk check-ins recount the teams they touch in the task
worker, queued with the write (core.tasks.enqueue_on_commit: a rollback queues nothing); okrs'
bulk check-ins instead move the weekly counts by the check-ins they wrote, inside their own
transaction (snapshots.refresh_for_check_ins says why: a queued job may run twice).

A single check-in (okrs' `check_in_recorded`) is coalesced: the first check-in of a team
queues its recount to run RECOUNT_DELAY_SECONDS later and sets a flag in the shared cache for
RECOUNT_WINDOW_SECONDS; the team's later check-ins find the flag and queue nothing. Checked after
the check-in's commit, the flag is still set only if the queued recount has not started (it
starts after the flag expires): that recount reads every check-in that saw the flag. So a team
checking in often costs one recount per few seconds instead of one per check-in (22.7 ms of
worker CPU each, perf/LOAD_RESULTS.md), and no recount row is written inside the request.

The recount was about 40% of a check-in request's work (nine queries and a row lock on the
cycle's snapshot, perf/LOAD_RESULTS.md); the person checking in does not wait for it, and the
executive views say their figures follow check-ins within moments. Deletions and writes that
bypass save() (imports' bulk writes, grading) are caught by the nightly full computation."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

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


# A team's check-ins within this window share one recount, which starts after the window and a
# margin (so after every check-in that found the flag set has committed).
RECOUNT_WINDOW_SECONDS = 2
RECOUNT_DELAY_SECONDS = RECOUNT_WINDOW_SECONDS + 1


def check_in_recorded(sender: Organisation, key_result: KeyResult, **kwargs: Any) -> None:
    team_key = key_result.owner.team_id or 0
    cycle_id = key_result.objective.cycle_id
    transaction.on_commit(partial(_recount_soon, sender.pk, cycle_id, team_key))


def _recount_soon(organisation_id: int, cycle_id: int, team_key: int) -> None:
    """After the check-in's commit: queue the team's recount unless one is queued that has not
    started yet."""
    task = tasks.refresh_team_snapshots
    kwargs: dict[str, Any] = {
        "organisation_id": organisation_id,
        "cycle_id": cycle_id,
        "team_keys": [team_key],
    }
    if not task.get_backend().supports_defer:  # the tests' immediate backend: recount now
        task.enqueue(**kwargs)
        return
    flag = f"insights:recount:{organisation_id}:{cycle_id}:{team_key}"
    if not cache.add(flag, 1, timeout=RECOUNT_WINDOW_SECONDS):
        return  # queued by an earlier check-in; it starts after this commit, so it counts it
    try:
        run_after = timezone.now() + timedelta(seconds=RECOUNT_DELAY_SECONDS)
        task.using(run_after=run_after).enqueue(**kwargs)
    except BaseException:
        cache.delete(flag)  # nothing queued: the next check-in must queue it
        raise
