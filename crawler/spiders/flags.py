"""The flags a spider shows the components that serve it, declared once, with their meaning.

:class:`~crawler.spiders.base.NewsSpider` inherits :class:`SpiderFlags`;
a spider that needs other values overrides them as class attributes
(``scrapy extract``'s spider: crawler/commands/extract.py). A component reads
them through :func:`spider_flags`, which gives the declared defaults for a
spider that is not a :class:`SpiderFlags` (a plain Scrapy spider, a test's stand-in).

Who reads what:

* ``allow_internal_hosts``, ``allowed_schemes``: the request guard
  (crawler/middlewares/guard.py), before every request;
* ``records_failures``: the spider itself, when a page gives no article and
  when a stage rejects a page (:data:`crawler.signals.page_rejected`);
* ``revises_records``: the store stage (pipelines/store.py), on each save.

The spider's store (its incremental check, ``NewsSpider.known``) is no flag:
components that need the store get the crawl's one (crawler/store/crawl.py).
"""

from __future__ import annotations

from typing import ClassVar

# URL schemes a crawl may request (crawler/middlewares/guard.py).
ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https"})


class SpiderFlags:
    allow_internal_hosts: ClassVar[bool] = False
    """Requests may reach this machine and its private network (loopback, private and
    link-local addresses, ``localhost``). For inputs the user names (``scrapy extract``);
    a spider whose own allowed domains are internal (the mirror) may stay on them without it."""

    allowed_schemes: ClassVar[frozenset[str]] = ALLOWED_SCHEMES
    """URL schemes the request guard lets through (``scrapy extract`` adds ``file``)."""

    records_failures: ClassVar[bool] = False
    """Pages that gave no article, and pages a stage rejected (nothing relevant), are
    remembered in ``failed_pages`` so that incremental runs do not fetch them again
    (crawler/runs/incremental.py). Site spiders do; a debugging tool does not."""

    revises_records: ClassVar[bool] = False
    """Pages are re-extractions of pages stored before (``scrapy reextract``): the store
    compares a stored record field by field and writes what changed, instead of keying
    an update on the text (crawler/store/writer.py). Crawls do not."""


_DEFAULTS = SpiderFlags()


def spider_flags(spider: object) -> SpiderFlags:
    """The spider's flags: its own if it declares them, else the defaults."""
    return spider if isinstance(spider, SpiderFlags) else _DEFAULTS
