"""A news spider driven by a :class:`~crawler.profiles.base.SiteProfile`.

Discovery: section listings (followed page by page), RSS/Atom feeds and
sitemaps, in that priority order. Only the site's own article URLs are
fetched; everything else (tags, authors, other hosts, other schemes) is left
alone. Each article page goes through the extractor; a page that yields no
article is logged with its URL and counted under ``pages/failed/<reason>``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from lxml import etree
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.extract import ExtractionError, extract_html, extract_text
from crawler.items import PageItem
from crawler.profiles import SiteProfile, get_profile
from crawler.urls import canonical_url, is_http_url

logger = logging.getLogger(__name__)

# Request priorities: articles first (they are what a run is for, and finishing
# them frees memory), then listings, feeds, sitemaps.
PRIORITY_ARTICLE = 30
PRIORITY_LISTING = 20
PRIORITY_FEED = 10
PRIORITY_SITEMAP = 0

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class NewsSpiderArgs(BaseModel):
    """Spider arguments (``-a name=value``), validated once at start-up."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, description="serve the site from elsewhere (a local mirror)")
    sections: list[str] | None = Field(default=None, description="section slugs to crawl; default all")
    max_pages: int | None = Field(default=None, ge=1, description="listing pages per section")
    discover: list[str] = Field(default=["listings", "feeds", "sitemaps"], description="discovery methods")

    @field_validator("sections", "discover", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("discover")
    @classmethod
    def _known_methods(cls, value: list[str]) -> list[str]:
        unknown = set(value) - {"listings", "feeds", "sitemaps"}
        if unknown:
            raise ValueError(f"unknown discovery methods: {', '.join(sorted(unknown))}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_base(cls, value: str | None) -> str | None:
        if value is not None and not is_http_url(value):
            raise ValueError("base_url must be an http(s) URL")
        return value


class NewsSpider(scrapy.Spider):
    """Base class: a subclass sets ``name`` and gets its profile by that name."""

    profile_name: ClassVar[str] = ""

    def __init__(self, *args: Any, profile: str | None = None, **kwargs: Any) -> None:
        known = {key: kwargs.pop(key) for key in list(kwargs) if key in NewsSpiderArgs.model_fields}
        super().__init__(*args, **kwargs)
        try:
            self.args = NewsSpiderArgs(**known)
        except ValidationError as error:
            raise ValueError(f"invalid spider arguments: {error}") from error
        site = get_profile(profile or self.profile_name or self.name)
        if self.args.base_url:
            site = site.with_base_url(self.args.base_url)
        self.profile: SiteProfile = site
        self.allowed_domains = list(site.domains)

    # -- discovery ---------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_requests_list():
            yield request

    def start_requests_list(self) -> list[Request]:
        requests: list[Request] = []
        profile = self.profile
        if "listings" in self.args.discover:
            wanted = set(self.args.sections or [s.slug for s in profile.sections])
            for order, section in enumerate(profile.sections):
                if section.slug in wanted:
                    requests.append(
                        Request(
                            profile.url(section.path),
                            callback=self.parse_listing,
                            priority=PRIORITY_LISTING - order,
                            cb_kwargs={"section": section.slug, "page": 1},
                        )
                    )
        if "feeds" in self.args.discover:
            requests += [
                Request(profile.url(path), callback=self.parse_feed, priority=PRIORITY_FEED)
                for path in profile.feeds
            ]
        if "sitemaps" in self.args.discover:
            requests += [
                Request(profile.url(path), callback=self.parse_sitemap, priority=PRIORITY_SITEMAP)
                for path in profile.sitemaps
            ]
        return requests

    def article_request(self, url: str, source: str) -> Request | None:
        """A request for an article URL of this site, or None for anything else."""
        if not is_http_url(url):
            return None
        url = canonical_url(url)
        if not self.profile.is_article_url(url):
            return None
        self.crawler.stats.inc_value(f"discovery/{source}")
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            priority=PRIORITY_ARTICLE,
            meta={"discovered_by": source},
        )

    def _hrefs(self, response: TextResponse, queries: Iterable[str]) -> list[str]:
        for query in queries:
            hrefs = response.css(f"{query}::attr(href)").getall()
            if hrefs:
                return [response.urljoin(href) for href in hrefs]
        return []

    def listing_article_urls(self, response: TextResponse) -> list[str]:
        """Article links of a listing page: the profile's item selectors, else every article-shaped link."""
        urls = self._hrefs(response, self.profile.selectors.listing_links)
        if not urls:
            urls = [response.urljoin(href) for href in response.css("a::attr(href)").getall()]
        return urls

    def parse_listing(self, response: Response, section: str, page: int) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("listing/non_html")
            return
        self.crawler.stats.inc_value("listing/pages")
        for url in self.listing_article_urls(response):
            request = self.article_request(url, "listing")
            if request is not None:
                yield request
        max_pages = self.args.max_pages or self.profile.max_listing_pages
        if page >= max_pages:
            return
        for url in self._hrefs(response, self.profile.selectors.next_page):
            if self.profile.is_own_host(url) and is_http_url(url):
                yield response.follow(
                    url,
                    callback=self.parse_listing,
                    priority=PRIORITY_LISTING,
                    cb_kwargs={"section": section, "page": page + 1},
                )
                break

    def parse_feed(self, response: Response) -> Iterator[Request]:
        try:
            root = etree.fromstring(
                response.body, parser=etree.XMLParser(recover=True, resolve_entities=False)
            )
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.crawler.stats.inc_value("feed/unparsable")
            logger.warning("Unparsable feed %s", response.url)
            return
        links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
        links += root.xpath("//*[local-name()='entry']/*[local-name()='link']/@href")
        for link in links:
            request = self.article_request(response.urljoin(str(link).strip()), "feed")
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception:  # scrapy.utils.sitemap raises lxml errors on garbage
            self.crawler.stats.inc_value("sitemap/unparsable")
            logger.warning("Unparsable sitemap %s", response.url)
            return
        for entry in sitemap:
            loc = str(entry.get("loc", "")).strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                if self.profile.is_own_host(loc) and is_http_url(loc):
                    yield Request(loc, callback=self.parse_sitemap, priority=PRIORITY_SITEMAP)
            else:
                request = self.article_request(loc, "sitemap")
                if request is not None:
                    yield request

    # -- articles ----------------------------------------------------------------

    def page_failed(self, url: str, reason: str, detail: str = "") -> None:
        self.crawler.stats.inc_value("pages/failed")
        self.crawler.stats.inc_value(f"pages/failed/{reason}")
        logger.warning("No article from %s: %s%s", url, reason, f" ({detail})" if detail else "")

    accept_text: ClassVar[bool] = False  # flattened-text pages (scrapy extract on .txt files)

    def parse_article(self, response: Response, record_url: str | None = None) -> Iterator[PageItem]:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
        if not response.body.strip():
            self.page_failed(response.url, "empty_page")
            return
        is_html = isinstance(response, HtmlResponse) or content_type.startswith(_HTML_TYPES)
        is_text = (
            self.accept_text
            and isinstance(response, TextResponse)
            and not is_html
            and (content_type.startswith("text/plain") or response.url.lower().endswith(".txt"))
        )
        if not isinstance(response, TextResponse) or not (is_html or is_text):
            self.page_failed(response.url, "non_html", content_type or type(response).__name__)
            return
        # links resolve against where the page was published (``--url`` of scrapy extract)
        base_url = record_url or response.url
        try:
            if is_text:
                extraction = extract_text(response.text, base_url, self.profile)
            else:
                extraction = extract_html(response.text, base_url, self.profile)
        except ExtractionError as error:
            self.page_failed(response.url, error.reason, error.detail)
            return
        self.crawler.stats.inc_value("pages/extracted")
        self.crawler.stats.inc_value(f"pages/extracted/{extraction.meta.method}")
        yield PageItem(
            url=record_url or self.record_url(response.url, extraction.meta.canonical_url),
            site=self.name,
            publisher=self.profile.publisher,
            fetched_at=datetime.now(UTC),
            meta=extraction.meta,
            blocks=extraction.blocks,
            requested_url=response.request.url if response.request else response.url,
            timezone=self.profile.timezone,
        )

    def record_url(self, response_url: str, declared: str) -> str:
        """The page's canonical link when it names an article of this site, else the fetched URL."""
        if declared and self.profile.is_article_url(canonical_url(declared)):
            return canonical_url(declared)
        return canonical_url(response_url)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, HttpError):
            self.page_failed(request.url, f"http_{failure.value.response.status}")
        else:
            self.page_failed(request.url, f"download_{type(failure.value).__name__}", str(failure.value))
