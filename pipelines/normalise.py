"""Stage 1, normalise: the display form of every text of a page.

The matching form (for labels and dedup) is derived on demand by
:func:`crawler.text.arabic.matching_form`; here only what a reader should never
see is removed: tatweel, invisible marks, presentation forms, stray spaces.
Flattened text also gets its tweet signatures cut from the paragraphs glued
after them, so that later stages see those paragraphs whole.
"""

from __future__ import annotations

from crawler.items import Block, Link, PageItem, RelatedLink
from crawler.text.arabic import clean_text
from crawler.text.embeds import unglue_signatures
from pipelines.base import PageStage


def normalise_blocks(blocks: list[Block]) -> list[Block]:
    cleaned: list[Block] = []
    for block in blocks:
        text = clean_text(block.text)
        if not text and not any(hint.startswith("embed:") for hint in block.hints):
            continue  # an empty block, unless it is an embed (a video frame has no text)
        links = [Link(clean_text(link.text), link.href) for link in block.links if clean_text(link.text)]
        cleaned.append(Block(text=text, links=links, tag=block.tag, hints=block.hints))
    return cleaned


def normalise_page(page: PageItem) -> PageItem:
    meta = page.meta
    for name in (
        "title",
        "author",
        "section",
        "published_raw",
        "modified_raw",
        "source_field",
        "description",
    ):
        setattr(meta, name, clean_text(getattr(meta, name)))
    meta.related = [RelatedLink(clean_text(r.title), r.url) for r in meta.related if clean_text(r.title)]
    page.blocks = unglue_signatures(normalise_blocks(page.blocks))
    return page


class NormalisePipeline(PageStage):
    stage = "normalise"

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        return normalise_page(page)
