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
from crawler.text.lexicon import READ_ALSO_RE, SOURCE_LINE_RE

# A title is a short line that does not end like a sentence.
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 220
_SENTENCE_END_RE = re.compile(r"[.!؟?:؛;]\s*[\"»”')]*\s*$")
# A paragraph long enough to be article text rather than a title.
PARAGRAPH_MIN_WORDS = 16
# A link-dominated block (a related item) has most of its text in links.
LINK_ITEM_RATIO = 0.6
MIN_LINK_TITLE_CHARS = 8


def label_remainder(text: str) -> str | None:
    """The text after a read-also label at the start of ``text``; None when there is no label."""
    match = READ_ALSO_RE.match(text)
    if match is None:
        return None
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
    return "card" in block.hints and bool(block.links)


def _link_items(block: Block) -> list[RelatedLink]:
    return [
        RelatedLink(link.text, link.href) for link in block.links if len(link.text) >= MIN_LINK_TITLE_CHARS
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


def _chain_end(blocks: list[Block], start: int, linked: bool) -> tuple[int, list[RelatedLink]]:
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
        elif is_card(block):
            items += _card_item(block)
            index += 1
        elif linked and is_link_item(block):
            items += _link_items(block)
            index += 1
        elif not linked and not block.links and is_title_like(block):
            items.append(RelatedLink(block.text))
            index += 1
        else:
            break
    return index, items


def _appended_start(blocks: list[Block], index: int) -> bool:
    """A label alone, then a title line without link, then paragraphs: an appended article."""
    if index + 2 >= len(blocks):
        return False
    title, first, second = (
        blocks[index + 1],
        blocks[index + 2],
        blocks[index + 3] if index + 3 < len(blocks) else None,
    )
    return (
        not title.links
        and is_title_like(title)
        and not looks_like_date(title.text)
        and is_paragraph(first)
        and (second is None or is_paragraph(second) or not is_title_like(second))
    )


def split_blocks(title: str, blocks: list[Block]) -> Split:
    """Split one article's blocks into body, related chains and appended articles."""
    split = Split(title=title)
    has_links = any(block.links for block in blocks)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if is_card(block):
            split.related += _card_item(block)
            index += 1
            continue
        remainder = label_remainder(block.text)
        if remainder is None:
            split.blocks.append(block)
            index += 1
            continue
        if block.links:
            # "<p><strong>اقرأ أيضاً:</strong> <a>title</a></p>", one or several links
            split.related += _link_items(block)
            index, items = _chain_end(blocks, index + 1, linked=True)
            split.related += items
        elif remainder:
            # a label glued to its first title, in flattened text
            split.related.append(RelatedLink(remainder))
            index, items = _chain_end(blocks, index + 1, linked=has_links)
            split.related += items
        elif _appended_start(blocks, index):
            appended = split_blocks(blocks[index + 1].text, blocks[index + 2 :])
            split.appended.append(appended)
            split.appended += appended.appended
            appended.appended = []
            break
        else:
            # a label alone (a heading): the chain is what follows it
            index, items = _chain_end(blocks, index + 1, linked=has_links)
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
