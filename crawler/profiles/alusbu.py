"""Al-Osboa (الأسبوع), an Egyptian weekly with a daily news site on WordPress.

Verified against public records of the live site (the site itself cannot be
reached from the machines this project is built on): article URLs are a bare
numeric id (``https://www.elaosboa.com/675830/``), images live under
``/wp-content/uploads/``, and ``/rss/1/`` is its news feed. Section paths, the
sitemap location and the template selectors follow the WordPress theme
conventions the site is built on and are NOT verified against the live markup;
each selector has generic fallbacks in the extractor (JSON-LD, OpenGraph,
trafilatura), so a wrong guess costs precision on one field, not the crawl.
"""

import re

from crawler.profiles.base import Section, Selectors, SiteProfile

PROFILE = SiteProfile(
    name="alusbu",
    publisher="الأسبوع",
    base_url="https://www.elaosboa.com",
    domains=("elaosboa.com",),
    article_path=re.compile(r"^/(?P<id>\d{3,})/?$"),
    # Defence-relevant sections first: the crawl schedules them in this order.
    sections=(
        Section("arab-world", "عربي ودولي", "/category/arab-world/"),
        Section("military", "شؤون عسكرية", "/category/military/"),
        Section("politics", "سياسة", "/category/politics/"),
        # its listings and article bodies are built by JavaScript: the crawl renders
        # them when their HTML comes empty (-a render=auto)
        Section("analysis", "تحليلات عسكرية", "/category/analysis/"),
    ),
    feeds=("/rss/1/",),
    sitemaps=("/sitemap.xml",),
    timezone="Africa/Cairo",
    selectors=Selectors(
        title=("h1.entry-title", "h1.post-title"),
        body=("div.entry-content", "div.post-content"),
        published=("time.entry-date", "span.post-date time"),
        author=(".meta-author .author-name", "a[rel=author]"),
        section=(".post-cat-wrap a.post-cat", "a[rel~=category]"),
        image=("figure.single-featured-image img",),
        source_field=(".post-source",),
        related=("section#related-posts", "div.related-posts"),
        noise=(".post-share", ".post-tags", ".post-components", ".stream-item"),
        listing_links=("h2.post-title a", "article .post-details a.post-title", "li.post-item a"),
        next_page=("a.next.page-numbers", "link[rel=next]", "li.next a"),
    ),
)
