"""The extractor's entry points: HTML, flattened text, or raw bytes → :class:`Extraction`.

Failures are values, not crashes: :class:`ExtractionError` carries a short
machine-readable reason (``empty_page``, ``no_title``, ``no_body``,
``unparsable``) that the spider counts in the crawl stats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from crawler.extract.blocks import blocks_from_text, collapse
from crawler.extract.encoding import decode_html
from crawler.extract.page import ArticlePage
from crawler.items import Block, PageMeta
from crawler.profiles.base import SiteProfile
from crawler.text.arabic import matching_form
from crawler.text.language import detect_language
from crawler.text.lexicon import BOILERPLATE_RE

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HTML_SNIFF_RE = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.IGNORECASE
)
# lxml's parser is quadratic on some pathological nestings and holds the whole
# document: cap what is parsed (real article pages are far below this).
MAX_HTML_CHARS = 5_000_000
# Characters of headline and body the language is judged on (crawler/text/language.py reads 600).
LANGUAGE_SAMPLE_CHARS = 600


class ExtractionError(Exception):
    """A page that yields no article, with a reason for the crawl stats."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[str, str]]:
        # raised in an extraction worker process (crawler/extract/pool.py), pickled back whole
        return (ExtractionError, (self.reason, self.detail))


@dataclass
class Extraction:
    meta: PageMeta
    blocks: list[Block]


def xml_safe(html: str) -> str:
    """Drop the characters libxml2 refuses in text nodes.

    libxml2's HTML parser keeps C0 controls, lone surrogates and U+FFFE/U+FFFF
    in the tree, but any later edit of a text node carrying them (drop_tree
    rewriting a tail) raises ValueError. Found by tests/test_fuzz.py.
    """
    return _XML_UNSAFE_RE.sub("", html)


def parse_html(html: str) -> HtmlElement:
    """Parse a document, tolerating XML declarations and leading junk."""
    html = _XML_DECLARATION_RE.sub("", html[:MAX_HTML_CHARS], count=1)
    if not html.strip():
        raise ExtractionError("empty_page")
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractionError("unparsable", str(error)) from error


def _sample(title: str, blocks: list[Block]) -> str:
    """The text a page's language is judged on: its headline and first paragraphs."""
    parts = [title]
    size = len(title)
    for block in blocks:
        if size >= LANGUAGE_SAMPLE_CHARS:
            break
        parts.append(block.text)
        size += len(block.text)
    return "\n".join(parts)


def _drop_title_echo(blocks: list[Block], title: str) -> list[Block]:
    """Drop leading blocks that repeat the headline (aggregators and some CMSs do)."""
    key = matching_form(title)
    while blocks and key and matching_form(blocks[0].text) == key:
        blocks = blocks[1:]
    return blocks


def _drop_boilerplate(blocks: list[Block]) -> list[Block]:
    return [block for block in blocks if not BOILERPLATE_RE.search(block.text)]


def extract_html(html: str, url: str, profile: SiteProfile | None = None) -> Extraction:
    html = xml_safe(html)
    tree = parse_html(html)
    page = ArticlePage(tree, html, url, profile)
    title = page.title()
    if not title:
        raise ExtractionError("no_title")
    blocks = _drop_boilerplate(_drop_title_echo(page.body_blocks(), title))
    if not blocks:
        raise ExtractionError("no_body")
    meta = PageMeta(
        title=title,
        author=page.author(),
        section=page.section(),
        lang=detect_language(_sample(title, blocks), hint=page.lang()),
        published_raw=page.published_raw(),
        modified_raw=page.modified_raw(),
        image_url=page.image_url(),
        canonical_url=page.canonical_url(),
        description=page.description(),
        source_field=page.source_field(),
        site_name=page.meta("og:site_name", "application-name"),
        method=page.body_method,
        related=page.related_outside_body(),
    )
    return Extraction(meta=meta, blocks=blocks)


def extract_text(text: str, url: str, profile: SiteProfile | None = None) -> Extraction:
    """Flattened text such as an aggregator's copy: first line title, one block per line."""
    blocks = blocks_from_text(text)
    if not blocks:
        raise ExtractionError("empty_page")
    title = collapse(blocks[0].text)
    body = blocks[1:]
    if not body:
        raise ExtractionError("no_body")
    hint = profile.lang if profile else ""
    meta = PageMeta(title=title, lang=detect_language(_sample(title, body), hint=hint), method="text")
    return Extraction(meta=meta, blocks=body)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF_RE.search(text[:4096]))


def extract_bytes(
    body: bytes, url: str, content_type: str | None = None, profile: SiteProfile | None = None
) -> Extraction:
    """Decode (repairing missing or wrong charsets) and extract HTML or plain text."""
    if not body.strip():
        raise ExtractionError("empty_page")
    decoded = decode_html(body, content_type)
    if decoded.mojibake:  # garbled in every candidate encoding (a page stored as mojibake)
        raise ExtractionError("mojibake", f"text reads as mis-decoded Arabic as {decoded.encoding}")
    is_text = (content_type or "").lower().startswith("text/plain") or not looks_like_html(decoded.text)
    if is_text:
        return extract_text(decoded.text, url, profile)
    return extract_html(decoded.text, url, profile)
