"""Is this English? The coach reviews English text today; anything else gets no verdict.

Two cheap signals, linear in the text: the share of letters outside the Latin alphabet (Arabic,
Hebrew, Cyrillic, CJK ... are not English), and for Latin text, whether the function words are
English or those of another common European language. Function words are a closed class, so a
short list per language is the right tool here.
"""

from __future__ import annotations

import re

# Whole words of letters only: the letters of "E2E", "O2C" or "B2B" are not words ("e", "o"
# are Portuguese function words).
_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]+(?!\w)")
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
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
            "than",
            "as",
            "into",
            "out",
            "up",
            "down",
            "within",
            "over",
            "under",
            "new",
            "more",
            "less",
            "who",
            "that",
            "this",
            "their",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "une",
            "un",
            "et",
            "pour",
            "avec",
            "dans",
            "sur",
            "nos",
            "notre",
            "est",
            "sont",
            "au",
            "aux",
            "par",
            "plus",
            "moins",
            "que",
            "qui",
            "ce",
            "cette",
            "leur",
            "leurs",
            "être",
            "faire",
            "en",
            "de",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "del",
            "una",
            "un",
            "y",
            "para",
            "con",
            "en",
            "sobre",
            "nuestro",
            "nuestra",
            "nuestros",
            "es",
            "son",
            "por",
            "más",
            "menos",
            "que",
            "quien",
            "este",
            "esta",
            "su",
            "sus",
            "ser",
            "hacer",
            "al",
            "de",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einen",
            "und",
            "für",
            "mit",
            "im",
            "auf",
            "unsere",
            "unser",
            "ist",
            "sind",
            "von",
            "zu",
            "mehr",
            "weniger",
            "dass",
            "wer",
            "diese",
            "ihre",
            "sein",
            "machen",
            "bei",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "do",
            "da",
            "dos",
            "das",
            "um",
            "uma",
            "e",
            "para",
            "com",
            "em",
            "no",
            "na",
            "nosso",
            "nossa",
            "é",
            "são",
            "por",
            "mais",
            "menos",
            "que",
            "quem",
            "este",
            "esta",
            "seu",
            "sua",
            "ser",
            "fazer",
            "ao",
            "de",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "del",
            "della",
            "dei",
            "delle",
            "un",
            "una",
            "e",
            "per",
            "con",
            "nel",
            "nella",
            "nostro",
            "nostra",
            "è",
            "sono",
            "più",
            "meno",
            "che",
            "chi",
            "questo",
            "questa",
            "suo",
            "sua",
            "essere",
            "fare",
            "al",
            "di",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "voor",
            "met",
            "in",
            "op",
            "onze",
            "ons",
            "is",
            "zijn",
            "van",
            "naar",
            "meer",
            "minder",
            "dat",
            "wie",
            "deze",
            "hun",
            "worden",
            "maken",
            "bij",
        ]
    ),
}
_MIN_WORDS = 3


def detect(text: str) -> str:
    """ "en" for English (or too little text to tell), a language code, or "other"."""
    sample = text[:2000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "en"
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    if latin / len(letters) < 0.5:
        return _script(letters)
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    if len(words) < _MIN_WORDS:
        return "en"
    scores = {lang: sum(w in fw for w in words) for lang, fw in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    if best != "en" and scores[best] >= 2 and scores[best] > scores["en"] + 1:
        return best
    return "en"


def _script(letters: list[str]) -> str:
    counts = {"ar": 0, "he": 0, "ru": 0, "zh": 0, "ja": 0, "ko": 0, "el": 0}
    for ch in letters:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF:
            counts["ar"] += 1
        elif 0x0590 <= o <= 0x05FF:
            counts["he"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
        elif 0x0370 <= o <= 0x03FF:
            counts["el"] += 1
        elif 0x3040 <= o <= 0x30FF:
            counts["ja"] += 1
        elif 0xAC00 <= o <= 0xD7AF:
            counts["ko"] += 1
        elif 0x4E00 <= o <= 0x9FFF:
            counts["zh"] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else "other"


NOT_ENGLISH = (
    "The coach reviews English text today: this looks like another language, so it gets no "
    "verdict and no score."
)

__all__ = ["NOT_ENGLISH", "detect"]
