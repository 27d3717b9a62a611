"""The search form of Arabic text: the words an index holds and a query looks for.

A word's search form is its matching form (crawler/text/arabic.py: one alef,
ha for ta marbuta, ya for alef maqsura, hamza carriers folded, no tashkeel or
tatweel, ASCII digits, lower-case Latin) without the clitics written attached
to it: the conjunctions و ف, the prepositions ب ل ك and the article ال, alone
or together (وال، بال، فال، كال، لل، وبال، ولل …). "والدّفاعُ", "بالدفاع",
"للدفاع" and "دفاع" are then one word, in the index and in a query alike.

A light stemmer written here rather than taken from a library: ISRI and
Snowball Arabic (NLTK, snowballstemmer) also cut suffixes and reduce words to
roots, which merges words an analyst keeps apart (صاروخ and صاروخية, قاعدة
and قواعد); measured on tests/search/variant_pairs.jsonl, stripping the
prefixes alone gives the recall, and suffixes cost precision
(docs/benchmarks.md, "Search"). A single letter is only stripped when what
stays has three letters or more and the word is not one whose first letter is
its own (crawler/search/data/initial_letters.toml: بحرية is not ب + حرية).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from crawler.text.arabic import matching_form

_DATA = Path(__file__).with_name("data") / "initial_letters.toml"

# Article groups, longest first: one of them is stripped when at least two letters stay.
_ARTICLES = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"
# Letters, digits and Latin, without the underscore: what FTS5's unicode61 tokenizer and
# PostgreSQL's tsvector keep as one token, so the index and our tokens agree.
_TOKEN_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def kept_words() -> frozenset[str]:
    """Words (matching form) whose first letter is not a clitic, from the data file."""
    with _DATA.open("rb") as handle:
        words = tomllib.load(handle)["words"]
    return frozenset(matching_form(word) for word in words)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word of the matching form without its attached clitics."""
    keep = kept_words()
    if word in keep:
        return word
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            rest = word[len(article) :]
            # ل + اللجنة is written للجنة: the article's lam goes with its alef
            return "ل" + rest if article.endswith("لل") and "ل" + rest in keep else rest
    if word[0] in _CONJUNCTIONS and len(word) >= 4:
        word = word[1:]
        if word in keep:
            return word
    if word[0] in _PREPOSITIONS and len(word) >= 4 and word not in keep:
        word = word[1:]
    return word


def search_tokens(text: str) -> list[str]:
    """The words of ``text`` in their search form, in order.

    Chunk by chunk (what lies between spaces, punctuation and all), each chunk's forms
    cached: the same tokens as splitting the text's matching form, at a fraction of the
    cost (folding a whole body character by character costs about a millisecond; most
    chunks of a body were seen before).
    """
    return [form for chunk in text.split() for form in _word_forms(chunk)]


def search_form(text: str) -> str:
    """The search tokens joined by spaces: what the SQLite index stores for a column."""
    return " ".join(search_tokens(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each search token of display text with the span of the word it comes from, for highlighting."""
    return [
        (match.start(), match.end(), form)
        for match in _DISPLAY_WORD_RE.finditer(text)
        for form in _word_forms(match.group(0))
    ]


@lru_cache(maxsize=131072)
def _word_forms(word: str) -> tuple[str, ...]:
    """The search forms of a piece of display text without spaces (a word, maybe with punctuation)."""
    return tuple(stem(token) for token in _TOKEN_RE.findall(matching_form(word)))


# A word of display text: letters and digits with the marks and invisible characters that
# sit inside words (tashkeel, tatweel, zero-width and bidi marks, soft hyphens), which the
# matching form removes: "الدفــاعُ" and "الدفاع" are one word, not pieces of one.
_DISPLAY_WORD_RE = re.compile(
    r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed"
    r"\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff])+"
)
