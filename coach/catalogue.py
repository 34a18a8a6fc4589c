"""The rule catalogue: one entry per rule id (stable; never reuse or rename one), read by the
CLI, the MCP server, the editor, the academy and the reports. Severity B/W/I as in the rubric."""

from __future__ import annotations

from dataclasses import dataclass

from coach.types import Severity

B, W, INFO = Severity.BLOCKING, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    detection: str  # R regex/lexicon, P parse, S structured field, E trained model

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "summary": self.summary,
            "detection": self.detection,
        }


_RULES = (
    Rule(
        "KR-01-METRIC",
        B,
        "The key result names a quantity that can be scored on a scale.",
        "P: numbers with units and roles; E: the model's 'measurable' head",
    ),
    Rule(
        "KR-02-TARGET",
        W,
        "An explicit target value or threshold is stated.",
        "P: numbers in a target role; S: target field",
    ),
    Rule(
        "KR-03-BASELINE",
        W,
        "A starting value or a named reference period is stated.",
        "P: 'from X to Y', '(currently X)', named periods; S: baseline field",
    ),
    Rule(
        "KR-04-OUTCOME",
        B,
        "Measures a change in others or in a result, not the team's own "
        "work (who acts or changes decides, in any voice or tense).",
        "P: clause subject, lead verb, voice, object; E: the model's outcome head",
    ),
    Rule(
        "KR-05-BINARY",
        W,
        "A done/not-done state decided by others (won, approved, renewed).",
        "P: completion predicates without a number; S: KR type",
    ),
    Rule(
        "KR-06-VAGUE",
        W,
        "Vague qualifiers or absolutes without numbers.",
        "R: a short vague-qualifier list, only without a number in the clause",
    ),
    Rule("KR-07-SINGLE", W, "One measure per key result.", "P: coordinated measure clauses"),
    Rule(
        "KR-08-PLACEHOLDER",
        B,
        "No unresolved placeholders on an output or a missing metric.",
        "R: placeholder tokens (X%, TBD, ??)",
    ),
    Rule(
        "KR-09-RELATIVE",
        W,
        "'By N%' without a base is ambiguous.",
        "P: relative change with no baseline cue",
    ),
    Rule(
        "KR-10-DEFINED",
        W,
        "The measure is defined (instrument, formula or data source).",
        "R: subjective words without an instrument; S: data-source field",
    ),
    Rule(
        "KR-11-VANITY",
        W,
        "Reach metrics not tied to value, when the objective is about value.",
        "R: reach nouns; the objective's aim",
    ),
    Rule(
        "KR-12-LOW-VALUE",
        INFO,
        "An internal metric with no user or business link.",
        "R: internal-metric nouns",
    ),
    Rule(
        "KR-13-AMBITION",
        W,
        "The step from baseline to target is neither tiny nor fantasy.",
        "P/S: target/baseline ratio bands",
    ),
    Rule("KR-14-TIMEBOX", W, "Due within the cycle.", "S: cycle dates; P: dates in the text"),
    Rule("KR-15-OWNER", B, "Exactly one accountable owner.", "S: owner field"),
    Rule(
        "KR-16-RELEVANCE",
        W,
        "The key result plausibly measures its objective.",
        "P: domain overlap between the key result and its objective",
    ),
    Rule("KR-17-CONTROL", INFO, "The team can materially influence the metric.", "S: team level"),
    Rule(
        "KR-18-LEADING",
        INFO,
        "At least one key result moves within weeks.",
        "P: leading/lagging measure classes over the set",
    ),
    Rule(
        "KR-19-DIRECTION-ONLY",
        W,
        "A direction ('increase', 'reduce') with no level.",
        "P: change verb with no target number",
    ),
    Rule(
        "KR-20-PLACEHOLDER-TARGET",
        W,
        "A measurable outcome whose target is a placeholder.",
        "R: placeholder tokens in the target",
    ),
    Rule(
        "KR-21-NO-OUTCOME-EVIDENCE",
        B,
        "A command on the team's own things that names no result.",
        "P: imperative lead verb and an object with no result measure",
    ),
    Rule("LEN-01-LONG", INFO, "Only the first 300 characters are reviewed.", "R: length"),
    Rule(
        "OBJ-01-QUALITATIVE",
        W,
        "The objective carries no metric or target.",
        "P: numbers in the objective",
    ),
    Rule(
        "OBJ-02-CONCISE", INFO, "Short, plain, positive, memorable.", "R: length, jargon, negation"
    ),
    Rule(
        "OBJ-03-NOT-BAU",
        W,
        "Not business as usual (maintain, keep, continue).",
        "R: a short BAU verb list at the start",
    ),
    Rule(
        "OBJ-04-NOT-DELIVERABLE",
        W,
        "Problem-framed, not solution-first, when it names who benefits.",
        "P: output lead verb with a beneficiary",
    ),
    Rule("OBJ-05-SINGLE-THEME", W, "One theme, not a list.", "P: coordinated verb phrases"),
    Rule("OBJ-06-SCOPE", INFO, "Names who benefits and the scope.", "P: a beneficiary noun"),
    Rule(
        "OBJ-07-ALIGNED",
        W,
        "Linked to a parent and states its contribution.",
        "S: parent link; R: meta phrasing",
    ),
    Rule("OBJ-08-WHY", INFO, "A rationale is recorded.", "S: description; R: 'because/so that'"),
    Rule(
        "OBJ-09-IS-A-METRIC",
        B,
        "A metric with a target written as the objective.",
        "P: numbers in a target role",
    ),
    Rule(
        "OBJ-10-IS-A-DELIVERABLE",
        B,
        "A deliverable with no beneficiary or change.",
        "P: output lead verb and artifact object, no beneficiary",
    ),
    Rule("OBJ-11-TASK-LIST", B, "A list of tasks.", "P: several output clauses"),
    Rule("OBJ-12-NOT-AN-OBJECTIVE", B, "A word, label or code name.", "P: length and verb"),
    Rule("OBJ-13-META", B, "A meta-objective ('support X's OKRs').", "R: meta phrasing"),
    Rule("OBJ-14-PURE-BAU", B, "Pure business as usual.", "R: BAU verb with a generic object"),
    Rule(
        "OBJ-15-SPECIFIC",
        W,
        "Vague or generic: says neither what changes nor for whom.",
        "P: generic verb with an abstract object",
    ),
    Rule(
        "OBJ-16-OVERLONG",
        W,
        "Overlong: more than 100 characters (the labelling conventions call it weak).",
        "R: character count of the cleaned text",
    ),
    Rule("SET-01-KR-COUNT", W, "2 to 5 key results per objective.", "S: count"),
    Rule("SET-02-OBJ-COUNT", W, "At most 3 to 5 objectives per team, 3 per person.", "S: count"),
    Rule(
        "SET-03-SUFFICIENCY",
        W,
        "If every key result scores 1.0 the objective is achieved.",
        "P: the facets the key results cover",
    ),
    Rule(
        "SET-04-COUNTER-METRIC",
        INFO,
        "Quantity key results paired with a quality guard.",
        "P: volume/speed measures without a quality measure",
    ),
    Rule("SET-05-TYPE", INFO, "Committed or aspirational is declared.", "S: type field"),
    Rule(
        "SET-06-SEPARATION",
        INFO,
        "Initiatives and health metrics kept out of the KR list.",
        "P: output or maintenance key results",
    ),
    Rule("PROC-01-CHECKIN", W, "Key results are updated on cadence.", "S: last update age"),
    Rule("PROC-02-COMP", INFO, "Scores are not wired into pay.", "S: organisation setting"),
)

CATALOGUE: dict[str, Rule] = {r.id: r for r in _RULES}


def explain(rule_id: str) -> dict[str, str] | None:
    rule = CATALOGUE.get(rule_id.strip().upper())
    return rule.to_dict() if rule is not None else None
