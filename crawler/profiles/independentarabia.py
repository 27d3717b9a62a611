"""Independent Arabia (اندبندنت عربية), a pan-Arab daily on Drupal; defence and security news
under its politics and reports sections.

Verified against public records of the live site (the site itself cannot be reached from
the machines this project is built on): it runs Drupal (article URLs are node paths
followed by an Arabic alias, ``/node/<id>/<section>/<slug>``), its site-wide feed is
Drupal's ``/rss.xml``, and tag pages live under ``/tags/<name>``.

NOT verified, and following the conventions of Drupal 9 themes instead: the section paths
(``/سياسة``, ``/تقارير``) and their ``?page=N`` pager, the ``/sitemap.xml`` location
(simple_sitemap's default), the zone of the dates it prints without an offset, and every
template selector below. Each selector has generic fallbacks (JSON-LD, OpenGraph,
trafilatura), so a wrong guess costs precision on one field, not the crawl; the fixture
pages of ``tests/outlets/independentarabia/`` are built in the same image.
"""

from __future__ import annotations

import re

from crawler.profiles.base import Section, Selectors, SiteProfile

PROFILE = SiteProfile(
    name="independentarabia",
    publisher="اندبندنت عربية",
    base_url="https://www.independentarabia.com",
    domains=("independentarabia.com",),
    # /node/621874 and /node/621874/<section>/<slug> are one article; /node/add/ is not
    article_path=re.compile(r"^/node/(?P<id>\d{4,})(?:/[^/?#]+)*/?$"),
    sections=(
        Section("politics", "سياسة", "/سياسة"),
        Section("reports", "تقارير", "/تقارير"),
    ),
    feeds=("/rss.xml",),
    sitemaps=("/sitemap.xml",),
    # the newsroom is split between London and Riyadh; JSON-LD and OpenGraph dates carry
    # their offset, only a date printed in the page (no offset) falls back to this zone
    timezone="Asia/Riyadh",
    selectors=Selectors(
        # Drupal renders the title field inside the page header
        title=("h1.page-header .field--name-title", "h1.page-header"),
        # the body field's wrapper; Drupal 7's "field-name-body" is in the generic list,
        # Drupal 8+ writes "field--name-body"
        body=("article.node--type-article div.field--name-body", "div.field--name-body"),
        # a page without metadata prints its date (sometimes Hijri and Gregorian) here
        published=("div.article-meta .article-date time", "div.article-meta .article-date"),
        author=("div.article-meta .author-name a", "div.article-meta .author-name"),
        # the breadcrumb's last entry is the section the article is filed under
        section=("nav.breadcrumb li:last-child a",),
        image=("div.field--name-field-image img",),
        # the "اقرأ أيضاً" view under the article; "الأكثر قراءة" in the sidebar is not related
        related=("article.node--type-article section.related-articles h3.node__title",),
        # in-body ad slots ("block-ad ad-slot") and the share bar are generic noise already
        # teasers of the section views; the sidebar's most-read list is left alone
        listing_links=(".region-content .view-content .views-row h2.node__title a",),
        next_page=("li.pager__item--next a", "link[rel=next]"),
    ),
)
