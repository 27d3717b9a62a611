"""Stage 4, dates: date lines leave the head of the body; the publish date is parsed, with its precision.

The parser, the date-line finder and the dateline splitter are crawler/text/dates.py; this stage
applies them to each article in the site's zone and counts parsed and missing dates. Out of the
head of the body go: labelled publish/update lines ("تاريخ النشر: …"), lines that are nothing but
a date stamp, and an unlabelled dateline opening the lead ("دمشق - السبت 8 شباط 2025 - …", the
lead keeps its text). A date printed without a time is stored as that calendar day, with
``published_precision`` "day"; with a time, as the instant, "minute".
"""

from __future__ import annotations

from datetime import datetime

from crawler.items import Article, Block, PageItem
from crawler.text.dates import find_date_line, looks_like_date, parse_date_precise, split_dateline
from pipelines.base import PageStage

# Date lines are looked for among the first blocks only: further down, a line with a date
# is part of the story (or of a related list, which the read-also stage handles).
LEADING_BLOCKS = 3


def date_article(article: Article, tz: str, now: datetime | None = None) -> Article:
    """Take date lines out of the head of the body; parse the publish date."""
    body: list[Block] = []
    published_line = ""
    for index, block in enumerate(article.blocks):
        if index < LEADING_BLOCKS and not body:
            line = find_date_line(block.text)
            if line is not None:
                if line.kind == "published" and not published_line:
                    published_line = line.raw
                continue
            if looks_like_date(block.text):
                published_line = published_line or block.text  # a bare stamp above the lead
                continue
            dateline = split_dateline(block.text)
            if dateline is not None:
                raw, rest = dateline
                published_line = published_line or raw
                body.append(Block(text=rest, links=block.links, tag=block.tag, hints=block.hints))
                continue
        elif index < LEADING_BLOCKS:
            line = find_date_line(block.text)
            if line is not None:
                if line.kind == "published" and not published_line:
                    published_line = line.raw
                continue
        body.append(block)
    article.blocks = body
    if not article.published_raw:
        article.published_raw = published_line
    parsed = parse_date_precise(article.published_raw, tz=tz, now=now) if article.published_raw else None
    article.published_at = parsed.at if parsed is not None else None
    article.published_precision = parsed.precision if parsed is not None else ""
    return article


class DatesPipeline(PageStage):
    stage = "dates"

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        for article in page.articles:
            date_article(article, page.timezone, now=page.fetched_at)
        return page

    def account(self, page: PageItem) -> None:
        for position, article in enumerate(page.articles):
            self.inc("pipeline/dates/parsed" if article.published_at else "pipeline/dates/missing")
            if position == 0 and article.published_at:
                self.inc("coverage/published_at")  # the page's own article: see the field-coverage monitor
