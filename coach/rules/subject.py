"""Who acts or changes in a key result: the grammatical subject, or the population a share counts.

Settled boundary case 1 decides output against outcome by who acts: the team's own staff, units,
artifacts and systems (an output in any voice: "Caseworkers complete 600 assessments", "100% of
our services run v4", "The guide is published") against the people and organisations it serves
(an outcome: "Customers renew ...", "85% of tenants say ..."). The parse reads the clause's shape
(a noun phrase, then its verb; a share's "of" phrase; a be-form and a participle) and keeps the
word lists small: a served-people list, a staff list, and weak cues from form (possessive "our",
a capitalised name inside the phrase, a job-title suffix). The model weighs the facts it returns
(coach.rules.key_results.KRFacts, `actor_*`); the rules only use them to explain.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.rules import lexicon as lx
from coach.rules import text as tx

_DETERMINERS = lx.words("the a an our their its your this these those all every each new")
_BE_HAVE = lx.words("is are was were has have will")
_PREPOSITIONS = lx.words("of for in on at by with from across within per to under over")
# Verbs of a level or a change state a result ("Visits reach 500", "Arrears fall 20%"), not an
# amount of work done.
_RESULT_VERBS = frozenset(tx.CHANGE_FORMS) | lx.words(
    "reach reaches hit hits exceed exceeds stay stays remain remains top tops total totals "
    "average averages score scores rate rates"
)
# A job title read from its form ("recruiters", "pharmacists", "librarians", "supervisors").
_ROLE_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians")
_UNITS = lx.words("team teams crew crews squad squads desk department departments")
# Done-states somebody else decides (settled case 2: a binary outcome, not a deliverable).
_DECIDED = lx.words(
    "approved awarded certified won renewed ratified accredited granted selected funded "
    "shortlisted endorsed adopted passed accepted obtained signed-off"
)
_STATE_WORDS = lx.words("live complete ready available operational done")
_ADVERBS = lx.words("now fully all not also")
_COLLECTIVE = lx.words("staff team crew people police")  # a verb with or without -s agrees
_PARTICLES = lx.words("out up off through")
# Words that end a subject search: comparisons and directions are levels, not verbs.
_NOT_VERBS = lx.words("than up down fewer more less least most no zero under over above below")


@dataclass(frozen=True)
class Actor:
    """The subject (or counted population) and what the clause says it does."""

    phrase: str = ""  # the subject's words as written in lower case ("ward nurses")
    who: str = ""  # "own" staff or unit, "role" (a job title by form), "others", "things", ""
    acts_on_n: bool = False  # "<subject> <verb> N ...": an amount of something done
    share: bool = False  # the subject is the population of "N% of" / "N of M" / "all, every"
    done: str = ""  # "own": the subject is reported done or in place; "decided": won, approved


def _is_number(w: str) -> bool:
    return w[:1].isdigit()


def _is_verb(words: tuple[str, ...], j: int, head: str) -> bool:
    """Is words[j] the verb of the phrase before it? A be-form; a past participle; or a word that
    agrees with the head in number ("Pickers pick", "The team reviews") and is either a known
    verb or followed by an amount ("Crews reline 38 km")."""
    w, prev = words[j], words[j - 1]
    if prev in _PREPOSITIONS or w in lx.STOPWORDS - _BE_HAVE:
        return False
    if w in _BE_HAVE or w in lx.OUTCOME_CLAUSE_WORDS:
        return True  # "... is live", "Volunteers feel valued"
    if w.endswith("ed"):
        return True  # "Second analyser installed", "Nurses trained ..."
    plural = head.endswith("s") and not head.endswith("ss")
    agrees = head in _COLLECTIVE or plural != (w.endswith("s") and not w.endswith("ss"))
    k = j + 2 if words[j + 1 : j + 2] and words[j + 1] in _PARTICLES else j + 1
    amount = k < len(words) and _is_number(words[k])  # "Officers carry out 250 checks"
    return agrees and (w in tx.ALL_VERB_FORMS or amount)


def _who(np: tuple[str, ...], head: str, capitalised: bool, acronym: bool) -> str:
    if head in ("members", "member") and set(np) & (lx.STAFF_NOUNS | _UNITS):
        return "own"  # "team members", "staff members" (settled case 5)
    if head in lx.SERVED_NOUNS:
        return "others"
    if head in lx.STAFF_NOUNS or head in _UNITS:
        return "own"
    person = head.endswith(_ROLE_SUFFIXES) and head.isalpha()
    if person and ("our" in np or capitalised):
        return "own"  # "our caseworkers", "Each Saltry adviser"
    if (person and head.endswith("s")) or acronym:
        return "role"  # "Recruiters", "SDRs": a weak cue, the model weighs it
    if head in lx.ARTIFACT_NOUNS or "our" in np:
        return "things"
    return ""


def _capitalised_inside(clean: str, np: tuple[str, ...]) -> bool:
    """A name inside the phrase ("The Harlow repairs team", "Each Saltry agent")."""
    raw = clean.split()[1 : len(np) + 2]
    return any(w[:1].isupper() and w.lower().strip(".,:;") in np[1:] for w in raw)


def actor(words: tuple[str, ...], clean: str) -> Actor:
    n = len(words)
    if n < 2:
        return Actor()
    i, share = 0, False
    if _is_number(words[0]):
        j = 2 if words[1] in ("%", "percent") else 1
        if j < n and words[j] == "of":
            j += 1
            if j < n and _is_number(words[j]):
                j += 1  # "28 of 40 actions"
            i, share = j, True
        else:
            i = 1  # "40 stores refitted", "60 pages are written": the things counted
    elif words[0] in ("all", "every", "each"):
        i, share = 1, words[0] != "each"
    start = i
    if tx.ALL_VERB_FORMS.get(words[i]) == words[i] and words[i] not in lx.STAFF_NOUNS:
        return Actor()  # "Reduce the number of ...": a command, the team is the one acting
    while i < n and words[i] in _DETERMINERS:
        i += 1
    head_at = None
    verb_at = None
    for j in range(i, min(i + 7, n)):
        w = words[j]
        if _is_number(w) or not w[0].isalpha() or w in _NOT_VERBS:
            break
        if j > i and _is_verb(words, j, words[head_at] if head_at is not None else words[j - 1]):
            verb_at = j
            break
        if w in _PREPOSITIONS and head_at is None:
            head_at = j - 1  # "Members of the legal team ...": the head is before "of"
    if verb_at is None or verb_at <= i or ":" in " ".join(clean.split()[: verb_at + 1]):
        return Actor()
    np = words[start:verb_at]
    if "be" in np or "to" in np[-2:] or not np:
        return Actor()  # "KR3 - to be defined": no subject of its own
    head = words[head_at if head_at is not None and head_at >= i else verb_at - 1]
    if head in _DETERMINERS or head in _PREPOSITIONS:
        return Actor()
    acronym = head.endswith("s") and tx.has_whole_word(clean, head[:-1].upper() + "s")
    who = _who(np, head, _capitalised_inside(clean, words[:verb_at]), acronym)
    verb = words[verb_at]
    k = (
        verb_at + 2
        if words[verb_at + 1 : verb_at + 2] and words[verb_at + 1] in _PARTICLES
        else verb_at + 1
    )
    acts = k < n and _is_number(words[k]) and verb not in _RESULT_VERBS and verb not in _BE_HAVE
    return Actor(" ".join(np), who, acts, share, _done(words, verb_at, who))


def _done(words: tuple[str, ...], k: int, who: str) -> str:
    """A done-state: "<thing> is launched / live / in place", "<thing> installed"."""
    if who not in ("things", "") or any(_is_number(w) for w in words[k:]):
        return ""
    while k < len(words) and words[k] in _BE_HAVE | _ADVERBS | {"been", "be"}:
        k += 1
    if k >= len(words):
        return ""
    w = words[k]
    agent = words[k + 1 : k + 4]
    if w in _DECIDED or (
        w.endswith("ed") and agent[:1] == ("by",) and not set(agent) & (_UNITS | {"our", "us"})
    ):
        return "decided"  # "approved by the court", "adopted by all regions": others decide
    if w in tx.CHANGE_FORMS:
        return ""  # "Flaky test count reduced": a change, not a thing made
    if w.endswith(("ed", "en")) or w in _STATE_WORDS or words[k : k + 2] == ("in", "place"):
        return "own"
    return ""
