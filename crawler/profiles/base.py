"""Declarative description of a news site.

A profile says where a site lists its articles, which URLs are articles and
which CSS selectors find each field. Spiders and the extractor read it; they
hold no site knowledge of their own. Every selector is optional: the extractor
falls back to JSON-LD/OpenGraph first and trafilatura last, so a selector that
stops matching degrades a field, never the crawl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one site's article template, tried in order."""

    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    published: tuple[str, ...] = ()  # elements whose @datetime/@content/text is a date
    author: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    image: tuple[str, ...] = ()
    source_field: tuple[str, ...] = ()  # a labelled "source" element outside the body
    related: tuple[str, ...] = ()  # read-also modules outside the body
    noise: tuple[str, ...] = ()  # site-specific clutter inside the body to drop
    # listing pages
    listing_links: tuple[str, ...] = ()  # anchors to articles on a section page
    next_page: tuple[str, ...] = ()  # anchor to the next listing page


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    path: str  # first listing page, relative to the base URL


@dataclass(frozen=True)
class SiteProfile:
    name: str
    publisher: str
    base_url: str
    domains: tuple[str, ...]
    article_path: re.Pattern[str]
    sections: tuple[Section, ...] = ()
    feeds: tuple[str, ...] = ()  # RSS/Atom paths
    sitemaps: tuple[str, ...] = ()  # sitemap (or sitemap index) paths
    selectors: Selectors = field(default_factory=Selectors)
    timezone: str = "UTC"  # zone of naive dates printed on the site
    lang: str = "ar"
    needs_js: bool = False  # render every page through a browser
    js_paths: tuple[re.Pattern[str], ...] = ()  # paths that need a browser anyway
    js_sections: tuple[str, ...] = ()  # section slugs whose listings (and their articles) need one
    max_listing_pages: int = 50

    def with_base_url(self, base_url: str) -> SiteProfile:
        """The same site served elsewhere (a local mirror in tests and demos)."""
        base_url = base_url.rstrip("/")
        host = urlsplit(base_url).hostname or ""
        return replace(self, base_url=base_url, domains=(host, *self.domains))

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def is_own_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        return self.is_own_host(url) and bool(self.article_path.match(urlsplit(url).path))

    def needs_browser(self, url: str) -> bool:
        if self.needs_js:
            return True
        path = urlsplit(url).path
        return any(pattern.match(path) for pattern in self.js_paths)
