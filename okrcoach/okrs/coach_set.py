"""The coach's review of a whole objective (the set): KR count, counter-metric, sufficiency,
leading indicator, objective count per owner (SET-02), beside the items' own verdicts, with one
overall verdict.

Built from objects already in memory (no query): the items' verdicts are the ones stored on the
rows (which already leave out dismissed findings, see coaching.store_review), so the objective
page, its badges and the coach report agree; the set rules run on the titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import coach
from coach import KeyResultDraft, ObjectiveDraft, SetReview, Severity
from coach.catalogue import CATALOGUE
from coach.review import score_of, verdict_of

from .coach_panel import VERDICT_LABELS, FindingView, finding_view
from .models import KeyResult, Objective

_RANK = {"good": 0, "weak": 1, "bad": 2}


@dataclass(frozen=True)
class ItemVerdict:
    title: str
    kind: str
    verdict: str  # "" never reviewed; "not_reviewed" not English; "pending" review queued
    unmet: tuple[str, ...] = ()  # what a weak or bad item misses: its rules' summaries


_SHOWN = (Severity.BLOCKING, Severity.WARNING)


def _unmet(row: Objective | KeyResult, verdict: str) -> tuple[str, ...]:
    """The catalogue's summaries of the blocking, then warning rules stored for a weak or bad
    row (dismissed ones are not stored), so the set review says why without a visit."""
    if verdict not in ("weak", "bad"):
        return ()
    rules = [CATALOGUE[r] for r in row.coach_rules or () if r in CATALOGUE]
    return tuple(rule.summary for severity in _SHOWN for rule in rules if rule.severity == severity)


def _item(row: Objective | KeyResult, kind: str) -> ItemVerdict:
    verdict = _stored(row)[0]
    return ItemVerdict(row.title, kind, verdict, _unmet(row, verdict))


@dataclass(frozen=True)
class SetView:
    items: list[ItemVerdict]
    findings: list[FindingView]
    verdict: str
    score: int | None

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.verdict, ""))


def _stored(row: Objective | KeyResult) -> tuple[str, int | None]:
    data = row.coach_verdict or {}
    score = data.get("score")
    # A row whose review is queued shows as pending and counts in no verdict of the set.
    return row.coach_state, score if isinstance(score, int) else None


OwnerCount = tuple[int, str]  # (objectives in the cycle, "team" or "person")


def owner_objective_count(objective: Objective) -> OwnerCount:
    """How many objectives the objective's team (or, for a personal one, its owner) has in its
    cycle, for SET-02: one query."""
    rows = Objective.objects.for_org(objective.organisation_id).filter(cycle=objective.cycle_id)
    if objective.level == Objective.Level.PERSONAL or not objective.team_id:
        return rows.filter(owner=objective.owner_id).count(), "person"
    return rows.filter(team=objective.team_id).count(), "team"


# The review is a pure function of these texts and counts, and its result is frozen: every
# visit of an objective page reviewed the same titles again (7% of the page's time under load).
@lru_cache(maxsize=2048)
def _review_set(
    title: str, okr_type: str | None, kr_titles: tuple[str, ...], count: int | None, per: str
) -> SetReview:
    return coach.review_set(
        ObjectiveDraft(text=title, okr_type=okr_type),
        [KeyResultDraft(text=kr_title, parent_objective=title) for kr_title in kr_titles],
        objectives_for_owner=count,
        owner_scope=per,
    )


def set_view(
    objective: Objective, key_results: Sequence[KeyResult], owner_count: OwnerCount | None = None
) -> SetView:
    count, per = owner_count if owner_count is not None else (None, "team")
    review = _review_set(
        objective.title,
        objective.type or None,
        tuple(kr.title for kr in key_results),
        count,
        per,
    )
    findings = [finding_view(f, rewrite=None) for f in review.findings]
    items = [_item(objective, "objective")]
    items += [_item(kr, "key_result") for kr in key_results]
    rows: list[Objective | KeyResult] = [objective, *key_results]
    verdicts = [v for v in (i.verdict for i in items) if v in _RANK]
    verdicts.append(verdict_of(review.findings).value)
    overall = max(verdicts, key=_RANK.__getitem__)
    scores = [s for s in (_stored(r)[1] for r in rows) if s is not None]
    set_score = score_of(review.findings)
    mean = round((sum(scores) + set_score) / (len(scores) + 1))
    low, high = {"good": (70, 100), "weak": (40, 69), "bad": (0, 39)}[overall]
    return SetView(items, findings, overall, min(max(mean, low), high))
