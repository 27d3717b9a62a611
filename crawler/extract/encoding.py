"""Decode HTML bytes, including Arabic pages whose charset is missing or wrong.

Older Arabic sites still serve windows-1256 without declaring it, and some
declare UTF-8 over windows-1256 bytes. w3lib (what Scrapy uses) trusts any
declaration and, without one, guesses among UTF-8 and cp1252 only, which turns
such pages into mojibake. Here a declaration is trusted only if the bytes
decode cleanly under it; otherwise charset-normalizer chooses among the
encodings Arabic pages actually use.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from crawler.text.arabic import arabic_ratio

# The encodings Arabic news pages are served in, besides UTF-8. Latin-1/cp1252
# stays last so that an English page without a declaration still decodes.
ARABIC_CANDIDATES: tuple[str, ...] = ("utf_8", "cp1256", "iso8859_6", "cp1252")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name
    source: str  # "bom" | "declared" | "utf-8" | "detected"
    declared: str | None = None  # what the page or the server declared, if anything


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _codec(name: str) -> str:
    return codecs.lookup(name).name


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
        score = arabic_ratio(text) - (0.5 if _MOJIBAKE_RE.search(text) else 0.0)
        scored.append((score, -rank, name, text))
    if not scored:
        return body.decode("utf-8", errors="replace"), "utf-8"
    _, _, name, text = max(scored)
    return text, _codec(name)


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page: BOM, then a declaration the bytes honour, then detection."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return Decoded(body[len(bom) :].decode(bom_encoding, errors="replace"), _codec(bom_encoding), "bom")
    declared = http_content_type_encoding(content_type) if content_type else None
    declared = declared or html_body_declared_encoding(body)
    if declared:
        declared = resolve_encoding(declared) or declared
        text = _strict(body, declared)
        # every byte is valid in a Latin single-byte codec, so a clean decode
        # proves nothing there: check the result looks like text
        if text is not None and not (_codec(declared) in _LATIN_SINGLE_BYTE and looks_misdecoded(text)):
            return Decoded(text, _codec(declared), "declared", declared)
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8", declared)
    text, name = detect(body)
    return Decoded(text, name, "detected", declared)
