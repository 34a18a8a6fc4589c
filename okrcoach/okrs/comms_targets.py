"""okrs' door into comms: objectives, key results and check-ins as comment and notification
targets, and the calls okrs makes to comms when something happens (a check-in, a key result
turning at risk, a grade).

Who may see a target is okrs' own rule (`permissions.visible_q` to resolve a target for a
member, `permissions.viewers_q` for the people a message may reach), so comms never writes a
second one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.comms import services as comms
from okrcoach.comms.models import FeedEntry, Kind
from okrcoach.comms.targets import Target, register_gate_filter, register_target
from okrcoach.orgs.models import Membership

from . import pace as pace_rules
from .models import CheckIn, Cycle, KeyResult, Objective
from .permissions import viewers_q, visible_q
from .rollup import CheckInRollup

# A key result is at risk when its confidence drops to this or below.
AT_RISK_CONFIDENCE = 3


def _url(slug: str, kind: str, public_id: UUID) -> str:
    return reverse("comms:thread", kwargs={"org_slug": slug, "kind": kind, "target_id": public_id})


def objective_target(o: Objective) -> Target:
    """Needs `organisation` joined (for the URL)."""
    return Target(
        kind="objective",
        public_id=o.public_id,
        title=o.title,
        url=_url(o.organisation.slug, "objective", o.public_id),
        organisation_id=o.organisation_id,
        gate_id=o.public_id,
        is_private=o.is_private,
        owner_id=o.owner_id,
        team_id=o.team_id,
    )


def key_result_target(kr: KeyResult) -> Target:
    """Needs `objective` and `organisation` joined."""
    o = kr.objective
    return Target(
        kind="key_result",
        public_id=kr.public_id,
        title=kr.title,
        url=_url(kr.organisation.slug, "key_result", kr.public_id),
        organisation_id=kr.organisation_id,
        gate_id=o.public_id,
        is_private=o.is_private,
        owner_id=kr.owner_id,
        team_id=o.team_id,
        follower_ids=frozenset({o.owner_id}),
    )


def check_in_target(c: CheckIn) -> Target:
    kr = c.key_result
    o = kr.objective
    return Target(
        kind="check_in",
        public_id=c.public_id,
        title=_("Check-in on %(kr)s") % {"kr": kr.title},
        url=_url(c.organisation.slug, "check_in", c.public_id),
        organisation_id=c.organisation_id,
        gate_id=o.public_id,
        is_private=o.is_private,
        owner_id=c.author_id,
        team_id=o.team_id,
        follower_ids=frozenset({kr.owner_id, o.owner_id}),
    )


class _Adapter:
    model: Any
    prefix: str
    related: tuple[str, ...]

    def _qs(self, organisation_id: int) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model.objects.for_org(organisation_id)
        return qs.select_related(*self.related)

    def _target(self, row: Any) -> Target:
        raise NotImplementedError

    def _objective(self, row: Any) -> Objective:
        raise NotImplementedError

    def resolve(self, actor: Membership, public_id: UUID) -> Target:
        row = self._qs(actor.organisation_id).filter(visible_q(actor, self.prefix))
        found = row.filter(public_id=public_id).first()
        if found is None:
            raise Http404("No such item.")
        return self._target(found)

    def resolve_any(self, organisation_id: int, public_id: UUID) -> Target | None:
        found = self._qs(organisation_id).filter(public_id=public_id).first()
        return self._target(found) if found is not None else None

    def viewers_q(self, target: Target) -> Q:
        if not target.is_private or target.gate_id is None:
            return Q()
        objective = (
            Objective.objects.for_org(target.organisation_id)
            .only("pk", "owner_id", "visibility")
            .get(public_id=target.gate_id)
        )
        return viewers_q(objective)


class ObjectiveAdapter(_Adapter):
    model = Objective
    prefix = ""
    related = ("organisation",)

    def _target(self, row: Any) -> Target:
        return objective_target(row)


class KeyResultAdapter(_Adapter):
    model = KeyResult
    prefix = "objective__"
    related = ("organisation", "objective")

    def _target(self, row: Any) -> Target:
        return key_result_target(row)


class CheckInAdapter(_Adapter):
    model = CheckIn
    prefix = "key_result__objective__"
    related = ("organisation", "key_result__objective")

    def _target(self, row: Any) -> Target:
        return check_in_target(row)


def _visible_gates(member: Membership) -> QuerySet[Any]:
    return (
        Objective.objects.for_org(member.organisation_id)
        .filter(visible_q(member))
        .values("public_id")
    )


def register() -> None:
    register_target("objective", ObjectiveAdapter())
    register_target("key_result", KeyResultAdapter())
    register_target("check_in", CheckInAdapter())
    register_gate_filter(_visible_gates)


# Events --------------------------------------------------------------------------------------


def check_in_recorded(
    *,
    actor: Membership,
    check_in: CheckIn,
    previous_confidence: int | None,
) -> None:
    """Called by record_check_in inside the check-in's transaction: followers hear of it, the
    feed and webhooks get a line, and a key result whose confidence fell to at-risk says so.
    Whether the objective's pace moved is told after the roll-up (`objective_pace_moved`)."""
    kr = check_in.key_result
    kr.organisation = actor.organisation  # the same row (checked by the caller); spares a query
    target = key_result_target(kr)
    who = actor.user.full_name
    recipients = {pid: Kind.CHECK_IN for pid in {kr.owner_id, kr.objective.owner_id}}
    detail = _("Progress %(p)s%%, confidence %(c)s/10") % {
        "p": int(check_in.progress * 100),
        "c": check_in.confidence,
    }
    comms.notify(
        target=target,
        actor=actor,
        recipients=recipients,
        title=_("%(who)s checked in on %(kr)s") % {"who": who, "kr": kr.title},
        excerpt=check_in.progress_note or detail,
    )
    comms.post_feed_entry(target=target, actor=actor, verb=FeedEntry.Verb.CHECKED_IN, detail=detail)
    comms.emit_event(
        target=target,
        event_type="check_in.recorded",
        data={"detail": detail, "author": who, "confidence": check_in.confidence},
    )
    was_ok = previous_confidence is None or previous_confidence > AT_RISK_CONFIDENCE
    if was_ok and check_in.confidence <= AT_RISK_CONFIDENCE:
        at_risk = {pid: Kind.AT_RISK for pid in {kr.owner_id, kr.objective.owner_id}}
        if kr.owner.manager_id:
            at_risk[kr.owner.manager_id] = Kind.AT_RISK
        comms.notify(
            target=target,
            actor=actor,
            recipients=at_risk,
            title=_("%(kr)s is at risk (confidence %(c)s/10)")
            % {"kr": kr.title, "c": check_in.confidence},
            excerpt=check_in.problems_note,
        )
        comms.post_feed_entry(
            target=target, actor=actor, verb=FeedEntry.Verb.AT_RISK, detail=detail
        )
        comms.emit_event(target=target, event_type="key_result.at_risk", data={"detail": detail})


def _objective_status(
    progress: Decimal, rows: list[tuple[int | None, dt.datetime | None]], cycle: Cycle
) -> pace_rules.Status:
    """The objective's pace status from the same inputs as the pages' `objective_pace`: its
    progress, the lowest confidence of its key results, its freshest check-in."""
    confidences = [c for c, _at in rows if c is not None]
    latest = max((at for _c, at in rows if at is not None), default=None)
    return pace_rules.pace_status(
        progress=progress,
        confidence=min(confidences) if confidences else None,
        last_check_in=latest,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        today=timezone.localdate(),
    ).status


def objective_pace_moved(
    actor: Membership,
    kr: KeyResult,
    previous_confidence: int | None,
    previous_check_in_at: dt.datetime | None,
    rolled: CheckInRollup,
) -> None:
    """A check-in that moves its objective between on track, at risk and off track adds a
    status line to the feeds (no query: the roll-up read the objective's key results as stored
    after the check-in; one insert when the status moved). The objective's progress held in
    memory is the one before the roll-up."""
    objective = kr.objective
    cycle = objective.cycle
    if cycle.state != Cycle.State.ACTIVE:
        return
    states = [(s.pk, s.confidence, s.last_check_in_at) for s in rolled.siblings]
    progress_after = rolled.objective_progress
    if not states:
        return
    after_rows = [(confidence, at) for _pk, confidence, at in states]
    before_rows = [
        (previous_confidence, previous_check_in_at) if pk == kr.pk else (confidence, at)
        for pk, confidence, at in states
    ]
    before = _objective_status(objective.progress, before_rows, cycle)
    after = _objective_status(progress_after, after_rows, cycle)
    if before == after:
        return
    objective.organisation = actor.organisation
    objective_status_changed(
        actor=actor,
        objective=objective,
        change=f"{_STATUS_LABELS[before]()} → {_STATUS_LABELS[after]()}",
    )


_STATUS_LABELS = {
    "on_track": lambda: _("On track"),
    "at_risk": lambda: _("At risk"),
    "off_track": lambda: _("Off track"),
}


def objective_status_changed(*, actor: Membership, objective: Objective, change: str) -> None:
    """An objective's status moved (on track → at risk, published → abandoned, graded,
    closed): a line in the objective's, its team's and the organisation's feeds, and a
    webhook event. The feed keeps the objective's gate, so a private objective's line shows
    only to those who may see it; webhooks never carry a private one."""
    target = objective_target(objective)
    comms.post_feed_entry(target=target, actor=actor, verb=FeedEntry.Verb.STATUS, detail=change)
    comms.emit_event(target=target, event_type="objective.status_changed", data={"detail": change})


def objective_graded(*, actor: Membership, objective: Objective) -> None:
    objective.organisation = actor.organisation  # the same row; spares a query
    target = objective_target(objective)
    detail = _("Objective score %(s)s") % {"s": objective.score}
    comms.post_feed_entry(target=target, actor=actor, verb=FeedEntry.Verb.GRADED, detail=detail)


def objectives_closed(*, actor: Membership, objectives: list[Objective]) -> None:
    """A cycle closed: one status line per objective, in one insert."""
    entries = []
    for o in objectives:
        o.organisation = actor.organisation
        detail = (
            _("Closed with score %(s)s") % {"s": o.score} if o.score is not None else _("Closed")
        )
        entries.append((objective_target(o), actor, str(FeedEntry.Verb.STATUS), detail))
    comms.post_feed_entries(entries=entries)


def key_result_graded(*, actor: Membership, key_result: KeyResult) -> None:
    key_result.organisation = actor.organisation  # the same row; spares a query
    target = key_result_target(key_result)
    detail = _("Grade %(s)s") % {"s": key_result.score}
    comms.notify(
        target=target,
        actor=actor,
        recipients={key_result.owner_id: Kind.GRADE},
        title=_("%(kr)s was graded %(s)s") % {"kr": key_result.title, "s": key_result.score},
        excerpt=key_result.score_reason,
    )
    comms.post_feed_entry(target=target, actor=actor, verb=FeedEntry.Verb.GRADED, detail=detail)
    comms.emit_event(target=target, event_type="key_result.graded", data={"detail": detail})
