"""Sky News Arabia (سكاي نيوز عربية), the Abu Dhabi news channel's site, on its own
Angular CMS; defence and security news under its Middle East and world sections.

Verified against public records of the live site (the site itself cannot be reached from
the machines this project is built on): article URLs are a section path, a numeric id and
an Arabic slug (``/middle-east/1879607-<slug>``; the id alone also resolves), the sections
``/middle-east`` and ``/world`` exist, ``/web/rss`` is its feed, related articles come
under an "أخبار ذات صلة" heading after the body, and the footer carries a
"كافة العلامات التجارية الخاصة بـ SKY" notice.

NOT verified: the sitemap location (``/sitemap.xml`` as a sitemap index), the ``?page=N``
listing pages (the live listings load more items by script), the naive local times its
JSON-LD is assumed to print sometimes (read in Abu Dhabi time), and every template
selector below. Each selector has generic fallbacks (JSON-LD, OpenGraph, trafilatura), so
a wrong guess costs precision on one field, not the crawl; the fixture pages of
``tests/outlets/skynewsarabia/`` are built in the same image.
"""

from __future__ import annotations

import re

from crawler.profiles.base import Section, Selectors, SiteProfile

PROFILE = SiteProfile(
    name="skynewsarabia",
    publisher="سكاي نيوز عربية",
    base_url="https://www.skynewsarabia.com",
    domains=("skynewsarabia.com",),
    # /<section>[/<subsection>]/<id>-<slug>, or the bare id; /amp/... copies are not fetched
    article_path=re.compile(r"^/(?!amp/)[a-z-]+(?:/[a-z-]+)?/(?P<id>\d{5,})(?:-[^/?#]*)?/?$"),
    sections=(
        Section("middle-east", "الشرق الأوسط", "/middle-east"),
        Section("world", "العالم", "/world"),
    ),
    feeds=("/web/rss",),
    sitemaps=("/sitemap.xml",),
    timezone="Asia/Dubai",
    selectors=Selectors(
        title=("h1.sna_content_heading",),
        # div.article-body is in the generic list too; the profile pins the article's own
        # (listing teasers on the same page reuse the class name)
        body=("section.article_page div.article-body", "div.article-body"),
        published=(".article-info .publish-date",),
        author=(".article-info .article-author a",),
        section=(".breadcrumbs a:last-of-type",),
        image=("figure.article_main_image img",),
        # the credit line above the body: "<agency or channel> - <city>"; only the first
        # part names who the story comes from
        source_field=(".article-info .article-credit .source",),
        related=("section.related_news li.related_item a",),
        # Ad slots are caught by the generic noise words ("ad" in "ad_container"); the
        # summary bullets sit outside the body container and need nothing.
        listing_links=("section.body_content .comp_1_item a.comp_1_link",),
        next_page=("link[rel=next]", "a.load_more"),
    ),
)
