"""Decode HTML bytes, including Arabic pages whose charset is missing or wrong.

Older Arabic sites still serve windows-1256 without declaring it, and some
declare UTF-8 over windows-1256 bytes. w3lib (what Scrapy uses) trusts any
declaration and, without one, guesses among UTF-8 and cp1252 only, which turns
such pages into mojibake. Here a declaration is trusted only if the bytes
decode cleanly under it; otherwise charset-normalizer chooses among the
encodings Arabic pages actually use.

Two guards against storing garbled text:

* a UTF-8 page with a few invalid bytes (a CMS that cut a string in the middle
  of a letter, one cp1252 character pasted into a template, junk in an HTML
  comment) is still UTF-8: it is decoded with U+FFFD for the bad bytes, and
  the count is reported (:attr:`Decoded.replaced`), instead of failing over to
  detection, where windows-1256 "wins" and turns every letter into "ط§ظ„";
* whatever was chosen, the text is checked for the signature of UTF-8 Arabic
  read as a single-byte code page (:func:`looks_like_mojibake`); other
  candidates are tried, and when every one is garbled (a page stored as
  mojibake by its CMS) the result says so (:attr:`Decoded.mojibake`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from crawler.text.arabic import arabic_ratio

# The encodings Arabic news pages are served in, besides UTF-8. Latin-1/cp1252
# stays last so that an English page without a declaration still decodes.
ARABIC_CANDIDATES: tuple[str, ...] = ("utf_8", "cp1256", "iso8859_6", "cp1252")


# A UTF-8 page with stray invalid bytes is read as UTF-8 (with U+FFFD) when its
# bad sequences (maximal runs of undecodable bytes) are few: at most
# MAX_BAD_SEQUENCES, or at most one bad byte in MAX_BAD_BYTE_RATIO^-1 on big
# pages; and when its valid multi-byte characters outnumber them at least
# MIN_UTF8_EVIDENCE to one. Stray bytes come one or a few per page (a truncated
# excerpt, a pasted character, a comment); a windows-1256 page read as UTF-8
# fails on nearly every Arabic word (letters are bytes 0xC1-0xFE, rarely
# followed by the 0x80-0xBF continuation bytes UTF-8 needs), so it has hundreds
# of bad sequences and fewer valid multi-byte characters than bad sequences:
# the evidence rule rejects it even when it is short. Measured on the 49 real
# and fixture pages (../shared/realpages, tests/outlets, tests/templates, the
# seed) re-encoded as windows-1256: 112 to 3,924 bad sequences and at most
# 0.04 valid multi-byte characters per bad sequence (tests/test_encoding.py).
MAX_BAD_SEQUENCES = 20
MAX_BAD_BYTE_RATIO = 1 / 1000
MIN_UTF8_EVIDENCE = 10

_BAD_RUN_RE = re.compile("[\udc80-\udcff]+")
_MULTIBYTE_RE = re.compile("[^\x00-\x7f\udc80-\udcff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name
    source: str  # "bom" | "declared" | "utf-8" | "detected"
    declared: str | None = None  # what the page or the server declared, if anything
    replaced: int = 0  # invalid bytes read as U+FFFD (a UTF-8 page with a few bad bytes)
    mojibake: bool = False  # every candidate reads as mis-decoded Arabic: the text is garbled


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def utf8_with_replacement(body: bytes) -> tuple[str, int] | None:
    """UTF-8 with U+FFFD for a few stray bad bytes: (text, bad bytes); None when it is no UTF-8.

    See :data:`MAX_BAD_SEQUENCES` for the rule. Each run of bad bytes becomes
    one U+FFFD.
    """
    escaped = body.decode("utf-8", errors="surrogateescape")
    runs = _BAD_RUN_RE.findall(escaped)
    if not runs:
        return escaped, 0
    bad = sum(len(run) for run in runs)
    if len(runs) > MAX_BAD_SEQUENCES and bad > len(body) * MAX_BAD_BYTE_RATIO:
        return None
    if len(_MULTIBYTE_RE.findall(escaped)) < MIN_UTF8_EVIDENCE * len(runs):
        return None
    return _BAD_RUN_RE.sub("\ufffd", escaped), bad


# -- mojibake -------------------------------------------------------------------------------------
#
# UTF-8 Arabic letters are two bytes, 0xD8-0xDB then 0x80-0xBF. Read as
# windows-1256 the lead byte is one of "ط ظ ع غ" and the second one of the 64
# characters windows-1256 puts at 0x80-0xBF ("§ „ ¯ پ ٹ ،" ...): "الدفاع" becomes
# "ط§ظ„ط¯ظپط§ط¹". Read as Latin-1/cp1252 the lead is "Ø Ù Ú Û" (and "Ã Â" for
# accented Latin letters): "Ø§Ù„Ø¯". In real Arabic a ط or ظ before one of
# those characters is rare ("فقط،"); in mojibake nearly every Arabic-range
# character is half of such a pair.
_HIGH = bytes(range(0x80, 0xC0))
_CP1256_SECOND = _HIGH.decode("cp1256")
_LATIN_SECOND = _HIGH.decode("latin-1") + _HIGH.decode("cp1252", errors="ignore")
_CP1256_LEAD = bytes(range(0xD8, 0xDC)).decode("cp1256")  # ط ظ ع غ
# A Latin-1-range character (UTF-8 lead 0xC2/0xC3) reads as "آ"/"أ" and a symbol:
# doubly garbled pages (Latin mojibake stored, then read as windows-1256: "أکآ§").
_CP1256_SYMBOLS = "".join(
    char
    for char in _CP1256_SECOND
    if not char.isalpha() and char.isprintable() and not "\u0600" <= char <= "\u06ff"
)
_CP1256_PAIR_RE = re.compile(
    f"[{re.escape(_CP1256_LEAD)}][{re.escape(_CP1256_SECOND)}]|[آأ][{re.escape(_CP1256_SYMBOLS)}]"
)
_CP1256_SPAN_RE = re.compile(f"[\u0600-\u06ff{re.escape(_CP1256_SECOND)}]")
_LATIN_LEAD = bytes([0xC2, 0xC3, 0xD8, 0xD9, 0xDA, 0xDB]).decode("latin-1")  # Â Ã Ø Ù Ú Û
_LATIN_PAIR_RE = re.compile(f"[{re.escape(_LATIN_LEAD)}][{re.escape(_LATIN_SECOND)}]")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
# Share of the characters concerned that are halves of mojibake pairs: about 1.0
# in mojibake, at most 0.002 on the same 49 correct pages (tests/test_encoding.py);
# at least 3 pairs, so that one stray "ط§" never condemns a short text.
MOJIBAKE_MIN_SHARE = 0.3
MOJIBAKE_MIN_PAIRS = 3
MOJIBAKE_SAMPLE_CHARS = 200_000


# Alef and lam, the commonest Arabic letters ("ال" opens most nouns), as each misreading
# writes them: windows-1256, Latin-1/cp1252, and the doubly garbled form. Garbled Arabic
# of any length holds one of them; a substring search (C speed) rules out the others
# before the pair count below, which costs a millisecond per page on every response.
_MOJIBAKE_MARKERS = ("ط§", "ظ„", "Ø§", "Ù„", "آ§")


def looks_like_mojibake(text: str) -> bool:
    """UTF-8 Arabic read as windows-1256 ("ط§ظ„") or Latin-1/cp1252 ("Ø§Ù„")."""
    sample = text[:MOJIBAKE_SAMPLE_CHARS]
    if not any(marker in sample for marker in _MOJIBAKE_MARKERS):
        return False
    for pair_re, span_re in ((_CP1256_PAIR_RE, _CP1256_SPAN_RE), (_LATIN_PAIR_RE, _NON_ASCII_RE)):
        pairs = len(pair_re.findall(sample))
        if pairs < MOJIBAKE_MIN_PAIRS:
            continue
        if 2 * pairs >= MOJIBAKE_MIN_SHARE * len(span_re.findall(sample)):
            return True
    return False


_MOJIBAKE_RE = re.compile("[ÃÙØ][\u0080-\u00ff]")
_LATIN_SINGLE_BYTE = frozenset({"cp1252", "latin_1", "iso8859_15"})
_ACCENTED_RE = re.compile("[\u00c0-\u00ff]")
_LETTERS_RE = re.compile(r"[^\W\d_]")


def looks_misdecoded(text: str) -> bool:
    """Arabic bytes read as Latin: most letters are accented Latin ones."""
    letters = len(_LETTERS_RE.findall(text[:20_000]))
    return letters > 20 and len(_ACCENTED_RE.findall(text[:20_000])) / letters > 0.3


def detect(body: bytes) -> tuple[str, str]:
    """Choose an encoding for undeclared or mislabelled bytes: (text, codec)."""
    best = from_bytes(body[:200_000], cp_isolation=list(ARABIC_CANDIDATES)).best()
    candidates: list[str] = [best.encoding] if best is not None else []
    candidates += [name for name in ARABIC_CANDIDATES if name not in candidates]
    # charset-normalizer can prefer cp1252 for short Arabic pages (its coherence
    # tables favour Latin); a candidate that yields Arabic letters wins.
    scored: list[tuple[float, int, str, str]] = []
    for rank, name in enumerate(candidates):
        text = _strict(body, name)
        if text is None:
            continue
        score = arabic_ratio(text) - (0.5 if _MOJIBAKE_RE.search(text) or looks_like_mojibake(text) else 0.0)
        scored.append((score, -rank, name, text))
    if not scored:
        return body.decode("utf-8", errors="replace"), "utf-8"
    _, _, name, text = max(scored)
    return text, _codec(name)


def _first_reading(body: bytes, content_type: str | None) -> Decoded:
    """BOM, then a declaration the bytes honour, then UTF-8 (with a few bad bytes), then detection."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        rest = body[len(bom) :]
        if _codec(bom_encoding) == "utf-8":
            # a BOM settles the encoding: every bad byte is replaced, and counted
            escaped = rest.decode("utf-8", errors="surrogateescape")
            bad = sum(len(run) for run in _BAD_RUN_RE.findall(escaped))
            return Decoded(_BAD_RUN_RE.sub("\ufffd", escaped), "utf-8", "bom", replaced=bad)
        return Decoded(rest.decode(bom_encoding, errors="replace"), _codec(bom_encoding), "bom")
    declared = http_content_type_encoding(content_type) if content_type else None
    declared = declared or html_body_declared_encoding(body)
    if declared:
        declared = resolve_encoding(declared) or declared
        text = _strict(body, declared)
        # every byte is valid in a Latin single-byte codec, so a clean decode
        # proves nothing there: check the result looks like text
        if text is not None and not (_codec(declared) in _LATIN_SINGLE_BYTE and looks_misdecoded(text)):
            return Decoded(text, _codec(declared), "declared", declared)
    lenient = utf8_with_replacement(body)
    if lenient is not None:
        source = "declared" if declared and _codec(declared) == "utf-8" else "utf-8"
        return Decoded(lenient[0], "utf-8", source, declared, replaced=lenient[1])
    detected, name = detect(body)
    return Decoded(detected, name, "detected", declared)


def _other_reading(body: bytes, first: Decoded) -> Decoded | None:
    """A candidate encoding that does not read as mojibake, the most Arabic first."""
    scored: list[tuple[float, int, str, str, int]] = []
    for rank, name in enumerate(ARABIC_CANDIDATES):
        if _codec(name) == first.encoding:
            continue
        bad = 0
        if _codec(name) == "utf-8":
            lenient = utf8_with_replacement(body)
            text, bad = lenient if lenient is not None else (None, 0)
        else:
            text = _strict(body, name)
        if text is None or looks_like_mojibake(text):
            continue
        if _codec(name) in _LATIN_SINGLE_BYTE and looks_misdecoded(text):
            continue
        scored.append((arabic_ratio(text), -rank, name, text, bad))
    if not scored:
        return None
    _, _, name, text, bad = max(scored)
    return Decoded(text, _codec(name), "detected", first.declared, replaced=bad)


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page: BOM, then a declaration the bytes honour, then UTF-8, then detection.

    A reading that looks like mojibake is replaced by another candidate's; when
    every candidate does, it is returned with ``mojibake=True``.
    """
    first = _first_reading(body, content_type)
    if not looks_like_mojibake(first.text):
        return first
    return _other_reading(body, first) or replace(first, mojibake=True)
