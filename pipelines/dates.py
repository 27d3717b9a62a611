"""Stage 4, dates: publish/update lines leave the head of the body; the publish date is parsed to UTC.

The parser and the date-line finder are crawler/text/dates.py; this stage applies them to each
article in the site's zone and counts parsed and missing dates.
"""

from __future__ import annotations

from datetime import datetime

from crawler.items import Article, Block, PageItem
from crawler.text.dates import find_date_line, parse_date
from pipelines.base import PageStage

# Publish lines are looked for among the first blocks only: further down, a line with a date
# is part of the story (or of a related list, which the read-also stage handles).
LEADING_BLOCKS = 3


def date_article(article: Article, tz: str, now: datetime | None = None) -> Article:
    """Take publish/update lines out of the head of the body; parse the publish date to UTC."""
    body: list[Block] = []
    published_line = ""
    for index, block in enumerate(article.blocks):
        line = find_date_line(block.text) if index < LEADING_BLOCKS else None
        if line is not None:
            if line.kind == "published" and not published_line:
                published_line = line.raw
            continue
        body.append(block)
    article.blocks = body
    if not article.published_raw:
        article.published_raw = published_line
    article.published_at = (
        parse_date(article.published_raw, tz=tz, now=now) if article.published_raw else None
    )
    return article


class DatesPipeline(PageStage):
    stage = "dates"

    def process_page(self, page: PageItem) -> PageItem:
        for position, article in enumerate(page.articles):
            date_article(article, page.timezone, now=page.fetched_at)
            self.inc("pipeline/dates/parsed" if article.published_at else "pipeline/dates/missing")
            if position == 0 and article.published_at:
                self.inc("coverage/published_at")  # the page's own article: see the field-coverage monitor
        return page
