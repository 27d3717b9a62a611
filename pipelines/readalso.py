"""Stage 2, readalso: chains of related titles out of the body, appended articles into records.

The rules (which blocks make a chain, where an appended article starts) are
crawler/text/readalso.py; this stage makes the page's :class:`Article` records
from what they split, adds the related modules found outside the body, and counts.
"""

from __future__ import annotations

from crawler.items import Article, PageItem
from crawler.text.readalso import dedupe_related, split_blocks
from pipelines.base import PageStage


def split_page(page: PageItem) -> list[Article]:
    """The page's own article (first) and any appended ones."""
    split = split_blocks(page.meta.title, page.blocks, page.url)
    main = Article(
        url=page.url,
        site=page.site,
        title=page.meta.title,
        author=page.meta.author,
        section=page.meta.section,
        lang=page.meta.lang or "ar",
        published_raw=page.meta.published_raw,
        image_url=page.meta.image_url,
        related=dedupe_related(split.related + page.meta.related),
        blocks=split.blocks,
    )
    articles = [main]
    for number, appended in enumerate(split.appended, start=1):
        articles.append(
            Article(
                url=f"{page.url}#appended-{number}",
                site=page.site,
                title=appended.title,
                section=page.meta.section,
                lang=main.lang,
                related=dedupe_related(appended.related),
                blocks=appended.blocks,
                appended_from=page.url,
            )
        )
    return articles


class ReadAlsoPipeline(PageStage):
    stage = "readalso"

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        page.articles = split_page(page)
        return page

    def account(self, page: PageItem) -> None:
        self.inc("pipeline/readalso/related", sum(len(article.related) for article in page.articles))
        self.inc("pipeline/readalso/appended", len(page.articles) - 1)
