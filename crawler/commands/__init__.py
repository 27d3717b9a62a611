"""Project commands (``COMMANDS_MODULE``): crawl, extract, export, reextract, backfill, runs,
search, browse, brief.

What the commands that run pages through a crawl without harvesting a site share:
their settings over the project's (:data:`TOOL_SETTINGS`, :func:`apply_defaults`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

# A command that runs given pages (saved files, archived responses) through extraction and
# the stages is no harvest of a site: quiet, no run feed (stored changes go into their site's
# next feed), no run record, lock or monitors of a run, no politeness delay, no web archive.
TOOL_SETTINGS: Mapping[str, Any] = {
    "LOG_LEVEL": "WARNING",
    "RUN_FEED_ENABLED": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RUN_RECORDS_ENABLED": False,
    "SPIDERMON_ENABLED": False,
    "RUN_LOCK_ENABLED": False,
    "ARCHIVE_ENABLED": False,
}


def apply_defaults(settings: BaseSettings, values: Mapping[str, Any]) -> None:
    """A command's own settings, over the project's, unless given on the command line."""
    for name, value in values.items():
        if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
            settings.set(name, value, priority="cmdline")
