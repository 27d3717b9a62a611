"""The discovery documents of a run (feeds, sitemaps, listing walks) and what the next run may skip.

An idle cron run (nothing new on the site) should cost one conditional request
per feed, sitemap index and section front page. So each document remembers its
validators (crawler/store/validators.py) and the next run sends them back
(``If-None-Match`` / ``If-Modified-Since``): a 304 costs no body and nothing is
parsed. A sitemap index that changed is read, but its children whose
``<lastmod>`` did not change are not fetched (for ``SITEMAP_LASTMOD_TRUST_HOURS``
after they were last confirmed); an index that answers 304 gives its children
from the store. Entries of a sitemap dated well before the sitemap was
last read in full were read then, and are not planned again.

A 304 is only safe if everything the document listed was done when the
validators were kept. So validators are written at the end of a run, and only
for a *settled* document: it answered, none of its pages failed, no bound cut it
short, each child document it listed is settled, and each article it listed is
in the store, failed for good, or not due for another fetch (a young article
fetched once is rechecked by the next run, which must therefore read the
document again). An unsettled document's validators are cleared. A run that is
killed writes nothing; a refresh run and the run after an unfinished one send no
validators and skip nothing (crawler/spiders/base.py decides, with
``walk_every_listing_page``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from scrapy.http import Request, Response

from crawler.runs.incremental import KnownArticles
from crawler.store.validators import DocumentState, load_documents, save_documents

logger = logging.getLogger(__name__)

# Request meta: the URL of the document a discovery request belongs to (a listing's later
# pages belong to its front page's walk).
DOCUMENT_META = "discovery_document"
NOT_MODIFIED = 304


@dataclass
class Document:
    """One discovery document of this run."""

    url: str
    kind: str  # feed | sitemap | listing | announcer
    parent: str = ""  # the sitemap index that listed it
    listed_lastmod: str = ""  # the <lastmod> that index gave it
    status: int = 0  # HTTP status of its answer; 0: no answer (yet)
    etag: str = ""
    last_modified: str = ""
    complete: bool = True  # False: one of its pages failed, or a bound left part of it unread
    skipped: bool = False  # not fetched: unchanged since it was settled (its <lastmod> says so)
    failure: str = ""  # a lasting failure of the document itself
    articles: list[str] = field(default_factory=list)  # article URLs it listed that were not done
    children: list[str] = field(default_factory=list)  # documents it listed (child sitemaps)


class DiscoveryLedger:
    """The documents of one spider's run, what the store remembers of them, and the writing back."""

    def __init__(
        self,
        spider: str,
        known: KnownArticles,
        *,
        shortcuts: bool,
        date_grace: timedelta,
        lastmod_trust: timedelta,
    ) -> None:
        self.spider = spider
        self.known = known
        # conditional requests, unchanged children skipped, old sitemap entries skipped
        self.shortcuts = shortcuts
        self.date_grace = date_grace
        self.lastmod_trust = lastmod_trust
        self.documents: dict[str, Document] = {}
        self._remembered: dict[str, DocumentState] | None = None

    @property
    def remembered(self) -> dict[str, DocumentState]:
        """What earlier runs left, read once, on first use."""
        if self._remembered is None:
            self._remembered = load_documents(self.known.store, self.spider)
        return self._remembered

    # -- this run's documents --------------------------------------------------------

    def open(self, url: str, kind: str, parent: str = "", listed_lastmod: str = "") -> Document | None:
        """Register a document about to be requested; None when this run already has it."""
        if url in self.documents:
            return None
        document = self.documents[url] = Document(url, kind, parent, listed_lastmod)
        if parent in self.documents:
            self.documents[parent].children.append(url)
        return document

    def skip(self, url: str, parent: str, listed_lastmod: str) -> None:
        """A child left unfetched because it did not change since it was settled."""
        if self.open(url, "sitemap", parent, listed_lastmod) is not None:
            self.documents[url].skipped = True

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the document's last settled answer, when allowed."""
        state = self.remembered.get(url) if self.shortcuts else None
        if state is None:
            return {}
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        return headers

    def of(self, request: Request | None) -> Document | None:
        if request is None:
            return None
        return self.documents.get(request.meta.get(DOCUMENT_META, ""))

    def answered(self, response: Response) -> Document | None:
        """Note the answer of a document's own URL (not of a later listing page)."""
        document = self.of(response.request)
        if document is None or document.status:
            return document
        document.status = response.status
        if response.status != NOT_MODIFIED and not response.meta.get("rendered"):
            # a browser's answer is not what the next plain request would be compared with
            document.etag = (response.headers.get("ETag") or b"").decode("latin-1")
            document.last_modified = (response.headers.get("Last-Modified") or b"").decode("latin-1")
        return document

    def needs_browser(self, document: Document | None) -> None:
        """The document's HTML is a shell its scripts fill: a 304 on the shell would say nothing of
        what the scripts show, so no validators are kept for it."""
        if document is not None:
            document.etag = document.last_modified = ""

    def listed(self, document: Document | None, urls: Iterable[str]) -> None:
        """Article URLs a document listed that are not done yet (to fetch, or stored by this run)."""
        if document is not None:
            document.articles.extend(urls)

    def cut_short(self, document: Document | None) -> None:
        if document is not None:
            document.complete = False

    def failed(self, document: Document | None, url: str, reason: str, lasting: bool) -> None:
        """A request of the document failed: its own URL (remembered if lasting) or a later page."""
        if document is None:
            return
        document.complete = False
        if lasting and url == document.url:
            document.failure = reason

    # -- what the store says ---------------------------------------------------------

    def children(self, index: str) -> list[tuple[str, DocumentState]]:
        """The sitemaps an index listed when it was last read (it answered 304: it lists them still)."""
        return sorted((url, state) for url, state in self.remembered.items() if state.parent_url == index)

    def unchanged(self, url: str, lastmod: str, now: datetime) -> bool:
        """The index gives the child the <lastmod> it gave when the child was settled, and that was
        confirmed lately: a sitemap can gain an entry older than its newest (a post published with
        an earlier date than another's edit) and keep its <lastmod>, so the trust runs out and the
        child is asked for again (conditionally: a 304 if it did not change)."""
        state = self.remembered.get(url) if self.shortcuts else None
        if state is None or not lastmod or state.listed_lastmod != lastmod or state.read_at is None:
            return False
        return now - state.read_at < self.lastmod_trust

    def failed_lately(self, url: str, lastmod: str, now: datetime) -> str:
        """The child's lasting failure, if recent and its <lastmod> did not change since; else ""."""
        state = self.remembered.get(url)
        if not self.shortcuts or state is None or not state.failure or state.failed_at is None:
            return ""
        if state.listed_lastmod != lastmod or now - state.failed_at >= self.known.failed_retry:
            return ""
        return state.failure

    def read_before(self, url: str, dated: datetime | None) -> bool:
        """A sitemap entry dated well before the sitemap was last read in full: read then."""
        state = self.remembered.get(url) if self.shortcuts else None
        if dated is None or state is None or state.read_at is None:
            return False
        return dated < state.read_at - self.date_grace

    # -- the end of the run --------------------------------------------------------------

    def settle(self, now: datetime) -> dict[str, int]:
        """Write what this run learnt of its documents; counts of settled, unsettled and failed."""
        if not self.documents:
            return {}
        verdicts: dict[str, bool] = {}
        for url in self.documents:
            self._settled(url, now, verdicts)
        states: dict[str, DocumentState] = {}
        dropped: list[tuple[str, set[str]]] = []
        counts = {"settled": 0, "unsettled": 0, "failed": 0}
        for url, document in self.documents.items():
            if document.skipped:
                continue
            state = self._state(document, verdicts[url], now)
            if state is not None:
                states[url] = state
            if document.failure:
                counts["failed"] += 1
            else:
                counts["settled" if verdicts[url] else "unsettled"] += 1
            if verdicts[url] and document.kind == "sitemap" and document.status != NOT_MODIFIED:
                dropped.append((url, set(document.children)))
        save_documents(self.known.store, self.spider, states, dropped)
        return counts

    def _settled(self, url: str, now: datetime, verdicts: dict[str, bool]) -> bool:
        if url in verdicts:
            return verdicts[url]
        verdicts[url] = False  # a child listing an ancestor: not settled until proven
        document = self.documents[url]
        if document.skipped:
            verdicts[url] = True
            return True
        answered = 200 <= document.status < 300 or document.status == NOT_MODIFIED
        settled = answered and document.complete and not document.failure
        settled = settled and all(self._settled(child, now, verdicts) for child in document.children)
        if settled and document.articles:
            plan = self.known.plan(document.articles, now)
            settled = not plan.new and not plan.recheck
        verdicts[url] = settled
        return settled

    def _state(self, document: Document, settled: bool, now: datetime) -> DocumentState | None:
        """The row to write for a document, or None to leave what is there."""
        before = self.remembered.get(document.url, DocumentState())
        if document.failure:
            return replace(
                before,
                etag="",
                last_modified="",
                parent_url=document.parent,
                listed_lastmod=document.listed_lastmod,
                failure=document.failure,
                failed_at=now,
            )
        if not document.status:
            return None  # never answered (the run ended first, or it failed for now): nothing learnt
        if not settled:
            if before == DocumentState() and document.status == NOT_MODIFIED:
                return None
            return replace(before, etag="", last_modified="", listed_lastmod="", parent_url=document.parent)
        if document.status == NOT_MODIFIED:
            # as it was when read in full, and all it lists is done: as good as read now
            lastmod = document.listed_lastmod or before.listed_lastmod
            return replace(
                before, parent_url=document.parent, listed_lastmod=lastmod, read_at=now, failure=""
            )
        return DocumentState(
            etag=document.etag,
            last_modified=document.last_modified,
            parent_url=document.parent,
            listed_lastmod=document.listed_lastmod,
            read_at=now,
        )
