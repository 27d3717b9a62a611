"""The defence lexicon: weighted Arabic terms per topic, neutral phrases and negative context.

The terms themselves are data, in crawler/lens/data/topics.toml (weights,
topics, the scope decisions and how to add a term are explained there and in
docs/lens.md, "Editing the lens's data"); this module loads them once at
import and compiles the matcher.

How matching works
------------------
Title and body are reduced to :func:`crawler.text.arabic.matching_form` (one alef,
ha for ta marbuta, hamza carriers folded, no tashkeel or tatweel) and split
into words. Every term is written once in ordinary spelling; at import
it is folded the same way and expanded into its surface forms:

* proclitics on the first word: و ف ب ل ك, the article ال and لل
  ("والمقاتلات", "بالصواريخ", "للدفاع");
* the article on every word, so "دفاع جوي" also matches "الدفاع الجوي"
  (a leading "ال" written in a term is optional, so write either);
* regular endings: dual, sound plurals, possessive pronouns and the
  accusative alef ("مقاتلة" → "مقاتلات", "مقاتلتان"; "صاروخ" → "صاروخاً").
  Broken plurals ("صواريخ", "مدافع", "قواعد") and nisba adjectives
  ("صاروخية", "عسكري") are not derived: list them as terms of their own.

Words are scanned left to right and, where several phrases start at a word,
the longest wins. That is how a neutral phrase switches a term off: "ملعب
الدفاع الجوي" (a Cairo stadium) starts before "الدفاع الجوي" and consumes it.

Three kinds of entries
----------------------
* ``POSITIVE_TERMS`` (``[[positive]]``): evidence for defence and security,
  with a weight (0.5 weak, 1-1.5 common but ambiguous, 2-2.5 clear, 3-3.5
  unambiguous) and a topic (``None``: counts for relevance only, e.g.
  "الجيش"). A term with ``near`` counts only when one of those words is within
  ``NEAR_WINDOW`` words: "مسيرات" is a march or a career unless an attack or
  an interception is near.
* ``NEUTRAL_PHRASES`` (``[neutral]``): phrases that contain a defence word but
  are not defence news ("خط الدفاع", "حرب الأسعار", "الجيش الأبيض"). They
  score nothing and hide the words inside them.
* ``NEGATIVE_CONTEXT`` (``[[negative]]``): markers of sport, economy,
  entertainment, domestic politics, health, weather, civil aviation and
  shipping, and petty crime. Their weight is turned into a penalty subtracted
  from the score (crawler/lens/relevance.py). Like every phrase, a longer
  negative phrase consumes the words it spans ("حارس المرمى" is not a guard).

Measure a change with ``.venv/bin/python -m bench.relevance_eval --sweep``
(precision, recall, per-topic figures and every misclassified snippet with its
matched terms); ``.venv/bin/python -m pytest tests/test_relevance.py`` checks
the floors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from crawler.lens import tables
from crawler.text.arabic import matching_form

# The topic slugs, fixed: feeds, the store and analysts' filters use them.
TOPICS: tuple[str, ...] = (
    "air",
    "naval",
    "land",
    "missiles_air_defence",
    "drones",
    "nuclear",
    "arms_industry",
    "alliances_exercises",
    "armed_conflict",
    "terrorism_security",
)
# The domains of negative context (shown in explanations).
NEGATIVE_DOMAINS: tuple[str, ...] = (
    "sport",
    "economy",
    "entertainment",
    "politics",
    "health",
    "weather",
    "civil",
    "crime",
)

# Words on either side of a ``near`` term that are searched for its context.
NEAR_WINDOW = 6


@dataclass(frozen=True)
class Term:
    """One lexicon entry: a word or phrase, its weight and what it is evidence of."""

    phrase: str
    weight: float
    # A topic slug for positive terms (None: relevance only); a domain label
    # ("sport", "economy", ...) for negative context, used in explanations.
    topic: str | None = None
    # When set, the term counts only if one of these words is within NEAR_WINDOW words.
    near: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------
# The lexicon: crawler/lens/data/topics.toml

DATA_FILE = tables.data_file("topics.toml")

_WEIGHT = tables.Number(above=0.0, at_most=4.0)
SHAPE: tables.Shape = {
    "floors": tables.Table(tables.Number(above=0.0, at_most=1.0), keys=TOPICS),
    "positive": tables.Entries(
        {
            "topic": tables.optional(tables.Text(choices=TOPICS)),
            "weight": tables.required(_WEIGHT),
            "terms": tables.required(tables.Words(min_items=1), unique_in="positive term"),
            "near": tables.optional(tables.Words()),
        }
    ),
    "negative": tables.Entries(
        {
            "domain": tables.required(tables.Text(choices=NEGATIVE_DOMAINS)),
            "weight": tables.required(_WEIGHT),
            "terms": tables.required(tables.Words(min_items=1), unique_in="negative term"),
        }
    ),
    "neutral": tables.Section({"phrases": tables.required(tables.Words(min_items=1))}),
}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read a lexicon file and check it against :data:`SHAPE`."""
    return tables.load(path, SHAPE)


_DATA = load_data()

POSITIVE_TERMS: tuple[Term, ...] = tuple(
    Term(phrase, group["weight"], group["topic"], group["near"])
    for group in _DATA["positive"]
    for phrase in group["terms"]
)
# Phrases with a defence word that are not defence news. They score nothing and
# hide the words they contain (the longest phrase at a word wins).
NEUTRAL_PHRASES: tuple[str, ...] = _DATA["neutral"]["phrases"]
NEGATIVE_CONTEXT: tuple[Term, ...] = tuple(
    Term(phrase, group["weight"], group["domain"]) for group in _DATA["negative"] for phrase in group["terms"]
)
# A topic is listed when its own score reaches its floor (crawler/lens/relevance.py).
TOPIC_FLOORS: dict[str, float] = {topic: _DATA["floors"][topic] for topic in TOPICS}


# ---------------------------------------------------------------------------
# Compiled matcher (built once at import).

_TOKEN_RE = re.compile(r"[^\W_]+")
_ARABIC_WORD_RE = re.compile(r"^[\u0621-\u064a]+$")
# Proclitics before the first word of a term: conjunction, then preposition, then article.
_CONJUNCTIONS = ("", "و", "ف")
_FIRST_WORD_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p for c in _CONJUNCTIONS for p in ("", "ب", "ك", "ل", "ال", "بال", "كال", "لل")},
        key=len,
    )
)
_ARTICLE_PREFIXES = ("", "ال")
# Endings of a word ending in ta marbuta (folded to ه): it becomes ت before a suffix.
_TA_MARBUTA_ENDINGS = ("ه", "ات", "تان", "تين", "ته", "تها", "تهم", "تي", "اته", "اتها", "اتهم")
# "ا" is the accusative tanween alef ("صاروخاً" → "صاروخا") once tashkeel is gone.
# No nisba endings (ي، ية): they make other words ("تجار" → "تجارية"), so an
# adjective is a term of its own ("صاروخ" and "صاروخية").
_PLAIN_ENDINGS = ("", "ا", "ه", "ها", "هم", "هما", "ان", "ين", "ون", "ات")


def _base(word: str) -> str:
    """The matching form of a lexicon word without a written article ("الدفاع" → "دفاع")."""
    folded = matching_form(word)
    if word.startswith("ال") and len(folded) > 4:
        return folded[2:]
    # Too short to stand without its article ("الطب"): the article stays in the base.
    return folded


def _endings(base: str) -> set[str]:
    if not _ARABIC_WORD_RE.match(base) or len(base) <= 2:
        return {base}
    if base.endswith("ه"):
        stem = base[:-1]
        return {stem + ending for ending in _TA_MARBUTA_ENDINGS}
    return {base + ending for ending in _PLAIN_ENDINGS}


def surface_forms(base: str, *, first: bool) -> set[str]:
    """Every spelling of a base word as it may stand in text: endings, then proclitics."""
    forms = _endings(base)
    if not _ARABIC_WORD_RE.match(base):
        return forms
    if len(base) <= 2:
        # Short words ("اف" of "اف 35", "تي" of "تي 90") take no article: "التي 90" is not a tank.
        return {prefix + form for prefix in ("", "و", "ب", "ل") for form in forms}
    if not first:
        return {prefix + form for prefix in _ARTICLE_PREFIXES for form in forms}
    spelled = {prefix + form for prefix in _FIRST_WORD_PREFIXES for form in forms}
    if base.startswith("ال"):
        # A base that keeps its article ("الطب") contracts after لـ: "للطب".
        spelled |= {c + "ل" + form[1:] for c in _CONJUNCTIONS for form in forms}
    return spelled


@dataclass(frozen=True)
class Entry:
    """A compiled lexicon phrase: the sequence of base words and what a match means."""

    kind: str  # "positive", "negative" or "neutral"
    bases: tuple[str, ...]
    term: Term | None
    near_forms: frozenset[str]
    order: int


class Hit(NamedTuple):
    """One matched entry at a word position of a text (a tuple: made once per match, cheaply)."""

    entry: Entry
    position: int


_KIND_RANK = {"neutral": 0, "negative": 1, "positive": 2}


class _Matcher:
    """Word-level phrase matcher: one dict lookup per word, longest phrase first."""

    def __init__(self, entries: list[Entry]) -> None:
        first_forms: dict[str, set[str]] = {}
        later: dict[str, set[str]] = {}
        by_first: dict[str, list[Entry]] = {}
        for entry in entries:
            for number, base in enumerate(entry.bases):
                index = first_forms if number == 0 else later
                for form in surface_forms(base, first=number == 0):
                    index.setdefault(form, set()).add(base)
            by_first.setdefault(entry.bases[0], []).append(entry)
        self.later_forms: dict[str, frozenset[str]] = {form: frozenset(b) for form, b in later.items()}
        # For each spelling that can open a phrase: the phrases of two words or
        # more, keyed by their second word, and the best one-word entry. Tried
        # longest first; on equal length neutral beats negative beats positive,
        # then the lexicon's own order (never set order).
        self.longer: dict[str, dict[str, tuple[Entry, ...]]] = {}
        self.single: dict[str, Entry] = {}
        for form, bases in first_forms.items():
            opened = sorted(
                (entry for base in bases for entry in by_first[base]),
                key=lambda e: (-len(e.bases), _KIND_RANK[e.kind], e.order),
            )
            by_second: dict[str, list[Entry]] = {}
            for entry in opened:
                if len(entry.bases) > 1:
                    by_second.setdefault(entry.bases[1], []).append(entry)
                else:
                    self.single.setdefault(form, entry)
            if by_second:
                self.longer[form] = {second: tuple(found) for second, found in by_second.items()}

    def hits(self, tokens: list[str]) -> list[Hit]:
        found: list[Hit] = []
        count = len(tokens)
        position = 0
        while position < count:
            match = self._best_at(tokens, position)
            if match is None:
                position += 1
                continue
            if match.kind != "neutral" and (
                not match.near_forms or self._context_ok(match, tokens, position)
            ):
                found.append(Hit(match, position))
            position += len(match.bases)
        return found

    def _best_at(self, tokens: list[str], position: int) -> Entry | None:
        token = tokens[position]
        longer = self.longer.get(token)
        if longer is not None and position + 1 < len(tokens):
            seconds = self.later_forms.get(tokens[position + 1])
            if seconds:
                phrases = [entry for second in seconds for entry in longer.get(second, ())]
                matched = [entry for entry in phrases if self._follows(entry, tokens, position)]
                if matched:
                    return min(matched, key=lambda e: (-len(e.bases), _KIND_RANK[e.kind], e.order))
        return self.single.get(token)

    def _follows(self, entry: Entry, tokens: list[str], position: int) -> bool:
        if position + len(entry.bases) > len(tokens):
            return False
        for offset, base in enumerate(entry.bases[1:], start=1):
            if base not in self.later_forms.get(tokens[position + offset], ()):
                return False
        return True

    @staticmethod
    def _context_ok(entry: Entry, tokens: list[str], position: int) -> bool:
        if not entry.near_forms:
            return True
        start = max(0, position - NEAR_WINDOW)
        end = position + len(entry.bases) + NEAR_WINDOW
        window = tokens[start:position] + tokens[position + len(entry.bases) : end]
        return any(token in entry.near_forms for token in window)


def _near_forms(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(form for word in words for form in surface_forms(_base(word), first=True))


def _compile() -> _Matcher:
    specs: list[tuple[str, tuple[str, ...], Term | None, frozenset[str]]] = [
        *(("positive", tokens_of_phrase(t.phrase), t, _near_forms(t.near)) for t in POSITIVE_TERMS),
        *(("negative", tokens_of_phrase(t.phrase), t, frozenset()) for t in NEGATIVE_CONTEXT),
        *(("neutral", tokens_of_phrase(p), None, frozenset()) for p in NEUTRAL_PHRASES),
    ]
    entries = [
        Entry(kind, bases, term, near, order)
        for order, (kind, bases, term, near) in enumerate(specs)
        if bases
    ]
    return _Matcher(entries)


def tokens_of_phrase(phrase: str) -> tuple[str, ...]:
    """The base words of a lexicon phrase (matching form, written article dropped)."""
    return tuple(_base(word) for word in _TOKEN_RE.findall(phrase))


# Whitespace that clean_text turns into a space (controls such as \f and \x1c are
# deleted there, not spaced, so they are not in this class).
_SPACE_SPLIT_RE = re.compile("[ \t\n\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# The characters str.split() treats as spaces but clean_text deletes: with none
# of them in a text, the fast str.split() gives the same chunks.
_DELETED_SPACES_RE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CHUNK_CACHE: dict[str, tuple[str, ...]] = {}
_CHUNK_CACHE_LIMIT = 200_000
# Words are short; a long chunk is junk (a URL, a run without spaces) and not worth keeping.
_CACHED_CHUNK_MAX_CHARS = 40


def tokens(text: str) -> list[str]:
    """Words of ``matching_form(text)``, as the matcher sees them.

    matching_form works character by character except at whitespace, so the
    words of the whole text are the words of its whitespace-separated chunks;
    chunks repeat (Zipf), and caching their words makes scoring several times
    faster than folding every article in full (tests check the equality).
    """
    words: list[str] = []
    cache = _CHUNK_CACHE
    chunks = _SPACE_SPLIT_RE.split(text) if _DELETED_SPACES_RE.search(text) else text.split()
    for chunk in chunks:
        found = cache.get(chunk)
        if found is None:
            found = tuple(_TOKEN_RE.findall(matching_form(chunk)))
            if len(chunk) <= _CACHED_CHUNK_MAX_CHARS:
                if len(cache) >= _CHUNK_CACHE_LIMIT:
                    cache.clear()
                cache[chunk] = found
        words.extend(found)
    return words


_MATCHER = _compile()


def find_hits(words: list[str]) -> list[Hit]:
    """Positive and negative entries found in a word sequence (neutral phrases hide words)."""
    return _MATCHER.hits(words)
