"""Rewrites a manager would accept, or none.

A rule's suggestion may end with a concrete sentence ("..., e.g. '<the rewrite>'."). It becomes
the finding's structured `rewrite` (what "Apply suggestion" puts in the title) only when:
  * it reads as a sentence: no "<...>" slots, no "X%", no "label: _%" fragments, no doubled
    words or articles, no dangling preposition or article at the end, at most 200 characters;
    the only blanks allowed are the numbers the author must supply, as "from _ to _";
  * it keeps the author's words and fits their domain: every content word comes from the
    item, its objective, or the few words of the measure's frame ("share of ... who ...
    rises from _ to _"), so a hiring key result is never offered a customer measure;
  * applying it gives a strictly better verdict when the coach reviews it again.
Otherwise the finding keeps its coaching question and a worked example (coach.examples) instead.

    python3 -m coach.rewrites      # apply every rewrite on the labelled sets, re-review, report
"""

from __future__ import annotations

import re
from collections import Counter

_EXAMPLE_RE = re.compile(r"e\.g\.\s*'(?P<text>[^']+)'\s*\.?\s*$", re.DOTALL)
_NUMBER_BLANKS_RE = re.compile(r"\bfrom _%? to _%?")
_BLANK_RE = re.compile(r"_|[<>:]|\bX%|\bN\b|\bTBD\b|\?\?")
_DOUBLED_RE = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_ARTICLE_PAIR_RE = re.compile(r"\b(?:a|an|the)\s+(?:a|an|the)\b", re.IGNORECASE)
_DANGLING_RE = re.compile(
    r"\b(?:to|of|for|with|by|from|in|on|at|the|a|an|and|or|than|into|per)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z][a-z\-']+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "for",
        "and",
        "or",
        "with",
        "by",
        "from",
        "on",
        "at",
        "our",
        "we",
        "is",
        "are",
        "be",
        "per",
        "all",
        "each",
        "every",
        "our",
        "their",
        "this",
        "that",
    ]
)
MAX_REWRITE = 200
RANK = {"good": 0, "weak": 1, "bad": 2}


def candidate(suggestion: str) -> str | None:
    match = _EXAMPLE_RE.search(suggestion)
    return match["text"].strip() if match else None


# "who use the <object> rises ...": the object must be a plain noun phrase from the item
_OBJECT_RE = re.compile(
    r"\b(?P<who>\w+) who (?:use|act after) the (?P<obj>.+?) (?:rises?|falls?|and then)\b"
)
_NOT_IN_A_NOUN_PHRASE = frozenset(
    [
        "with",
        "of",
        "along",
        "within",
        "matching",
        "and",
        "or",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "from",
        "before",
        "after",
        "into",
        "than",
        "up",
        "out",
        "off",
        "about",
        "as",
        "available",
        "million",
        "thousand",
        "member",
        "members",
    ]
)


def plain_object(text: str, original: str) -> bool:
    match = _OBJECT_RE.search(text)
    if match is None:
        return True
    words = match["obj"].split()
    return (
        1 <= len(words) <= 4
        and all(re.fullmatch(r"[a-z][a-z\-]*", w) and not w.endswith("ly") for w in words)
        and not _NOT_IN_A_NOUN_PHRASE & set(words)
        and match["who"] not in words
        and (len(words) > 1 or words[0].endswith("s"))
        and match["obj"] in original.lower()
    )


def restore_case(text: str, original: str) -> str:
    """Put the author's own capitals back on the phrase taken from the item."""
    match = _OBJECT_RE.search(text)
    if match is None:
        return text
    start = original.lower().find(match["obj"])
    if start < 0:
        return text
    theirs = original[start : start + len(match["obj"])]
    return text[: match.start("obj")] + theirs + text[match.end("obj") :]


def well_formed(text: str) -> bool:
    return not (
        not text
        or len(text) > MAX_REWRITE
        or not text[:1].isupper()
        or _BLANK_RE.search(_NUMBER_BLANKS_RE.sub("from 1 to 2", text))
        or _DOUBLED_RE.search(text)
        or _ARTICLE_PAIR_RE.search(text)
        or _DANGLING_RE.search(text)
    )


# the words a measure's frame may add to the author's own
_FRAME = frozenset(
    [
        "share",
        "of",
        "who",
        "rises",
        "rise",
        "falls",
        "fall",
        "from",
        "to",
        "the",
        "a",
        "an",
        "and",
        "then",
        "per",
        "month",
        "week",
        "rate",
        "time",
        "median",
        "within",
        "days",
        "use",
        "act",
        "after",
        "succeed",
        "without",
        "help",
        "do",
        "once",
        "is",
        "are",
        "live",
    ]
)


def keeps_the_authors_words(original: str, rewrite: str, context: str = "") -> bool:
    theirs = {w for w in _WORD_RE.findall(original.lower()) if w not in _STOP}
    if not theirs:
        return False
    allowed = theirs | set(_WORD_RE.findall(context.lower())) | _FRAME | _STOP
    ours = set(_WORD_RE.findall(rewrite.lower()))
    return len(theirs & ours) * 2 >= len(theirs) and ours <= allowed


def _old_rewrite(suggestion: str) -> str | None:
    """What the editor applied before this module: any example without <...> slots."""
    text = candidate(suggestion)
    return text if text and "<" not in text and ">" not in text else None


def main(argv: list[str] | None = None) -> int:
    import sys

    from coach.evaluate import SET_NAMES, load_set
    from coach.review import review_text

    old = "--before" in (argv if argv is not None else sys.argv[1:])
    if old:
        print("What 'Apply suggestion' did before: any example sentence, blanks and all.")

    print(f"{'set':20s} {'items':>5} {'rewrites':>8} {'better':>6} {'same':>5} {'worse':>5}")
    for name in SET_NAMES:
        tally: Counter[str] = Counter()
        items = load_set(name)
        for item in items:
            kind = str(item["kind"])
            parent = item.get("parent_objective") or None
            before = review_text(str(item["text"]), kind=kind, parent_objective=parent)
            for f in before.findings:
                text = _old_rewrite(f.suggestion) if old else f.rewrite
                if not text:
                    continue
                after = review_text(text, kind=kind, parent_objective=parent)
                delta = RANK.get(after.verdict.value, 3) - RANK[before.verdict.value]
                tally["rewrites"] += 1
                tally["better" if delta < 0 else "same" if delta == 0 else "worse"] += 1
        print(
            f"{name:20s} {len(items):5d} {tally['rewrites']:8d} {tally['better']:6d} "
            f"{tally['same']:5d} {tally['worse']:5d}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
