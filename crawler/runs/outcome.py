"""How a run ended, in words: the problems that fail it, and a one-line summary, from the crawl stats.

Nobody reads a cron job's log until something is wrong, so the end of a run must
say it: each problem is one line that says what happened and what to do
("235 of 250 articles could not be stored: database or disk is full
(data/news.db): free space and run again; …"), and a run that stored nothing
says why ("www.elaosboa.com could not be resolved: check the network or -a
base_url"). Everything is read from the stats, so the run record
(crawler/extensions/runrecord.py), the summary in the log
(crawler/extensions/summary.py) and ``scrapy crawl``'s exit status and stderr
(crawler/commands/crawl.py) say the same thing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.store.failures import Cause, database_advice

# Finish reasons of a run that did its work (Scrapy's, and CloseSpider's limits).
FINISHED_REASONS = frozenset(
    {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}
)
# Monitors whose failure a problem line of its own already explains (the storage monitor).
STORAGE_MONITOR = "storage/"

# Download errors (Scrapy's downloader/exception_type_count/<class path>: Scrapy 2.19's own
# classes, and Twisted's that older handlers raise) and what they mean when no page could be
# fetched at all; "{host}" is the site's host name.
_RESOLVE = "{host} could not be resolved: check the network or -a base_url"
_REFUSED = "{host} refused the connection: is the site up? check -a base_url"
_SILENT = "{host} did not answer within DOWNLOAD_TIMEOUT: the site is down or very slow"
_LOST = "{host} closed every connection before the answer was complete"
_DOWNLOAD_ERRORS = {
    "CannotResolveHostError": _RESOLVE,
    "DNSLookupError": _RESOLVE,
    "DownloadConnectionRefusedError": _REFUSED,
    "ConnectionRefusedError": _REFUSED,
    "DownloadTimeoutError": _SILENT,
    "TimeoutError": _SILENT,
    "TCPTimedOutError": _SILENT,
    "ResponseDataLossError": _LOST,
    "ResponseNeverReceived": _LOST,
    "ConnectionLost": _LOST,
    "NoRouteError": "{host} cannot be reached from this machine: check the network",
}


def _int(stats: dict[str, Any], key: str) -> int:
    return int(stats.get(key, 0) or 0)


def _by_prefix(stats: dict[str, Any], prefix: str) -> Counter[str]:
    return Counter(
        {key[len(prefix) :]: int(value) for key, value in stats.items() if key.startswith(prefix) and value}
    )


@dataclass(frozen=True)
class Outcome:
    """A run's verdict: did it finish, what failed it (one line each), and its summary."""

    finished: bool
    problems: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.finished and not self.problems


def articles_attempted(stats: dict[str, Any]) -> int:
    """Articles that reached the store: stored in any way, or refused."""
    outcomes = ("new", "updated", "unchanged", "duplicate", "near_duplicate")
    return sum(_int(stats, f"articles/{outcome}") for outcome in outcomes) + _int(stats, "store/failed")


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """What the monitors weigh (crawler/runs/monitors.py): distinct requests (retries apart)
    and those that failed for good; new article URLs listed, and the articles read of them
    (stored in any way, dropped as irrelevant, or refused by the store)."""
    read = ("articles/new", "articles/duplicate", "articles/near_duplicate", "articles/dropped/irrelevant")
    return {
        "requested": _int(stats, "downloader/request_count") - _int(stats, "retry/count"),
        "failed": _int(stats, "pages/failed") + _int(stats, "discovery/failed"),
        "listed": _int(stats, "incremental/new_urls"),
        "read": sum(_int(stats, key) for key in read) + _int(stats, "store/failed"),
    }


# The field-coverage monitor's counts (crawler/runs/monitors.py): article pages read, and of
# them those where each field was found.
COVERAGE_COUNTS = ("pages", "title", "body", "published_at", "body_from_profile")


def coverage_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The article pages read and the fields found on them, keyed as the stats are
    (``coverage/pages``, ``coverage/title`` …), zeros included."""
    return {f"coverage/{name}": _int(stats, f"coverage/{name}") for name in COVERAGE_COUNTS}


def _main_cause(stats: dict[str, Any], prefix: str) -> Cause:
    causes = _by_prefix(stats, prefix)
    for cause, _ in causes.most_common():
        if cause in Cause.__members__.values():
            return Cause(cause)
    return Cause.ERROR


def problems(stats: dict[str, Any]) -> list[str]:
    """What failed the run, one line each, most important first (empty: nothing did)."""
    lines: list[str] = []
    where = str(stats.get("store/database", "the database"))
    if stats.get("run/start_failed"):
        lines.append(f"the crawl stopped before fetching anything: {stats['run/start_failed']}")
    refused = _int(stats, "store/failed")
    if refused:
        cause = _main_cause(stats, "store/failed/")
        line = (
            f"{refused} of {articles_attempted(stats)} articles could not be stored: "
            f"{database_advice(cause, where, str(stats.get('store/failed_detail', '')))}; "
            "nothing is lost: the next run fetches what was not stored"
        )
        if stats.get("store/stopped_after"):
            line += f" (the crawl stopped after {stats['store/stopped_after']} refused in a row)"
        lines.append(line)
    unrecorded = _int(stats, "store/records_failed")
    if unrecorded and not refused and not stats.get("run/start_failed"):
        cause = _main_cause(stats, "store/records_failed/")
        lines.append(
            f"{unrecorded} pages that gave no article could not be recorded: "
            f"{database_advice(cause, where)}; the next run fetches them again"
        )
    if stats.get("feed/failed"):
        lines.append(
            f"the run feed could not be written: {stats['feed/failed']}; "
            "its articles go into the next run's feed"
        )
    if stats.get("feed/cursor_failed"):
        lines.append(
            f"the run feed {stats.get('feed/path', '')} was written but its cursor could not be saved: "
            f"{stats['feed/cursor_failed']}; the next feed repeats its rows"
        )
    if stats.get("archive/failure"):
        # the articles are stored, but a later re-extraction would miss these pages (docs/reliability.md)
        kept, missing = _int(stats, "archive/records"), _int(stats, "archive/failed")
        lines.append(
            f"the web archive could not be written: {stats['archive/failure']}; "
            f"{missing} of {kept + missing} responses of this run are not in it (their articles are stored)"
        )
    if stats.get("statsfile/failed"):
        lines.append(f"the stats file could not be written: {stats['statsfile/failed']}")
    messages: dict[str, str] = dict(stats.get("monitors/messages", {}) or {})
    other = [name for name in stats.get("monitors/failed", []) or [] if not name.startswith(STORAGE_MONITOR)]
    if other:
        described = [f"{name} ({messages[name]})" if messages.get(name) else name for name in other]
        lines.append("monitors failed: " + "; ".join(described))
    reason = str(stats.get("finish_reason", ""))
    explained = stats.get("run/start_failed") or stats.get("store/stopped_after")
    if reason and reason not in FINISHED_REASONS and not explained:
        lines.append(f"the crawl did not finish (finish reason: {reason})")
    if stats.get("run/record_failed"):
        lines.append(f"the run record could not be completed: {stats['run/record_failed']}")
    return lines


def failed_reasons(stats: dict[str, Any], top: int = 3) -> tuple[int, str]:
    """Pages and articles that failed, and the most common reasons (``http_404 2, timeout 1``)."""
    reasons = _by_prefix(stats, "pages/failed/") + _by_prefix(stats, "discovery/failed/")
    reasons.pop("store_error", None)  # counted per article below
    reasons += Counter({f"store:{cause}": n for cause, n in _by_prefix(stats, "store/failed/").items()})
    total = sum(reasons.values())
    shown = ", ".join(f"{reason} {count}" for reason, count in reasons.most_common(top))
    if len(reasons) > top:
        shown += ", ..."
    return total, shown


def why_nothing_stored(stats: dict[str, Any]) -> str:
    """Why a run stored no article, in words, from its stats."""
    host = str(stats.get("run/host", "") or "the site")
    if _int(stats, "store/failed"):
        return "the store refused every article"
    if stats.get("run/start_failed"):
        return "the crawl stopped before fetching anything"
    if _int(stats, "robotstxt/forbidden") and not _int(stats, "pages/extracted"):
        if not _int(stats, "listing/pages"):
            return f"robots.txt disallows every listing page of {host}"
        return (
            f"robots.txt disallows the article pages of {host} ({_int(stats, 'robotstxt/forbidden')} refused)"
        )
    statuses = _by_prefix(stats, "downloader/response_status_count/") - _by_prefix(
        stats, "robotstxt/response_status_count/"
    )
    answered = sum(count for status, count in statuses.items() if status[:1] in "23")
    if not answered:
        errors = Counter(
            {
                name.rsplit(".", 1)[-1]: n
                for name, n in _by_prefix(stats, "downloader/exception_type_count/").items()
            }
        )
        for error, _ in errors.most_common():
            if error in _DOWNLOAD_ERRORS:
                return _DOWNLOAD_ERRORS[error].format(host=host)
        failing = [(int(status), n) for status, n in statuses.items() if status.isdigit()]
        if failing:
            failing.sort(key=lambda pair: (-pair[1], pair[0]))
            shown = ", ".join(
                f"HTTP {status}" + (f" ({n})" if len(failing) > 1 else "") for status, n in failing
            )
            return f"every page failed: {shown}"
        blocked = _by_prefix(stats, "guard/blocked/")
        if blocked:
            reasons = ", ".join(reason for reason, _ in blocked.most_common(3))
            return f"the request guard refused every request ({reasons})"
        if errors:
            return f"no page could be fetched ({', '.join(errors)})"
        return "no page was requested"
    listed = _int(stats, "incremental/new_urls") + _int(stats, "incremental/rechecks")
    if not listed:
        if _int(stats, "incremental/known"):
            return "nothing new: every article the site lists is stored already"
        return "the listing pages, feeds and sitemaps named no article: has the site's template changed?"
    if _int(stats, "articles/dropped/irrelevant"):
        return "every article fell below MIN_RELEVANCE"
    total, shown = failed_reasons(stats)
    if total:
        return f"no article page gave an article ({shown})"
    return "no article page gave an article"


def summary(stats: dict[str, Any], name: str) -> str:
    """The run in one line: new, updated, duplicates, failed with the top reasons, feed, log."""
    new, updated = _int(stats, "articles/new"), _int(stats, "articles/updated")
    duplicates = _int(stats, "articles/duplicate") + _int(stats, "articles/near_duplicate")
    parts: list[str] = []
    if stats.get("run/start_failed"):
        parts.append("nothing fetched")
    elif new or updated or duplicates or _int(stats, "articles/unchanged"):
        parts.append(f"{new} new, {updated} updated, {duplicates} duplicates")
    else:
        parts.append(f"nothing stored: {why_nothing_stored(stats)}")
    total, shown = failed_reasons(stats)
    if total or not stats.get("run/start_failed"):
        parts.append(f"{total} failed ({shown})" if total else "0 failed")
    if stats.get("feed/path"):
        parts.append(f"feed {stats['feed/path']} ({_int(stats, 'feed/rows')} rows)")
    elif stats.get("feed/failed"):
        parts.append("no feed (it could not be written)")
    elif stats.get("feed/skipped") and not stats.get("run/start_failed"):
        parts.append(f"no feed: {stats['feed/skipped']}")
    if stats.get("log/path"):
        parts.append(f"log {stats['log/path']}")
    return f"{name}: " + "; ".join(parts)


def judge(stats: dict[str, Any], name: str) -> Outcome:
    """The verdict on a run from its final stats."""
    finished = str(stats.get("finish_reason", "")) in FINISHED_REASONS
    return Outcome(finished=finished, problems=problems(stats), summary=summary(stats, name))
