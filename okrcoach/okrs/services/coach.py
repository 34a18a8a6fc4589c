"""Writes of the coach: a finding dismissed with a reason, every row reviewed again after a
coach upgrade, and the review an import left to the task worker."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from okrcoach.core.audit import audit
from okrcoach.core.bulk import update_from_values
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Organisation

from ..coach_panel import TITLE_MAX, draft_hash
from ..coaching import dismissed_for, store_review
from ..models import CoachDismissal, KeyResult, Objective


@transaction.atomic
def dismiss_finding(
    *,
    actor: Membership,
    kind: str,
    target: Objective | KeyResult | None,
    text: str,
    rule: str,
    reason: str,
) -> CoachDismissal:
    """Record that `actor` set a finding aside, and why; audited. The view has checked that the
    actor may edit the target (or is writing a new draft)."""
    ensure_same_org(actor, target)
    dismissal = CoachDismissal(
        organisation=actor.organisation,
        kind=kind,
        objective=target if isinstance(target, Objective) else None,
        key_result=target if isinstance(target, KeyResult) else None,
        draft_hash="" if target is not None else draft_hash(kind, text),
        rule=rule,
        reason=reason.strip(),
        text=text.strip()[:TITLE_MAX],
        member=actor,
    )
    # Lengths and choices only: the foreign keys were resolved through for_org a moment ago and
    # the one-target rule is a database constraint, so re-querying them would only cost time.
    dismissal.full_clean(
        exclude=["organisation", "objective", "key_result", "member"],
        validate_unique=False,
        validate_constraints=False,
    )
    dismissal.save()
    if target is not None:
        # the stored verdict (badges, the set review, the coach report) follows the panel
        store_review(target, dismissed_for(target))
        target.save(update_fields=["coach_verdict", "coach_rules"])
    audit(
        actor,
        "okrs.coach.finding_dismissed",
        target or dismissal,
        data={"rule": rule, "reason": dismissal.reason, "text": dismissal.text},
    )
    return dismissal


def recoach_organisation(organisation: Organisation) -> tuple[int, int]:
    """Review every objective and key result again (after a coach upgrade); write only the rows
    whose verdict or rules changed. Returns (key results, objectives) updated."""
    objectives = list(
        Objective.objects.for_org(organisation).select_related("cycle", "team", "parent")
    )
    by_pk = {o.pk: o for o in objectives}
    dismissed: dict[tuple[str, int], set[str]] = {}
    for objective_id, key_result_id, rule in (
        CoachDismissal.objects.for_org(organisation)
        .exclude(objective=None, key_result=None)
        .values_list("objective_id", "key_result_id", "rule")
    ):
        key = ("kr", key_result_id) if key_result_id else ("obj", objective_id)
        dismissed.setdefault(key, set()).add(rule)
    changed_objectives = [
        o for o in objectives if _restore(o, frozenset(dismissed.get(("obj", o.pk), ())))
    ]
    krs = list(KeyResult.objects.for_org(organisation).order_by("pk"))
    for kr in krs:
        kr.objective = by_pk[kr.objective_id]
    changed_krs = [kr for kr in krs if _restore(kr, frozenset(dismissed.get(("kr", kr.pk), ())))]
    fields = ["coach_verdict", "coach_rules"]
    with transaction.atomic(savepoint=False):
        # Key results before objectives, each in primary-key order, locked before the bulk
        # UPDATEs (which lock in the order their plan scans): rollup._ONE_LOCK_ORDER.
        for model, rows in ((KeyResult, changed_krs), (Objective, changed_objectives)):
            if rows:
                list(
                    model.objects.for_org(organisation)
                    .filter(pk__in=[r.pk for r in rows])
                    .select_for_update(no_key=True)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
        KeyResult.objects.for_org(organisation).bulk_update(changed_krs, fields, batch_size=500)
        Objective.objects.for_org(organisation).bulk_update(
            changed_objectives, fields, batch_size=500
        )
    return len(changed_krs), len(changed_objectives)


def _restore(row: Objective | KeyResult, dismissed: frozenset[str] = frozenset()) -> bool:
    before = (row.coach_verdict, row.coach_rules)
    store_review(row, dismissed)
    return before != (row.coach_verdict, row.coach_rules)


# Objectives reviewed per transaction (with their key results, four each in a typical file):
# the rows stay locked while the coach reads them, about a second per batch.
REVIEW_BATCH = 500


def review_pending_rows(organisation: Organisation, *, objective_ids: list[int]) -> int:
    """Store the coach's review of these objectives and their key results where it is still
    pending (an import's rows: importing.import_okrs queues this in its own transaction). Each
    batch locks its rows and skips those edited since (their save stored a fresh review), so an
    edit is never overwritten with a review of older text. Returns the rows reviewed; safe to
    run twice."""
    ids, reviewed = sorted(objective_ids), 0
    for start in range(0, len(ids), REVIEW_BATCH):
        with transaction.atomic():
            reviewed += _review_batch(organisation, ids[start : start + REVIEW_BATCH])
    return reviewed


def _review_batch(organisation: Organisation, objective_ids: list[int]) -> int:
    # Key results before objectives, each in primary-key order, as every other writer of both
    # locks them (rollup._ONE_LOCK_ORDER).
    krs = list(
        KeyResult.objects.for_org(organisation)
        .filter(objective__in=objective_ids)
        .select_for_update(no_key=True)
        .order_by("pk")
    )
    objectives = list(
        Objective.objects.for_org(organisation)
        .filter(pk__in=objective_ids)
        .select_related("cycle", "team", "parent")
        .select_for_update(of=("self",), no_key=True)
        .order_by("pk")
    )
    by_pk = {o.pk: o for o in objectives}
    dismissed: dict[tuple[str, int], set[str]] = {}
    for objective_id, key_result_id, rule in (
        CoachDismissal.objects.for_org(organisation)
        .filter(Q(objective__in=objective_ids) | Q(key_result__objective__in=objective_ids))
        .values_list("objective_id", "key_result_id", "rule")
    ):
        key = ("kr", key_result_id) if key_result_id else ("obj", objective_id)
        dismissed.setdefault(key, set()).add(rule)
    pending_objectives = [o for o in objectives if o.coach_state == "pending"]
    for o in pending_objectives:
        store_review(o, frozenset(dismissed.get(("obj", o.pk), ())))
    pending_krs = [kr for kr in krs if kr.coach_state == "pending"]
    for kr in pending_krs:
        kr.objective = by_pk[kr.objective_id]
        store_review(kr, frozenset(dismissed.get(("kr", kr.pk), ())))
    # One UPDATE ... FROM per 500 rows: Django's bulk_update (a CASE per row of the batch)
    # cost as much as the coach's review itself here (perf/import_bench.py, cProfile).
    fields = ["coach_verdict", "coach_rules"]
    update_from_values(KeyResult, organisation.pk, pending_krs, fields)
    update_from_values(Objective, organisation.pk, pending_objectives, fields)
    return len(pending_objectives) + len(pending_krs)
