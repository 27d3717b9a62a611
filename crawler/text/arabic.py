"""Arabic text forms: a clean form for display and a matching form for comparison.

Written by hand because no maintained library does exactly this pair: PyArabic
and camel-tools normalise for NLP (they would rewrite the display text or pull
in large models), while we must keep what the publisher wrote readable and only
remove what is invisible or typographic, and separately derive one canonical
spelling for labels and deduplication.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Invisible format marks that CMSs and copy-paste leave inside words: they
# break search and comparison and carry no meaning in Arabic text.
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u200b"  # zero width space
    "\u200e\u200f"  # LRM, RLM
    "\u202a-\u202e"  # embeddings and overrides
    "\u2060-\u2064"  # word joiner and invisible operators
    "\u2066-\u2069"  # isolates
    "\ufeff"  # BOM / zero width no-break space
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# ZWNJ/ZWJ are only noise next to Arabic letters; in emoji sequences
# (flags, family emoji in tweet author names) ZWJ is meaningful.
_JOINERS_NEAR_ARABIC = re.compile(r"(?<=[\u0600-\u06ff])[\u200c\u200d]+|[\u200c\u200d]+(?=[\u0600-\u06ff])")
_TATWEEL = "\u0640"
# Tatweel between two letters only stretches a word (جيـــش) and goes. After a
# letter and before a quote, a space or a Latin word it is the connector
# publishers write on purpose (بـ"حلوى القطن", لـCNN): one is kept.
_TATWEEL_STRETCH_RE = re.compile(r"(?<=[\u0620-\u064a\u066e-\u06d3])\u0640+(?=[\u0620-\u065f\u066e-\u06d3])")
_TATWEEL_RUN_RE = re.compile(r"\u0640{2,}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Presentation forms (legacy encodings and PDFs produce them) and full-width
# ASCII are folded with NFKC. NFKC is applied only to these ranges: on the
# whole text it would also rewrite superscripts, fractions and ellipses, and
# the honorific ligatures ﷺ ﷻ (U+FDFA-FDFB) that publishers use deliberately.
_COMPAT_RE = re.compile(r"[\ufb50-\ufdcf\ufdf0-\ufdf9\ufe70-\ufefe\uff01-\uff5e]+")
# Any character one of the rewrites above acts on: most paragraphs hold none, and
# one search for them is cheaper than five substitutions that change nothing.
_NEEDS_CLEANING_RE = re.compile(
    f"[\ufb50-\ufdcf\ufdf0-\ufdf9\ufe70-\ufefe\uff01-\uff5e{_INVISIBLE}\u200c\u200d\u0640"
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)

_TASHKEEL_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_MATCH_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",  # Farsi yeh
        "ک": "ك",  # Farsi keheh
        "ة": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
    }
)
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[\w\u0600-\u06ff]+")


def clean_text(text: str) -> str:
    """The display form: what the publisher wrote, minus invisible and typographic noise.

    Removes stretching tatweel, bidi and zero-width marks, control characters; folds
    Arabic presentation forms and full-width ASCII; collapses every run of
    whitespace (including no-break spaces and newlines) to one space.
    """
    if not text:
        return ""
    if _NEEDS_CLEANING_RE.search(text) is None:
        return _SPACES_RE.sub(" ", text).strip()
    text = _COMPAT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _INVISIBLE_RE.sub("", text)
    text = _JOINERS_NEAR_ARABIC.sub("", text)
    text = _TATWEEL_RUN_RE.sub(_TATWEEL, _TATWEEL_STRETCH_RE.sub("", text))
    text = _CONTROL_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).strip()


def matching_form(text: str) -> str:
    """One spelling for comparison: no tashkeel, one alef, ya for alef maqsura,
    ha for ta marbuta, hamza carriers to hamza, ASCII digits, lower-case Latin."""
    text = _TASHKEEL_RE.sub("", clean_text(text)).replace(_TATWEEL, "")
    return text.translate(_MATCH_TABLE).lower()


def words(text: str) -> list[str]:
    """Word tokens of the matching form (letters and digits only)."""
    return _WORD_RE.findall(matching_form(text))


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic (0.0 when the text has no letters)."""
    letters = _LETTER_RE.findall(text)
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER_RE.findall(text)) / len(letters)


# Letter classes for patterns that must match every spelling of a phrase in
# display text (where tashkeel is kept), so that a match's span maps straight
# back onto what the page shows.
_LETTER_CLASSES = {
    "ا": "[اأإآٱ]",
    "أ": "[اأإآٱ]",
    "إ": "[اأإآٱ]",
    "آ": "[اأإآٱ]",
    "ي": "[يىی]",
    "ى": "[يىی]",
    "ة": "[ةه]",
    "ه": "[ةه]",
    "ؤ": "[ؤءو]",
    "ئ": "[ئءي]",
}
_MARKS = "[\u064b-\u065f\u0670\u0640]*"


@lru_cache(maxsize=512)
def fuzzy_pattern(phrase: str, *, strict_spaces: bool = False) -> str:
    """A regex source matching ``phrase`` in any common spelling.

    Alef/hamza, ya/alef maqsura and ta marbuta/ha are interchangeable, any
    tashkeel or tatweel may follow a letter, and spaces may be missing or
    repeated (``اقرأأيضاً`` and ``اقرأ  أيضاً`` are both seen on real pages).
    """
    parts: list[str] = []
    for char in phrase:
        if char == " ":
            parts.append(r"[\s.]+" if strict_spaces else r"\s*")
        elif "\u0600" <= char <= "\u06ff":
            parts.append(_LETTER_CLASSES.get(char, re.escape(char)) + _MARKS)
        else:
            parts.append(re.escape(char))
    return "".join(parts)
