"""Log lines for scraped and dropped items that name the page, not its whole content."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from crawler.items import PageItem


def _describe(item: Any) -> str:
    if isinstance(item, PageItem):
        outcomes = ", ".join(f"{a.url} {a.store_outcome or 'processed'}" for a in item.articles)
        return f"{item.url} ({outcomes or 'no article'})"
    return repr(item)[:200]


def _quiet(result: LogFormatterResult, item: Any) -> LogFormatterResult:
    args = result["args"]
    if isinstance(args, dict):
        result["args"] = {**args, "item": _describe(item)}
    return result


class QuietItemLogFormatter(LogFormatter):
    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        return _quiet(result, item)

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return _quiet(result, item)
