"""Read-also chains: related titles out of a body, appended articles apart from it.

Shapes handled (see tests/test_readalso.py for one example of each):

* a label on its own line or in a heading, then a list of linked titles
  (``<h2>إقرأ أيضاً</h2>`` + ``h4 > a`` items, a WordPress related block whose
  items carry dates);
* ``<p><strong>اقرأ أيضاً:</strong> <a>title</a></p>`` lines, one or several;
* a card holding one link (``div.read-more``, Sputnik ``b-inject``);
* flattened text: a label glued to its first title (``اقرأ أيضاًالناتو ...``)
  followed by more title lines without links;
* an aggregator's appended article: a label alone on its line, a title line,
  then paragraphs. The read-also stage makes it an :class:`Article` with ``appended_from``.

Written by hand: boilerplate removers (trafilatura, readability, justext)
delete related blocks wholesale, but here their titles and links are data, and
an appended article must be kept whole; no library splits them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.items import Block, RelatedLink
from crawler.text.dates import looks_like_date
from crawler.text.lexicon import READ_ALSO_RE, SOURCE_LINE_RE, is_not_related_label
from crawler.text.urls import looks_like_article, same_site

# The hint the block walker (crawler/extract/blocks.py) gives a one-link related card;
# not a word a class attribute can hold, so no class name is taken for it.
SINGLE_CARD = "@card"

# A title is a short line that does not end like a sentence.
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 220
_SENTENCE_END_RE = re.compile(r"[.!؟?:؛;]\s*[\"»”')]*\s*$")
# A paragraph long enough to be article text rather than a title.
PARAGRAPH_MIN_WORDS = 16
# A link-dominated block (a related item) has most of its text in links.
LINK_ITEM_RATIO = 0.6
MIN_LINK_TITLE_CHARS = 8
MIN_LINK_TITLE_WORDS = 3
# A heading naming another kind of list is short.
OTHER_LIST_LABEL_CHARS = 40
# A block that is a related link by structure: almost all its text is one link.
RELATED_LINK_RATIO = 0.8
HEADLINE_MIN_WORDS = 3


def label_remainder(text: str) -> str | None:
    """The text after a read-also label at the start of ``text``; None when there is no label."""
    match = READ_ALSO_RE.match(text)
    if match is None or is_not_related_label(text):
        return None  # "Related topics" is a tag list, not a read-also label
    return text[match.end() :].strip()


def is_title_like(block: Block) -> bool:
    words = block.text.split()
    return (
        1 <= len(words) <= TITLE_MAX_WORDS
        and len(block.text) <= TITLE_MAX_CHARS
        and not _SENTENCE_END_RE.search(block.text)
        and SOURCE_LINE_RE.match(block.text) is None
        and label_remainder(block.text) is None
    )


def is_paragraph(block: Block) -> bool:
    return len(block.text.split()) >= PARAGRAPH_MIN_WORDS


def is_link_item(block: Block) -> bool:
    return bool(block.links) and block.link_text_ratio() >= LINK_ITEM_RATIO


def is_card(block: Block) -> bool:
    return SINGLE_CARD in block.hints and bool(block.links)


_RELATED_HINT_RE = re.compile(r"related|readmore|read-more|readalso|read-also|see-also|also|inject")


def in_related_box(block: Block) -> bool:
    """A block inside an element whose class or id says it holds related articles."""
    return any(_RELATED_HINT_RE.search(hint) for hint in block.hints)


def is_related_link(block: Block, page_url: str) -> bool:
    """A block that is nothing but a headline linking to another article of the same site.

    No article paragraph is a bare link to a sibling story: that is an inline
    read-also item, labelled or not. Headline-like: a few words, not a date, not a URL.
    """
    if not page_url or not block.links or block.link_text_ratio() < RELATED_LINK_RATIO:
        return False
    link = max(block.links, key=lambda candidate: len(candidate.text))
    words = link.text.split()
    return (
        HEADLINE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS
        and not link.text.startswith(("http://", "https://", "www."))
        and not looks_like_date(link.text)
        and link.href.split("#")[0] != page_url.split("#")[0]
        and same_site(link.href, page_url)
        and looks_like_article(link.href)
    )


def _link_items(block: Block) -> list[RelatedLink]:
    """The titled links of a chain item: a category badge or a "more" link is not a title."""
    return [
        RelatedLink(link.text, link.href)
        for link in block.links
        if len(link.text) >= MIN_LINK_TITLE_CHARS and len(link.text.split()) >= MIN_LINK_TITLE_WORDS
    ]


def _card_item(block: Block) -> list[RelatedLink]:
    """A card's title is its longest linked text (cards also carry photo credits)."""
    link = max(block.links, key=lambda candidate: len(candidate.text))
    title = label_remainder(link.text)
    return [RelatedLink(title if title else link.text, link.href)]


@dataclass
class Split:
    """The blocks of one article and what was split out of them."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    appended: list[Split] = field(default_factory=list)


def _chain_end(
    blocks: list[Block], start: int, linked: bool, page_url: str = ""
) -> tuple[int, list[RelatedLink]]:
    """Collect chain items from ``start``; return the index after the chain and its items.

    With links (HTML), the chain goes on over link-dominated blocks, cards and
    date stamps. Without links (flattened text), over title-like lines.
    """
    items: list[RelatedLink] = []
    index = start
    while index < len(blocks):
        block = blocks[index]
        if looks_like_date(block.text) and items:
            index += 1  # a date under a related title
        elif items and not block.links and in_related_box(block):
            index += 1  # a related card's excerpt, category or byline, inside the same box
        elif is_card(block):
            items += _card_item(block)
            index += 1
        elif linked and (is_link_item(block) or is_related_link(block, page_url)):
            items += _link_items(block)
            index += 1
        elif not linked and not block.links and is_title_like(block):
            items.append(RelatedLink(block.text))
            index += 1
        else:
            break
    return index, items


_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _appended_start(blocks: list[Block], index: int) -> bool:
    """A label alone, then a title line, then paragraphs: an appended article.

    The title is plain text, or a heading that links to the story (a CMS that appends the
    story prints its headline as it prints any headline); then two paragraphs at least, so
    that a linked read-also item followed by the rest of the article is not taken for one.
    """
    if index + 2 >= len(blocks):
        return False
    title, first, second = (
        blocks[index + 1],
        blocks[index + 2],
        blocks[index + 3] if index + 3 < len(blocks) else None,
    )
    if not is_title_like(title) or looks_like_date(title.text) or not is_paragraph(first):
        return False
    if not title.links:
        return second is None or is_paragraph(second) or not is_title_like(second)
    return (
        title.tag in _HEADING_TAGS
        and len(title.links) == 1
        and second is not None
        and is_paragraph(second)
        and not second.links
    )


def split_blocks(title: str, blocks: list[Block], page_url: str = "") -> Split:
    """Split one article's blocks into body, related chains and appended articles.

    A chain starts at a label (any form above) or, on HTML pages, at a block that is
    a bare headline link to another article of the same site (``page_url``).
    """
    split = Split(title=title)
    has_links = any(block.links for block in blocks)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if is_card(block):
            split.related += _card_item(block)
            index += 1
            continue
        if len(block.text) <= OTHER_LIST_LABEL_CHARS and is_not_related_label(block.text):
            # "آخر الأخبار", "الأكثر قراءة" inside a body: the site's own list, neither the
            # article's text nor its related chain; its items go with it
            index, _ = _chain_end(blocks, index + 1, linked=True, page_url=page_url)
            continue
        remainder = label_remainder(block.text)
        if remainder is None and is_related_link(block, page_url):
            index, items = _chain_end(blocks, index, linked=True, page_url=page_url)
            split.related += items
            continue
        if remainder is None:
            split.blocks.append(block)
            index += 1
            continue
        if block.links:
            # "<p><strong>اقرأ أيضاً:</strong> <a>title</a></p>", one or several links
            split.related += _link_items(block)
            index, items = _chain_end(blocks, index + 1, linked=True, page_url=page_url)
            split.related += items
        elif remainder:
            # a label glued to its first title, in flattened text
            split.related.append(RelatedLink(remainder))
            index, items = _chain_end(blocks, index + 1, linked=has_links, page_url=page_url)
            split.related += items
        elif _appended_start(blocks, index):
            heading = blocks[index + 1]
            split.related += [RelatedLink(link.text, link.href) for link in heading.links]
            appended = split_blocks(heading.text, blocks[index + 2 :], page_url)
            split.appended.append(appended)
            split.appended += appended.appended
            appended.appended = []
            break
        else:
            # a label alone (a heading): the chain is what follows it
            index, items = _chain_end(blocks, index + 1, linked=has_links, page_url=page_url)
            split.related += items
    return split


def dedupe_related(related: list[RelatedLink]) -> list[RelatedLink]:
    seen: set[tuple[str, str]] = set()
    unique: list[RelatedLink] = []
    for item in related:
        key = (item.title, item.url)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
