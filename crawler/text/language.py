"""The language of an article, from its text, with the page's markup as a hint.

``<html lang>`` is often wrong: templates copied from an English theme say
``lang="en"`` over Arabic text, and Persian, Urdu or Pashto pages are written in
the Arabic script and would pass as Arabic on a script test. The text is
classified by py3langid (langid.py's naive Bayes model over byte n-grams, shipped
inside the package: nothing is downloaded), restricted to :data:`LANGUAGES`.

Why those languages: Arabic (with the model's Egyptian and Moroccan labels
folded into ``ar``) is what the project harvests; Persian, Urdu, Pashto and
Kurdish share its script and must come out as themselves, not as Arabic; English
and French are the second languages of Arabic newsrooms (English editions,
French in the Maghreb and Lebanon); Turkish, Hebrew and Russian are the languages
of the region's other defence sources that Arabic sites mirror or quote at
length. Restricting the model to them makes it faster and keeps short Arabic
titles from being read as one of the 90 other languages it knows.

The rule for the markup hint: the text decides when it holds at least
:data:`MIN_LETTERS` letters and the classifier gives one language at least
:data:`CONFIDENT` (probabilities of the labels folded into one code summed);
a sentence of Arabic, Persian or Urdu gets 0.99+, a title of six words 0.99+,
but a two-word Persian title ("وزیر دفاع") only 0.49, with Urdu at 0.31. Otherwise (too short, or
unsure) the hint is taken if the classifier finds it plausible
(:data:`PLAUSIBLE`) or does not know it, since then nothing contradicts it: a
``lang="en"`` over a short Arabic-script title is not plausible and the
classifier's best guess is kept. Without text, the hint; without either, "".
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Protocol

# ISO 639-1 code -> the model's labels folded into it.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "ar": ("ar", "arz", "ary"),  # Modern Standard, Egyptian, Moroccan
    "fa": ("fa",),
    "ur": ("ur",),
    "ps": ("ps",),
    "ku": ("ku", "sdh"),  # Kurmanji/Sorani, Southern Kurdish
    "en": ("en",),
    "fr": ("fr",),
    "tr": ("tr",),
    "he": ("he",),
    "ru": ("ru",),
}
_CODE_OF = {label: code for code, labels in LANGUAGES.items() for label in labels}

# Title and first paragraphs: a paragraph already gives 0.99+; the cost grows with
# the length (0.12 ms for a 250-character lead, 0.55 ms for 1,500), so the rest is not
# read. 600 characters give the same answer as 1,500 on all 39 golden pages
# (tests/templates, tests/heldout: Arabic and English) at a third of the cost.
MAX_CHARS = 600
MIN_LETTERS = 20
CONFIDENT = 0.9
PLAUSIBLE = 0.05

_LETTER_RE = re.compile(r"[^\W\d_]")
_HINT_RE = re.compile(r"^([a-z]{2})(?:[-_].*)?$")


class _Identifier(Protocol):
    """What is used of py3langid's LanguageIdentifier (the package ships no type information)."""

    def set_languages(self, langs: list[str] | None = None) -> None: ...

    def rank(self, text: str) -> list[tuple[str, float]]: ...


@lru_cache(maxsize=1)
def _identifier() -> _Identifier:
    """The model, loaded once per process, on first use (about 1 s: it is stored xz-compressed)."""
    langid = importlib.import_module("py3langid.langid")
    identifier: _Identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted(_CODE_OF))
    return identifier


def normalise_hint(hint: str) -> str:
    """``ar-EG``, ``en_US``, ``AR`` -> the ISO 639-1 code; "" for anything else."""
    match = _HINT_RE.match(hint.strip().lower())
    return match.group(1) if match else ""


def language_scores(text: str) -> dict[str, float]:
    """Probability of each of :data:`LANGUAGES` for ``text`` (its first :data:`MAX_CHARS` characters)."""
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for label, probability in _identifier().rank(text[:MAX_CHARS]):
        scores[_CODE_OF[label]] += probability
    return scores


def detect_language(text: str, hint: str = "") -> str:
    """The ISO 639-1 code of ``text`` (title and first paragraphs); ``hint`` is the markup's ``lang``.

    See the module docstring for when the hint counts.
    """
    hint = normalise_hint(hint)
    sample = text[:MAX_CHARS]
    letters = len(_LETTER_RE.findall(sample))
    if not letters:
        return hint
    scores = language_scores(sample)
    best = max(scores, key=lambda code: scores[code])
    if letters >= MIN_LETTERS and scores[best] >= CONFIDENT:
        return best
    if hint and (hint not in scores or scores[hint] >= PLAUSIBLE):
        return hint
    return best
