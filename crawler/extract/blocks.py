"""Cut a body element (or flattened text) into ordered paragraph-level blocks.

Written by hand: trafilatura and readability decide what is boilerplate and
drop it, but the read-also and attribution stages need exactly what they drop
(related cards, source lines, embedded tweets) still in place, in order, with
their links and class hints. The walker keeps all text of the body and only
removes elements that never hold article text (scripts, ads, share bars).
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.embeds import embed_block
from crawler.extract.selectors import (
    CARD_CLASS_RE,
    CARD_WORDS,
    DROP_TAGS,
    HIDDEN_CLASSES,
    INLINE_TAGS,
    NOISE_CLASS_PARTS,
    NOISE_WORDS,
    NOT_BODY_TEXT_WORDS,
    NOT_NOISE_CLASSES,
    PAGER_WORDS,
    class_words,
)
from crawler.items import Block, Link
from crawler.text.readalso import SINGLE_CARD
from crawler.text.urls import join_url, same_site

_SPACE_RE = re.compile(r"\s+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SKIP_HREF = ("javascript:", "mailto:", "tel:", "#", "data:")
# Captions and figures: image credits and captions are not paragraphs.
_NON_TEXT_BLOCKS = frozenset({"figure", "figcaption", "caption"})
_MAX_HINTS = 16
# A related card's title: longer than a "more" button or a page number.
_MIN_CARD_TITLE = 12
# A teaser: a headline, a date and an excerpt of a sentence or two.
_TEASER_MAX_WORDS = 70
# Headlines a list under a pager class holds.
_MIN_LIST_TITLES = 2
_PREV_NEXT_LINKS = ".//a[contains(@rel, 'prev') or contains(@rel, 'next')]"


def collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def element_words(element: HtmlElement) -> tuple[str, ...]:
    """Class and id words of one element."""
    value = f"{element.get('class') or ''} {element.get('id') or ''}"
    return class_words(value) if value.strip() else ()


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
    words = element_words(element)
    if not CARD_WORDS.intersection(words) and not any(CARD_CLASS_RE.search(word) for word in words):
        return _is_post_teaser(element, base_url)
    titled = {link.href for link in anchors(element, base_url) if len(link.text) >= 12}
    return len(titled) <= 1


def _is_post_teaser(element: HtmlElement, base_url: str) -> bool:
    """An ``<article>`` inside the article that is another post's teaser (a blog or posts module
    printed in the body's column: Divi, page builders, "more posts" grids): its heading links to
    another article of the site, and it is short. HTML5's nested article is a self-contained
    item; the story itself is long, and its heading links nowhere else."""
    if element.tag != "article" or len(visible_text(element).split()) > _TEASER_MAX_WORDS:
        return False
    page = base_url.split("#")[0]
    for heading in element.iter("h2", "h3", "h4", "h5"):
        links = [link for link in anchors(heading, base_url) if link.href.split("#")[0] != page]
        if len(links) == 1 and same_site(links[0].href, base_url):
            return True
    return False


def _related_list(element: HtmlElement, hints: tuple[str, ...], base_url: str) -> bool:
    """Part of a related block that a class word would otherwise drop as clutter.

    Themes give their related blocks' wrappers pager or module classes
    ("jeg_pagination_disable", "bs-pagination-wrapper"). Such an element is kept for
    the read-also stage when it holds a headline link to the same site, and it sits
    in a related context (the ancestors' hints) or its only clutter word is a pager's.
    """
    words = set(element_words(element))
    related_context = bool(CARD_WORDS.intersection(hints) or CARD_WORDS.intersection(words))
    clutter = words & NOISE_WORDS
    hidden = _HIDDEN_STYLE_RE.search(element.get("style") or "")
    pager_only = bool(clutter) and clutter <= PAGER_WORDS and not hidden and element.tag != "nav"
    if not (related_context or pager_only):
        return False
    if not related_context and element.xpath(_PREV_NEXT_LINKS):
        return False  # previous/next article links
    titled = {
        link.href
        for link in anchors(element, base_url)
        if len(link.text) >= _MIN_CARD_TITLE
        and len(link.text.split()) >= 3
        and same_site(link.href, base_url)
    }
    # a pager class over a list of headlines
    return len(titled) >= (1 if related_context else _MIN_LIST_TITLES)


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


_BLOCK_CHILDREN = (
    ".//*[self::div or self::p or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or self::li or self::article or self::section or self::figure or self::ul]"
)


_CARD_TITLE_XPATH = (
    ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    " | .//*[contains(concat(' ', translate(@class, 'TITLE', 'title'), ' '), 'title')]"
)


def _card_title(anchor: HtmlElement) -> str:
    """The headline of a card link: its title-classed element or heading, else its longest part."""
    for node in anchor.xpath(_CARD_TITLE_XPATH):
        text = collapse(node.text_content())
        if text:
            return text
    parts = [collapse(node.text_content()) for node in anchor.xpath(".//p | .//span | .//div")]
    parts = [part for part in parts if part]
    return max(parts, key=len) if parts else collapse(anchor.text_content())


def _holds_embed(figure: HtmlElement) -> bool:
    """A figure around an embed rather than a picture: it holds a quote, a frame, a script or a link."""
    return bool(figure.xpath(".//blockquote | .//iframe | .//script | .//a[@href]"))


def _walk(element: HtmlElement, builder: _Builder, tag: str, hints: tuple[str, ...]) -> None:
    for child in element:
        child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
        embed = embed_block(child, builder.base_url) if child_tag else None
        if embed is not None:
            # before the dropped tags and the noise test: embed codes are scripts, iframes, "fb" divs
            builder.flush()
            builder.blocks.append(replace(embed, hints=(*_merge_hints(hints, child), *embed.hints)))
        elif child_tag == "figure" and _holds_embed(child):
            # WordPress and Gutenberg wrap embeds (a tweet, a post, an embedded article) in a figure
            _visit(child, child_tag, builder, tag, hints)
        elif child_tag and child_tag not in DROP_TAGS and child_tag not in _NON_TEXT_BLOCKS:
            if NOT_BODY_TEXT_WORDS.intersection(element_words(child)):
                builder.flush()  # a caption or a standfirst printed as a paragraph
            else:
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
    if is_noise(element) and not _related_list(element, hints, builder.base_url):
        return
    if tag == "a" and element.xpath(_BLOCK_CHILDREN):
        # a whole card inside one link (a promo: headline, summary, date): one block, one link
        href = absolute_href(element.get("href"), builder.base_url)
        text = visible_text(element)
        if href and text:
            # one link to another article of the site: a related card, whatever its classes
            own = same_site(href, builder.base_url) and href.split("#")[0] != builder.base_url.split("#")[0]
            card_hints = (*hints, SINGLE_CARD) if own else hints
            link = Link(text=_card_title(element), href=href)
            builder.emit(Block(text=text, links=[link], tag=tag, hints=card_hints))
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
                hints=(*block_hints, SINGLE_CARD),
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
        tag = {"head": "h2", "item": "li", "quote": "blockquote", "cell": "td"}.get(str(node.tag), "p")
        for segment in _line_segments(node):
            text = collapse("".join(part for part, _ in segment))
            if not text:
                continue
            links = [link for _, link in segment if link is not None]
            blocks.append(Block(text=text, links=links, tag=tag))
    return blocks


def _line_segments(node: etree._Element) -> list[list[tuple[str, Link | None]]]:
    """A trafilatura element's text cut at its ``<lb/>`` breaks, with the links of each line.

    trafilatura marks the ``<br>``s of the page as ``<lb/>`` inside one ``<p>``: read as
    one text, the paragraphs of a ``<br>``-separated body merge, and a trailing agency
    credit ("(رويترز)") stays glued to the last sentence.
    """
    segments: list[list[tuple[str, Link | None]]] = [[]]

    def walk(element: etree._Element) -> None:
        if element.text:
            segments[-1].append((element.text, None))
        for child in element:
            if child.tag == "lb":
                segments.append([])
            elif child.tag == "ref":
                raw = "".join(child.itertext())
                target = child.get("target") or ""
                segments[-1].append((raw, Link(text=collapse(raw), href=target) if target else None))
            else:
                walk(child)
            if child.tail:
                segments[-1].append((child.tail, None))

    walk(node)
    return segments
