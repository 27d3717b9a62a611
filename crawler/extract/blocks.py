"""Cut a body element (or flattened text) into ordered paragraph-level blocks.

Written by hand: trafilatura and readability decide what is boilerplate and
drop it, but the read-also and attribution stages need exactly what they drop
(related cards, source lines, embedded tweets) still in place, in order, with
their links and class hints. The walker keeps all text of the body and only
removes elements that never hold article text (scripts, ads, share bars).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.selectors import (
    CARD_WORDS,
    DROP_TAGS,
    EMBED_CLASSES,
    HIDDEN_CLASSES,
    INLINE_TAGS,
    NOISE_CLASS_PARTS,
    NOISE_WORDS,
    NOT_NOISE_CLASSES,
    class_words,
)
from crawler.items import Block, Link
from crawler.text.urls import join_url

_SPACE_RE = re.compile(r"\s+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SKIP_HREF = ("javascript:", "mailto:", "tel:", "#", "data:")
# Captions and figures: image credits and captions are not paragraphs.
_NON_TEXT_BLOCKS = frozenset({"figure", "figcaption", "caption"})
_MAX_HINTS = 16


def collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def element_words(element: HtmlElement) -> list[str]:
    """Class and id words of one element."""
    value = f"{element.get('class') or ''} {element.get('id') or ''}"
    return class_words(value) if value.strip() else []


def is_noise(element: HtmlElement) -> bool:
    """Clutter inside a body: ads, share bars, comment widgets, hidden nodes."""
    if element.get("hidden") is not None or _HIDDEN_STYLE_RE.search(element.get("style") or ""):
        return True
    classes = (element.get("class") or "").lower().split()
    if any(name in HIDDEN_CLASSES or any(part in name for part in NOISE_CLASS_PARTS) for name in classes):
        return True
    if any(name in NOT_NOISE_CLASSES for name in classes):
        return False
    words = element_words(element)
    if not words or CARD_WORDS.intersection(words):
        return False
    return bool(NOISE_WORDS.intersection(words))


def embed_platform(element: HtmlElement) -> str | None:
    for name in (element.get("class") or "").lower().split():
        if name in EMBED_CLASSES:
            return EMBED_CLASSES[name]
    return None


def absolute_href(href: str | None, base_url: str) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_SKIP_HREF):
        return None
    return join_url(base_url, href) or None


def anchors(element: HtmlElement, base_url: str) -> list[Link]:
    """Anchors with visible text and a usable href, in document order."""
    found: list[Link] = []
    for anchor in element.iter("a"):
        href = absolute_href(anchor.get("href"), base_url)
        text = collapse(anchor.text_content())
        if href and text:
            found.append(Link(text=text, href=href))
    return found


def visible_text(element: HtmlElement) -> str:
    """Text of an element without its dropped and noise descendants."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag and tag.lower() not in DROP_TAGS and not is_noise(node):
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                # a <br> or a block boundary inside a card separates words
                parts.append(" ")
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return collapse("".join(parts))


def is_single_card(element: HtmlElement, base_url: str) -> bool:
    """A related-article card holding one link (Sputnik ``b-inject``, ``div.read-more``).

    Cards with several titled links (a related list) are walked instead, so
    that each item becomes its own block.
    """
    if not CARD_WORDS.intersection(element_words(element)):
        return False
    titled = {link.href for link in anchors(element, base_url) if len(link.text) >= 12}
    return len(titled) <= 1


class _Builder:
    """Accumulates inline text into the current block and emits finished blocks."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._tag = "p"
        self._hints: tuple[str, ...] = ()

    def add_text(self, text: str | None, tag: str, hints: tuple[str, ...]) -> None:
        if not text:
            return
        if not self._parts or not "".join(self._parts).strip():
            self._tag, self._hints = tag, hints
        self._parts.append(text)

    def add_link(self, link: Link) -> None:
        self._links.append(link)

    def flush(self) -> None:
        text = collapse("".join(self._parts))
        if text:
            self.blocks.append(Block(text=text, links=self._links, tag=self._tag, hints=self._hints))
        self._parts, self._links = [], []

    def emit(self, block: Block) -> None:
        self.flush()
        if block.text:
            self.blocks.append(block)


def _merge_hints(hints: tuple[str, ...], element: HtmlElement) -> tuple[str, ...]:
    words = element_words(element)
    if not words:
        return hints
    merged = list(hints)
    for word in words:
        if word not in merged:
            merged.append(word)
    return tuple(merged[-_MAX_HINTS:])


def _walk(element: HtmlElement, builder: _Builder, tag: str, hints: tuple[str, ...]) -> None:
    for child in element:
        child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if child_tag and child_tag not in DROP_TAGS and child_tag not in _NON_TEXT_BLOCKS:
            _visit(child, child_tag, builder, tag, hints)
        elif child_tag in _NON_TEXT_BLOCKS:
            builder.flush()
        # the tail belongs to the parent's flow, whatever the child was
        builder.add_text(child.tail, tag, hints)


def _visit(
    element: HtmlElement, tag: str, builder: _Builder, parent_tag: str, hints: tuple[str, ...]
) -> None:
    if tag == "br":
        builder.flush()
        return
    if tag == "hr":
        builder.flush()
        return
    if is_noise(element):
        return
    platform = embed_platform(element)
    if platform is not None:
        builder.emit(
            Block(
                text=visible_text(element),
                links=anchors(element, builder.base_url),
                tag=tag,
                hints=(*_merge_hints(hints, element), f"embed:{platform}"),
            )
        )
        return
    if tag in INLINE_TAGS:
        builder.add_text(element.text, parent_tag, hints)
        _walk(element, builder, parent_tag, hints)
        if tag == "a":
            # after the children: the link belongs to the block its text ended in
            href = absolute_href(element.get("href"), builder.base_url)
            text = collapse(element.text_content())
            if href and text:
                builder.add_link(Link(text=text, href=href))
        return
    # a block-level (or unknown) element: it starts and ends a block
    block_hints = _merge_hints(hints, element)
    if is_single_card(element, builder.base_url):
        builder.emit(
            Block(
                text=visible_text(element),
                links=anchors(element, builder.base_url),
                tag=tag,
                hints=(*block_hints, "card"),
            )
        )
        return
    builder.flush()
    builder.add_text(element.text, tag, block_hints)
    _walk(element, builder, tag, block_hints)
    builder.flush()


def blocks_from_element(container: HtmlElement, base_url: str) -> list[Block]:
    """The ordered blocks of a body container."""
    builder = _Builder(base_url)
    tag = container.tag.lower() if isinstance(container.tag, str) else "div"
    builder.add_text(container.text, tag, ())
    _walk(container, builder, tag, ())
    builder.flush()
    return builder.blocks


def blocks_from_text(text: str) -> list[Block]:
    """Flattened text (an aggregator's copy, a saved .txt): one block per line."""
    return [Block(text=line, tag="line") for line in (collapse(raw) for raw in text.splitlines()) if line]


def blocks_from_trafilatura_xml(xml: str) -> list[Block]:
    """Blocks from trafilatura's XML output (the generic fallback).

    trafilatura keeps paragraphs, headings, list items and quotes, and with
    ``include_links`` the anchors as ``<ref target=...>``.
    """
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    blocks: list[Block] = []
    for node in root.iter("p", "head", "item", "quote", "cell"):
        if any(ancestor.tag in {"p", "head", "item", "quote"} for ancestor in node.iterancestors()):
            continue
        text = collapse("".join(node.itertext()))
        if not text:
            continue
        links = [
            Link(text=collapse("".join(ref.itertext())), href=ref.get("target") or "")
            for ref in node.iter("ref")
            if ref.get("target")
        ]
        tag = {"head": "h2", "item": "li", "quote": "blockquote", "cell": "td"}.get(str(node.tag), "p")
        blocks.append(Block(text=text, links=links, tag=tag))
    return blocks
