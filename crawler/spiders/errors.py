"""Errors a spider raises about what the user asked for, worded for the person at the terminal.

:class:`SpiderArgumentError` is a Scrapy :class:`~scrapy.exceptions.UsageError`:
raised before the crawl starts (``NewsSpider.run_name``, which ``scrapy crawl``
calls before it takes the run lock or opens the database), Scrapy's command line
prints ``usage: …`` and ``error: <message>`` and exits with status 2, with no
traceback and nothing left on disk. It is also a :class:`ValueError`, which is
what a bad argument was before, for callers that create spiders themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from scrapy.exceptions import UsageError

# How to write each spider argument (``-a name=value``), said after what was wrong with it.
ARGUMENT_HINTS: dict[str, str] = {
    "base_url": "give the address the site is served from, e.g. -a base_url=http://127.0.0.1:8000",
    "sections": "give section slugs separated by commas, e.g. -a sections=military,politics",
    "max_pages": "give the number of listing pages to walk per section, 1 or more, e.g. -a max_pages=5",
    "discover": "give listings, feeds or sitemaps, or several separated by commas",
    "refresh": "give 1 to fetch stored articles again, 0 (the default) not to",
    "render": "give auto (the default), always or never",
    "archive": "give a WARC file or a folder of them an earlier crawl wrote, e.g. -a archive=archive/alusbu/",
}


class SpiderArgumentError(UsageError, ValueError):
    """A spider argument that cannot be used; the message says which, and how to write it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, print_help=False)
        self.message = message

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_validation(
        cls, spider: str, error: ValidationError, given: Mapping[str, Any]
    ) -> SpiderArgumentError:
        """One line for the first argument pydantic refused: the argument as typed, why, and a hint."""
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        value = given.get(name, first.get("input"))
        reason = str(first["msg"]).removeprefix("Value error, ")
        hint = ARGUMENT_HINTS.get(name, "")
        others = len({str(e["loc"][0]) for e in error.errors() if e["loc"]} - {name})
        more = f" ({others} more argument{'s' if others > 1 else ''} refused: see the log)" if others else ""
        return cls(
            f"{spider}: -a {name}={value} is not valid: {reason[:1].lower()}{reason[1:].rstrip('.')}"
            + (f"; {hint}" if hint else "")
            + more
        )
