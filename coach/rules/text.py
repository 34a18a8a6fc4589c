"""Parsing helpers: cleaning, numbers with units and roles, dates, clauses, the leading verb.

Everything here is computed once per item by `analyse()`; rules only read the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from coach.rules import lexicon as lx

OUTPUT_FORMS = lx.verb_forms(lx.OUTPUT_VERBS)
CHANGE_FORMS = lx.verb_forms(lx.CHANGE_VERBS)
LEVEL_FORMS = lx.verb_forms(lx.LEVEL_VERBS)
BAU_FORMS = lx.verb_forms(lx.BAU_VERBS)
BEHAVIOUR_FORMS = lx.verb_forms(lx.BEHAVIOUR_VERBS)
ASPIRATION_FORMS = lx.verb_forms(lx.ASPIRATION_WORDS)
ALL_VERB_FORMS: dict[str, str] = {
    **ASPIRATION_FORMS,
    **BEHAVIOUR_FORMS,
    **BAU_FORMS,
    **LEVEL_FORMS,
    **CHANGE_FORMS,
    **OUTPUT_FORMS,
}

_PREFIX_RE = re.compile(
    r"""^\s*(?:
        [\-\*\u2022\u00b7\u25aa\u25e6\u2013\u2014>+]+\s*
      | \[\s*[xX ]?\s*\]\s*
      | (?:kr|key\s+results?|obj|objective|goal)\s*\#?\s*\d*(?:\.\d+)*\s*[:.)\-\u2013\u2014]\s*
      | o\s*\d+(?:\.\d+)*\s*[:.)\-\u2013\u2014]\s*
      | \(?\d{1,2}(?:\.\d{1,2})*[.)]\s+
      | \(?[a-h][.)]\s+
      | (?:q[1-4]|h[12])(?:\s*(?:fy)?\s*'?\d{2,4})?\s*[:\-\u2013]\s*
      | (?:(?:performance|strategic|key|annual|agency)\s+)?
        (?:measure|metric|goal|target|indicator|kpi|outcome|result|priority|milestone|okr)
        \s*\#?\s*\d+[a-z]?(?:\.\d+)*\s*[:.)\-\u2013\u2014]\s+
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACE_RE = re.compile(r"\s+")
_STAR_RE = re.compile("[\u2b50\u2605\u2606\U0001f31f]\ufe0f?")
WORD_RE = re.compile(r"\d[\d,.]*\d|[a-z0-9][a-z0-9'\u2019\-]*|[$\u20ac\u00a3%]")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_RE = re.compile(
    rf"""(?ix)
      \b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*(?:19|20)\d{{2}})?\b
    | \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*(?:19|20)\d{{2}})?\b
    | \b{_MONTH}\s+(?:19|20)\d{{2}}\b
    | \b(?:q[1-4]|h[12]|fy|cy)\s*'?\d{{2,4}}\b
    | \b(?:in|by|of|for|end|since|until|through|before|after|during|from|to)\s
      (?:19|20)\d{{2}}\b(?!\s*(?:%|\+|new|users|customers))
    | \b(?:19|20)\d{{2}}(?=\s*(?:$|[.,;)]|q[1-4]|h[12]|end|year|budget|cycle|plan))
    | \b\d{{1,2}}[/.]\d{{1,2}}[/.](?:19|20)?\d{{2}}\b
    | \b(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}\b
    | \b\d{{1,2}}(?::\d{{2}})?\s?(?:[ap]\.?m\b\.?|[ap]\.m\.?|o'clock\b|noon\b|midnight\b)
    | \b(?:at|by|before|after|until|till)\s\d{{1,2}}:\d{{2}}\b
    | \b\d{{1,2}}:\d{{2}}\s?(?:h|hrs)\b
    | \b24\s?[/x]\s?7\b | \b24\s?/\s?365\b | \b1\s?:\s?1\b | \b365\b(?=\s*(?:days|-day))
    """
)
_VERSION_RE = re.compile(
    r"(?i)\b(?:v|version|release|phase|step|gen|series|iso|soc|pci|wcag|python|ipv|web|"
    r"iphone|android|ios|covid|hipaa|gdpr|top\s?-?tier|tier|sprint|kr|okr|o|q|h|p|level)"
    r"\s?-?\d+(?:\.\d+)*\b|\b\d+(?:\.\d+){2,}\b|\b\d+(?:\.\d+)?\s?(?:st|nd|rd|th)\b"
)
NUM_RE = re.compile(
    r"""(?ix)
    (?:(?P<cmp>\u2265|\u2264|>=|<=|=>|=<|>|<|~|\u2248)\s*)?
    (?P<cur>[$\u20ac\u00a3\u00a5\u20b9]|usd\s?|eur\s?|gbp\s?)?
    (?<![\w.'/\-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    (?P<plus>\+)?
    (?:\s?(?P<mult>k|mm|m|bn|b|million|thousand|billion|mn|x)(?![a-z]))?
    (?:\s?(?P<pct>%|percent\b|per\s?cent\b|pp\b|pts\b|percentage\s+points?\b|bps\b|basis\s+points?\b))?
    """
)
_PLACEHOLDER_RE = re.compile(
    r"""(?x)
      (?<![\w$])(?:[xX]{1,3}|[nNyYzZ])\s?(?:%|[kKmM]\b)
    | [$\u20ac\u00a3]\s?[xXnN]{1,3}\b
    | (?i:\b(?:tbd|tbc|tba|t\.b\.d)\b)
    | \?\?+
    | \[\s*(?:[xXnN\#?]{1,3}|(?i:number|target|value|metric|date|tbd))?\s*\]
    | \b[xX]{2,}\b
    | _{2,}
    | <\s*(?i:n|x|number|target|value|metric|tbd|\#)\s*>
    | (?i:\b(?:from|to|by|reach|at\s+least|than|of|under|over|above|below))\s+(?:X|N|Y)\b
    | (?<![\w'])(?:X|N)\s+(?:(?i:new|more|active|paying)\s+)?[a-z]+s\b
    | (?i:\bx\s+number\s+of\b)
    | (?<=[:=])\s*(?:X|N|XX)\b
    | (?<![\w'])(?:X|N)\s?(?:g|kg|t|ms|s|sec|min|mins|h|hrs?|hours?|days?|weeks?|pts|points|pp|x)\b
    """
)
_FROM_TO_RE = re.compile(
    r"(?i)\bfrom\s+(?:an?\s+|the\s+|about\s+|around\s+|approx\.?\s+|~)?"
    r"(?:[$\u20ac\u00a3]?\d|[a-z ]{0,20}?\d)"
)
_PAREN_CURRENT_RE = re.compile(
    r"(?i)\((?:currently|current|now|today|baseline|was|base|from|vs\.?|prev(?:ious)?)\b[^)]*\d"
)
_RELATIVE_PCT_RE = re.compile(
    r"(?i)\bby\s+(?:~|about\s+|around\s+|at\s+least\s+|over\s+|more\s+than\s+)?\d+(?:\.\d+)?\s?"
    r"(?:%|percent\b|per\s?cent\b)(?!\s*of\b)"
    r"|\b\d+(?:\.\d+)?\s?%\s*(?:more|less|fewer|higher|lower|increase|decrease|growth|"
    r"reduction|improvement|faster|slower|uplift|lift|drop|decline|rise|boost|gain|cut|"
    r"year[-\s]over[-\s]year|yoy|qoq|mom)\b"
    r"|\b\d+(?:\.\d+)?\s?(?:%|percent)\s+(?:of\s+)?(?:increase|decrease|growth|reduction)\b"
    r"|\b(?:increase|decrease|growth|reduction|improvement|uplift)\s+of\s+\d+(?:\.\d+)?\s?%"
)
_MULTIPLIER_RE = re.compile(
    r"(?i)\b(?:double|doubles|doubling|triple|triples|tripling|quadruple|halve|halves|halving|"
    r"cut\s+in\s+half|by\s+half)\b|(?<![\w.])\d+(?:\.\d+)?\s?x\b(?!\s*\d)"
)
_COMPARATOR_RE = re.compile(
    r"(?i)(?:\u2265|\u2264|>=|<=|=>|=<|(?<![-=])>|<(?!\s*[a-z]))\s*[$\u20ac\u00a3]?\d"
    r"|\b(?:at\s+least|at\s+most|more\s+than|fewer\s+than|less\s+than|no\s+more\s+than|"
    r"no\s+less\s+than|under|below|above|over|exceeds?|exceeding|minimum\s+of|maximum\s+of|"
    r"up\s+to|within|greater\s+than|higher\s+than|lower\s+than|not\s+exceed|or\s+more|"
    r"or\s+higher|or\s+better|or\s+less|or\s+lower|or\s+fewer|or\s+above|or\s+below|"
    r"upwards\s+of|north\s+of|beyond|top|max|min|stays?|remains?|keep|kept|maintain|maintained"
    r")\b[^.;]{0,25}?\d"
    r"|\d\s*\+|\d[^.;]{0,25}?\b(?:or\s+(?:more|higher|better|less|lower|fewer|above|below)"
    r"|and\s+(?:above|up|below|over|under)|minimum|maximum|max|min|at\s+most|at\s+least)\b"
)
_ZERO_RE = re.compile(
    r"(?i)\b(?:zero|no|0)\s+(?:[a-z\-]+\s+){0,3}?(?:incidents?|errors?|outages?|defects?|"
    r"bugs?|breaches?|findings?|complaints?|injuries|accidents|fatalities|deaths|downtime|"
    r"crashes|failures?|escalations?|regressions?|violations?|vulnerabilities|churn|losses|"
    r"missed|late|overdue|backlog|cases?|issues?|exceptions|stockouts?|p1s?|p0s?|sev\s?[0-9]s?)"
)
_BASELINE_RE = re.compile(
    r"(?i)\b(?:baseline|year[-\s]over[-\s]year|yoy|qoq|mom|quarter[-\s]over[-\s]quarter|"
    r"month[-\s]over[-\s]month|compared\s+(?:to|with|against)|relative\s+to|versus|vs\.?|"
    r"than\s+(?:last|the\s+same|in|during|q[1-4]|h[12]|previous|prior)|over\s+(?:the\s+)?"
    r"(?:last|previous|prior)|(?:from|on)\s+last|currently|up\s+from|down\s+from|"
    r"last\s+(?:quarter|year|month|cycle|period|season)|(?:previous|prior)\s+(?:quarter|year|"
    r"month|cycle|period)|same\s+(?:period|quarter|month|time)|today'?s|from\s+today|"
    r"from\s+(?:the\s+)?current|starting\s+(?:point|value)|benchmark)\b"
)
_QUESTION_RE = re.compile(
    r"\?\s*$|^(?:how|what|why|when|where|who|which|can|should|do|does|is)\b.*\?"
)
_CLAUSE_SPLIT_RE = re.compile(
    r"\s*;\s*|\s*,(?!\d)\s*(?:and\s+|&\s+)?(?=[a-z$\d\u20ac\u00a3])|\s+and\s+(?!(?:above|up|below|over|under)\b)"
    r"|\s+&\s+|\s+as\s+well\s+as\s+|\s+plus\s+|\.\s+(?=[a-z])"
)
_BETWEEN_RE = re.compile(r"(?i)\bbetween\s+\S+\s+and\s+")
_FUTURE_RE = re.compile(
    r"(?i)\b(?:next\s+year|in\s+(?:two|three|five|\d+)\s+years|by\s+20[3-9]\d|long[-\s]term|"
    r"multi[-\s]year(?!\s+(?:grant|grants|contract|contracts|agreement|agreements|deal|deals|"
    r"pledge|pledges|commitment|commitments|funding|partnership|renewal))|end\s+of\s+(?:next\s+year|the\s+decade)|within\s+(?:two|three|\d+)\s+years)\b"
)
_RATIONALE_RE = re.compile(
    r"(?i)\b(?:because|so\s+that|in\s+order\s+to|why\s+now|since|as\s+a\s+result)\b"
)
_SUBJECTIVE_SCORE_RE = re.compile(r"(?i)\b([a-z\-]+)\s+(?:score|index|rating|level)\b")

# "refund" and "reserve" are words of their own, not "re-" + "fund" / "serve".
_NOT_RE_STEMS = lx.words("fund funds funded funding serve serves served serving")

_FILLERS = lx.words(
    "we i will to successfully fully officially finally also then please must should need needs "
    "let's lets shall can would could help actively significantly further "
    "consistently the our"
)


def clean(text: str) -> str:
    """Strip bullets, numbering, "KR1:" labels, quotes and trailing punctuation."""
    s = text.replace("\u2019", "'").replace("\u00a0", " ").strip()
    s = _STAR_RE.sub(" stars ", s).strip()  # "⭐ 12k on GitHub": the star glyph names the metric
    for _ in range(3):
        stripped = _PREFIX_RE.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    s = s.strip().strip("\"'\u201c\u201d`*_ ")
    s = s.rstrip(" .;,:!")
    return _SPACE_RE.sub(" ", s)


@dataclass(frozen=True)
class Number:
    value: float
    raw: str
    start: int
    end: int
    percent: bool
    currency: bool
    unit: str  # the word after the number, lower-case ("" when none)
    role: str  # "target" | "baseline" | "scale" | "per" | "qualifier"
    comparator: bool


def _blank(s: str, pattern: re.Pattern[str]) -> tuple[str, list[str]]:
    found: list[str] = []

    def repl(m: re.Match[str]) -> str:
        found.append(m.group(0))
        return " " * len(m.group(0))

    return pattern.sub(repl, s), found


_UNIT_WORD_RE = re.compile(r"\s*([a-z/][a-z/\-]*)")
_QUALIFIER_UNITS = lx.words(
    "day days hour hours hr hrs h minute minutes min mins week weeks month months year years "
    "weekday weekdays business seconds second s ms"
)


_SCALE_BEFORE_RE = re.compile(r"(?:/|out\s+of|of\s+a\s+possible)\s*$")
_PER_BEFORE_RE = re.compile(r"\b(?:per|every|each|for\s+every)\s*$|\b\d[\d,.]*\s+in\s*$")
_BASE_BEFORE_RE = re.compile(
    r"(?:\bfrom|\bcurrently|\bcurrent|\bbaseline|\bup\s+from|\bdown\s+from|\bwas|\btoday|"
    r"\bvs\.?|\bversus|\bcompared\s+to|\(\s*)\s*(?:an?\s+|the\s+|about\s+|around\s+|~)?"
    r"[$\u20ac\u00a3]?\s*$"
)
_BARE_PAREN_RE = re.compile(r"\(\s*[$\u20ac\u00a3]?\s*$")
_PAREN_BASE_RE = re.compile(r"\(\s*(?:currently|current|baseline|was|from|today)")
_QUALIFIER_BEFORE_RE = re.compile(
    r"\b(?:within|in|after|before|for|of|over|across|inside|first|last|past|next|rolling|"
    r"trailing)\s+"
    r"(?:the\s+)?(?:first\s+|next\s+|last\s+|past\s+)?$"
)


# "83% → 84%", "74 min -> 30 min": the number before an arrow is the starting value.
_ARROW_AFTER_RE = re.compile(r"^\s*(?:[a-z%]+\s*)?(?:\u2192|->|\u27f6|\u21d2)")
# "41 min today, target 20 min": a value stated as today's is the starting point.
_NOW_AFTER_RE = re.compile(
    r"\s*[a-z%]{0,8}\s*(?:today|currently|right\s+now|at\s+present|as\s+of\s+today)\b"
)
# "2h40m", "1h 15 min": hours and minutes written together, read as minutes.
_SPAN_AFTER_RE = re.compile(r"-(?:year|month|week|day|hour|minute|session|part|step)s?\b")
_HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})
_HOURS_MINUTES_RE = re.compile(r"\s?h(?:rs?|ours?)?\s?(\d{1,2})\s?m(?:in|ins)?\b")
# "by day 3 of close", "on week 2": a point in the cycle, like a date, not a level to reach.
_DEADLINE_BEFORE_RE = re.compile(
    r"\b(?:by|on|before|until|at|from)\s+(?:the\s+end\s+of\s+)?(?:business\s+|working\s+)?"
    r"(?:day|week|month|sprint|workday)\s*$"
)
# "sub-$20k deals": the number draws the scope of the population, it is no level to reach.
_SCOPE_BEFORE_RE = re.compile(r"\bsub-?\s*[$\u20ac\u00a3]?\s*$")


def _role(low: str, start: int, end: int, unit: str) -> str:
    before = low[max(0, start - 24) : start]
    if _ARROW_AFTER_RE.search(low[end : end + 14]) or _NOW_AFTER_RE.match(low, end):
        return "baseline"
    if _DEADLINE_BEFORE_RE.search(before):
        return "deadline"
    if _SCOPE_BEFORE_RE.search(before):
        return "scope"
    if _SCALE_BEFORE_RE.search(before):
        return "scale"
    if _PER_BEFORE_RE.search(before):
        return "per"
    # A bare "(" is only a baseline when it says so: "(currently 9%)", not "(5 s)".
    if _BASE_BEFORE_RE.search(before) and (
        not _BARE_PAREN_RE.search(before) or _PAREN_BASE_RE.search(low[max(0, start - 24) : end])
    ):
        return "baseline"
    if unit in _QUALIFIER_UNITS and _QUALIFIER_BEFORE_RE.search(before):
        return "qualifier"
    return "target"


_NUMBER_WORD_RES = tuple(
    (w, v, re.compile(rf"\b{w}\b")) for w, v in lx.NUMBER_WORDS.items() if w not in {"no", "one"}
)


MAX_NUMBERS = 12


def find_numbers(low: str) -> tuple[tuple[Number, ...], tuple[str, ...]]:
    """Numbers with roles, after blanking dates and version strings; also returns the dates."""
    masked, dates = _blank(low, _DATE_RE)
    masked, _ = _blank(masked, _VERSION_RE)
    out: list[Number] = []
    consumed = -1  # end of an "XhYm" duration already read, so its minutes are not re-read
    for m in NUM_RE.finditer(masked):
        if len(out) >= MAX_NUMBERS:
            break  # an item with more numbers than this is no single measure; keeps cost flat
        if m.start("num") < consumed:
            continue
        raw_num = m.group("num")
        try:
            value = float(raw_num.replace(",", ""))
        except ValueError:
            continue
        mult = (m.group("mult") or "").lower()
        value *= {
            "k": 1e3,
            "thousand": 1e3,
            "m": 1e6,
            "mm": 1e6,
            "mn": 1e6,
            "million": 1e6,
            "b": 1e9,
            "bn": 1e9,
            "billion": 1e9,
        }.get(mult, 1.0)
        end = m.end()
        um = _UNIT_WORD_RE.match(masked, end)
        unit = um.group(1) if um else ""
        hm = None if m.group("pct") or mult else _HOURS_MINUTES_RE.match(masked, end)
        if hm:
            value, unit, end = value * 60 + int(hm.group(1)), "min", hm.end()
            consumed = end
        if mult == "x":
            unit = "x"
        start = m.start("num")
        out.append(
            Number(
                value=value,
                raw=m.group(0).strip(),
                start=start,
                end=end,
                percent=bool(m.group("pct")),
                currency=bool(m.group("cur")),
                unit=unit,
                role=_role(masked, start, end, unit),
                comparator=bool(m.group("cmp")),
            )
        )
    for word, val, word_re in _NUMBER_WORD_RES:
        for m in word_re.finditer(masked):
            um = _UNIT_WORD_RE.match(masked, m.end())
            unit = um.group(1) if um else ""
            if word == "half" and unit != "of":
                continue
            if word in {"no", "one"}:
                continue
            if _SPAN_AFTER_RE.match(masked, m.end()):
                continue  # "a three-year grant": the length of the thing, not a level
            out.append(
                Number(
                    val,
                    word,
                    m.start(),
                    m.end(),
                    word in {"half", "a third"},
                    False,
                    unit,
                    _role(masked, m.start(), m.end(), unit),
                    False,
                )
            )
    if consumed >= 0:
        # one value written as "2h40m" puts the others in minutes too ("... to under 1h")
        out = [
            replace(n, value=n.value * 60, unit="min") if n.unit in _HOUR_UNITS else n for n in out
        ]
    out.sort(key=lambda n: n.start)
    return tuple(out), tuple(d.strip() for d in dates)


def words_of(low: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(low))


def lead_verb(words: tuple[str, ...]) -> tuple[str | None, int]:
    """The first verb-like word and its index, skipping fillers such as "we will"."""
    for i, w in enumerate(words[:5]):
        if w in _FILLERS:
            continue
        if i + 1 < len(words) and f"{w} {words[i + 1]}" in lx.OUTPUT_PHRASAL:
            return f"{w} {words[i + 1]}", i + 1
        if w in ALL_VERB_FORMS:
            return ALL_VERB_FORMS[w], i
        if w.startswith("re") and w[2:] in OUTPUT_FORMS and w[2:] not in _NOT_RE_STEMS:
            return OUTPUT_FORMS[w[2:]], i
        return None, i
    return None, 0


def split_clauses(low: str) -> list[str]:
    protected = _BETWEEN_RE.sub(lambda m: m.group(0).replace(" and ", " ~~ "), low)
    return [c for c in _CLAUSE_SPLIT_RE.split(protected) if c and c.strip()]


def contains_phrase(low: str, phrases: tuple[str, ...]) -> str | None:
    padded = f" {low} "
    for p in phrases:
        if f" {p} " in padded or (not p[-1].isalnum() and p in low):
            return p
    return None


def content_stems(low: str) -> frozenset[str]:
    """Crude stems of content words, for similarity between a KR and its objective."""
    out: set[str] = set()
    for w in WORD_RE.findall(low):
        if w in lx.STOPWORDS or len(w) < 3 or w[0].isdigit():
            continue
        out.add(w[:5])
    return frozenset(out)


PLACEHOLDER_RE = _PLACEHOLDER_RE
FROM_TO_RE = _FROM_TO_RE
PAREN_CURRENT_RE = _PAREN_CURRENT_RE
RELATIVE_PCT_RE = _RELATIVE_PCT_RE
MULTIPLIER_RE = _MULTIPLIER_RE
COMPARATOR_RE = _COMPARATOR_RE
ZERO_RE = _ZERO_RE
BASELINE_RE = _BASELINE_RE
QUESTION_RE = _QUESTION_RE
FUTURE_RE = _FUTURE_RE
RATIONALE_RE = _RATIONALE_RE
SUBJECTIVE_SCORE_RE = _SUBJECTIVE_SCORE_RE


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def has_whole_word(text: str, needle: str) -> bool:
    """Whether `needle` occurs in `text` between word boundaries, as re.search(rf"\\b{needle}\\b")
    would say, without compiling a pattern per needle (which filled the re module's cache and
    made it compile the rules' other patterns again and again)."""
    if not needle:
        return False
    first, last = _word_char(needle[0]), _word_char(needle[-1])
    i = text.find(needle)
    while i != -1:
        j = i + len(needle)
        before = i > 0 and _word_char(text[i - 1])
        after = j < len(text) and _word_char(text[j])
        if before != first and after != last:
            return True
        i = text.find(needle, i + 1)
    return False
