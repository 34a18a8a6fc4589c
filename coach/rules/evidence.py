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
    r"(?:\d\s*(?:%|percent)|\ball|\bevery|\beach|\bhalf"
    # "7 of the 10 ...", "3 out of 4 ...": a share written as a fraction
    r"|\b\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+|our\s+|its\s+)?(?:\d[\d,]*|all))"
    r"\s+(?:of\s+)?(?:the\s+|our\s+|all\s+|their\s+)?"
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


# ----- the team's own work dressed as a share, a level or a count ------------------------------

# Things the team makes, runs or owns: converting, moving or retiring them is its own work.
OWN_THINGS: frozenset[str] = (
    (
        lx.ARTIFACT_NOUNS
        | lx.words("""
        files records charts jobs macros laptops devices servers workloads offices branches sites
        clinics repos repositories apps applications databases tables pipelines workflows
        processes forms templates folders documents docs scripts endpoints integrations clusters
        machines desktops workstations terminals tills kiosks vehicles vans trucks buses fleet
        schemas reports dashboards runbooks playbooks policies procedures contracts agreements
        locations outlets shops warehouses depots hubs facilities plants departments squads
        modules components libraries packages images containers vms queues feeds checks tests
        alerts monitors controls cameras sensors meters bins signs assets inventory catalogue
        catalog listings pages screens titles courses lessons materials
        """)
    )
    - (_PEOPLE | OUTCOME_MEASURES | _EVENT_NOUNS)
    - lx.words("tickets seats licences licenses")
)
# Participles of changing, moving, equipping or retiring one's own things.
_OWN_WORK_PARTICIPLES: frozenset[str] = lx.OUTPUT_PARTICIPLES | lx.words("""
    converted moved switched digitised digitized scanned retired decommissioned archived patched
    replaced cut rebuilt redesigned refreshed refitted remodelled remodeled renovated equipped
    provisioned onboarded tagged labelled labeled catalogued catalogued indexed audited inspected
    tested ported standardised standardized consolidated connected instrumented encrypted
    rolled modernised modernized rewired relaunched rebranded updated reviewed cleaned removed
    deleted purged backed enabled transitioned transferred loaded uploaded imported mapped
    covered brought put
    """) - lx.words("closed fixed resolved-internally")
# What is done to the team's own staff when it rolls a tool or a process out to them.
_STAFF = lx.HUMAN_COUNT_NOUNS | lx.words(
    "staff employees agents reps squads teams nurses teachers technicians drivers clinicians "
    "officers caseworkers volunteers developers colleagues"
)
_ROLLOUT_PARTICIPLES = lx.words(
    "moved migrated switched transitioned onboarded provisioned equipped issued given set "
    "trained rolled enabled connected converted licensed assigned"
)
_PREDICATE_SKIP = lx.words("are is were was have has been get gets now fully all also")


def _predicate(tail: tuple[str, ...]) -> str:
    """The first verb-like word after a noun phrase, skipping a short qualifying phrase:
    "features from the advisory board shipped by Q4" -> shipped."""
    for w in tail[:9]:
        if w in _PREDICATE_SKIP:
            continue
        if w in _OWN_WORK_PARTICIPLES or w in tx.ALL_VERB_FORMS or w in lx.HIRING_PARTICIPLES:
            return w
        if w.endswith(("ed", "en")) and len(w) > 4 and w not in lx.STOPWORDS:
            return w
    return ""


_NP_END = lx.words("older newer younger larger bigger smaller higher lower than")


def _own_noun_phrase(after: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ "paper case files digitised ..." -> ("paper", "case", "files"), ("digitised", ...)."""
    while after and after[0] in _NP_OPENERS:
        after = after[1:]
    k = 0
    while k < min(5, len(after)):
        w = after[k]
        if w in lx.STOPWORDS or w in _PREPOSITIONS or w[0].isdigit() or w in _NP_END:
            break
        if k > 0 and (
            w in _OWN_WORK_PARTICIPLES or (w in tx.ALL_VERB_FORMS and w not in lx.ARTIFACT_NOUNS)
        ):
            break
        k += 1
    return after[:k], after[k:]


_WORK_VERBS = lx.words(
    "resolve fix close patch remediate triage clear retire review address answer handle process "
    "action complete burn-down burn work clean tidy purge archive migrate convert digitise "
    "digitize scan update upgrade replace decommission"
)
_WORK_ITEMS = lx.words(
    "bugs errors issues tickets vulnerabilities cves findings alerts items requests cases tasks "
    "defects incidents actions recommendations warnings exceptions debts debt"
)


def _own_share_command(low: str, words: tuple[str, ...], lead: str | None) -> bool:
    """ "Resolve 100% of P0 errors older than 30 days", "Convert 80% of the legacy templates":
    a share of the team's own work queue or things, with no standard of time or quality."""
    if lead not in _WORK_VERBS or _TIMELINESS_RE.search(low) or _UPPER_RE.search(low):
        return False
    for m in _PCT_OF_RE.finditer(low):
        np_words, _ = _own_noun_phrase(tx.words_of(low[m.end() :])[:40])
        if np_words and (np_words[-1] in _WORK_ITEMS or np_words[-1] in OWN_THINGS):
            return True
    return False


def own_share_done(low: str) -> bool:
    """ "85% of paper case files digitised", "7 of the 10 top features shipped", "100% of staff
    moved onto the new expense tool": a share of the team's own things (or its own staff) that
    the team has converted, moved or equipped. A share of others' transactions meeting a standard
    ("85% of claims paid within 10 days") is a result and stays one."""
    for m in _PCT_OF_RE.finditer(low):
        rest = low[m.end() :]
        np_words, tail = _own_noun_phrase(tx.words_of(rest)[:40])
        if not np_words or _TIMELINESS_RE.search(rest) or _AGE_RE.search(rest[:60]):
            continue
        head = np_words[-1]
        pred = _predicate(tail)
        if not pred:
            continue
        done = pred in _OWN_WORK_PARTICIPLES or (
            pred in tx.OUTPUT_FORMS and pred.endswith(("ed", "en"))
        )
        if done and head in OWN_THINGS and not set(np_words) & OUTCOME_MEASURES:
            return True
        if head in _STAFF and pred in _ROLLOUT_PARTICIPLES:
            return True  # "90% of agents moved onto the new CRM": the roll-out reached them
    return False


_PLAN_NOUNS = (
    r"(?:roadmap|road\s+map|plan|workplan|backlog|project|programme|program|milestones?|"
    r"commitments|deliverables|initiatives|epics|scope|sprint\s+goals?|release\s+plan|"
    r"action\s+plan|work\s+programme|implementation\s+plan)"
)
# "95% completion of the Q2 roadmap", "Roadmap completion at 90%": the team's plan, done.
_PLAN_COMPLETION_RE = re.compile(
    r"\b(?:completion|delivery|execution|completed|delivered|done|shipped|achieved)\s+of\s+"
    r"(?:the\s+|our\s+|its\s+|all\s+|planned\s+|committed\s+)*(?:[a-z0-9\-]+\s+){0,3}?"
    + _PLAN_NOUNS
    + r"\b"
    r"|\b"
    + _PLAN_NOUNS
    + r"\s+(?:items?\s+|tasks?\s+)?(?:completion|delivery|execution|attainment|"
    r"(?:delivered|completed|done|shipped))\b"
)
# "Support headcount grows from 10 to 16", "Grow the data team from 5 to 9 engineers": hiring.
_HEADCOUNT_RE = re.compile(
    r"\b(?:head\s*count|headcount|ftes?|full[-\s]time\s+equivalents?|team\s+size|"
    r"staffing\s+levels?|number\s+of\s+(?:engineers|recruiters|staff|employees|hires))\b"
    r"|\b(?:grow|grows|expand|expands|scale|scales|double|doubles|increase|increases|build|"
    r"builds|take|takes|bring|brings)\s+(?:the\s+|our\s+|its\s+)?(?:[a-z0-9\-&]+\s+){0,3}?"
    r"(?:team|squad|function|department|bench|org|organi[sz]ation)\s+"
    r"(?:from\s+\d[\d,]*\s+)?(?:to|by)\s+\d"
    r"|\b(?:team|squad|department|org)\s+(?:grows|expands|scales|doubles|increases|goes)\s+"
    r"(?:from\s+\d[\d,]*\s+)?(?:to|by)\s+\d"
)
_HEADCOUNT_RESULT_RE = re.compile(
    r"\b(?:cost|costs|revenue|spend|per|ratio|attrition|turnover|diversity|women|"
    r"representation|retention|utili[sz]ation|productivity|span)\b"
)
# "<a tool> in place for 100% of accounts", "dashboard available to all 14 squads": the team's
# own tool put in place, its roll-out counted, not a result of it. Without a count ("Online
# booking available in every branch") it is a state reached once (KR-05).
_IN_PLACE_RE = re.compile(
    r"\b(?:in\s+place|available|live|enabled|deployed|installed|operational|rolled\s+out|"
    r"switched\s+on|turned\s+on|set\s+up|in\s+use|running)\s+(?:to|in|for|across|at|on|by|"
    r"with|throughout)\s+(?:the\s+)?(?:\d[\d,.]*\s*(?:%|percent)\s+of|(?:all\s+|every\s+)?"
    r"\d[\d,]*\s+(?:of\s+(?:the\s+|our\s+)?\d[\d,]*\s+)?[a-z])"
)
# "Renewal survey sent to all 2,100 accounts", "Welcome pack delivered to 500 members": the team's
# own artifact handed out; the people named are its reach, not what they did with it.
_SENT_TO_RE = re.compile(
    r"\b(?:sent|emailed|mailed|delivered|distributed|shared|issued|offered|given|provided|"
    r"handed|posted|published|circulated|made\s+available|rolled\s+out|pushed|shipped)\s+"
    r"(?:out\s+)?to\s+(?:all|every|each|\d[\d,.]*)"
)
# "Open 4 new pharmacies", "3 pop-up stores opened": the team's own sites, counted.
_SITES = (
    r"(?:stores|shops|outlets|locations|branches|clinics|sites|offices|restaurants|cafes|"
    r"caf\u00e9s|centres|centers|pharmacies|hubs|depots|warehouses|campuses|showrooms|"
    r"kiosks|libraries|studios|gyms|schools|classrooms|labs|pantries|shelters|stations|docks)"
)
_NUM = r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+dozen)"
_SITE_OPENING_RE = re.compile(
    r"\b(?:open|opens|opened|opening|launch|launched|build|built|add|added)\s+" + _NUM + r"\s+"
    r"(?:new\s+|more\s+|additional\s+)?(?:[a-z\-]+\s+){0,2}?" + _SITES + r"\b"
    r"|^" + _NUM + r"\s+(?:new\s+)?(?:[a-z\-]+\s+){0,2}?" + _SITES + r"\s+(?:are\s+|were\s+)?"
    r"(?:opened|open|launched|built|added|refitted|remodell?ed)\b"
)
# Documents the team writes, sets or owns: "signed off", "approved" is the end of its own work.
_DOC_NOUNS = lx.words("""
    model models map maps analysis analyses plan plans policy policies budget budgets strategy
    strategies framework frameworks playbook playbooks charter charters roadmap roadmaps report
    reports runbook runbooks postmortem postmortems post-mortems curriculum curricula case cases
    spec specs specification design designs architecture handbook guide guides forecast forecasts
    rubric rubrics standard standards process processes procedure procedures
    brief briefs okrs taxonomy schema matrix register blueprint
    """)
# A sign-off ends the team's own drafting. "Roadmap published" alone stays a binary milestone
# (KR-05); written or published "for every cohort" it is a set of the team's documents.
_DOC_SIGNED = lx.words("""
    finalised finalized approved signed agreed ratified endorsed validated baselined submitted
    """)
_DOC_DONE = _DOC_SIGNED | lx.words("""
    published written completed documented drafted defined shared presented circulated
    """)
# Milestones of a project named as nouns: "ERP go-live for finance by 1 March".
_PROJECT_MILESTONE_RE = re.compile(
    r"(?<![\w-])(?:go-live|go\s+live|golive|cutover|cut-over|roll-?out|implementation|deployment|"
    r"migration|installation|upgrade|switchover|switch-over|launch)(?![\w-])"
)


def _doc_signed_off(words: tuple[str, ...]) -> bool:
    """ "Pricing model signed off by the CFO", "Curriculum map finalised and approved": the team's
    own document reported as done or approved."""
    for k, w in enumerate(words[:14]):
        if w in _DOC_DONE and k > 0:
            subject: list[str] = []
            for x in words[:k]:
                if x in lx.STOPWORDS or x[0].isdigit():
                    break
                subject.append(x)
            scope = " ".join(words[:k])
            scoped = bool(re.search(r"\b(?:for|across|in)\s+(?:every|each|all)\b", scope))
            return (
                bool(subject)
                and subject[-1] in _DOC_NOUNS
                and not set(subject) & (_PEOPLE | _EVENT_NOUNS)
                and (w in _DOC_SIGNED or scoped)
            )
    return False


def _artifact_subject(subject: tuple[str, ...]) -> bool:
    """The subject before the predicate is a thing, not people, a measure or an event."""
    if not subject or len(subject) > 7 or any(w[0].isdigit() for w in subject):
        return False
    head = subject[-1]
    return (
        head not in _PEOPLE
        and head not in OUTCOME_MEASURES
        and head not in _EVENT_NOUNS
        and head not in lx.STOPWORDS
        and (head in lx.ARTIFACT_NOUNS or head not in lx.METRIC_NOUNS)
    )


# ----- the team's own estate brought to a configured state ------------------------------------

# The organisation's own estate: inanimate things it owns, runs or pays for (computing, software,
# data, equipment, property, contracts for tools). A share of them brought to a configured state,
# or a count of them acted on by the team's command, is a roll-out: the team's own work. Shares
# of events (requests, builds, claims, orders) and of people (customers, users, staff) are not
# estate: their state is a result. Words that also name what customers buy or hold (accounts,
# seats, tickets) are left out.
ESTATE_NOUNS: frozenset[str] = lx.words("""
    clusters cluster servers server nodes instances vms containers workloads
    databases buckets storage services microservices apis apps applications systems platforms
    tools endpoints repos repositories codebases pipelines jobs models datasets tables schemas
    dashboards reports domains certificates certs keys secrets credentials mailboxes
    devices laptops desktops workstations phones handsets tablets printers routers switches
    firewalls gateways terminals tills kiosks scanners sensors cameras meters chargers
    consoles portals websites
    subscriptions licences licenses vehicles vans trucks buses cars fleet buildings facilities
    offices sites branches depots warehouses plants premises properties assets
    """) - (_PEOPLE | _EVENT_NOUNS)
# Configuration states an estate item is put in by its owner (not states of use by others:
# "active", "used", "adopted" are behaviour of people and stay results).
_ESTATE_STATES: frozenset[str] = lx.words("""
    on enforced enabled configured covered compliant upgraded patched running encrypted
    hardened monitored instrumented managed enrolled registered tagged protected secured
    deployed installed migrated updated current decommissioned retired cancelled canceled
    consolidated onboarded integrated connected standardised standardized containerised
    containerized rotated renewed replaced removed disabled
    """)
# "on time", "on track": a standard met, not a platform or version reached
_ON_NOT_STATE = lx.words("time track schedule budget target plan call duty average")
# A configuration written before the share: "MFA enforced for 100% of SSO apps".
_ESTATE_STATE_AFTER_RE = re.compile(
    r"\b(?:enforced|enabled|configured|deployed|installed|rolled\s+out|turned\s+on|switched\s+on|"
    r"required|mandatory|in\s+place|live|active)\s+(?:for|on|across|in|at|to)\s+"
)


def _estate_noun_phrase(after: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Like `_own_noun_phrase`, but a configuration state also ends the phrase
    ("delivery vans compliant with ...")."""
    np_words, tail = _own_noun_phrase(after)
    for k, w in enumerate(np_words):
        if k > 0 and w in _ESTATE_STATES:
            return np_words[:k], np_words[k:] + tail
    return np_words, tail


def _estate_share_state(low: str) -> bool:
    """ "100% of prod clusters on 1.30", "all laptops encrypted", "MFA enforced for 100% of SSO
    apps", "test coverage on tier-1 models at 100%": a share of the team's own estate in a
    configured state. A time standard per recurring event ("98% of laptops compliant within 24h
    of a patch release") makes it a service level, a result, so it is left alone."""
    if _TIMELINESS_RE.search(low) or _AGE_RE.search(low):
        return False
    for m in _PCT_OF_RE.finditer(low):
        rest = re.sub(r"^\d[\d,]*\s+", "", low[m.end() :])  # "all 40 branch routers"
        np_words, tail = _estate_noun_phrase(tx.words_of(rest)[:40])
        if not np_words or np_words[-1] not in ESTATE_NOUNS:
            continue
        if set(np_words) & (OUTCOME_MEASURES | _PEOPLE | _EVENT_NOUNS):
            continue
        state = [w for w in tail[:4] if w not in _PREDICATE_SKIP]
        if state and state[0] in _ESTATE_STATES:
            if state[0] == "on" and (len(state) < 2 or state[1] in _ON_NOT_STATE):
                continue
            return True
        # "MFA enforced for 100% of SSO apps": the state written before the share
        # (with a number: "live for all repos" is a state reached once, KR-05)
        before = low[max(0, m.start() - 40) : m.start()]
        if re.search(r"\d", m.group(0)) and _ESTATE_STATE_AFTER_RE.search(before + " "):
            return True
    # "<x> coverage on tier-1 models at 100%": coverage of the team's own estate
    cov = re.search(r"\bcoverage\s+(?:of|on|for|across)\s+(?:the\s+|our\s+|all\s+)?", low)
    if cov and re.search(r"\d\s*(?:%|percent)", low):
        np_words, _ = _own_noun_phrase(tx.words_of(low[cov.end() :])[:10])
        if np_words and np_words[-1] in ESTATE_NOUNS:
            return True
    return False


_ESTATE_DONE_STATES = lx.words("done complete finished ga live production release launch")


def _estate_command(words: tuple[str, ...], lead: str | None, command: bool) -> bool:
    """ "Cancel 20 unused SaaS subscriptions", "Decommission 40 legacy servers": the team's own
    command on a count of its own estate. Result commands ("Sell 500 subscriptions", "Grow
    subscriptions to 9,000") and moves from one level to another are not this."""
    if not command or lead is None or lead not in words:
        return False
    if lead in _RESULT_COMMANDS or lead in lx.CHANGE_VERBS or lead in lx.MAINTAIN_VERBS:
        return False
    obj = words[words.index(lead) + 1 :]
    if not obj or not (obj[0][0].isdigit() or obj[0] in lx.NUMBER_WORDS):
        return False
    if len(obj) > 1 and obj[1] in {"%", "percent", "of"}:
        return False  # shares are judged by the share rules
    if "from" in obj[:8]:
        return False
    if lead in {"get", "bring", "move", "take"} and "to" in obj[:7]:
        state = obj[obj.index("to") + 1 : obj.index("to") + 2]
        if state and state[0] not in _ESTATE_DONE_STATES and state[0] not in lx.STOPWORDS:
            return False  # "Get 40 depots to break-even": brought to a result state
    np_words, _ = _own_noun_phrase(obj[1:7])
    return bool(np_words) and np_words[-1] in ESTATE_NOUNS


def own_work(low: str, words: tuple[str, ...], lead: str | None, command: bool) -> str | None:
    """The team's own work written in a result's clothes; the reason, or None.

    Each cause is a definition of an output from the labelling conventions, not a word list of
    tasks: a share of one's own things done, a plan's completion, hiring as headcount, a tool
    in place or an artifact handed out to a group, a count of one's own sites opened, and a
    document or project milestone reported as reached."""
    measures = set(words) & (OUTCOME_MEASURES - lx.words("completion completion-rate"))
    if own_share_done(low) or (command and _own_share_command(low, words, lead)):
        return "share"
    if _estate_share_state(low):
        return "share"  # "100% of prod clusters on 1.30": the team's estate configured
    if _estate_command(words, lead, command):
        return "share"  # "Cancel 20 unused SaaS subscriptions": the team's estate acted on
    if _PLAN_COMPLETION_RE.search(low):
        return "plan"
    if (
        _HEADCOUNT_RE.search(low)
        and not _HEADCOUNT_RESULT_RE.search(low)
        and not _UPPER_RE.search(low)
    ):
        return "headcount"
    m = _IN_PLACE_RE.search(low)
    if (
        m
        and not _TIMELINESS_RE.search(low)
        and "of the time" not in low
        and _artifact_subject(tx.words_of(low[: m.start()]))
    ):
        return "in-place"
    m = _SENT_TO_RE.search(low)
    if m and not _TIMELINESS_RE.search(low) and _artifact_subject(tx.words_of(low[: m.start()])):
        return "handed-out"
    if _SITE_OPENING_RE.search(low) and not measures:
        return "sites"
    if not any(w[0].isdigit() for w in words[:3]) and _doc_signed_off(words):
        return "document"
    if (
        not command
        and not measures
        and not set(words) & lx.METRIC_NOUNS
        and not re.search(r"\d\s*%", low)
        and _PROJECT_MILESTONE_RE.search(" ".join(words[:6]))
    ):
        return "milestone"
    return None


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
