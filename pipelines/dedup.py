"""Stage 5, dedup: the keys that identify an article.

Every article gets its canonical URL (tracking parameters and fragments
dropped; an appended article keeps its ``#appended-N``), the hash of the
matching form of its text, and its near-duplicate fingerprint (MinHash band
and passage keys, word-trigram shingles: crawler/text/neardup.py). The store
compares all three against what it holds, so a page reached again through a
tracking link, syndicated at a second URL, or republished lightly edited by
another outlet, never makes a second row.
"""

from __future__ import annotations

import hashlib

from crawler.items import Article, PageItem
from crawler.text.arabic import matching_form
from crawler.text.neardup import fingerprint
from crawler.text.urls import canonical_url
from pipelines.base import PageStage

# Below this many words a body is too short to identify an article alone
# (a one-line caption, "التفاصيل في الفيديو"): the title joins the hash.
HASH_BODY_MIN_WORDS = 50


def content_hash(article: Article) -> str:
    body = matching_form(article.body)
    key = body if len(body.split()) >= HASH_BODY_MIN_WORDS else f"{matching_form(article.title)}\n{body}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def article_url(article: Article) -> str:
    if article.appended_from:
        base, _, fragment = article.url.partition("#")
        return f"{canonical_url(base)}#{fragment}"
    return canonical_url(article.url)


def dedup_keys(article: Article) -> Article:
    """The article's keys, from its body (joined by the lens stage; here when the lens did not run)."""
    article.join_body()
    article.url = article_url(article)
    if article.appended_from:
        article.appended_from = canonical_url(article.appended_from)
    article.content_hash = content_hash(article)
    article.fingerprint = fingerprint(article.body)
    return article


class DedupPipeline(PageStage):
    stage = "dedup"

    @staticmethod
    def prepare(page: PageItem) -> PageItem:
        for article in page.articles:
            dedup_keys(article)
        return page
