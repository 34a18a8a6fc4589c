"""Key-result rules (KR-01 .. KR-17, plus KR-19, KR-20 and the KR-21 outcome-evidence gate).

`analyse_kr()` parses the text once into `KRFacts`; each rule is a small function reading the
facts and the draft, listed in `KR_RULES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from coach.rules import evidence as ev
from coach.rules import lexicon as lx
from coach.rules import quantity as qt
from coach.rules import subject as sj
from coach.rules import text as tx
from coach.types import Fields, Finding, KeyResultDraft, Severity

B, W, INFO = Severity.BLOCKING, Severity.WARNING, Severity.INFO

_ARTIFACT_FIRST_RE = re.compile(
    r"^(?:[$\u20ac\u00a3]?\d[\d,.]*\s*(?:k|m)?\+?|all|every|twenty|ten|five|three|two|four|six|"
    r"eight|twelve|a\s+dozen)\s+((?:[a-z0-9\-']+\s+){0,3}?)([a-z\-]+)\b"
)
_PCT_OF_PARTICIPLE_RE = re.compile(
    r"\d\s*%\s+of\s+(?:the\s+|our\s+|all\s+)?((?:[a-z0-9\-']+\s+){0,3}?)([a-z\-]+)\s+"
    r"(?:(?:are|is|have\s+been|has\s+been|were)\s+)?([a-z]+ed|run|held|built|written|done|made|sent)\b"
)
_FROM_TO_NUM_RE = re.compile(
    r"(?i)\bfrom\s+[^.;]{0,20}?\d[^.;]{0,30}?\bto\s+[^.;]{0,12}?\d|\b(?:down|up)\s+from\s+[$]?\d"
    r"|\d[^.;\u2192]{0,12}?(?:\u2192|->|\u27f6|\u21d2)\s*[^.;]{0,8}?\d"
)
_TO_LEVEL_RE = re.compile(
    r"(?i)\b(?:to|reach(?:es)?|reaching|at|of|hits?|is|are|=|:)\s+(?:an?\s+|the\s+)?"
    r"(?:~|about\s+|around\s+)?[$\u20ac\u00a3]?\d"
)
_UPDOWN_PCT_RE = re.compile(
    r"(?i)\b(?:up|down|increase[sd]?|decrease[sd]?|grows?|rises?|drops?|falls?|improves?|"
    r"reduced?|cut|lower(?:ed)?|raised?|boost(?:ed)?|grow|increase|reduce|improve|cut)\s+"
    r"(?:by\s+)?(?:~|about\s+)?\d+(?:\.\d+)?\s?(?:%|percent|points?|pp|pts)"
)
_SUBJECT_VERB_NEXT = frozenset(
    {"is", "are", "was", "were", "has", "have"}
    | {
        f
        for f in tx.ALL_VERB_FORMS
        if f.endswith("s") and f not in lx.ARTIFACT_NOUNS and len(f) > 3
    }
)
_UNDEFINED_PHRASES: tuple[str, ...] = (
    "aligned with",
    "align with",
    "contribute to",
    "contributes to",
    "in line with",
    "consistent with",
    "on-brand",
    "on brand",
    "strategic",
    "meaningful",
    "impactful",
    "valuable",
    "resiliency score",
    "resilience score",
    "health score",
)
_OBJ_MARKERS = frozenset({"market", "markets", "region", "regions", "country", "countries"})


@dataclass(frozen=True)
class KRFacts:
    raw: str
    clean: str
    low: str
    words: tuple[str, ...]
    lead: str | None
    lead_index: int
    numbers: tuple[tx.Number, ...]
    dates: tuple[str, ...]
    placeholder: str | None
    placeholder_only: bool
    is_question: bool
    metric_named: bool
    population_share: bool
    targets: tuple[tx.Number, ...]
    baselines: tuple[tx.Number, ...]
    has_baseline_cue: bool
    comparator: bool
    level_target: bool
    zero_target: bool
    relative_pct: bool
    relative_other: bool
    multiplier: bool
    output: bool
    output_reason: str
    output_object: str
    binary: bool
    counts_new: bool
    vague: tuple[str, ...]
    subjective: bool
    undefined: bool
    vanity: str | None
    internal: str | None
    measure_clauses: tuple[str, ...]
    far_future: bool
    evidence: str | None = None  # the outcome measure named (KR-21), None when there is none
    result_clause: bool = True  # the main clause is not a command on the team's own things
    # Who acts or changes (coach.rules.subject): facts the model weighs, never a verdict alone.
    actor: str = ""  # the subject's words ("ward nurses"), "" when none was found
    actor_own: bool = False  # the organisation's own staff or unit ("our advisers", "the team")
    actor_role: bool = False  # a job title read from its form only ("pharmacists", "SDRs")
    actor_others: bool = False  # the people or organisations served ("tenants", "partners")
    actor_things: bool = False  # the team's own things ("our services", "the app")
    own_acts_n: bool = False  # own staff doing N things: "Caseworkers complete 600 assessments"
    others_acts_n: bool = False  # others doing N things: "Tenants report 300 repairs online"
    share_own: bool = False  # a share of the team's own things: "100% of our services run v4"
    share_people: bool = False  # a share of people, staff or served: "85% of tenants say ..."
    own_done: bool = False  # a thing reported done or in place: "The app is launched"
    decided_done: bool = False  # a done-state someone else decides: "The grant is awarded"
    # Is there a quantity that moves (coach.rules.quantity): facts the model weighs.
    q_moves: bool = False  # a direction: a change verb or noun, a comparative
    q_counted: bool = False  # what moves can be counted: a metric noun, "more <plural things>"
    q_name_only: bool = False  # only a metric's name, no verb: "Month-on-month sales growth"
    q_quality_state: bool = False  # a quality with no scale or metric: "material is clear"
    q_moving_amount: bool = False  # both of the first two, with no number given


_FINITE_AFTER_SUBJECT = frozenset(
    f
    for f, base in {**tx.LEVEL_FORMS, **tx.CHANGE_FORMS}.items()
    if f == base or (f.endswith("s") and not f.endswith("ss"))
) | {"is", "are", "average", "averages", "stay", "stays", "remain", "remains"}


def _subject_then_verb(words: tuple[str, ...], i: int) -> bool:
    """ "Open data portal page visits reach 500k": the first word starts a plural subject
    followed by its own verb, so it is an adjective or noun, not a command."""
    for j in range(i + 2, min(i + 7, len(words))):
        prev, w = words[j - 1], words[j]
        if prev[0].isdigit() or prev in lx.STOPWORDS:
            return False
        if w in _FINITE_AFTER_SUBJECT and _plural(prev) and prev not in lx.ARTIFACT_NOUNS:
            return True
    return False


def _third_person(words: tuple[str, ...], lead: str | None, li: int) -> bool:
    """ "Volunteers feel ...", "Visits per ...": an -s form is a plural subject, never a command."""
    w = words[li] if li < len(words) else ""
    return lead is not None and w != lead and w.endswith("s") and not w.endswith("ss")


def _lead_is_noun(words: tuple[str, ...], i: int) -> bool:
    """A leading output-verb word used as a noun ("Share of ...", "Test suite runs ...")."""
    if _subject_then_verb(words, i):
        return True
    nxt = words[i + 1 : i + 4]
    if words[i].endswith("ing") and set(nxt) & (lx.METRIC_NOUNS | _RATE_WORDS):
        return True  # "Onboarding completion rate ...": a gerund naming the metric's subject
    if nxt and nxt[0] in {"of", "rate", "time", "times", "issues", "volume", "tickets", "per"}:
        return True
    return any(w in _SUBJECT_VERB_NEXT for w in nxt[:2] if not w[0].isdigit()) and (
        not nxt or nxt[0] not in lx.STOPWORDS
    )


def _output(
    f_low: str,
    words: tuple[str, ...],
    lead: str | None,
    li: int,
    nums: tuple[tx.Number, ...],
    from_to: bool,
    acronym_first: bool = False,
) -> tuple[bool, str, str]:
    """Is the main clause the team's own work? Returns (is_output, reason, object phrase)."""
    obj_words = words[li + 1 :]
    obj = " ".join(obj_words[:6])
    phrasal = " ".join(words[li : li + 2])
    command = _is_command(words, lead, li, acronym_first)
    own = ev.own_work(f_low, words, lead, command)
    if own is not None:
        # a share of the team's own things done, a plan's completion, headcount, a tool in
        # place, an artifact handed out, own sites opened, a document signed off
        return True, "count" if own in {"share", "plan", "headcount", "sites"} else "verb", obj
    if lead is not None and _activity_rate(obj_words):
        return False, "", ""  # "Deploy more often": the rate of an activity, not a deliverable
    if _upper_bounded_count(f_low):
        return False, "", ""  # nobody caps their own deliverables: "<= 5 pages per week" is a limit
    if (
        lead in {"expand", "extend", "scale", "grow"}
        and obj_words[:1] in (("to",), ("into",))
        and set(obj_words[1:5]) & _PLACE_NOUNS
    ):
        return True, "verb", obj  # "Expand to 3 new districts": a roll-out to places
    if (
        lead in _ACQUIRE_TASK_VERBS
        and not from_to
        and not _brought_to_state(lead, obj_words)
        and _object_head(obj_words) in lx.ARTIFACT_NOUNS
        and _object_head(obj_words) not in lx.BENEFICIARY_NOUNS
        and not _lead_is_noun(words, li)
        and not _result_signal(obj_words, nums)
    ):
        # "Sign 8 data-sharing agreements", "Get 14 epics to done": the team's own artifacts
        return True, "count" if nums else "verb", obj
    if (
        lead in lx.IMPERATIVE_TASK_VERBS
        and lead not in lx.OUTPUT_VERBS
        and not _third_person(words, lead, li)
        and not from_to
        and not _lead_is_noun(words, li)
        and not _result_signal(obj_words, nums)
    ):
        return True, "verb", obj  # "Apply for 5 grants": the team's own action, no result named
    if (
        lead is None
        and not from_to
        and not acronym_first
        and _unknown_imperative(words, li)
        and not _result_signal(obj_words, nums)
    ):
        return True, "verb", obj  # "Source 300 candidates": an unlisted verb acting on things
    if (
        lead in {"expand", "extend", "scale"}
        and set(obj_words[:4]) & lx.ARTIFACT_NOUNS
        and not set(obj_words) & _RESULT_SIGNAL_NOUNS
        and not any(n.percent or n.currency for n in nums)
    ):
        return True, "verb", obj  # "Expand the mentoring program to 3 towns": a roll-out
    if lead is not None and (
        lead in lx.OUTPUT_VERBS or lead in lx.OUTPUT_PHRASAL or phrasal in lx.OUTPUT_PHRASAL
    ):
        if from_to or (lead not in lx.OUTPUT_PHRASAL and _lead_is_noun(words, li)):
            return False, "", ""
        if obj_words and obj_words[0] in {"in", "into"} and set(obj_words[:4]) & _OBJ_MARKERS:
            return True, "verb", obj
        result_with_number = any(w in lx.RESULT_NOUNS for w in obj_words[:5]) and bool(nums)
        if result_with_number and lead not in {"publish", "write", "hire", "host", "draft"}:
            return False, "", ""
        return True, "verb", obj
    verb_first = lead is not None or (not acronym_first and _unknown_imperative(words, li))
    if lead in _OTHERS_VERBS or _brought_to_state(lead, obj_words):
        verb_first = False  # "Sell 5,000 tickets", "Get 40 stores to break-even": results
    if verb_first and nums and not from_to and obj_words and obj_words[0][0].isdigit():
        # "Close 4,000 tickets", "Make 1,200 calls": a verb counting the team's own artifacts.
        head = _count_head(obj_words[1:])
        if head in lx.ARTIFACT_NOUNS:
            return True, "count", " ".join(obj_words[:4])
    if words and (words[0][0].isdigit() or words[0] in {"all", "every"}):
        tokens = f_low.split()[1:]
        head = _count_head(tokens)
        if head in lx.BENEFICIARY_NOUNS and _token_after(tokens, head) in lx.HIRING_PARTICIPLES:
            return True, "count", " ".join(words[1:4])  # "200 teachers trained"
        if (
            words[0][0].isdigit()
            and head in lx.BENEFICIARY_NOUNS
            and _token_after(tokens, head) in _RECEIVE_FORMS
            and not _PCT_OF_RE.search(f_low)
        ):
            # "4,000 households receive a meal kit": a service count seen from the receiving end
            return True, "count", " ".join(words[1:4])
        if not nums and set(words) & _TIMELINESS_WORDS:
            head = ""  # "every request answered promptly": a (vague) service level, not a count
        if head in lx.HUMAN_COUNT_NOUNS:
            # "2M people reached" counts others; "3 engineers hired" counts the team's hires.
            after = _token_after(tokens, head)
            if after and after not in lx.HIRING_PARTICIPLES and after not in _NP_STOP:
                head = ""
        if head in lx.ARTIFACT_NOUNS and not from_to:
            return True, "count", " ".join(words[1:4])
    k = _passive_output_at(words)
    if (
        k
        and nums
        and not from_to
        and (words[k] in _WRITTEN or (words[k] in _AUTHORED and words[k - 1] in lx.ARTIFACT_NOUNS))
        # "Runbooks written for 90% of services within 10 days": a deadline on the team's own
        # writing is still the writing, so a time limit is no result here
        and not _result_signal(words[k + 1 :], tuple(n for n in nums if n.role != "qualifier"))
    ):
        return True, "count", " ".join(words[:k])
    if k and nums and not from_to and not _result_signal(words[k + 1 :], nums):
        # "Docs translated into 3 languages", "40 stores refitted": the team's work, counted.
        return True, "count", " ".join(words[:k])
    if tx.contains_phrase(f_low, _OWN_WORK_COUNTS):
        return True, "count", str(tx.contains_phrase(f_low, _OWN_WORK_COUNTS))
    m2 = _PCT_OF_PARTICIPLE_RE.search(f_low)
    if m2 and m2.group(2) in lx.ARTIFACT_NOUNS and m2.group(3) in lx.OUTPUT_PARTICIPLES:
        return True, "count", m2.group(2)
    if not nums and lead is None and 0 < len(words) <= 4 and words[-1] in lx.ARTIFACT_NOUNS:
        return True, "noun", " ".join(words)
    if _carried_to_sites(f_low, words, nums, from_to):
        # "Bring the new intake form to 5 clinics", "4 branches live on the new till": the
        # team's own system carried to its own sites
        return True, "count", obj
    if _command_without_result(f_low, words, lead, li, nums, from_to):
        # "Expand the tutoring programme to 6 schools": a command with a count and no measure
        return True, "verb", obj
    return False, "", ""


def _command_without_result(
    f_low: str,
    words: tuple[str, ...],
    lead: str | None,
    li: int,
    nums: tuple[tx.Number, ...],
    from_to: bool,
) -> bool:
    """A bare command ("Take the clinic app to 4 sites", "Go live at all three branches") whose
    only number counts where or how often the team acts: no metric, share, money or limit."""
    if lead is None or li >= len(words) or not nums or from_to:
        return False
    first = words[li]
    if " " in lead:
        first = lead  # phrasal lead ("go live", "roll out"), already at its base form
    elif first != lead or _lead_is_noun(words, li):
        return False  # "Volunteers ...", "Onboarding NPS ...": not a command
    if lead in _RESULT_COMMANDS or lead in lx.MAINTAIN_VERBS:
        return False
    if lead in lx.CHANGE_VERBS and words[li + 1 : li + 2] in (("to",), ("past",), ("beyond",)):
        return False  # "Grow to 400 paying agencies": the level of a count, nothing carried
    if any(n.percent or n.currency or n.comparator for n in nums):
        return False
    ws = set(words)
    if (
        ws & lx.METRIC_NOUNS
        or ws & _RESULT_SIGNAL_NOUNS
        or "number of" in f_low
        or tx.COMPARATOR_RE.search(f_low)
        or tx.ZERO_RE.search(f_low)
        or _upper_bounded_count(f_low)
    ):
        return False
    return not _brought_to_state(lead, words[li + 1 :])


_RESULT_SIGNAL_NOUNS = (
    lx.RESULT_NOUNS
    | (lx.METRIC_NOUNS - lx.ARTIFACT_NOUNS - lx.words("per number count volume grants"))
    | lx.words("rate rates ratio score scores share percentage proportion latency time times")
) - lx.words("hours days minutes weeks seconds")
_PCT_OF_RE = re.compile(r"\d\s*(?:%|percent)\s+of\b")


def _result_signal(obj_words: tuple[str, ...], nums: tuple[tx.Number, ...]) -> bool:
    """The object of an action names a result: a metric, money, a level or a time limit.

    "N% of <things>" alone is not one: "Inspect 100% of bridges" is coverage of the team's own
    work; "within 10 days" or a metric noun makes it a service level or a result.
    """
    if any(n.currency or n.role == "qualifier" for n in nums):
        return True
    if any(n.percent for n in nums) and not _PCT_OF_RE.search(" ".join(obj_words)):
        return True
    k = _head_index(obj_words)
    if k is not None and obj_words[k] in lx.ARTIFACT_NOUNS:
        # "a data retention policy", "the churn dashboard": the metric word only names the
        # artifact; a result must come after it ("... that lifts retention to 80%")
        return bool(set(obj_words[k + 1 : 8]) & _RESULT_SIGNAL_NOUNS)
    return any(
        w in _RESULT_SIGNAL_NOUNS and not (j + 1 < len(obj_words) and obj_words[j + 1] in _STAFF)
        for j, w in enumerate(obj_words[:8])
    )


# People a metric word can qualify ("sales reps", "retention team"): then it names no result.
_STAFF = lx.HUMAN_COUNT_NOUNS | lx.words("reps rep agents agent team teams staff crew leads")
_DETERMINERS = lx.words("a an the our their its your this these those all every each new")
_PARTICLES = lx.words("out up off through down over")


def _head_index(obj_words: tuple[str, ...]) -> int | None:
    """Index of the head noun of the object noun phrase ("a data retention policy" -> policy)."""
    j = 0
    while j < len(obj_words) and (
        obj_words[j] in _DETERMINERS
        or obj_words[j] in _PARTICLES
        or obj_words[j][0].isdigit()
        or obj_words[j] in lx.NUMBER_WORDS
    ):
        j += 1
    last = None
    for k in range(j, min(j + 5, len(obj_words))):
        w = obj_words[k]
        if w in _NP_STOP or w in lx.STOPWORDS or w[0].isdigit() or w in {"$", "%"}:
            break
        if last is not None and (w in tx.ALL_VERB_FORMS and w not in lx.ARTIFACT_NOUNS):
            break
        last = k
    return last


def _object_head(obj_words: tuple[str, ...]) -> str:
    k = _head_index(obj_words)
    return obj_words[k] if k is not None else ""


def _activity_rate(obj_words: tuple[str, ...]) -> bool:
    """ "Deploy more often", "Release faster": a comparative on how often the work happens."""
    head = obj_words[:3]
    if not head:
        return False
    if head[0] in lx.FREQUENCY_ADVERBS or (
        head[0] in {"more", "less"} and len(head) > 1 and head[1] in lx.FREQUENCY_ADVERBS
    ):
        return True
    # "... the rider app more often": a comparative of frequency or speed closing the clause
    tail = obj_words[-2:]
    return tail[-1] in {"faster", "quicker", "sooner"} or (
        len(tail) == 2 and tail[0] in {"more", "less"} and tail[1] in lx.FREQUENCY_ADVERBS
    )


def _unknown_imperative(words: tuple[str, ...], i: int) -> bool:
    """A first word outside every verb list used as a command ("Source 300 ...", "Issue an RFP").

    A word counts as an imperative when it is not a known noun-phrase start, not a metric or
    people noun, not plural, and is followed by an article, a number or a particle + article.
    """
    if i >= len(words) - 1:
        return False
    w, nxt = words[i], words[i + 1]
    if (
        not w.isalpha()
        or len(w) < 3
        or w in lx.NOT_IMPERATIVE_STARTS
        or w in lx.METRIC_NOUNS
        or w in lx.BENEFICIARY_NOUNS
        or w in lx.STOPWORDS
        or w in lx.NUMBER_WORDS
        or w in lx.VAGUE_TERMS
        or (w.endswith("s") and not w.endswith("ss"))
        or w.endswith(("ly", "ed", "ing", "tion", "ment", "ness", "ity"))
    ):
        return False
    if re.fullmatch(r"\d+\.\d+", nxt) and words[i + 2 : i + 3] not in _SCALE_AFTER:
        return False  # "Python 3.13 wheels ...": a name and its version, not a command
    return _starts_object(nxt) or (
        nxt in {"for", "to", "with", "into", "up", "out", "off", "on", "in"}
        and i + 2 < len(words)
        and _starts_object(words[i + 2])
    )


_SCALE_AFTER = (("k",), ("m",), ("million",), ("bn",), ("billion",), ("thousand",))
_OBJECT_STARTS = lx.words("a an the our their its your this these those all every each new")


def _starts_object(w: str) -> bool:
    return w in _OBJECT_STARTS or w[0].isdigit() or w in lx.NUMBER_WORDS or w == "$"


def _token_after(tokens: list[str], head: str) -> str:
    for j, raw in enumerate(tokens[:6]):
        if raw.strip(".,;:()\"'") == head:
            return tokens[j + 1].strip(".,;:()\"'") if j + 1 < len(tokens) else ""
    return ""


# "<= 5", "under 3", "no more than 2": an upper bound; a team never caps its own deliverables.
_UPPER_BOUND_RE = re.compile(
    r"(?:\u2264|<=|=<|(?<![-=])<(?!\s*[a-z]))\s*[$\u20ac\u00a3]?\d"
    r"|\b(?:at\s+most|fewer\s+than|no\s+more\s+than|not\s+more\s+than|less\s+than|"
    r"max(?:imum)?(?:\s+of)?|under|below)\s+[$\u20ac\u00a3]?\d"
    r"|\d[^.;]{0,25}?\bor\s+(?:fewer|less|lower)\b"
)


def _upper_bounded_count(f_low: str) -> bool:
    """The first number of the text is an upper bound ("<= 5 pages", "under 3 incidents")."""
    m = re.search(r"\d[\d,.]*", f_low)
    return bool(
        m
        and _UPPER_BOUND_RE.search(f_low[: m.end() + 30])
        and (
            _UPPER_BOUND_RE.search(f_low[: m.end()])
            or re.match(r"[^.;]{0,25}?\bor\s+(?:fewer|less|lower)\b", f_low[m.end() :])
        )
    )


# Places a programme is rolled out to ("Expand to 3 new counties").
_PLACE_NOUNS = lx.words(
    "county counties state states city cities town towns district districts region regions "
    "market markets country countries site sites location locations campus campuses branch "
    "branches province provinces neighbourhood neighbourhoods neighborhood neighborhoods "
    "borough boroughs ward wards zone zones area areas"
)
# Verbs of getting or closing something: with one of the team's own artifacts as the object
# ("Get 14 epics to done", "Sign 8 partnership agreements") the clause is the team's work.
# Verbs whose object is always someone else (sell, convert, retain, ...) are left out.
_ACQUIRE_TASK_VERBS = (
    lx.LEVEL_VERBS
    - lx.MAINTAIN_VERBS
    - lx.words(
        "sell convert retain attract welcome acquire enrol enroll register engage activate return "
        "earn generate save recover serve reach exceed surpass"
    )
)
# Verbs whose object is always someone else's decision: selling, converting, retaining.
_OTHERS_VERBS = lx.words(
    "sell convert retain attract welcome acquire enrol enroll register engage activate"
)
_SITE_NOUNS = (
    r"(?:clinics?|stores?|branch(?:es)?|sites?|depots?|offices?|warehouses?|hospitals?|wards?|"
    r"schools?|librar(?:y|ies)|campus(?:es)?|locations?|markets?|regions?|countries|"
    r"count(?:y|ies)|districts?|teams?|departments?|services?|repos?|practices?|pharmac(?:y|ies)|"
    r"shops?|hubs?|centres?|centers?|facilit(?:y|ies)|units?|plants?|sectors?|zones?|cities)"
)
_COUNT_WORD = (
    r"(?:all\s+|every\s+|each\s+)?(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|twelve)"
)
# "Take the savings app live in 2 markets", "Get the new POS into 25 stores".
_CARRY_RE = re.compile(
    r"^(?:take|bring|get|put|move|carry|extend|expand|scale)\s+(?:the\s+|our\s+|a\s+|an\s+|this\s+)"
    r"(?:[a-z0-9\-]+\s+){1,4}?(?:live\s+)?(?:to|into|in|at|across|onto)\s+"
    + _COUNT_WORD
    + r"\s+(?:new\s+|more\s+|other\s+|additional\s+|[a-z\-]+\s+)?"
    + _SITE_NOUNS
    + r"\b"
)
# "3 clinics live on the new EHR": the team's own sites switched over, counted.
_SITES_LIVE_RE = re.compile(
    r"^"
    + _COUNT_WORD
    # "3 of 4 depots live on ...": a fraction of the team's sites
    + r"(?:\s+(?:out\s+)?of\s+(?:the\s+|our\s+)?(?:\d[\d,]*|all))?"
    + r"\s+(?:[a-z\-]+\s+)?"
    + _SITE_NOUNS
    + r"\s+(?:are\s+|went\s+|go\s+|now\s+)?live\b"
)


def _carried_to_sites(
    f_low: str, words: tuple[str, ...], nums: tuple[tx.Number, ...], from_to: bool
) -> bool:
    if not nums or from_to or any(n.percent or n.currency for n in nums):
        return False
    if _CARRY_RE.search(f_low):
        return not _result_signal(words[1:], ())
    if _SITES_LIVE_RE.search(f_low):
        return not _result_signal(words[words.index("live") + 1 :], ())
    return False


# Verbs whose object is someone else's decision or a level reached: never a bare task.
_RESULT_COMMANDS = (lx.LEVEL_VERBS - lx.words("serve book collect- hold")) | _OTHERS_VERBS
# Participles of authoring or staging something: the subject is the team's own artifact.
_AUTHORED = lx.words(
    "written drafted documented published produced created prepared recorded filmed translated "
    "designed built held run hosted conducted organised organized posted submitted"
)
# Participles whose subject can only be something written or recorded by the team.
_WRITTEN = lx.words("written drafted documented published recorded filmed translated posted")
# A state a release reaches once: "generally available", "GA", "available on day one".
_RELEASED_STATES = lx.words("ga available generally-available")
_RATE_WORDS = lx.words("rate rates ratio share score time times completion nps csat")
_DONE_STATES = lx.words("done complete completion finished ga live production release launch")


def _brought_to_state(lead: str | None, obj_words: tuple[str, ...]) -> bool:
    """ "Get 40 stores to break-even": bringing things to a result state is an outcome;
    "Get 14 epics to done" (a completion state) is not."""
    if lead not in {"get", "bring", "move"} or "to" not in obj_words[:7]:
        return False
    k = obj_words.index("to")
    state = obj_words[k + 1 : k + 2]
    return bool(state) and state[0] not in _DONE_STATES and state[0] not in lx.STOPWORDS


_RECEIVE_FORMS = lx.words("receive receives received get gets got")
_TIMELINESS_WORDS = lx.words(
    "fast quickly promptly timely on-time same-day within sooner faster quicker"
)

_OWN_WORK_COUNTS: tuple[str, ...] = (
    "lines of code",
    "story points",
    "commits",
    "tickets closed",
    "closed tickets",
)
_NP_STOP = lx.words(
    "in on at for with by to of from per during within across over under that who which and or "
    "this next each every the a an their our its his her my your"
)
_PARTICIPLES = lx.words("run held built written done made sent won grown kept")


def _count_head(tokens: list[str] | tuple[str, ...]) -> str:
    """Head noun of the noun phrase after a number: "blog posts published" -> "posts"."""
    head = ""
    for raw in tokens[:5]:
        tok = raw.strip(".,;:()\"'")
        if tok in _NP_STOP or (
            head
            and (
                tok.endswith("ed")
                or tok in _PARTICIPLES
                or (tok in tx.ALL_VERB_FORMS and not tok.endswith(("s", "ing")))
            )
        ):
            break
        if tok.endswith("ing") and not head:
            continue
        if head and tok.endswith("ing") and tok not in lx.ARTIFACT_NOUNS and _plural(head):
            break  # "40 guides covering the top questions": the participle opens a modifier
        head = tok
    return head


# "Grant pipeline: submit 9 proposals", "Macro library cleanup - retire 300 macros": a short topic
# label in front of the key result proper.
_TOPIC_LABEL_RE = re.compile(
    r"^([a-z][a-z0-9&/'\-]*(?:\s+[a-z0-9&/'\-]+){0,3})\s*(?::|\s[-\u2013\u2014]\s)\s*(\S.*)$"
)


def _topic_body(low: str) -> str | None:
    """The key result after a topic label, when the rest reads as a clause of its own."""
    m = _TOPIC_LABEL_RE.match(low)
    if not m:
        return None
    label, body = tx.words_of(m.group(1)), m.group(2)
    bw = tx.words_of(body)
    if not label or len(bw) < 3 or (len(label) > 1 and label[0] in tx.OUTPUT_FORMS):
        return None
    lead, li = tx.lead_verb(bw)
    first = bw[0]
    if li == 0 and lead is not None and _is_command(bw, lead, 0, False):
        return body
    if lead is None and _unknown_imperative(bw, 0):
        return body
    if (first[0].isdigit() or first in lx.NUMBER_WORDS or first in {"all", "every"}) and any(
        _plural(w) and w not in lx.STOPWORDS for w in bw[1:4]
    ):
        return body
    return None


def analyse_kr(text: str) -> KRFacts:
    facts = _analyse_kr(text)
    body = _topic_body(facts.low)
    if body is None:
        return facts
    inner = _analyse_kr(body)
    return replace(
        inner,
        raw=text,
        metric_named=inner.metric_named or facts.metric_named,
        evidence=inner.evidence or facts.evidence,
    )


def _analyse_kr(text: str) -> KRFacts:
    clean = tx.clean(text)
    low = clean.lower()
    words = tx.words_of(low)
    lead, li = tx.lead_verb(words)
    ph = tx.PLACEHOLDER_RE.search(clean)
    tbd_phrase = re.search(r"\bto\s+be\s+(?:defined|decided|confirmed|determined|agreed)\b", low)
    placeholder = ph.group(0) if ph else (tbd_phrase.group(0) if tbd_phrase else None)
    masked = tx.PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), clean).lower()
    numbers, dates = tx.find_numbers(masked)
    targets = tuple(n for n in numbers if n.role in {"target", "qualifier"})
    baselines = tuple(n for n in numbers if n.role == "baseline")
    from_to = bool(_FROM_TO_NUM_RE.search(low))
    has_baseline_cue = (
        bool(baselines)
        or from_to
        or bool(tx.BASELINE_RE.search(low))
        or bool(tx.PAREN_CURRENT_RE.search(low))
    )
    comparator = bool(tx.COMPARATOR_RE.search(masked))
    zero_target = bool(tx.ZERO_RE.search(masked))
    multiplier = bool(tx.MULTIPLIER_RE.search(masked))
    relative_pct = bool(tx.RELATIVE_PCT_RE.search(masked)) or bool(
        _UPDOWN_PCT_RE.search(masked)
        and any(n.percent and n.unit not in {"points", "point", "pts"} for n in targets)
    )
    word_set = set(words)
    is_change = lead in lx.CHANGE_VERBS or bool(word_set & {"up", "down"})
    level_target = bool(_TO_LEVEL_RE.search(masked)) or lead in lx.LEVEL_VERBS
    relative_other = bool(
        is_change
        and targets
        and not relative_pct
        and not level_target
        and not comparator
        and not from_to
    )
    if _CHANGE_BY_RE.search(masked) and not (
        relative_pct or from_to or comparator or _TO_LEVEL_RE.search(masked)
    ):
        relative_other = True  # a change "by N" anywhere in the sentence states no level
    first = words[li] if li < len(words) else ""
    acronym_first = len(first) > 1 and tx.has_whole_word(clean, first.upper())
    output, reason, obj = _output(low, words, lead, li, targets, from_to, acronym_first)
    metric_named = bool(word_set & lx.METRIC_NOUNS) or "number of" in low or "share of" in low
    # "time-to-value", "cost-per-lead": a hyphenated compound built on a metric noun
    metric_named = metric_named or any(
        "-" in w and bool(set(w.split("-")) & lx.METRIC_NOUNS) for w in words
    )
    if re.search(r"\b(?:on[-\s]time|in[-\s]full|same[-\s]day)\b", low):
        metric_named = True  # punctuality and completeness are shares of events
    if lead in lx.CHANGE_VERBS and lead not in {"improve", "boost"}:
        metric_named = metric_named or any(
            w.endswith("s") and not w.endswith("ss") and (j > 0 or w not in tx.ALL_VERB_FORMS)
            for j, w in enumerate(words[li + 1 : li + 5])
        )
    if word_set & lx.DIMENSIONAL_COMPARATIVES and not (
        lead is None and not numbers and _QUALITY_COMPARATIVE_RE.search(low)
    ):
        # "Cheaper deliveries": cost; "Shorter waits": time. Beside "more reliable" or
        # "friendlier" it is a slogan of qualities, with nothing named to count.
        metric_named = True
    if lead is not None and _activity_rate(words[li + 1 :]):
        metric_named = True  # "Deploy more often" names a frequency
    if ph and not placeholder_only_guess(words, ph.group(0)):
        metric_named = True
    quant_pop = bool(word_set & lx.VAGUE_QUANTIFIERS | {"more", "fewer", "every", "all"} & word_set)
    comparative_subject = (
        bool(words)
        and words[0] in lx.BENEFICIARY_NOUNS
        and bool(word_set & {"faster", "sooner", "quicker", "more", "less", "fewer", "earlier"})
    )
    quantified_plural = any(
        w in lx.VAGUE_QUANTIFIERS
        and (
            any(_plural(x) for x in words[j + 1 : j + 3] if x not in lx.STOPWORDS)
            # "balances mostly reconciled": a quantifying adverb after its plural subject
            or (j > 0 and w.endswith("ly") and _plural(words[j - 1]))
        )
        for j, w in enumerate(words)
    )
    population_share = (
        comparative_subject
        or quantified_plural
        or (
            quant_pop
            and bool(
                word_set & lx.BENEFICIARY_NOUNS
                or any(w in tx.BEHAVIOUR_FORMS for w in words[1:])
                or word_set & {"chats", "orders", "requests", "tickets", "calls", "cases"}
            )
        )
    )
    vague_words = word_set & (lx.VAGUE_TERMS | lx.GENERIC_OBJECTIVE_TERMS)
    completion = tx.contains_phrase(low, lx.COMPLETION_PREDICATES) or (
        "renewed" in word_set
        or (not numbers and bool(word_set & _RELEASED_STATES))
        or "accreditation" in word_set
        or ("achieves" in word_set and not numbers)
    )
    if not completion and not numbers:
        completion = (
            _passive_done(low)
            or (_passive_state(low) and not population_share)
            or bool(_passive_output_at(words))
            or (
                bool(word_set & lx.ACHIEVEMENT_NOUNS)
                and (
                    lead in lx.ACHIEVE_VERBS
                    or any(
                        tx.ALL_VERB_FORMS.get(w) in lx.ACHIEVE_VERBS
                        or tx.BEHAVIOUR_FORMS.get(w) == "receive"
                        for w in words
                    )
                )
                and not vague_words
            )
        )
    binary = bool(completion) and not targets and not output and not placeholder
    counts_new = bool(word_set & lx.NEW_THINGS_TERMS) or lead in {
        "acquire",
        "sign",
        "win",
        "add",
        "gain",
        "attract",
        "welcome",
        "enrol",
        "enroll",
        "earn",
        "generate",
        "sell",
        "book",
        "land",
        "secure",
        "raise",
        "recruit",
        "onboard",
        "collect",
        "close",
    }
    vague = tuple(w for w in words if w in lx.VAGUE_TERMS)
    subjective = bool(
        word_set & (lx.SUBJECTIVE_TERMS | {"sentiment", "morale", "happiness"})
        or _PERCEIVED_AS_RE.search(low)
    ) and not (
        word_set & {"survey", "surveys", "poll", "nps", "csat", "enps", "questionnaire", "pulse"}
    )
    undefined = bool(tx.contains_phrase(low, _UNDEFINED_PHRASES)) or bool(_VALUES_RE.search(low))
    sm = tx.SUBJECTIVE_SCORE_RE.search(low)
    if (
        sm
        and not sm.group(0).endswith("level")
        and sm.group(1) not in lx.KNOWN_SCORES
        and sm.group(1)
        not in lx.METRIC_NOUNS | {"the", "a", "an", "our", "average", "mean", "median"}
    ):
        undefined = True
    if sm and sm.group(1) in {
        "engagement",
        "resiliency",
        "resilience",
        "health",
        "maturity",
        "happiness",
        "culture",
        "alignment",
        "innovation",
    }:
        undefined = True
    if undefined and not [n for n in numbers if n.role in {"target", "qualifier"}]:
        undefined = False  # with no number at all it is simply not measurable (KR-01)
    vanity_hits = [
        w
        for j, w in enumerate(words)
        # "reach" followed by a level is the verb ("... reach 60%"), not the reach metric
        if w in lx.VANITY_TERMS
        and not (w in {"reach", "reached"} and j + 1 < len(words) and _starts_object(words[j + 1]))
        and not _reach_is_verb(words, j)
        and not _noun_modifier(words, j)
    ]
    if "domain authority" in low:
        vanity_hits.append("domain authority")
    ratio_framed = (
        bool(word_set & {"rate", "ratio", "share", "proportion"})
        or bool(re.search(r"\d\s*%\s+of\b", low))
        # "per visitor" is a ratio; "per week" is only a count over time
        or any(
            m.group(1) not in lx.ARTIFACT_NOUNS  # "per episode" counts per artifact, no ratio
            for m in re.finditer(r"\bper\s+(?!(?:day|week|month|quarter|year|hour)\b)([a-z]+)", low)
        )
    )
    vanity = (
        vanity_hits[0]
        if vanity_hits and not (word_set & lx.VALUE_TERMS) and not ratio_framed
        else None
    )
    social = word_set & lx.SOCIAL_PLATFORMS and word_set & lx.SOCIAL_REACH_TERMS
    if vanity is None and social and not word_set & (lx.VALUE_TERMS - {"who", "which", "that"}):
        vanity = sorted(word_set & lx.SOCIAL_REACH_TERMS)[0]  # "Instagram engagement rate"
    internal = tx.contains_phrase(low, lx.INTERNAL_TERMS)
    if internal and word_set & lx.USER_OR_BUSINESS_TERMS:
        internal = None
    verb_led = tuple(c.strip() for c in tx.split_clauses(low) if _verb_led_measure(c))
    clauses = tuple(
        c
        for part in tx.split_clauses(low)
        # "... enrolled with a 60% pass rate": a second measure attached with "with a <number>"
        for c in _WITH_MEASURE_RE.split(part)
        if c and _is_measure_clause(c)
    )
    command = _is_command(words, lead, li, acronym_first)
    evidence = ev.measure_evidence(masked, words, numbers, command=False, lead=lead)
    object_evidence = None
    if command:
        ow = words[li + 1 :]
        object_evidence = ev.measure_evidence(" ".join(ow), ow, numbers, command=True, lead=lead)
    result_clause = ev.result_clause(words, lead, li, command, object_evidence)
    return KRFacts(
        raw=text,
        clean=clean,
        low=low,
        words=words,
        lead=lead,
        lead_index=li,
        numbers=numbers,
        dates=dates,
        placeholder=placeholder,
        placeholder_only=bool(placeholder)
        and len([w for w in words if w not in lx.STOPWORDS]) <= 4
        and not metric_named,
        is_question=bool(tx.QUESTION_RE.search(masked.rstrip())),
        metric_named=metric_named,
        population_share=population_share,
        targets=targets,
        baselines=baselines,
        has_baseline_cue=has_baseline_cue,
        comparator=comparator,
        level_target=level_target,
        zero_target=zero_target,
        relative_pct=relative_pct and not has_baseline_cue,
        relative_other=relative_other and not has_baseline_cue,
        multiplier=multiplier,
        output=output,
        output_reason=reason,
        output_object=obj,
        binary=binary,
        counts_new=counts_new,
        vague=vague,
        subjective=subjective,
        undefined=undefined,
        vanity=vanity,
        internal=internal,
        measure_clauses=clauses if len(clauses) >= 2 or len(verb_led) < 2 else verb_led,
        far_future=bool(tx.FUTURE_RE.search(low)),
        evidence=evidence,
        result_clause=result_clause,
        **_actor_facts(sj.actor(words, clean)),
        **_quantity_facts(qt.quantity(words, metric_named, bool(numbers))),
    )


def _quantity_facts(q: qt.Quantity) -> dict[str, Any]:
    return {
        "q_moves": q.moves,
        "q_counted": q.counted,
        "q_name_only": q.metric_name_only,
        "q_quality_state": q.quality_state,
        "q_moving_amount": q.moving_amount,
    }


def _actor_facts(a: sj.Actor) -> dict[str, Any]:
    own = a.who in ("own", "role")
    return {
        "actor": a.phrase,
        "actor_own": a.who == "own",
        "actor_role": a.who == "role",
        "actor_others": a.who == "others",
        "actor_things": a.who == "things",
        "own_acts_n": a.acts_on_n and own,
        "others_acts_n": a.acts_on_n and a.who == "others",
        "share_own": a.share and a.who == "things",
        "share_people": a.share and a.who in ("own", "role", "others"),
        "own_done": a.done == "own",
        "decided_done": a.done == "decided",
    }


def _is_command(words: tuple[str, ...], lead: str | None, li: int, acronym_first: bool) -> bool:
    """The clause opens with an imperative: the team is the one acting."""
    if li >= len(words):
        return False
    if words[li + 1 : li + 2] == ("that",):
        return False  # "Ensure that 90% of pallets are put away within 4 hours": a state
    if any(
        (w in _FINITE_AFTER_SUBJECT and words[j - 1] not in lx.STOPWORDS)
        # "Volunteer hours up 30%": a verbless headline, the first word opens the subject
        or (w in {"up", "down"} and j + 1 < len(words) and words[j + 1][0].isdigit())
        for j, w in enumerate(words[li + 2 : li + 6], start=li + 2)
    ):
        return False  # "Offer acceptance rate rises ...": the first word opens the subject
    if lead is not None and " " in lead:
        return True  # "roll out", "stand up", "go live"
    if lead is not None:
        return (
            words[li] == lead
            and not _lead_is_noun(words, li)
            and not _third_person(words, lead, li)
        )
    if words[li + 1 : li + 2] == ("and",) and li + 2 < len(words):
        # "Redline and approve 150 DPAs": two coordinated commands sharing one object
        nxt = words[li + 2]
        if nxt in tx.ALL_VERB_FORMS and tx.ALL_VERB_FORMS[nxt] == nxt:
            return _is_command(words, tx.ALL_VERB_FORMS[nxt], li + 2, False)
    return not acronym_first and _unknown_imperative(words, li)


_QUALITY_COMPARATIVE_RE = re.compile(
    r"\b(?:more|less)\s+(?!than\b|often\b|of\b)[a-z\-]+(?:able|ible|ful|ive|ent|ant|ous|ic|al|ate|ure|ile|"
    r"ly|ed|y)\b|\b(?:better|smoother|friendlier|easier|nicer|clearer|stronger|happier)\b"
)
_WITH_MEASURE_RE = re.compile(r"\s+with\s+(?=an?\s+[$\u20ac\u00a3]?\d)|\s+while\s+")
_CHANGE_BY_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted(tx.CHANGE_FORMS, key=len, reverse=True))
    + r"|up|down)\s+by\s+(?:~|about\s+|around\s+|another\s+)?\d"
)
_PERCEIVED_AS_RE = re.compile(
    r"\b(?:seen|viewed|regarded|perceived|considered|recogni[sz]ed|known|thought\s+of)\s+as\b"
    # "Partners see the team as responsive": an opinion held by others, no instrument named
    r"|\b(?:see|sees|view|views|regard|regards|consider|considers|perceive|perceives)\s+"
    r"(?:[a-z\-']+\s+){1,3}as\b"
)
# Adherence to values, a mission or a culture has no count behind it, even with "100%".
_VALUES_RE = re.compile(
    r"\b(?:live|lives|living|embody|embodies|demonstrate|demonstrates|reflect|reflects|"
    r"uphold|upholds|model|models|champion|champions)\s+(?:our|the|company|core)\s+"
    r"(?:[a-z\-]+\s+)?(?:values|mission|culture|principles|vision)\b"
)


_MEASURE_COMMANDS = lx.CHANGE_VERBS | lx.LEVEL_VERBS | _OTHERS_VERBS


def _verb_led_measure(clause: str) -> bool:
    """ "..., retain first-timers": a coordinated clause with its own change verb and object."""
    cw = tx.words_of(clause)
    if len(cw) < 2:
        return False
    lead, li = tx.lead_verb(cw)
    return li == 0 and lead in _MEASURE_COMMANDS and cw[0] == lead and cw[1] not in lx.STOPWORDS


def _reach_is_verb(words: tuple[str, ...], j: int) -> bool:
    """ "Zero regressions reach production": a plural subject before it makes "reach" the verb."""
    if words[j] not in {"reach", "reaches"} or j == 0:
        return False
    nxt = words[j + 1] if j + 1 < len(words) else ""
    return _plural(words[j - 1]) and nxt not in {"", "of", "to", "across", "on"}


_MEASURE_WORDS = lx.words(
    "count counts volume number numbers growth total totals rate rates share ratio per average "
    "median reach"
)


def _noun_modifier(words: tuple[str, ...], j: int) -> bool:
    """ "traffic fatalities": a reach word qualifying another noun is not the thing counted."""
    if j + 1 >= len(words):
        return False
    nxt = words[j + 1]
    return (
        nxt.isalpha()
        and nxt not in lx.STOPWORDS
        and nxt not in lx.VANITY_TERMS
        and nxt not in tx.ALL_VERB_FORMS
        and nxt not in _MEASURE_WORDS
        and nxt not in lx.NOT_IMPERATIVE_STARTS
        and nxt not in lx.VALUE_TERMS
        and len(nxt) > 3
    )


_PHRASAL_PARTICIPLES = lx.words("rolled stood spun set switched")


def _passive_output_at(words: tuple[str, ...]) -> int:
    """Index of an output participle right after a short subject ("Docs site translated ...")."""
    for k in range(1, min(4, len(words))):
        w = words[k]
        is_participle = (
            w in lx.OUTPUT_PARTICIPLES
            or (
                w in tx.OUTPUT_FORMS
                and tx.OUTPUT_FORMS[w] != w
                and (w.endswith(("ed", "en")) or w in lx.IRREGULAR_FORMS)
            )
            # "New CRM rolled out to ...", "Hotline stood up in ...": a phrasal participle
            or (w in _PHRASAL_PARTICIPLES and words[k + 1 : k + 2] in (("out",), ("up",)))
        )
        if is_participle:
            subject = words[:k]
            head = subject[-1]
            if any(x in tx.ALL_VERB_FORMS and x not in lx.ARTIFACT_NOUNS for x in subject):
                return 0
            if any(x[0].isdigit() or x in lx.NUMBER_WORDS for x in subject) or (
                subject[0] in lx.VAGUE_QUANTIFIERS
            ):
                return 0  # "5 posts published" is handled as a count
            if head in lx.BENEFICIARY_NOUNS and w not in lx.HIRING_PARTICIPLES:
                return 0  # "Customers migrated ..." describes others
            return k
        if w in tx.ALL_VERB_FORMS or w in lx.STOPWORDS or w[0].isdigit():
            return 0
    return 0


def _abstract_aim(f: KRFacts) -> bool:
    """A change verb on an abstract quality ("improve code quality", "strengthen posture")."""
    if f.lead not in lx.CHANGE_VERBS and f.lead not in lx.GENERIC_VERBS:
        return False
    return _object_head(f.words[f.lead_index + 1 :]) in lx.ABSTRACT_QUALITIES


_PASSIVE_STATE_RE = re.compile(r"\b(?:is|are)\s+(?:now\s+|fully\s+)?([a-z]+ed)\b")


def _passive_state(low: str) -> bool:
    """ "Clinic is connected to the exchange": a state reached once, with no scale (KR-05)."""
    m = _PASSIVE_STATE_RE.search(low)
    if not m:
        return False
    verb = m.group(1)
    return (
        verb not in tx.CHANGE_FORMS
        and verb not in lx.SUBJECTIVE_TERMS
        and verb not in lx.VAGUE_TERMS
        and not _PERCEIVED_AS_RE.search(low)
    )


def _plural(w: str) -> bool:
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


_PASSIVE_DONE_RE = re.compile(
    r"\b(?:is|are|has\s+been|have\s+been|gets|get|was|were)\s+(?:fully\s+|now\s+)?"
    r"([a-z]+(?:ed|en)|built|done|made|run|held|set|sent|shut|put)\b"
)


def _passive_done(low: str) -> bool:
    """ "Docs site is translated into Japanese": the team's work reported as done, no number."""
    m = _PASSIVE_DONE_RE.search(low)
    if not m:
        return False
    verb = m.group(1)
    return verb in tx.OUTPUT_FORMS or verb in lx.OUTPUT_PARTICIPLES


def placeholder_only_guess(words: tuple[str, ...], placeholder: str) -> bool:
    """True when the placeholder is (nearly) the whole text rather than one number in it."""
    return len([w for w in words if w not in lx.STOPWORDS]) <= 2 or placeholder.strip().lower() in {
        " ".join(words)
    }


def _is_measure_clause(clause: str) -> bool:
    if clause.startswith(("while ", "with ", "without ")):
        return False
    nums, _ = tx.find_numbers(clause)
    return any(n.role == "target" for n in nums)


# ----- fields -------------------------------------------------------------------------------


def kr_fields(f: KRFacts, d: KeyResultDraft) -> Fields:
    real_number = bool(f.targets or f.baselines or f.zero_target or f.multiplier)
    measurable = (
        not f.is_question
        and not f.binary
        and not f.undefined
        and (real_number or f.metric_named or f.population_share or d.target is not None)
        and not (f.subjective and not real_number)
    )
    if f.placeholder_only or len(f.words) <= 1:
        measurable = False  # a single word ("Shrink", "Salesforce") is a label, not a KR
    if not real_number and _abstract_aim(f):
        measurable = False  # "Improve pipeline hygiene": a quality with no scale named
    has_target = (
        (bool(f.targets) or f.zero_target or f.multiplier or d.target not in (None, ""))
        and not f.binary
        and not f.is_question
    )
    has_baseline = f.has_baseline_cue or d.baseline not in (None, "")
    # a command of the team's whose object names no result is an output (KR-21 blocking)
    gate_output = not f.result_clause and measurable and not f.binary and not f.placeholder
    return Fields(measurable, not f.output and not gate_output, has_target, has_baseline)


# ----- suggestions built from the user's words ----------------------------------------------


def _beneficiary(f: KRFacts, d: KeyResultDraft) -> str:
    for source in (f.low, (d.parent_objective or "").lower()):
        for w in tx.words_of(source):
            if w in lx.BENEFICIARY_NOUNS and w.endswith("s"):
                return w
    return "customers"


_LEADING_FILLER_RE = re.compile(
    r"^(?:the|a|an|our|new|all|every|each|up|out|off|down|over|through|away|"
    r"\d[\d,.]*\s*(?:%|percent)?(?:\s+of)?|of)\s+"
)
# Where the object's noun phrase ends: "the new POS to 40 stores" -> "new POS".
_OBJECT_END_RE = re.compile(r"\s+(?:to|into|in|across|at|for|by|on|within|from|before|after)\s.*$")


def _strip_article(phrase: str) -> str:
    """The object of the team's verb, without a phrasal particle, article, count or place:
    "up 300 stale dock records" -> "stale dock records"."""
    p = phrase.strip()
    prev = None
    while p != prev:
        prev = p
        p = _LEADING_FILLER_RE.sub("", p)
    return _OBJECT_END_RE.sub("", p).strip()


def _output_suggestion(f: KRFacts, d: KeyResultDraft) -> str:
    who = _beneficiary(f, d)
    obj = _strip_article(f.output_object) or "this work"
    lead = f.lead or ""
    if lead in {"hire", "recruit", "staff", "train", "mentor", "coach", "teach", "educate"}:
        return (
            f"Name what changes once the {obj} are in place, e.g. 'Median time for {who} to get "
            f"a response falls from _ to _' or 'Share of {who} served within target time rises "
            f"from _% to _%'."
        )
    if lead in {"publish", "write", "document", "draft", "post", "translate", "print"}:
        return (
            f"Measure what readers do, e.g. '{who.capitalize()} who use the {obj} and then "
            f"succeed without help rise from _% to _%'."
        )
    if lead in {"run", "host", "hold", "organise", "organize", "conduct", "attend", "present"}:
        return (
            f"Measure what attendees do afterwards, e.g. 'Share of {who} who act after the "
            f"{obj} rises from _% to _%'."
        )
    if lead in {"migrate", "replace", "upgrade", "refactor", "move", "modernise", "modernize"}:
        return (
            f"Name the benefit of the {obj} work, e.g. 'Incidents or hours lost to the old "
            f"setup fall from _ to _ per month'."
        )
    be = "are" if _plural(obj.split()[-1]) else "is"
    return (
        f"What will {who} do once the {obj} {be} live? e.g. 'Share of {who} who use the {obj} "
        f"rises from _% to _%'."
    )


def _metric_phrase(f: KRFacts) -> str:
    words = list(f.clean.split())
    if f.lead is not None and words:
        words = words[f.lead_index + 1 :] if f.lead_index + 1 <= len(words) else words
    phrase = " ".join(words)
    phrase = re.sub(
        r"(?i)\s*\b(?:by|of)\s+(?:~|about\s+)?\d+(?:\.\d+)?\s?(?:%|percent|points?|pp|pts)",
        "",
        phrase,
    )
    phrase = re.sub(
        r"(?i)\s*\b(?:up|down)?\s*\d+(?:\.\d+)?\s?(?:%|percent|points?|pp|pts)\s*$", "", phrase
    )
    return phrase.strip(" ,.") or f.clean


def _direction(f: KRFacts) -> str:
    down = (
        f.lead
        in {
            "reduce",
            "decrease",
            "cut",
            "lower",
            "drop",
            "shrink",
            "halve",
            "slash",
            "minimise",
            "minimize",
            "shorten",
        }
        or " down" in f.low
    )
    return "falls" if down else "rises"


# ----- rules --------------------------------------------------------------------------------

KRRule = Callable[[KRFacts, KeyResultDraft, Fields], Finding | None]


def kr01_metric(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if fl.measurable or f.binary or f.output:
        return None
    if f.placeholder_only:
        return None
    if f.is_question:  # "How do we measure donor trust?": a question, even about a feeling
        return Finding(
            "KR-01-METRIC",
            B,
            "This is a question, not a key result.",
            "What answer would tell you that you succeeded, and how would you count it?",
            "Turn the question into a measured result, e.g. 'Share of customers who _ rises "
            "from _% to _%'.",
        )
    if f.subjective or f.undefined:
        return None  # KR-10 says what is missing
    return Finding(
        "KR-01-METRIC",
        B,
        "No quantity to score: nothing here can be measured on a scale.",
        f"How would you know that '{f.clean}' happened? What number would move?",
        f"Name the measure behind it, e.g. '<the thing you would count> {_direction(f)} from _ "
        f"to _ by the end of the cycle'.",
    )


def kr02_target(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if fl.has_target or not fl.measurable or f.binary or f.output or f.placeholder:
        return None
    if f.lead in lx.CHANGE_VERBS or f.vague or f.population_share or f.lead in lx.LEVEL_VERBS:
        return None  # a direction or a vague level without a number is KR-19 / KR-06
    if set(f.words) & lx.DIRECTION_COMPARATIVES:
        return None  # "Shorter boarding times": a direction without a level, KR-19
    if any(w in tx.CHANGE_FORMS for w in f.words[1:]):
        return None  # "Donor retention improves", "Flaky test count reduced": KR-19
    if re.search(r"\b(?:goes|go|went)\s+(?:up|down)\b|\b(?:up|down)\b", f.low):
        return None
    return Finding(
        "KR-02-TARGET",
        B,
        "The metric has no target value or threshold.",
        "What level would make you call this quarter a success?",
        f"Add the level, e.g. '{f.clean} reaches _ by the end of the cycle (from _ today)'.",
    )


def kr19_direction(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if fl.has_target or not fl.measurable or f.binary or f.output or f.placeholder:
        return None
    if kr02_target(f, d, fl) is not None:
        return None
    return Finding(
        "KR-19-DIRECTION-ONLY",
        W,
        "It names a measure and a direction but no level to reach.",
        "How far should it move this cycle, and from where?",
        f"Give both ends, e.g. '{_metric_phrase(f)} {_direction(f)} from _ to _'.",
    )


def kr03_baseline(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if fl.has_baseline or not fl.has_target or f.output or f.relative_pct:
        return None
    if (
        f.counts_new
        and not f.multiplier
        and not any(n.percent or n.unit in {"points", "point", "pts", "pp"} for n in f.targets)
    ):
        return None  # new money, new members: the baseline is zero
    if not (f.relative_other or (f.multiplier and not f.level_target)):
        return None
    if f.multiplier and f.comparator and not f.relative_other and not _changes(f):
        return None  # "LTV:CAC above 3x": a threshold on a ratio, not a change from a base
    return Finding(
        "KR-03-BASELINE",
        W,
        "A change is stated without the starting value it is measured from.",
        "Where does this measure stand today?",
        f"State the start, e.g. '{_metric_phrase(f)} {_direction(f)} from _ (today) to _'.",
    )


def _changes(f: KRFacts) -> bool:
    return f.lead in lx.CHANGE_VERBS or any(w in tx.CHANGE_FORMS for w in f.words)


def kr04_outcome(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if not f.output:
        return None
    reason = (
        "This counts the team's own activity or deliverables, not a result."
        if f.output_reason == "count"
        else "This describes a task or deliverable (an output), not a result of the work."
    )
    return Finding(
        "KR-04-OUTCOME",
        B,
        reason,
        "Who will do what differently once this is done, and by how much?",
        _output_suggestion(f, d),
    )


def kr05_binary(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    typed_boolean = (d.kr_type or "").lower() in {"milestone", "boolean", "binary"}
    if not (f.binary or typed_boolean) or f.output:
        return None
    return Finding(
        "KR-05-BINARY",
        W,
        "A done/not-done milestone cannot be graded on a scale.",
        f"What should change once '{f.clean}' is true, and for whom?",
        f"Measure the effect, e.g. 'Share of {_beneficiary(f, d)} affected by this rises from "
        f"_% to _% after it goes live'.",
    )


def kr06_vague(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if f.output or not f.vague:
        return None
    vague_clause = None
    for clause in tx.split_clauses(f.low):
        cw = set(tx.words_of(clause))
        found, _ = tx.find_numbers(clause)
        # a deadline ("by day 3") or a scope ("sub-$50") does not quantify the vague word
        nums = [n for n in found if n.role not in {"deadline", "scope"}]
        if cw & set(f.vague) and not nums and not tx.ZERO_RE.search(clause):
            vague_clause = sorted(cw & set(f.vague))[0]
            break
    if vague_clause is None:
        return None
    if not fl.measurable:
        return None  # KR-01 already says there is nothing to measure
    return Finding(
        "KR-06-VAGUE",
        W,
        f"'{vague_clause}' is vague: it leaves the level open to opinion.",
        f"What number would '{vague_clause}' mean here?",
        f"Replace '{vague_clause}' with a number, e.g. '{_metric_phrase(f)}: _% (from _%)'.",
    )


def kr07_single(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if len(f.measure_clauses) < 2 or f.output:
        return None
    parts = [c.strip() for c in f.measure_clauses]
    return Finding(
        "KR-07-SINGLE",
        W,
        f"{len(parts)} measures in one key result: each needs its own score.",
        "Which of these is the one result that matters most here?",
        "Split into separate key results: " + "; ".join(f"'{p}'" for p in parts) + ".",
    )


def kr08_placeholder(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if not f.placeholder or not (f.placeholder_only or not fl.measurable):
        return None
    return Finding(
        "KR-08-PLACEHOLDER",
        B,
        f"'{f.placeholder}' is a placeholder, not a key result yet.",
        "What exactly will you measure, and what level counts as success?",
        "Write the measure and both numbers, e.g. '<measure> rises from _ to _'.",
    )


def kr20_placeholder_target(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if not f.placeholder or kr08_placeholder(f, d, fl) is not None or f.output:
        return None
    fixed = f.clean.replace(f.placeholder, "_").strip() if f.placeholder in f.clean else f.clean
    return Finding(
        "KR-20-PLACEHOLDER-TARGET",
        W,
        f"The target '{f.placeholder}' is still a placeholder.",
        "What number will you commit to, and what is it today?",
        f"Fill in the number: '{fixed}' (with a real value, and the value today).",
    )


def kr09_relative(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if not f.relative_pct or fl.has_baseline or f.output:
        return None
    return Finding(
        "KR-09-RELATIVE",
        W,
        "'By N%' without a base is ambiguous: relative change or percentage points, from what?",
        "What is the value today, and what exact value counts as done?",
        f"Give both ends, e.g. '{_metric_phrase(f)} {_direction(f)} from _ to _'.",
    )


def kr10_defined(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    declared_empty = d.data_source is not None and not d.data_source.strip()
    if not (f.subjective or f.undefined or declared_empty) or f.output:
        return None
    if f.subjective:
        msg = "A feeling with no instrument named: nobody can check it the same way twice."
    elif f.undefined:
        msg = "The measure has no definition: what counts, and who decides?"
    else:
        msg = "No data source is recorded for this metric."
    return Finding(
        "KR-10-DEFINED",
        W,
        msg,
        "Which survey, log or report will give this number, and how is it calculated?",
        "Name the instrument, e.g. '_% of respondents answer 4 or 5 in the quarterly pulse "
        "survey (from _%)'.",
    )


def kr11_vanity(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if f.vanity is None or f.output:
        return None
    return Finding(
        "KR-11-VANITY",
        W,
        f"'{f.vanity}' is a reach metric: it can rise while nothing of value happens.",
        f"What do people who bring those {f.vanity} do next that matters to you?",
        f"Tie it to value, e.g. 'Share of {f.vanity} that lead to an active or paying "
        "account rises from _% to _%'.",
    )


def kr12_low_value(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if f.internal is None:
        return None
    return Finding(
        "KR-12-LOW-VALUE",
        INFO,
        f"'{f.internal}' is an internal metric with no user or business link.",
        "If this hit its target, what would a customer or the budget notice?",
        "Link it to a user or money result, e.g. 'cost per active customer from $_ to $_ with "
        "latency unchanged'.",
    )


def _ambition_pair(f: KRFacts, d: KeyResultDraft) -> tuple[float, float, bool] | None:
    try:
        if d.baseline not in (None, "") and d.target not in (None, ""):
            return float(str(d.baseline)), float(str(d.target)), (d.unit or "").strip() == "%"
    except ValueError:
        return None
    if len(f.baselines) >= 1:
        base = f.baselines[0]
        after = [n for n in f.targets if n.start > base.start and n.role == "target"]
        if after:
            return base.value, after[0].value, base.percent or after[0].percent
    return None


def kr13_ambition(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    committed = (d.okr_type or "").lower() == "committed"
    conf = d.confidence
    if conf is not None:
        c = conf / 10 if conf > 1 else conf
        if c < 0.3 or (c > 0.9 and not committed):
            return Finding(
                "KR-13-AMBITION",
                W,
                f"Declared confidence {c:.0%} is outside the usual 50-70% at setting.",
                "Is this target a sandbag or a moonshot? What would make it a fair stretch?",
                "Adjust the target until your honest confidence is about 5-7 out of 10.",
            )
    pair = _ambition_pair(f, d)
    if pair is None or committed:
        return None
    base, target, pct = pair
    if base <= 0 or target <= 0 or base == target:
        return None
    up = target > base
    gain = target / base if up else base / target
    low_stretch = gain < 1.05
    if pct and low_stretch:
        gap = (100 - base) if up else base
        low_stretch = gap <= 0 or abs(target - base) / gap < 0.25
    if low_stretch:
        return Finding(
            "KR-13-AMBITION",
            W,
            "The target barely moves from the baseline: is it a sandbag?",
            "What would a result you'd be proud of look like here?",
            "Stretch the target until you feel about 50-70% confident of reaching it.",
        )
    if gain > 10:
        return Finding(
            "KR-13-AMBITION",
            W,
            "The target is more than ten times the baseline: is it a fantasy?",
            "What would have to be true to hit this, and how confident are you?",
            "Pick a target you are about 50-70% confident of reaching.",
        )
    return None


def _quarter_end(q: int, year: int) -> date:
    month = q * 3
    return date(year, month, 30 if month in (6, 9) else 31)


def kr14_timebox(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    beyond = f.far_future
    if d.cycle_end is not None:
        for m in re.finditer(r"\b(?:q([1-4])\s*'?(?:fy)?\s*(20\d{2}|\d{2})|(20\d{2}))\b", f.low):
            if m.group(3):
                due = date(int(m.group(3)), 1, 1)
            else:
                y = int(m.group(2))
                due = _quarter_end(int(m.group(1)), y + 2000 if y < 100 else y)
            if due > d.cycle_end:
                beyond = True
    elif not beyond:
        return None
    if not beyond:
        return None
    return Finding(
        "KR-14-TIMEBOX",
        W,
        "The deadline falls outside the cycle.",
        "What part of this can be shown by the end of this cycle?",
        "Split it: keep the long-range goal as an annual OKR and set a milestone this cycle.",
    )


def kr15_owner(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if d.owners is None:
        return None
    owners = [o for o in d.owners if o.strip()]
    teamish = len(owners) == 1 and bool(
        re.search(r",|&|/|\band\b|\bteam\b|\bdepartment\b|\bsquad\b|\bgroup\b", owners[0], re.I)
    )
    if len(owners) == 1 and not teamish:
        return None
    msg = "No owner is named." if not owners else "More than one owner (or a team) is named."
    return Finding(
        "KR-15-OWNER",
        B,
        msg,
        "Which one person will answer for this key result?",
        "Name one accountable owner; list the others as contributors.",
    )


def kr17_control(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    if not d.team or re.search(r"(?i)\b(?:company|exec|leadership|board|ceo)\b", d.team):
        return None
    hit = tx.contains_phrase(f.low, lx.COMPANY_METRICS)
    if hit is None:
        return None
    return Finding(
        "KR-17-CONTROL",
        INFO,
        f"'{hit}' is a company-level metric the {d.team} team can barely move.",
        "Which part of this number does your team's work drive directly?",
        "Measure the part you drive, e.g. 'adoption of <your feature> by new accounts from _% "
        "to _%'.",
    )


def kr21_outcome_evidence(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding | None:
    """The allow-list gate: "good" needs a named result of others or a state of the world.

    Blocking when the sentence is a command of the team's whose object names no result (the
    labelling conventions' definition of an output); a warning when no result is recognised,
    since that may be an outcome worded in a way the allow-list does not know.
    """
    if f.output or not fl.measurable or f.placeholder or f.binary:
        return None  # KR-04, KR-01, KR-08/KR-20 and KR-05 already say what is missing
    who = _beneficiary(f, d)
    if not f.result_clause:
        return Finding(
            "KR-21-NO-OUTCOME-EVIDENCE",
            B,
            "This is the team's own action: no result of it is measured.",
            "Who will do what differently once this is done, and by how much?",
            _output_suggestion(f, d),
        )
    if f.evidence is not None and (fl.has_target or f.zero_target):
        return None
    if f.evidence is not None:
        msg = "No level is set for the result: what value counts as success?"
    else:
        msg = (
            "No result is measured: nothing here is a rate, share, time, money or count of others."
        )
    return Finding(
        "KR-21-NO-OUTCOME-EVIDENCE",
        W,
        msg,
        "Who does what differently, or what state changes, and how would you count it?",
        f"Name the result and its level, e.g. 'Share of {who} who _ rises from _% to _%' or "
        "'<time, cost or error measure> falls from _ to _'.",
    )


KR_RULES: tuple[KRRule, ...] = (
    kr01_metric,
    kr02_target,
    kr03_baseline,
    kr04_outcome,
    kr05_binary,
    kr06_vague,
    kr07_single,
    kr08_placeholder,
    kr09_relative,
    kr10_defined,
    kr11_vanity,
    kr12_low_value,
    kr13_ambition,
    kr14_timebox,
    kr15_owner,
    kr17_control,
    kr19_direction,
    kr20_placeholder_target,
    kr21_outcome_evidence,
)


def relevance(kr: KRFacts, objective_text: str) -> Finding | None:
    """KR-16: the KR shares no words or domain with its objective (conservative on purpose)."""
    obj_low = tx.clean(objective_text).lower()
    if not obj_low or kr.output:
        return None
    if tx.content_stems(kr.low) & tx.content_stems(obj_low):
        return None
    kr_domains = _domains(kr.low)
    obj_domains = _domains(obj_low)
    if not kr_domains or not obj_domains or kr_domains & obj_domains:
        return None
    return Finding(
        "KR-16-RELEVANCE",
        W,
        "This key result does not seem to measure its objective.",
        "If this key result moves, does the objective move with it?",
        f"Measure the objective '{tx.clean(objective_text)}' directly, or move this KR to the "
        "objective it serves.",
    )


_DOMAINS: dict[str, frozenset[str]] = {
    "business": lx.words(
        "revenue arr mrr sales profit margin cost costs spend budget price "
        "pricing deals pipeline bookings paid paying invoice invoices payroll "
        "signups sign-ups trials traffic visitors awareness brand marketing "
        "leads growth grow retention churn expansion"
    ),
    "people": lx.words(
        "hire hiring recruit recruiters attrition employees staff engagement "
        "culture managers onboarding talent headcount candidate candidates "
        "people joiners"
    ),
    "reliability": lx.words(
        "uptime availability latency incidents outages errors error error-budget slo slos "
        "reliable "
        "stable stability downtime fails fail failure failures sev-1 sev-2 "
        "mttr mttd on-call pager paging"
    ),
    "customers": lx.words("nps csat satisfaction support tickets delight experience"),
}


def _domains(low: str) -> frozenset[str]:
    # An error budget is a reliability measure, not money.
    ws = set(tx.words_of(low.replace("error budget", "error-budget")))
    return frozenset(name for name, vocab in _DOMAINS.items() if ws & vocab)


# ----- findings the trained model adds when the rules found nothing of the right severity -------


def _as_written(f: KRFacts) -> str:
    """The subject's words with the author's capitals ("Denholm adviser", "CSMs")."""
    found = re.search(r"\W+".join(map(re.escape, f.actor.split())), f.clean, re.IGNORECASE)
    return found.group(0) if found else f.actor


def _whose_work(f: KRFacts) -> str:
    """Who the parse found doing the work, said in a full sentence ("" when it found nobody)."""
    if f.own_acts_n:
        return (
            f"It counts what the organisation's own people ({_as_written(f)}) do: the team's "
            "work (an output), not a change in someone else's behaviour or in a result."
        )
    if f.share_own or (f.own_done and f.actor_things):
        return (
            f"It reports the team's own things ({_as_written(f)}) as done or in place: an "
            "output, not a change in someone else's behaviour or in a result."
        )
    return ""


def model_blocking(f: KRFacts, *, output: bool) -> Finding:
    """The blocking finding that explains the model's "bad" when no rule gave one: KR-04 when
    it blames the team's own work (`output`), else KR-01 (nothing measured)."""
    if output:
        return Finding(
            "KR-04-OUTCOME",
            B,
            _whose_work(f)
            or "This describes the team's own work or artifact (an output), not a change in "
            "someone else's behaviour or in a result.",
            "Once this is done, who does what differently, and how would you count it?",
            "",
        )
    return Finding(
        "KR-01-METRIC",
        B,
        "Nothing here can be scored on a scale: no quantity is measured.",
        "Which number would tell you, at the end of the quarter, how far you got?",
        "",
    )


def model_warning(f: KRFacts, d: KeyResultDraft, fl: Fields) -> Finding:
    if not fl.has_target:
        return Finding(
            "KR-02-TARGET",
            W,
            "A measure with no explicit target: a direction is not a level to reach.",
            "What level would make you say this key result was achieved?",
            "",
        )
    if not fl.has_baseline:
        return Finding(
            "KR-03-BASELINE",
            W,
            "No starting value: nobody can tell how big the change is.",
            "Where does this measure stand today?",
            "",
        )
    return Finding(
        "KR-10-DEFINED",
        W,
        "The measure is not defined well enough to score the same way twice.",
        "Who measures this, with which source, and how is it calculated?",
        "",
    )
