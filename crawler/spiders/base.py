"""A news spider driven by a :class:`~crawler.profiles.base.SiteProfile`.

Discovery: section listings (followed page by page), RSS/Atom feeds and
sitemaps, in that priority order. Only the site's own article URLs are
fetched; everything else (tags, authors, other hosts, other schemes) is left
alone. Each article page goes through the extractor; a page that yields no
article is logged with its URL and counted under ``pages/failed/<reason>``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal, Self

import scrapy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url
from sqlalchemy.exc import SQLAlchemyError
from twisted.python.failure import Failure

from crawler.extract import ExtractionError
from crawler.extract.page import MIN_BODY_CHARS
from crawler.extract.pool import ExtractorPool, default_workers
from crawler.items import PageItem
from crawler.profiles import SiteProfile, get_profile
from crawler.rendering import render_meta
from crawler.runs.incremental import KnownArticles, Plan, is_lasting
from crawler.signals import page_rejected
from crawler.spiders.discovery import DOCUMENT_META, NOT_MODIFIED, DiscoveryLedger, Document
from crawler.spiders.documents import UnreadableDocument, feed_links, read_sitemap, w3c_datetime
from crawler.spiders.errors import SpiderArgumentError
from crawler.spiders.flags import SpiderFlags
from crawler.text.urls import canonical_url, is_http_url, join_url

logger = logging.getLogger(__name__)

# Request priorities: articles first (they are what a run is for, and finishing
# them frees memory), then listings, feeds, sitemaps.
PRIORITY_ARTICLE = 30
PRIORITY_LISTING = 20
PRIORITY_FEED = 10
PRIORITY_SITEMAP = 0

_HTML_TYPES = ("text/html", "application/xhtml+xml")
INCREMENTAL_STATS = (
    "incremental/new_urls",
    "incremental/rechecks",
    "incremental/known",
    "incremental/skipped_failed",
)
# Request meta this spider sets itself (the rest is Scrapy's, not to be copied).
_OWN_META = frozenset({"discovered_by", DOCUMENT_META})
# Request headers of a conditional request, not for a browser's second try
_VALIDATOR_HEADERS = (b"If-None-Match", b"If-Modified-Since")


# Download failures (after retries) by the reason the crawl stats and failed_pages show.
_DOWNLOAD_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (DownloadTimeoutError, "timeout"),
    (DownloadCancelledError, "too_large"),  # over DOWNLOAD_MAXSIZE: the download is cancelled
    (ResponseDataLossError, "truncated"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (CannotResolveHostError, "dns_error"),
    (DownloadFailedError, "connection_lost"),
)


def joined(response: Response, hrefs: Iterable[str]) -> list[str]:
    """Links of a page made absolute (against its <base href> if any); malformed ones dropped."""
    base = get_base_url(response) if isinstance(response, TextResponse) else response.url
    return [url for url in (join_url(base, href) for href in hrefs) if url]


def requested_url(request: Request) -> str:
    """The URL the spider asked for, before any redirect (what the incremental check knows)."""
    redirects: list[str] = request.meta.get("redirect_urls") or []
    return redirects[0] if redirects else request.url


def download_failure_reason(error: BaseException | None) -> str:
    """A short reason for a request that gave no response worth reading."""
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "max redirections" in message:
            return "redirect_loop"
        if "robots.txt" in message:
            return "robots_forbidden"
        if "request guard" in message:
            return "blocked"
        if "not in the archive" in message:
            return "archive_missing"  # -a archive=: the archive has no answer (crawler/archive/source.py)
        if "DOWNLOAD_MAXSIZE" in message:
            # HttpCompressionMiddleware: decompressed beyond the limit (a gzip bomb), like a page over it
            return "too_large"
        return "ignored"
    for kind, reason in _DOWNLOAD_FAILURES:
        if isinstance(error, kind):
            return reason
    return f"download_{type(error).__name__}" if error is not None else "download_error"


class NewsSpiderArgs(BaseModel):
    """Spider arguments (``-a name=value``), validated once at start-up."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, description="serve the site from elsewhere (a local mirror)")
    sections: list[str] | None = Field(default=None, description="section slugs to crawl; default all")
    max_pages: int | None = Field(default=None, ge=1, description="listing pages per section")
    discover: list[str] = Field(default=["listings", "feeds", "sitemaps"], description="discovery methods")
    refresh: bool = Field(
        default=False, description="fetch stored articles again and walk every listing page"
    )
    render: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="auto: the profile's rules, and pages whose HTML lacks the article; always; never",
    )
    archive: str | None = Field(
        default=None,
        description="answer every request from this WARC file or folder of them, never the network",
    )

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

    @field_validator("archive")
    @classmethod
    def _existing_archive(cls, value: str | None) -> str | None:
        if value is None:
            return value
        path = Path(value)
        if not path.exists():
            raise ValueError("no such file or folder")
        if path.is_dir() and not any(path.rglob("*.warc*")):
            raise ValueError("the folder holds no WARC file")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_base(cls, value: str | None) -> str | None:
        if value is not None and not is_http_url(value):
            raise ValueError("it is not an http(s) URL")
        return value


def check_sections(spider: str, profile: SiteProfile, args: NewsSpiderArgs) -> None:
    """``-a sections=`` names sections the profile has: a typo must not crawl nothing in silence."""
    known = [section.slug for section in profile.sections]
    unknown = [slug for slug in args.sections or () if slug not in known]
    if not unknown:
        return
    which = ", ".join(repr(slug) for slug in unknown)
    if not known:
        raise SpiderArgumentError(f"{spider}: -a sections={which}: this site has no sections; leave it out")
    raise SpiderArgumentError(
        f"{spider}: unknown section {which}; the sections are {', '.join(known)} "
        f"(e.g. -a sections={known[0]})"
    )


class NewsSpider(SpiderFlags, scrapy.Spider):
    """Base class: a subclass sets ``name`` and gets its profile by that name."""

    profile_name: ClassVar[str] = ""
    records_failures = True  # remember dead pages so cron runs skip them (crawler/spiders/flags.py)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.remember_rejected, signal=page_rejected)
        return spider

    def __init__(self, *args: Any, profile: str | None = None, **kwargs: Any) -> None:
        self.args = self.parse_arguments(kwargs)
        for key in NewsSpiderArgs.model_fields:
            kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        site = self.load_profile(profile)
        if self.args.base_url:
            site = site.with_base_url(self.args.base_url)
        check_sections(type(self).name, site, self.args)
        self.profile: SiteProfile = site
        self.allowed_domains = list(site.domains)
        self.started_at = datetime.now(UTC)

    def load_profile(self, profile: str | None) -> SiteProfile:
        """The site this spider crawls: by default the registered profile of its name."""
        return get_profile(profile or self.profile_name or self.name)

    @classmethod
    def parse_arguments(cls, spider_args: Mapping[str, Any]) -> NewsSpiderArgs:
        """The typed arguments among ``spider_args``; a :class:`SpiderArgumentError` saying what is wrong."""
        known = {key: value for key, value in spider_args.items() if key in NewsSpiderArgs.model_fields}
        try:
            return NewsSpiderArgs(**known)
        except ValidationError as error:
            logger.debug("%s: spider arguments refused: %s", cls.name, error)
            raise SpiderArgumentError.from_validation(cls.name, error, known) from error

    @classmethod
    def profile_of(cls, spider_args: Mapping[str, Any]) -> SiteProfile:
        """The profile a crawl with these arguments uses (before the spider exists)."""
        return get_profile(cls.profile_name or cls.name)

    @classmethod
    def check_arguments(cls, spider_args: Mapping[str, Any]) -> NewsSpiderArgs:
        """Every argument checked, against the site's profile too (its section slugs)."""
        args = cls.parse_arguments(spider_args)
        check_sections(cls.name, cls.profile_of(spider_args), args)
        return args

    @classmethod
    def run_name(cls, spider_args: dict[str, str]) -> str:
        """What one run is a run of, for the run lock: the spider, unless its arguments name a site.

        ``scrapy crawl`` calls this before it takes the run lock or opens the database, so
        the arguments are checked here: a bad one ends the command with one line on stderr
        (:class:`SpiderArgumentError` is a usage error) and leaves nothing behind.
        """
        cls.check_arguments(spider_args)
        return cls.name

    # -- discovery ---------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        # present when nothing was planned (every document answered 304), for monitors and scripts
        for key in INCREMENTAL_STATS:
            self.crawler.stats.set_value(key, self.crawler.stats.get_value(key, 0))
        if self.crawler.settings.getbool("DISTRIBUTED_JOIN"):
            return  # a process joining a distributed run takes its work from the shared queue
        for request in self.start_requests_list():
            yield request

    def start_requests_list(self) -> list[Request]:
        requests: list[Request | None] = []
        profile = self.profile
        if "listings" in self.args.discover:
            wanted = set(self.args.sections or [s.slug for s in profile.sections])
            for order, section in enumerate(profile.sections):
                if section.slug in wanted:
                    url = profile.url(section.path)
                    requests.append(
                        self.discovery_request(
                            url,
                            "listing",
                            self.parse_listing,
                            priority=PRIORITY_LISTING - order,
                            cb_kwargs={"section": section.slug, "page": 1},
                            meta=self.render_meta("listing", url, section.slug in profile.js_sections),
                        )
                    )
        if "feeds" in self.args.discover:
            requests += [
                self.discovery_request(profile.url(path), "feed", self.parse_feed, priority=PRIORITY_FEED)
                for path in profile.feeds
            ]
        if "sitemaps" in self.args.discover:
            requests += [
                self.discovery_request(
                    profile.url(path), "sitemap", self.parse_sitemap, priority=PRIORITY_SITEMAP
                )
                for path in profile.sitemaps
            ]
        return [request for request in requests if request is not None]

    # -- discovery documents: conditional requests, bounds (crawler/spiders/discovery.py) ----

    @cached_property
    def ledger(self) -> DiscoveryLedger:
        """This run's feeds, sitemaps and listing walks, and what earlier runs left of them."""
        settings = self.crawler.settings
        return DiscoveryLedger(
            self.name,
            self.known,
            # a refresh, or the run after an unfinished one, reads everything again
            shortcuts=settings.getbool("CONDITIONAL_REQUESTS_ENABLED") and not self.walk_every_listing_page,
            date_grace=timedelta(hours=settings.getfloat("SITEMAP_DATE_GRACE_HOURS")),
            lastmod_trust=timedelta(hours=settings.getfloat("SITEMAP_LASTMOD_TRUST_HOURS")),
        )

    def discovery_request(
        self,
        url: str,
        kind: str,
        callback: Callable[..., Any],
        *,
        priority: int,
        parent: str = "",
        lastmod: str = "",
        cb_kwargs: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Request | None:
        """The request of a feed, sitemap or listing front page, conditional when an earlier run
        settled it; None when this run requested it already (an index naming itself, two indexes
        naming one sitemap)."""
        if self.ledger.open(url, kind, parent, lastmod) is None:
            return None
        meta = {**(meta or {}), DOCUMENT_META: url}
        # a browser gets the page as a user would: no validators (crawler/rendering.py)
        headers = {} if meta.get("rendered") else self.ledger.conditional_headers(url)
        if headers:
            meta["handle_httpstatus_list"] = [NOT_MODIFIED]  # an answer for the callback, not an error
            self.crawler.stats.inc_value("discovery/conditional_requests")
        if kind == "sitemap":
            self.crawler.stats.inc_value("sitemap/requests")
        return Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            priority=priority,
            cb_kwargs=cb_kwargs or {},
            meta=meta,
            headers=headers,
        )

    def settle_documents(self) -> None:
        """Keep what this run learnt of its feeds, sitemaps and listings (crawler/spiders/discovery.py).
        A store that fails now loses nothing: without validators the next run reads everything."""
        try:
            counts = self.ledger.settle(datetime.now(UTC))
        except SQLAlchemyError as error:
            logger.warning("Could not keep the validators of this run's feeds and sitemaps: %s", error)
            self.crawler.stats.set_value("discovery/documents/not_kept", 1)
            return
        for verdict, count in counts.items():
            self.crawler.stats.set_value(f"discovery/documents/{verdict}", count)

    def not_modified(self, response: Response) -> bool:
        """The document did not change since it was settled: nothing to read (counted, no error)."""
        if response.status != NOT_MODIFIED:
            return False
        self.crawler.stats.inc_value("discovery/not_modified")
        logger.debug("Not modified since the last run: %s", response.url)
        return True

    # -- rendering ---------------------------------------------------------------------

    @cached_property
    def can_render(self) -> bool:
        return self.args.render != "never" and self.crawler.settings.getbool("RENDERING_AVAILABLE")

    def render_meta(self, kind: str, url: str, hinted: bool = False) -> dict[str, Any]:
        """Meta that sends the request through the browser, if this run renders it; else {}."""
        if not self.can_render:
            return {}
        if not (self.args.render == "always" or hinted or self.profile.needs_browser(url)):
            return {}
        self.crawler.stats.inc_value(f"render/{kind}_requests")
        return self.browser_meta(kind)

    def browser_meta(self, kind: str) -> dict[str, Any]:
        selectors = self.profile.selectors
        if kind == "listing":
            wait_for = (selectors.listing_links or ("article a[href]",))[0]
            return {**render_meta(wait_for, "body", self.crawler.settings), "rendered": True}
        container = (selectors.body or ("div.entry-content",))[0]
        return {**render_meta(f"{container} p", container, self.crawler.settings), "rendered": True}

    def render_again(self, response: Response, kind: str, **cb_kwargs: Any) -> Request | None:
        """With ``-a render=auto``: a page that came without its content but with scripts, once more
        through the browser (its content is inserted by JavaScript)."""
        if (
            self.args.render != "auto"
            or not self.can_render
            or response.meta.get("rendered")
            or response.request is None
            or b"<script" not in response.body
        ):
            return None
        self.crawler.stats.inc_value(f"render/{kind}_fallbacks")
        if DOCUMENT_META in response.request.meta:  # a listing (scrapy extract has no ledger)
            self.ledger.needs_browser(self.ledger.of(response.request))
        own_meta = {key: value for key, value in response.request.meta.items() if key in _OWN_META}
        again = response.request.replace(
            cb_kwargs=cb_kwargs or response.request.cb_kwargs,
            dont_filter=True,
            meta={**own_meta, **self.browser_meta(kind)},
        )
        for header in _VALIDATOR_HEADERS:
            again.headers.pop(header, None)
        return again

    def empty_profile_container(self, response: Response) -> bool:
        """The profile's body container is in the page but holds (almost) no text."""
        if not isinstance(response, TextResponse):
            return False
        for query in self.profile.selectors.body:
            found = response.css(query)
            if found:
                return len(" ".join(found.xpath("string()").getall()).strip()) < MIN_BODY_CHARS
        return False

    # -- incremental runs ----------------------------------------------------------

    @cached_property
    def known(self) -> KnownArticles:
        """The store, read before scheduling, so that stored articles are not fetched again."""
        return KnownArticles.from_crawler(self.crawler)

    @cached_property
    def walk_every_listing_page(self) -> bool:
        """Refresh runs, and the run after an interrupted one, do not stop at known pages.

        Stopping at the first fully known listing page is what makes a cron run
        cheap; after a run was killed halfway through a long backlog, the pages
        beyond it were never reached, so this run walks them all.
        """
        if self.args.refresh:
            return True
        if self.known.last_run_finished(self.name, run_key=self.crawler.stats.get_value("run/key")):
            return False
        logger.info(
            "The previous %s run did not finish, or stopped at a limit: walking every listing page", self.name
        )
        self.crawler.stats.set_value("incremental/catch_up", 1)
        return True

    def closed(self, reason: str) -> None:
        # the store is the crawl's, disposed by its owner (crawler/store/crawl.py)
        try:
            if reason == "closespider_timeout":
                logger.warning(
                    "Stopped at the run's wall-clock limit (CLOSESPIDER_TIMEOUT = %s s): what was "
                    "stored is kept, and the next run walks every listing page to reach the rest",
                    self.crawler.settings.get("CLOSESPIDER_TIMEOUT"),
                )
            if "ledger" in self.__dict__:
                self.settle_documents()
        finally:
            if "extractor" in self.__dict__:
                self.extractor.close()

    def article_urls(self, urls: Iterable[str]) -> list[str]:
        """The site's own article URLs among links, canonical, in order, once each."""
        found: dict[str, None] = {}
        for url in urls:
            if is_http_url(url):
                canonical = canonical_url(url)
                if self.profile.is_article_url(canonical):
                    found[canonical] = None
        return list(found)

    def article_requests(
        self,
        urls: Iterable[str],
        source: str,
        rendered_listing: bool = False,
        document: Document | None = None,
    ) -> tuple[list[Request], Plan]:
        """Requests for the article URLs among ``urls`` that this run should fetch."""
        candidates = self.article_urls(urls)
        plan = self.known.plan(candidates, datetime.now(UTC), run_started=self.started_at)
        stats = self.crawler.stats
        stats.inc_value("incremental/new_urls", len(plan.new))
        stats.inc_value("incremental/rechecks", len(plan.recheck))
        stats.inc_value("incremental/known", len(plan.known))
        stats.inc_value("incremental/skipped_failed", len(plan.failed))
        to_fetch = candidates if self.args.refresh else plan.to_fetch
        # what the document's validators may be kept for only once it is done (discovery.py)
        self.ledger.listed(document, [*to_fetch, *plan.this_run])
        requests = []
        for url in to_fetch:
            stats.inc_value(f"discovery/{source}")
            requests.append(
                Request(
                    url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    priority=PRIORITY_ARTICLE,
                    # articles listed only by JavaScript usually need it for their body too
                    meta={
                        "discovered_by": source,
                        **self.render_meta("article", url, hinted=rendered_listing),
                    },
                )
            )
        return requests, plan

    def _hrefs(self, response: TextResponse, queries: Iterable[str]) -> list[str]:
        for query in queries:
            hrefs = response.css(f"{query}::attr(href)").getall()
            if hrefs:
                return joined(response, hrefs)
        return []

    def listing_article_urls(self, response: TextResponse) -> list[str]:
        """Article links of a listing page: the profile's item selectors, else every article-shaped link."""
        urls = self._hrefs(response, self.profile.selectors.listing_links)
        if not urls:
            urls = joined(response, response.css("a::attr(href)").getall())
        return urls

    def parse_listing(self, response: Response, section: str, page: int) -> Iterator[Request]:
        document = self.ledger.answered(response)
        if self.not_modified(response):
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("listing/non_html")
            return
        self.crawler.stats.inc_value("listing/pages")
        links = self.listing_article_urls(response)
        next_pages = self._hrefs(response, self.profile.selectors.next_page)
        if not self.article_urls(links) and not next_pages:
            again = self.render_again(response, "listing")
            if again is not None:
                yield again
                return
        rendered = bool(response.meta.get("rendered"))
        requests, plan = self.article_requests(links, "listing", rendered_listing=rendered, document=document)
        yield from requests
        max_pages = self.args.max_pages or self.profile.max_listing_pages
        if page >= max_pages:
            return
        if plan.known and not plan.to_fetch and not self.walk_every_listing_page:
            # everything on this page is stored: older pages are too
            self.crawler.stats.inc_value("listing/stopped_at_known_page")
            return
        for url in next_pages:
            if self.profile.is_own_host(url) and is_http_url(url):
                hinted = rendered or section in self.profile.js_sections
                walk = {DOCUMENT_META: document.url} if document is not None else {}
                yield response.follow(
                    url,
                    callback=self.parse_listing,
                    errback=self.discovery_failed,
                    priority=PRIORITY_LISTING,
                    cb_kwargs={"section": section, "page": page + 1},
                    meta={**self.render_meta("listing", url, hinted=hinted), **walk},
                )
                break

    def unreadable(self, response: Response, kind: str, error: UnreadableDocument) -> None:
        """A feed or sitemap that gives no list of links one can trust: counted, logged, remembered."""
        stats = self.crawler.stats
        stats.inc_value(f"{kind}/unparsable" if error.reason == "unparsable" else f"{kind}/{error.reason}")
        stats.inc_value("discovery/failed")
        stats.inc_value(f"discovery/failed/{error.reason}")
        logger.warning("Unreadable %s %s: %s (%s)", kind, response.url, error.reason, error.detail)
        url = requested_url(response.request) if response.request else response.url
        self.ledger.failed(self.ledger.of(response.request), url, error.reason, lasting=True)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        document = self.ledger.answered(response)
        if self.not_modified(response):
            return
        try:
            links = feed_links(response.body)
        except UnreadableDocument as error:
            self.unreadable(response, "feed", error)
            return
        requests, _ = self.article_requests(joined(response, links), "feed", document=document)
        yield from requests

    def parse_sitemap(self, response: Response, depth: int = 0) -> Iterator[Request]:
        document = self.ledger.answered(response)
        if self.not_modified(response):
            if document is not None:
                # an index that did not change lists the sitemaps it listed: the store has them
                listed = [(url, state.listed_lastmod) for url, state in self.ledger.children(document.url)]
                yield from self.child_sitemaps(document, listed, depth)
            return
        try:
            sitemap = read_sitemap(response.body, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        except UnreadableDocument as error:
            self.unreadable(response, "sitemap", error)
            return
        if sitemap.is_index:
            children = [(entry.loc, entry.lastmod) for entry in sitemap.entries]
            yield from self.child_sitemaps(document, children, depth)
            return
        entries = sitemap.entries
        if document is not None:
            entries = [entry for entry in entries if not self.ledger.read_before(document.url, entry.dated)]
            self.crawler.stats.inc_value("sitemap/entries_read_before", len(sitemap.entries) - len(entries))
        requests, _ = self.article_requests([entry.loc for entry in entries], "sitemap", document=document)
        yield from requests

    def child_sitemaps(
        self, index: Document | None, entries: list[tuple[str, str]], depth: int
    ) -> Iterator[Request]:
        """The sitemaps an index lists (URL, <lastmod>), within SITEMAP_MAX_DEPTH and SITEMAP_MAX_FILES;
        those unchanged since they were settled, or that failed for good lately, are not fetched."""
        settings, stats = self.crawler.settings, self.crawler.stats
        parent = index.url if index is not None else ""
        own = [(url, mod) for url, mod in entries if is_http_url(url) and self.profile.is_own_host(url)]
        if own and depth + 1 > settings.getint("SITEMAP_MAX_DEPTH"):
            stats.inc_value("sitemap/too_deep")
            logger.warning(
                "Not following the %d sitemaps %s lists: nested %d deep (SITEMAP_MAX_DEPTH = %d)",
                len(own),
                parent,
                depth + 1,
                settings.getint("SITEMAP_MAX_DEPTH"),
            )
            self.ledger.cut_short(index)
            return
        limit = settings.getint("SITEMAP_MAX_FILES")
        if len(own) > limit - stats.get_value("sitemap/requests", 0):
            # more than the bound allows: the newest first (an index usually lists the oldest first)
            oldest = datetime.min.replace(tzinfo=UTC)
            own.sort(key=lambda entry: w3c_datetime(entry[1]) or oldest, reverse=True)
        now = datetime.now(UTC)
        for url, lastmod in own:
            if self.ledger.unchanged(url, lastmod, now):
                stats.inc_value("sitemap/unchanged")
                self.ledger.skip(url, parent, lastmod)
                continue
            failure = self.ledger.failed_lately(url, lastmod, now)
            if failure:
                stats.inc_value("sitemap/skipped_failed")
                logger.info("Not fetching %s again: %s lately (FAILED_RETRY_HOURS)", url, failure)
                self.ledger.skip(url, parent, lastmod)
                continue
            if stats.get_value("sitemap/requests", 0) >= limit:
                stats.inc_value("sitemap/over_limit")
                logger.warning("Not fetching %s: this run read SITEMAP_MAX_FILES = %d sitemaps", url, limit)
                self.ledger.cut_short(index)
                return
            request = self.discovery_request(
                url,
                "sitemap",
                self.parse_sitemap,
                priority=PRIORITY_SITEMAP,
                parent=parent,
                lastmod=lastmod,
                cb_kwargs={"depth": depth + 1},
            )
            if request is not None:
                yield request

    # -- articles ----------------------------------------------------------------

    def page_failed(self, url: str, reason: str, detail: str = "") -> None:
        self.crawler.stats.inc_value("pages/failed")
        self.crawler.stats.inc_value(f"pages/failed/{reason}")
        logger.warning("No article from %s: %s%s", url, reason, f" ({detail})" if detail else "")
        if self.records_failures:
            self.known.store.record_failure(canonical_url(url), self.name, reason, datetime.now(UTC))

    def remember_rejected(self, url: str, reason: str) -> None:
        """A stage rejected the page at ``url`` (canonical) for a lasting reason: :data:`page_rejected`."""
        if self.records_failures:
            self.known.store.record_failure(url, self.name, reason, datetime.now(UTC))

    accept_text: ClassVar[bool] = False  # flattened-text pages (scrapy extract on .txt files)

    @cached_property
    def extractor(self) -> ExtractorPool:
        """Extraction in worker processes where a core is free (crawler/extract/pool.py)."""
        workers = self.crawler.settings.get("EXTRACT_WORKERS")
        return ExtractorPool(default_workers() if workers in (None, "") else int(workers))

    async def parse_article(
        self, response: Response, record_url: str | None = None
    ) -> AsyncIterator[PageItem | Request]:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
        # failures are reported under the URL the spider asked for, not a redirect's target
        failed_url = requested_url(response.request) if response.request else response.url
        if not response.body.strip():
            self.page_failed(failed_url, "empty_page")
            return
        is_html = isinstance(response, HtmlResponse) or content_type.startswith(_HTML_TYPES)
        is_text = (
            self.accept_text
            and isinstance(response, TextResponse)
            and not is_html
            and (content_type.startswith("text/plain") or response.url.lower().endswith(".txt"))
        )
        if not isinstance(response, TextResponse) or not (is_html or is_text):
            self.page_failed(failed_url, "non_html", content_type or type(response).__name__)
            return
        if "mojibake" in response.flags:
            # garbled in every candidate encoding (crawler/middlewares/charset.py): never stored
            self.page_failed(failed_url, "mojibake", "the text reads as mis-decoded Arabic")
            return
        stats = self.crawler.stats
        # links resolve against where the page was published (``--url`` of scrapy extract)
        base_url = record_url or response.url
        profile = self.page_profile(base_url)
        try:
            extraction = await self.extractor.extract(response.text, is_text, base_url, profile)
        except ExtractionError as error:
            again = self.render_again(response, "article") if self.empty_profile_container(response) else None
            if again is not None:
                yield again
                return
            stats.inc_value("coverage/pages")  # an article page, counted without its fields
            self.page_failed(failed_url, error.reason, error.detail)
            return
        except Exception:
            stats.inc_value("coverage/pages")  # a bug, not the page: still a page without fields
            raise
        if extraction.meta.method != "profile" and self.empty_profile_container(response):
            # the template's body is there but empty (scripts fill it); a fallback found other text
            again = self.render_again(response, "article")
            if again is not None:
                yield again
                return
        stats.inc_value("pages/extracted")
        stats.inc_value(f"pages/extracted/{extraction.meta.method}")
        # field coverage, per article page read (the monitors' template-change signal). A page
        # is counted once its outcome is known, with its fields, never across an await: counts
        # recorded at any moment (a distributed worker's tally) then hold each page's fields
        stats.inc_value("coverage/pages")
        stats.inc_value("coverage/title")
        stats.inc_value("coverage/body")
        if extraction.meta.method == "profile":
            stats.inc_value("coverage/body_from_profile")
        yield PageItem(
            url=record_url or self.record_url(response.url, extraction.meta.canonical_url),
            site=self.page_site(profile),
            publisher=profile.publisher,
            fetched_at=datetime.now(UTC),
            meta=extraction.meta,
            blocks=extraction.blocks,
            requested_url=response.request.url if response.request else response.url,
            timezone=profile.timezone,
        )

    def page_profile(self, url: str) -> SiteProfile:
        """The profile a page is extracted with: the spider's own (``scrapy extract`` picks per page)."""
        return self.profile

    def page_site(self, profile: SiteProfile) -> str:
        """The record's ``site``: the spider's name (``scrapy extract`` names the page's profile)."""
        return self.name

    def record_url(self, response_url: str, declared: str) -> str:
        """The page's canonical link when it names an article of this site, else the fetched URL."""
        if declared and self.profile.is_article_url(canonical_url(declared)):
            return canonical_url(declared)
        return canonical_url(response_url)

    def discovery_failed(self, failure: Failure) -> None:
        """A listing, feed or sitemap that could not be read (after retries): counted and logged."""
        request = failure.request  # type: ignore[attr-defined]
        reason = download_failure_reason(failure.value)
        self.crawler.stats.inc_value("discovery/failed")
        self.crawler.stats.inc_value(f"discovery/failed/{reason}")
        logger.warning("Could not read %s: %s", request.url, reason)
        lasting = is_lasting(reason)
        self.ledger.failed(self.ledger.of(request), requested_url(request), reason, lasting=lasting)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.page_failed(requested_url(request), download_failure_reason(failure.value), str(failure.value))
