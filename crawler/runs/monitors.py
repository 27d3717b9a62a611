"""Monitors run when a crawl closes (spidermon): nobody watches a cron job, so the job must fail loudly.

A failed monitor is logged by spidermon, written to the run record and makes
``scrapy crawl`` exit with status 3, which cron's MAILTO and systemd's
``OnFailure=`` notice. Thresholds are settings (crawler/settings.py).

Each monitor is named after what it checks, so that spidermon's report reads
the right way round ("FAIL: failed requests/share within the limit"), and each
failure says what is wrong, in numbers; the messages also go to the stats
(``monitors/messages``), which ``scrapy crawl`` prints (crawler/runs/outcome.py).

* **new articles**: the site listed article URLs the store did not have, yet
  none was stored (extraction or storage broke); in a distributed run, none by
  any worker of the run (they share one queue);
* **failed requests**: pages that failed (HTTP errors, pages without an
  article, download errors) over pages requested, by the whole run in a
  distributed one;
* **field coverage**: the share of article pages with a title, a body, a
  publish date, and a body found by the site profile's own selectors. A
  redesigned article template shows here first: fallbacks may still find a
  body, but not through the profile, and dates and titles go missing;
* **storage**: every article that reached the store was stored, the failed
  pages were recorded, and the run feed was written. Any refusal fails the
  run, whatever its share: a full disk or a read-only database loses nothing
  only if someone hears of it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action

from crawler.runs.outcome import articles_attempted, coverage_counts, run_counts

# spidermon 1.27 writes its report through Spider.log(), deprecated in Scrapy
# 2.14: the report is still logged, the warning says nothing about our crawl.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning)

DEFAULT_MIN_COVERAGE = {"title": 0.9, "body": 0.9, "published_at": 0.8, "body_from_profile": 0.5}


_F = TypeVar("_F")


def named(title: str) -> Callable[[_F], _F]:
    """spidermon's ``monitors.name``, typed (spidermon ships no type hints)."""
    decorator: Callable[[_F], _F] = monitors.name(title)
    return decorator


def _stats(monitor: Monitor) -> dict[str, Any]:
    stats: dict[str, Any] = monitor.data.stats
    return stats


def _setting(monitor: Monitor, name: str, default: Any) -> Any:
    return monitor.data.crawler.settings.get(name, default)


def _run_or_own(stats: dict[str, Any], own: dict[str, int]) -> tuple[dict[str, int], bool]:
    """The run's sums of ``own``'s counts (``distributed/run/…``, read by a distributed worker as
    it closes, crawler/runs/distributed.py) when every one was read, else ``own``; and which."""
    if all(f"distributed/run/{name}" in stats for name in own):
        return {name: int(stats[f"distributed/run/{name}"]) for name in own}, True
    return own, False


def _counts(monitor: Monitor) -> tuple[dict[str, int], str] | None:
    """The counts a monitor weighs, and whose they are: in a distributed run the run's, every
    worker's, since a worker's own share of a shared queue can be a listing whose articles
    others fetched, or a dead worker's last requests, bad pages all. None for a worker that
    closed after other workers had ended the run: the run's counts went with it, and the
    workers that ended it judged them."""
    stats = _stats(monitor)
    if stats.get("distributed/run/ended_elsewhere"):
        return None
    counts, the_run = _run_or_own(stats, run_counts(stats))
    return counts, " by any worker of the run" if the_run else ""


def _coverage(monitor: Monitor) -> tuple[dict[str, int], str]:
    """The article pages read and the fields found on them, and whose: in a distributed run
    every worker's (a worker's own share can be a few pages, one without a title enough to
    fail it). A page a killed worker read and its taker read again counts twice, with its
    title and body both times (crawler/spiders/base.py counts them together; the publish
    date follows a moment later, in a pipeline): the shares stay true."""
    stats = _stats(monitor)
    counts, the_run = _run_or_own(stats, coverage_counts(stats))
    return counts, " read by any worker of the run" if the_run else ""


def _fail(monitor: Monitor, message: str) -> None:
    """Fail ``monitor`` with ``message``, kept in the stats under the monitor's name."""
    stats = monitor.data.crawler.stats
    messages = dict(stats.get_value("monitors/messages") or {})
    messages[monitor.name] = message
    stats.set_value("monitors/messages", messages)
    monitor.fail(message)


@named("new articles")
class NewArticlesMonitor(Monitor):  # type: ignore[misc]
    @named("stored when the site listed new ones")
    def test_new_articles_stored(self) -> None:
        # read: stored, dropped as MIN_RELEVANCE asks, or refused (the storage monitor says so)
        found = _counts(self)
        if found is None:
            return
        counts, whose = found
        if counts["listed"] and not counts["read"]:
            _fail(self, f"the site listed {counts['listed']} new article URLs, none was stored{whose}")


@named("failed requests")
class ErrorRatioMonitor(Monitor):  # type: ignore[misc]
    @named("share within the limit")
    def test_error_ratio(self) -> None:
        """Requests that failed for good (after retries) over distinct requests: of the whole run
        in a distributed one, as one worker's share may be a handful of pages, all of them bad."""
        found = _counts(self)
        if found is None:
            return
        counts, whose = found
        requested, failed = counts["requested"], counts["failed"]
        if requested <= 0:
            return
        ratio = failed / requested
        limit = float(_setting(self, "MONITOR_MAX_ERROR_RATIO", 0.2))
        if ratio > limit:
            _fail(
                self,
                f"{failed} of {requested} requests{whose} failed ({ratio:.0%}), more than the {limit:.0%} "
                "allowed (MONITOR_MAX_ERROR_RATIO)",
            )


@named("field coverage")
class FieldCoverageMonitor(Monitor):  # type: ignore[misc]
    def _check(self, field: str) -> None:
        counts, whose = _coverage(self)
        pages = counts["coverage/pages"]
        if pages < int(_setting(self, "MONITOR_MIN_PAGES", 5)):
            return  # too few pages to judge a template
        rules = {**DEFAULT_MIN_COVERAGE, **_setting(self, "MONITOR_MIN_COVERAGE", {})}
        coverage = counts[f"coverage/{field}"] / pages
        if coverage < float(rules[field]):
            _fail(
                self,
                f"{field} found on {coverage:.0%} of {pages} article pages{whose}, "
                f"below the {float(rules[field]):.0%} minimum (MONITOR_MIN_COVERAGE)",
            )

    @named("title")
    def test_title(self) -> None:
        self._check("title")

    @named("body")
    def test_body(self) -> None:
        self._check("body")

    @named("publish date")
    def test_published_at(self) -> None:
        self._check("published_at")

    @named("body found by the site profile")
    def test_body_from_profile(self) -> None:
        self._check("body_from_profile")


@named("storage")
class StorageMonitor(Monitor):  # type: ignore[misc]
    """What the crawl fetched reached the store and the feed (crawler/runs/outcome.py says why not)."""

    @named("every article stored")
    def test_articles_stored(self) -> None:
        stats = _stats(self)
        if stats.get("run/start_failed"):
            _fail(self, f"the store refused the run's first record: {stats['run/start_failed']}")
        refused = int(stats.get("store/failed", 0))
        if refused:
            _fail(self, f"{refused} of {articles_attempted(stats)} articles could not be stored")

    @named("failed pages recorded")
    def test_failed_pages_recorded(self) -> None:
        unrecorded = int(_stats(self).get("store/records_failed", 0))
        if unrecorded:
            _fail(self, f"{unrecorded} pages that gave no article could not be recorded")

    @named("run feed written")
    def test_feed_written(self) -> None:
        stats = _stats(self)
        if stats.get("feed/failed"):
            _fail(self, f"the run feed could not be written: {stats['feed/failed']}")
        if stats.get("feed/cursor_failed"):
            _fail(self, f"the run feed's cursor could not be saved: {stats['feed/cursor_failed']}")


class RecordFailures(Action):  # type: ignore[misc]
    """Put the failed monitors in the stats: the run record and the exit status read them there."""

    def run_action(self) -> None:
        failed = [result.item.name for result in self.result.monitors_failed_results]
        self.data.crawler.stats.set_value("monitors/failed", failed)


class CrawlMonitors(MonitorSuite):  # type: ignore[misc]
    monitors: ClassVar[list[type[Monitor]]] = [
        NewArticlesMonitor,
        ErrorRatioMonitor,
        FieldCoverageMonitor,
        StorageMonitor,
    ]
    monitors_failed_actions: ClassVar[list[type[Action]]] = [RecordFailures]
