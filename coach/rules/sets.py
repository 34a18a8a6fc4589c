"""Set-level rules: an objective with its key results (SET-01, SET-03..06, KR-16, KR-18), plus
count checks the product calls with numbers it already has (SET-02)."""

from __future__ import annotations

from coach.rules import lexicon as lx
from coach.rules import text as tx
from coach.rules.key_results import KRFacts, relevance
from coach.types import Finding, ObjectiveDraft, Severity

B, W, INFO = Severity.BLOCKING, Severity.WARNING, Severity.INFO

MIN_KRS, MAX_KRS = 2, 5
MAX_OBJECTIVES = {"team": 5, "person": 3}


def kr_count(n: int) -> Finding | None:
    """SET-01: 2-5 key results per objective."""
    if MIN_KRS <= n <= MAX_KRS:
        return None
    msg = f"{n} key result{'s' if n != 1 else ''}: aim for {MIN_KRS} to {MAX_KRS}."
    return Finding(
        "SET-01-KR-COUNT",
        W,
        msg,
        "Which few numbers would convince you the objective is achieved?"
        if n > MAX_KRS
        else "What else would have to be true for the objective to be achieved?",
        "Keep the 2-5 that matter most; move the rest to health metrics or initiatives."
        if n > MAX_KRS
        else "Add a key result for the dimension this one does not cover.",
    )


def objective_count(n: int, per: str = "team") -> Finding | None:
    """SET-02: at most 5 objectives per team per cycle, at most 3 per person."""
    limit = MAX_OBJECTIVES.get(per, MAX_OBJECTIVES["team"])
    if n <= limit:
        return None
    return Finding(
        "SET-02-OBJ-COUNT",
        W,
        f"{n} objectives for one {per} this cycle (at most {limit}).",
        "If only three of these happened, which three would matter most?",
        "Keep 2-3 objectives; turn the rest into health metrics or backlog.",
    )


def _has(low: str, terms: tuple[str, ...]) -> bool:
    return tx.contains_phrase(low, terms) is not None


def sufficiency(krs: list[KRFacts]) -> Finding | None:
    """SET-03: the KRs cover only activity, or only one reach facet."""
    if not krs:
        return None
    only_outputs = all(k.output for k in krs)
    only_reach = all(k.vanity is not None or _has(k.low, lx.ACTIVITY_FACETS) for k in krs)
    if not (only_outputs or only_reach):
        return None
    return Finding(
        "SET-03-SUFFICIENCY",
        W,
        "If every key result hit 1.0, the objective would still not clearly be achieved: they "
        + ("only list activities." if only_outputs else "only count reach."),
        "What else would have to be true: activation, quality, satisfaction?",
        "Add an outcome key result about what people do, and one about quality.",
    )


def counter_metric(krs: list[KRFacts]) -> Finding | None:
    """SET-04: volume or speed key results without a quality guardrail."""
    volume = [k for k in krs if _has(k.low, lx.VOLUME_TERMS) and not _has(k.low, lx.QUALITY_TERMS)]
    quality = [k for k in krs if _has(k.low, lx.QUALITY_TERMS)]
    if not volume or quality:
        return None
    return Finding(
        "SET-04-COUNTER-METRIC",
        INFO,
        "Quantity key results with no quality guardrail.",
        "How would you notice if hitting these numbers made quality worse?",
        "Add a guardrail, e.g. 'customer satisfaction stays at or above _'.",
    )


def declared_type(objective: ObjectiveDraft) -> Finding | None:
    """SET-05: committed or aspirational must be declared."""
    if (objective.okr_type or "").lower() in {"committed", "aspirational"}:
        return None
    return Finding(
        "SET-05-TYPE",
        INFO,
        "Not declared committed or aspirational; they are scored differently.",
        "Must this be fully delivered, or is 0.7 a good result?",
        "Set the type: committed (1.0 expected) or aspirational (0.7 counts as good).",
    )


def separation(krs: list[KRFacts]) -> Finding | None:
    """SET-06: initiatives and health metrics mixed into the KR list."""
    initiatives = [k.clean for k in krs if k.output]
    health = [k.clean for k in krs if k.lead in lx.MAINTAIN_VERBS]
    if not initiatives and not health:
        return None
    named = "; ".join(f"'{c}'" for c in (initiatives + health)[:3])
    return Finding(
        "SET-06-SEPARATION",
        INFO,
        "Initiatives or health metrics are mixed into the key results.",
        "Which of these are work you will do, or levels you only need to hold?",
        f"Move {named} to initiatives or health metrics.",
    )


def leading(krs: list[KRFacts]) -> Finding | None:
    """KR-18: at least one key result should move within weeks."""
    if not krs or not all(_has(k.low, lx.LAGGING_TERMS) for k in krs):
        return None
    return Finding(
        "KR-18-LEADING",
        INFO,
        "Every key result is a lagging indicator: you will learn too late.",
        "What early signal would show within weeks that this is working?",
        "Add a leading KR, e.g. 'accounts with 3 or more active users rise from _% to _%'.",
    )


def set_findings(objective: ObjectiveDraft, krs: list[KRFacts]) -> list[Finding]:
    out = [
        kr_count(len(krs)),
        sufficiency(krs),
        counter_metric(krs),
        declared_type(objective),
        separation(krs),
        leading(krs),
    ]
    return [f for f in out if f is not None]


def relevance_for(objective_text: str, kr: KRFacts) -> Finding | None:
    return relevance(kr, objective_text)
