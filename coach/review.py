"""Run the rule tables over drafts and turn findings into a verdict and a score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from coach import language, model
from coach import rewrites as rw
from coach.rules import key_results as krr
from coach.rules import lexicon as lx
from coach.rules import objectives as objr
from coach.rules import sets
from coach.types import (
    Fields,
    Finding,
    KeyResultDraft,
    Kind,
    ObjectiveDraft,
    Review,
    SetReview,
    Severity,
    Verdict,
)

_ORDER = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}
# The rules read at most this many characters (cut at a word boundary): an OKR item is one
# sentence, and a bounded window makes the worst case linear in the input's length (only the
# cut is proportional to it). Longer items get an info finding (LEN-01-LONG) saying so.
WINDOW = 300


def window(text: str) -> str:
    if len(text) <= WINDOW:
        return text
    cut = text[:WINDOW]
    space = cut.rfind(" ")
    return cut[:space] if space > WINDOW // 2 else cut


def _long(text: str) -> list[Finding]:
    if len(text) <= WINDOW:
        return []
    return [
        Finding(
            "LEN-01-LONG",
            Severity.INFO,
            f"Only the first {WINDOW} characters were reviewed: an item this long usually holds "
            "several aims or measures.",
            "Which single sentence says what changes, and by how much?",
            "",
        )
    ]


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> Verdict:
    severities = {f.severity for f in findings}
    if Severity.BLOCKING in severities:
        return Verdict.BAD
    if Severity.WARNING in severities:
        return Verdict.WEAK
    return Verdict.GOOD


def score_of(findings: tuple[Finding, ...] | list[Finding]) -> int:
    """A 0-100 score inside the verdict's band: good 70-100, weak 40-69, bad 0-39."""
    blocking = sum(f.severity is Severity.BLOCKING for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    infos = sum(f.severity is Severity.INFO for f in findings)
    if blocking:
        return max(0, 39 - 12 * (blocking - 1) - 4 * warnings - infos)
    if warnings:
        return max(40, 69 - 9 * (warnings - 1) - 2 * infos)
    return max(70, 100 - 6 * infos)


def _finish(
    kind: Kind, draft_id: str | None, fields: Fields, found: list[Finding], text: str = ""
) -> Review:
    found = found + _long(text)
    found.sort(key=lambda f: _ORDER[f.severity])
    findings = tuple(found)
    return Review(kind, verdict_of(findings), score_of(findings), fields, findings, draft_id)


def _kr_rules(draft: KeyResultDraft, facts: krr.KRFacts) -> tuple[Fields, list[Finding]]:
    fields = krr.kr_fields(facts, draft)
    found = [f for rule in krr.KR_RULES if (f := rule(facts, draft, fields)) is not None]
    if draft.parent_objective:
        rel = krr.relevance(facts, draft.parent_objective)
        if rel is not None:
            found.append(rel)
    return fields, found


def _kr_review(draft: KeyResultDraft, facts: krr.KRFacts) -> Review:
    fields, found = _kr_rules(draft, facts)
    if MODEL_ENABLED and model.available():
        written = _as_written(draft)
        seen = found if written == draft else _kr_rules(written, facts)[1]
        fields, found = _kr_decide(draft, facts, fields, found, seen)
    return _finish(Kind.KEY_RESULT, draft.id, fields, found, draft.text)


def _as_written(draft: KeyResultDraft) -> KeyResultDraft:
    """What the model reads: the words, the objective and the author's numbers (baseline,
    target, unit), as in the sets it was trained and measured on. The other structured fields
    (a data source left empty, the kind, owners, dates, confidence) keep their own rules' say
    after the model has decided (_kept_for, _KEPT) but never move its verdict: an empty data
    source made "Renewal calls held ... grow from 0 to 10" weak in the product and bad in the
    CLI, because its warning read as evidence of a measured outcome."""
    return KeyResultDraft(
        text=draft.text,
        id=draft.id,
        parent_objective=draft.parent_objective,
        baseline=draft.baseline,
        target=draft.target,
        unit=draft.unit,
    )


# Findings the model never removes: they check structured fields or exact numbers, not wording.
_KEPT = frozenset(
    {
        "KR-08-PLACEHOLDER",
        "KR-13-AMBITION",
        "KR-14-TIMEBOX",
        "KR-15-OWNER",
        "KR-20-PLACEHOLDER-TARGET",
    }
)
# The model's probability of "bad" from which a key result is called bad even when another class
# is likelier (chosen by cross-validation on the realistic tuning part, coach/model/train.py).
BAD_FLOOR = 0.4
# A "good" whose P(bad) is at least this is called weak instead (1.0: off). 0.2 measured on the
# held-back part: bad->good 0.051 -> 0.017 but KR macro-F1 0.743 -> 0.720 (train.py, fifth round).
# On with the subject facts and fresh8/fresh10 trained (issue 9, session 23): leave-one-set-out
# (train.py --cv-sets realistic-tune fresh10 fresh8 --good-cap 0.2) cut bad KRs called good on
# every set (realistic-tune 7 -> 4, fresh10 1 -> 0, fresh8 4 -> 2, fresh7 4 -> 2) for KR macro-F1
# +0.012 / 0 / -0.008 / -0.010; held-back 0.753 -> 0.741 (bad->good 0.051 both).
GOOD_BAD_CAP = 0.2
# The second stage (model.WEAK_BAD): between weak and bad, P(bad) is the weak/bad head's mixed
# with the quality head's P(bad | weak or bad) (WEAK_BAD_MIX: the second head's share); bad from
# WEAK_BAD_T. The second head alone (mix 1) led cross-validation on the realistic tuning part but
# lowered the invented sets never trained on (fresh12 0.877 -> 0.843, fresh13 0.879 -> 0.855);
# mix 0.5 and t 0.4: held-back KR macro-F1 0.755 -> 0.772 (train.py ninth round).
WEAK_BAD_MIX = 0.5
WEAK_BAD_T = 0.4
# Off in the rule tables (coach/tests/conftest.py), which test the rules on their own.
MODEL_ENABLED = True


def _without(
    found: list[Finding], *severities: Severity, kept: frozenset[str] = _KEPT
) -> list[Finding]:
    return [f for f in found if f.severity not in severities or f.rule in kept]


def _kept_for(draft: KeyResultDraft) -> frozenset[str]:
    """A structured field the author filled in (or left empty) keeps its rule's say."""
    extra = {"KR-10-DEFINED"} if draft.data_source is not None else set()
    if draft.kr_type is not None:
        extra.add("KR-05-BINARY")
    return _KEPT | extra


def _structured(
    quality: dict[str, float], p_outcome: float, p_measurable: float
) -> dict[str, float]:
    """The labelling conventions make "bad" a function of the two fields: an output is bad, a
    measurable outcome is never bad, an outcome that measures nothing is bad about half the time.
    The two binary heads learn those from more signal than the three-class head, so their
    P(bad) is averaged with the quality head's; good and weak keep the quality head's ratio."""
    p_bad = (1 - p_outcome) + p_outcome * (1 - p_measurable) * UNMEASURED_BAD
    bad = STRUCTURE * p_bad + (1 - STRUCTURE) * quality["bad"]
    rest = quality["good"] + quality["weak"]
    good = quality["good"] / rest if rest else 0.5
    return {"good": (1 - bad) * good, "weak": (1 - bad) * (1 - good), "bad": bad}


# How much the fields' P(bad) counts against the quality head's (0: the quality head alone), and
# the share of unmeasured outcomes labelled bad in the training sets. Off: 0.6-0.8 raised
# cross-validated KR macro-F1 from 0.77 to 0.79-0.80 (train.py --cv 5 --structure 0.7), but did
# not carry over to the realistic held-back part (0.735 against 0.743), see train.py.
STRUCTURE = 0.0
UNMEASURED_BAD = 0.5


def _kr_decide(
    draft: KeyResultDraft,
    facts: krr.KRFacts,
    fields: Fields,
    found: list[Finding],
    seen: list[Finding],
) -> tuple[Fields, list[Finding]]:
    """Let the trained model decide what word lists cannot: who acts (output or outcome),
    whether anything is measured, and the class; then keep the findings consistent with it.
    `seen` are the findings on the draft as written (_as_written), which the model reads."""
    feats = model.features(
        window(draft.text),
        facts,
        [f.rule for f in seen],
        verdict_of(seen).value,
        window(draft.parent_objective) if draft.parent_objective else None,
    )
    quality = model.predict("kr_quality", feats)
    if model.ORDINAL == "quality" and model.has_head("kr_ordinal"):
        quality = model.predict("kr_ordinal", feats)
    p_outcome = model.predict("kr_outcome", feats)["outcome"]
    p_measurable = model.predict("kr_measurable", feats)["y"]
    fields = Fields(p_measurable >= 0.5, p_outcome >= 0.5, fields.has_target, fields.has_baseline)
    if STRUCTURE:
        quality = _structured(quality, p_outcome, p_measurable)
    target = Verdict(max(quality, key=quality.__getitem__))
    if quality["bad"] >= BAD_FLOOR:
        target = Verdict.BAD  # calling a bad KR good costs more than calling a weak one bad
    elif target is Verdict.GOOD and quality["bad"] >= GOOD_BAD_CAP:
        target = Verdict.WEAK  # good only when the model is fairly sure it is not bad
    if target is not Verdict.GOOD and (second := _second_stage(feats)) is not None:
        first = quality["bad"] / ((quality["weak"] + quality["bad"]) or 1.0)
        p_bad = WEAK_BAD_MIX * second + (1 - WEAK_BAD_MIX) * first
        target = Verdict.BAD if p_bad >= WEAK_BAD_T else Verdict.WEAK
    if target is Verdict.BAD:
        if not any(f.severity is Severity.BLOCKING for f in found):
            # No rule says why: blame the claim the model is less sure of, who acts (KR-04) or
            # that something is measured (KR-01). Where the two fields disagree this is the one
            # that failed; where both hold it was KR-01 before, and the finding is now right
            # more often (fresh12 73 -> 76 of 84, fresh13 56 -> 58 of 67, holdout 0 -> 3 of 7,
            # never fewer). The fields stay the heads' own: following the blame lowered the
            # outcome field on the untouched sets (holdout 0.966 -> 0.952).
            found.append(krr.model_blocking(facts, output=p_outcome < p_measurable))
        return fields, found
    if target is Verdict.WEAK:
        found = _without(found, Severity.BLOCKING, kept=_kept_for(draft))
        if not any(f.severity is Severity.WARNING for f in found):
            found.append(krr.model_warning(facts, draft, fields))
        return fields, found
    return fields, _without(found, Severity.BLOCKING, Severity.WARNING, kept=_kept_for(draft))


def _second_stage(feats: list[str]) -> float | None:
    """P(bad | weak or bad) from the second-stage head: the ordinal head when model.ORDINAL is
    "second" (off), else the weak/bad head (model.WEAK_BAD); None when neither is on."""
    if model.ORDINAL == "second" and model.has_head("kr_ordinal"):
        ordinal = model.predict("kr_ordinal", feats)
        return ordinal["bad"] / ((ordinal["weak"] + ordinal["bad"]) or 1.0)
    if model.WEAK_BAD and model.has_head("kr_weakbad"):
        return model.predict("kr_weakbad", feats)["bad"]
    return None


def not_reviewed(kind: Kind, draft_id: str | None, text: str) -> Review | None:
    """A review without verdict or score when the text is not English, else None."""
    lang = language.detect(text)
    if lang == "en":
        return None
    fields = Fields(False, False, False, False)
    return Review(kind, Verdict.NOT_REVIEWED, 0, fields, (), draft_id, lang)


def review_key_result(draft: KeyResultDraft, *, rewrites: bool = True) -> Review:
    """Review one key result (with its parent objective's text when known)."""
    if (other := not_reviewed(Kind.KEY_RESULT, draft.id, draft.text)) is not None:
        return other
    review = _kr_review(draft, krr.analyse_kr(window(draft.text)))
    if not rewrites:
        return review
    return _with_rewrites(
        review,
        draft.text,
        lambda t: review_key_result(replace(draft, text=t), rewrites=False),
        draft.parent_objective or "",
    )


def _with_rewrites(
    review: Review, original: str, again: Callable[[str], Review], context: str = ""
) -> Review:
    """Give each finding a structured rewrite when its example passes coach.rewrites' checks
    and reviewing it again gives a strictly better verdict."""
    if review.verdict is Verdict.GOOD:
        return review
    out = []
    tried: dict[str, bool] = {}
    for f in review.findings:
        text = rw.candidate(f.suggestion)
        ok = False
        if (
            text
            and rw.well_formed(text)
            and rw.plain_object(text, original)
            and rw.keeps_the_authors_words(original, text, context)
        ):
            text = rw.restore_case(text, original)
            if text not in tried:
                after = again(text)
                tried[text] = (
                    after.reviewed and rw.RANK[after.verdict.value] < rw.RANK[review.verdict.value]
                )
            ok = tried[text]
        out.append(replace(f, rewrite=text if ok else None))
    return replace(review, findings=tuple(out))


def review_objective(draft: ObjectiveDraft, *, rewrites: bool = True) -> Review:
    """Review one objective."""
    if (other := not_reviewed(Kind.OBJECTIVE, draft.id, draft.text)) is not None:
        return other
    facts = objr.analyse_objective(window(draft.text))
    fields = objr.objective_fields(facts, draft)
    found = [f for rule in objr.OBJ_RULES if (f := rule(facts, draft)) is not None]
    if MODEL_ENABLED and model.OBJECTIVE_HEAD and model.has_head("obj_quality"):
        found = _objective_decide(draft, facts, found)
    review = _finish(Kind.OBJECTIVE, draft.id, fields, found, draft.text)
    if not rewrites:
        return review
    return _with_rewrites(
        review, draft.text, lambda t: review_objective(replace(draft, text=t), rewrites=False)
    )


def _objective_decide(
    draft: ObjectiveDraft, facts: objr.ObjFacts, found: list[Finding]
) -> list[Finding]:
    text = window(draft.text)
    feats = objr.head_features(
        text, facts, model.features(text, facts, [f.rule for f in found], verdict_of(found).value)
    )
    quality = model.predict("obj_quality", feats)
    target = Verdict(max(quality, key=quality.__getitem__))
    if target is Verdict.BAD:
        if not any(f.severity is Severity.BLOCKING for f in found):
            found.append(objr.model_blocking(facts, draft))
        return found
    if target is Verdict.WEAK:
        found = _without(found, Severity.BLOCKING)
        if not any(f.severity is Severity.WARNING for f in found):
            found.append(objr.model_warning(facts, draft))
        return found
    return _without(found, Severity.BLOCKING, Severity.WARNING)


def review_set(
    objective: ObjectiveDraft,
    key_results: list[KeyResultDraft] | tuple[KeyResultDraft, ...],
    *,
    objectives_for_owner: int | None = None,
    owner_scope: str = "team",
) -> SetReview:
    """Review an objective with its key results, including the set-level rules."""
    obj_review = review_objective(objective)
    facts = [krr.analyse_kr(window(kr.text)) for kr in key_results]
    kr_reviews = []
    for kr, kf in zip(key_results, facts, strict=True):
        if not kr.parent_objective:
            kr = KeyResultDraft(**{**kr.__dict__, "parent_objective": objective.text})
        other = not_reviewed(Kind.KEY_RESULT, kr.id, kr.text)
        kr_reviews.append(other if other is not None else _kr_review(kr, kf))
    found = sets.set_findings(objective, facts)
    if objectives_for_owner is not None:
        count = sets.objective_count(objectives_for_owner, owner_scope)
        if count is not None:
            found.append(count)
    return SetReview(obj_review, tuple(kr_reviews), tuple(found))


def detect_kind(text: str) -> Kind:
    """Guess whether a bare text is an objective or a key result."""
    facts = krr.analyse_kr(window(text))
    if facts.targets or facts.baselines or facts.placeholder or facts.zero_target:
        return Kind.KEY_RESULT
    if facts.metric_named and (facts.lead in lx.CHANGE_VERBS or facts.lead in lx.LEVEL_VERBS):
        return Kind.KEY_RESULT
    if facts.binary or facts.population_share:
        return Kind.KEY_RESULT
    if set(facts.words) & {"rate", "ratio", "nps", "csat", "churn", "latency", "uptime"}:
        return Kind.KEY_RESULT
    return Kind.OBJECTIVE


def review_text(
    text: str,
    kind: Kind | str | None = None,
    parent_objective: str | None = None,
    item_id: str | None = None,
) -> Review:
    """Review a bare text; the kind is guessed when not given."""
    resolved = Kind(kind) if kind is not None else detect_kind(text)
    if resolved is Kind.OBJECTIVE:
        return review_objective(ObjectiveDraft(text=text, id=item_id))
    return review_key_result(
        KeyResultDraft(text=text, id=item_id, parent_objective=parent_objective)
    )


__all__ = [
    "detect_kind",
    "review_key_result",
    "review_objective",
    "review_set",
    "review_text",
    "score_of",
    "verdict_of",
]
