"""Stage 3, attribute: source lines, agency credits, cited outlets and embedded posts.

* ``المصدر: الأسبوع`` lines (and a label alone followed by the name) become a
  ``source_line`` attribution and leave the body; a sentence that merely
  mentions المصدر ("وقال المصدر إن ...") stays.
* a labelled source field outside the body becomes ``source_field``.
* an agency credit on its own line ("(رويترز)", "- أ ف ب") becomes ``agency``
  and leaves the body; a credit inside the lead ("دمشق (CNN) --") is recorded
  and the text kept.
* an outlet credited in the body ("أفادت وكالة ... تاس", "بحسب صحيفة هآرتس",
  "في تصريحات لـ"سبوتنيك"") becomes ``cited``, under its gazetteer name
  (crawler/lens/gazetteer.py) or, for an outlet the gazetteer does not know,
  as written after its outlet noun.
* ``blockquote.twitter-tweet`` embeds and their flattened form
  ("tweet text pic.twitter.com/…" then "— Name (@handle) June 12, 2023", often
  glued to the next paragraph) become :class:`Embed` records and leave the body.

The rules live in crawler/text/embeds.py, crawler/text/sources.py and
crawler/lens/cited.py; this stage applies them to each article and counts.
"""

from __future__ import annotations

from crawler.items import Article, Attribution, PageItem
from crawler.lens.cited import cited_attributions, own_names
from crawler.text.arabic import matching_form
from crawler.text.embeds import split_embeds
from crawler.text.sources import dedupe, source_names, split_credits
from pipelines.base import PageStage


def attribute_article(
    article: Article, publisher: str, source_field: str = "", site_name: str = ""
) -> Article:
    """Embeds, credits and cited outlets out of the body; the article's source is its first credit."""
    blocks, embeds = split_embeds(article.blocks)
    blocks, credits = split_credits(blocks, own_names=(publisher, site_name))
    attributions = dedupe(credits + cited_attributions(blocks))
    # "أوضح المسؤول لموقع <the publisher>" on the publisher's own page is an
    # interview it gave the publisher, not another outlet the article relies on
    own = own_names(publisher)
    attributions = [a for a in attributions if a.kind != "cited" or matching_form(a.name) not in own]
    if source_field:
        attributions[:0] = [
            Attribution("source_field", name, source_field) for name in source_names(source_field)
        ]
    article.blocks = blocks
    article.embeds = embeds
    article.attributions = attributions
    credited = [a.name for a in attributions if a.kind in ("source_line", "source_field")]
    agencies = [a.name for a in attributions if a.kind == "agency"]
    # only the page credits a source: an article nothing credits has none, and the
    # record says so (an empty source beside the publisher) instead of crediting the outlet
    article.source = (credited or agencies or [""])[0]
    article.publisher = publisher
    return article


class AttributionPipeline(PageStage):
    stage = "attribute"

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        for position, article in enumerate(page.articles):
            # the labelled field describes the page's own article, not appended ones
            field = page.meta.source_field if position == 0 else ""
            attribute_article(article, page.publisher, field, page.meta.site_name)
        return page

    def account(self, page: PageItem) -> None:
        for article in page.articles:
            self.inc("pipeline/attribute/embeds", len(article.embeds))
            self.inc("pipeline/attribute/attributions", len(article.attributions))
