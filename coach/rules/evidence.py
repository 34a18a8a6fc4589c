"""The outcome-evidence gate (KR-21): "good" needs positive evidence, not just no red flags.

The other KR rules are detectors of known faults in front of a default of "good", so every new
wording of a task slips through. This gate turns the default round. Following the rubric's
labelling conventions, a good KR is "a measurable outcome with an explicit target", and outcome
means "a changed state, behaviour of others, or a business/user result". So a KR may only be good
when the text itself shows

1. a measure of a result: a metric noun from an allow-list of outcome measures (rates, shares,
   times, money, scores, counts of incidents or errors...), money, a share of people or of
   events meeting a standard, or a count of other people (customers, members, patients...); and
2. a main clause that is not a command acting on the team's own things: either the subject is the
   measure ("Checkout conversion reaches 4%"), or the command is a result verb (increase, reach,
   cut, sell, retain...), or the command's object itself names the measure ("Deliver 99.9%
   uptime").

Anything else can be at most weak. The lists below are allow-lists of what a *result* looks like;
they do not try to list every way of describing a task.
"""

from __future__ import annotations

import re

from coach.rules import lexicon as lx
from coach.rules import text as tx

# Outcome measures: nouns naming a quantity that someone else's behaviour or the state of the
# world sets. Activity volumes of the team (tickets, commits, hours, posts) are left out, and so
# are bare counting words ("number", "count", "total") whose object decides.
OUTCOME_MEASURES: frozenset[str] = (
    lx.METRIC_NOUNS
    - lx.words("""
        number count volume per tickets hours days minutes weeks seconds commits hires grants budget
        backlog velocity cpu memory quota reviews funding deals wins pipeline headcount
        """)
) | lx.words("""
    vulnerabilities breaches findings violations stockouts stock-outs escalations failures
    regressions fatalities deaths losses overdue arrears write-offs refunds chargebacks returns
    claims denials readmitted rework scrap turnaround lead-time cycle-time time-to-hire
    time-to-fill time-to-value throughput reliability sli error-rate win-rate
    completion-rate pass-rate graduation literacy proficiency persistence absenteeism attendance
    vacancy vacancies on-time otif fill-rate mttr mttd mtta ebitda cash burn runway arpu
    margin margins profitability nps enps csat hcahps ces sus apdex sales take-up uptake
    compliance success factor multiple ndr dso dpo dio fcr aht sqls mqls sals opportunities opps
    scorecard
    leavers quits exits placements
    """)

# Events and states whose count is a result (an incident happens to the team, not by it).
_EVENT_NOUNS: frozenset[str] = lx.words("""
    incidents incident errors error defects defect bugs outages outage crashes complaints
    accidents injuries fatalities deaths breaches findings violations vulnerabilities
    escalations regressions failures stockouts stock-outs no-shows cancellations returns
    refunds chargebacks readmissions delays late overdue
    """)

# People and organisations outside the team: a count of them doing something is a result.
_OTHERS: frozenset[str] = lx.BENEFICIARY_NOUNS - lx.HUMAN_COUNT_NOUNS - lx.words(
    "staff engineers"
) | lx.words(
    "logos accounts customers' households schools practices agencies workspaces tenants "
    "organisations organizations companies contributors sponsors backers supporters fans "
    "learners graduates alumni mentees trainees homes distributions downstreams women men "
    "apprentices leavers hires joiners interns fellows eligible"
)
# People whose behaviour is an outcome when they are the subject ("85% of managers complete ..."),
# though the same word after the team's own verb ("Train 40 managers") is the team's work.
_PEOPLE = _OTHERS | lx.HUMAN_COUNT_NOUNS | lx.words("staff engineers employees agents reps")

# Commands whose object is a level reached or someone else's decision: a result framing.
_RESULT_COMMANDS: frozenset[str] = (
    lx.CHANGE_VERBS
    | lx.LEVEL_VERBS
    | lx.MAINTAIN_VERBS
    | lx.words("sell convert retain attract welcome acquire enrol enroll register engage activate")
) - lx.words("serve collect- book hold get bring")

_PCT_OF_RE = re.compile(
    r"(?:\d\s*(?:%|percent)|\ball|\bevery|\beach|\bhalf)\s+(?:of\s+)?(?:the\s+|our\s+|all\s+|their\s+)?"
)
_TIMELINESS_RE = re.compile(
    r"\b(?:within|in\s+under|in\s+less\s+than|under|below|inside|by\s+day)\s+[$]?\d"
    r"|\b(?:on[-\s]time|same[-\s]day|next[-\s]day|in[-\s]full|first[-\s]time|first\s+contact)\b"
)
_AGE_RE = re.compile(
    r"\b(?:older\s+than|aged?\s+over|more\s+than\s+\d[\d,.]*\s*(?:days?|weeks?|months?|years?|"
    r"hours?)\s+old|open\s+(?:for\s+)?(?:more|longer)\s+than)\b"
)
_DURATION_RE = re.compile(
    r"\b(?:in|within|under|below|to|at|of)\s+(?:~|about\s+)?\d[\d,.]*\s*"
    r"(?:business\s+|working\s+|calendar\s+)?(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|"
    r"hours?|days?|weeks?)\b"
)
_MOVED_TO_LEVEL_RE = re.compile(
    r"\b(?:down|up)\s+(?:to|below|under|above|past)\s+[$\u20ac\u00a3]?\d"
)
# A change in how much or how often: "25% more contacts", "fewer pages", "more often".
_MORE_OF_RE = re.compile(
    r"\d\s*(?:%|percent|x)?\s+(?:more|fewer|less)\b|\b(?:more|less)\s+(?:often|frequently)\b"
    r"|\b(?:faster|quicker|sooner)$"
)
_TIME_UNITS = lx.words(
    "ms s sec secs second seconds min mins minute minutes h hr hrs hour hours day days "
    "business-days week weeks month months"
)
_UPPER_RE = re.compile(
    r"(?:\u2264|<=|=<|(?<![-=])<(?!\s*[a-z]))\s*[$\u20ac\u00a3]?\d"
    r"|\b(?:at\s+most|fewer\s+than|no\s+more\s+than|less\s+than|under|below|max(?:imum)?)\s+"
    r"(?:of\s+)?[$\u20ac\u00a3]?\d"
    r"|\d[^.;]{0,25}?\bor\s+(?:fewer|less|lower)\b"
)


def _measure_words(words: tuple[str, ...]) -> set[str]:
    found = {w for w in words if w in OUTCOME_MEASURES}
    # "time-to-value", "cost-per-lead": a hyphenated compound built on an outcome measure
    found |= {w for w in words if "-" in w and set(w.split("-")) & OUTCOME_MEASURES}
    return found


_PREPOSITIONS = lx.words(
    "within across through during after before under over via without since until like "
    "inside outside between among about against"
)
_NP_OPENERS = lx.words("a an the our their its your this these those new all every each")


def _noun_phrase(after: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split "new customers who pay within 30 days" into the noun phrase and the rest."""
    while after and after[0] in _NP_OPENERS:
        after = after[1:]
    k = 0
    while k < min(4, len(after)):
        w = after[k]
        if w in lx.STOPWORDS or w in _PREPOSITIONS or w[0].isdigit():
            break
        if k > 0 and w in tx.ALL_VERB_FORMS and w not in lx.ARTIFACT_NOUNS and w not in _OTHERS:
            break
        k += 1
    return after[:k], after[k:]


def _object_head(words: tuple[str, ...]) -> str:
    """Head noun of the object: "a data retention policy" -> policy, "99.9% uptime" -> uptime."""
    j = 0
    while j < len(words) and (
        words[j] in _NP_OPENERS
        or words[j][0].isdigit()
        or words[j] in {"%", "$", "\u20ac", "\u00a3", "k", "m", "percent"}
        or words[j] in lx.NUMBER_WORDS
        or words[j] in {"out", "up", "down", "off", "through", "over"}
    ):
        j += 1
    head = ""
    for w in words[j : j + 5]:
        if w in lx.STOPWORDS or w[0].isdigit() or (head and w in tx.ALL_VERB_FORMS):
            break
        head = w
    return head


def _share_of_results(low: str, *, timely_only: bool = False) -> bool:
    """ "90% of P1 tickets answered within 15 minutes", "85% of mentees complete the course":
    a share of others, or of events meeting a standard. "100% of services migrated" (the team's
    own work, done) is neither."""
    for m in _PCT_OF_RE.finditer(low):
        rest = low[m.end() :]
        np_words, tail = _noun_phrase(tx.words_of(rest)[:40])
        if not np_words:
            continue
        first = tail[0] if tail else ""
        timely = bool(_TIMELINESS_RE.search(rest))
        if first in {"are", "is", "were", "have", "has", "get", "gets"} and len(tail) > 1:
            later = [w for w in tail[1:3] if w not in {"been", "now", "fully"}]
            first = later[0] if later else ""
        own_done = first in lx.OUTPUT_PARTICIPLES or (
            first in tx.OUTPUT_FORMS and first.endswith(("ed", "en"))
        )
        if own_done and not timely:
            continue  # "100% of services migrated": the team's own work reported as done
        if timely_only:
            # after the team's own verb a share of people is its reach ("Ship to 100% of
            # users"); a share of others' transactions or of events is a result
            if timely or set(np_words) & (OUTCOME_MEASURES | _EVENT_NOUNS):
                return True
            continue
        if set(np_words) & (_PEOPLE | _EVENT_NOUNS) or set(np_words) & OUTCOME_MEASURES:
            return True
        if timely:
            return True  # a service level: a share of requests handled within a limit
        if not own_done and not set(np_words) & lx.ARTIFACT_NOUNS and not timely_only:
            return True  # "green on 95% of runs": a share of events in a state
        if first in tx.BEHAVIOUR_FORMS and not own_done:
            return True  # "70% of invoices get paid", "60% of trials convert"
    return False


def _plural(w: str) -> bool:
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _people_count(words: tuple[str, ...], low: str) -> bool:
    """ "40 paying customers", "1,200 households enrolled": a count of others."""
    for j, w in enumerate(words):
        if not (w[0].isdigit() or w in lx.NUMBER_WORDS):
            continue
        np_words, _ = _noun_phrase(words[j + 1 : j + 6])
        for k, x in enumerate(np_words):
            # the people are the head, not a modifier ("30 customer interviews" counts interviews)
            if x in _OTHERS and _plural(x) and not set(np_words[k + 1 :]) & lx.ARTIFACT_NOUNS:
                return True
    return "number of" in low and bool(set(words) & _OTHERS)


def _numbers_after_share(low: str) -> str:
    """The text with every "N% of <noun phrase>" frame removed (judged by _share_of_results)."""
    return re.sub(r"\d\s*(?:%|percent)\s+of\b", " ", low)


def measure_evidence(
    low: str,
    words: tuple[str, ...],
    numbers: tuple[tx.Number, ...],
    *,
    command: bool,
    lead: str | None = None,
) -> str | None:
    """The result the text measures, or None when it names none.

    ``command`` is True when the words are the object of the team's own command ("Rotate 100%
    of keys"): then a count of people or a bare percentage is the team's reach, not a result.
    """
    if command:
        # the object of the team's own verb names a result only when the measure is what the
        # verb acts on ("Deliver 99.9% uptime"), not a word inside an artifact's name ("Run a
        # brand awareness campaign", "Define SLOs", "Review vendor contracts over $50k")
        head = _object_head(words)
        if head in OUTCOME_MEASURES and any(n.role == "target" for n in numbers):
            return head
        if _share_of_results(low, timely_only=True):
            return "share"  # "Issue 85% of permits within 30 days": a service level
        if _UPPER_RE.search(low):
            return "limit"  # "bring the backlog below 6,000"
        if _MOVED_TO_LEVEL_RE.search(low) or _MORE_OF_RE.search(low):
            return "change"  # "Bring days to offer down to 3", "Deflect 25% more contacts"
        return None
    measures = _measure_words(words)
    if measures:
        return sorted(measures)[0]
    if any(n.currency for n in numbers):
        return "money"
    if _share_of_results(low):
        return "share"
    if _DURATION_RE.search(low) or any(
        n.unit in _TIME_UNITS and n.role == "target" for n in numbers
    ):
        return "time"  # "Close the books in 5 days", "Test suite runs in under 10 minutes"
    if _UPPER_RE.search(low) or tx.ZERO_RE.search(low) or re.search(r"\bzero\b", low):
        return "limit"  # nobody caps their own deliverables: a limit is on a state of the world
    if _AGE_RE.search(low):
        return "age"  # "Open issues older than 1 year": the state of a backlog
    if _MOVED_TO_LEVEL_RE.search(low):
        return "level"  # "... down to 3": a quantity moved to a level
    if command:
        return None  # the team's reach ("Ship to 100% of users", "Train 200 teachers")
    if _people_count(words, low) or set(words[:4]) & _PEOPLE:
        return "people"  # "40 paying customers", "Women in senior roles from 19% to 30%"
    pct = [n for n in numbers if n.percent and n.role in {"target", "baseline", "qualifier"}]
    if pct and re.search(r"\d\s*(?:%|percent)", _numbers_after_share(low)):
        return "percent"  # a share stated as the level of the subject ("FCR 61% -> 72%")
    if _fewer_than_before(numbers):
        return "reduction"  # a count brought down: nobody shrinks their own output
    if lead in lx.CHANGE_VERBS and _moved(numbers):
        head = _object_head(words[words.index(lead) + 1 :] if lead in words else words)
        if head and head not in lx.ARTIFACT_NOUNS:
            return "change"  # "Expand paid seats from 1,200 to 1,800": the object is a quantity
    return None


def _moved(numbers: tuple[tx.Number, ...]) -> bool:
    return any(n.role == "baseline" for n in numbers) and any(n.role == "target" for n in numbers)


def _fewer_than_before(numbers: tuple[tx.Number, ...]) -> bool:
    base = [n for n in numbers if n.role == "baseline"]
    target = [n for n in numbers if n.role == "target"]
    return bool(base and target and target[-1].value < base[0].value)


# Participles of making or staging something: "<thing> published/built/held ..." reports the
# team's own work as done. Service verbs (closed, fixed, resolved, answered) are left out: "P1 bugs
# fixed within 48 hours" is a service level.
_MADE_PARTICIPLES = lx.OUTPUT_PARTICIPLES - lx.words(
    "closed fixed resolved-internally completed done made finished sent added"
)


def _own_work_done(words: tuple[str, ...]) -> bool:
    """ "Postmortems published for 100% of Sev-1s within 5 days": the subject is the team's own
    artifact and the verb says it was made, so a deadline or a share does not make it a result."""
    for k in range(1, min(5, len(words))):
        w = words[k]
        if w in _MADE_PARTICIPLES:
            subject = set(words[:k])
            return not subject & (_PEOPLE | _EVENT_NOUNS | OUTCOME_MEASURES) and not any(
                x[0].isdigit() or x == "%" for x in words[:k]
            )
        if w in lx.STOPWORDS or w[0].isdigit() or w in tx.ALL_VERB_FORMS:
            return False
    return False


def result_clause(
    words: tuple[str, ...],
    lead: str | None,
    li: int,
    command: bool,
    object_evidence: str | None,
) -> bool:
    """The main clause reports a result, not the team acting on its own things."""
    if not command:
        return not _own_work_done(words)
    if lead is not None and lead in _RESULT_COMMANDS:
        return True
    return object_evidence is not None


__all__ = ["OUTCOME_MEASURES", "measure_evidence", "result_clause"]
