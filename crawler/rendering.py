"""Pages that need JavaScript, through Chromium with scrapy-playwright; every other page on plain HTTP.

Which requests are rendered is decided per request (crawler/spiders/base.py):
the site profile's flag (``needs_js``) and rules (``js_paths``, ``js_sections``),
and, with ``-a render=auto``, a page that looks like a script-built shell is
fetched once more through the browser: an article page whose template body
container is there but empty, a listing page without article links or a
next-page link, both with scripts. The articles of a rendered listing are
rendered from the start.

The browser is the system's Chromium (``CHROMIUM_PATH``, setting or
environment, default ``/usr/bin/chromium``): Playwright cannot download its
own browsers on most servers. A rendered page waits for its content container
and then for that container to stop changing (content inserted in several
steps, such as a read-also block added after the body), never for a fixed
time; images, fonts, media and requests to other hosts are not loaded;
scrapy-playwright closes each page after its response is read.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

logger = logging.getLogger(__name__)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PLAYWRIGHT_HANDLER = "crawler.rendering.LazyPlaywrightHandler"
# Resource types a text harvester never needs.
BLOCKED_RESOURCE_TYPES = frozenset({"image", "font", "media", "imageset"})
# Chromium flags for servers: no sandbox (containers run as root), no GPU, no
# background traffic (updates, sync, field trials) that a closed network refuses.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--mute-audio",
)

# Resolves once the element matching the selector (or the body) has not changed
# for ``quiet`` ms, or after ``most`` ms: content inserted in steps is complete.
SETTLE_SCRIPT = """
([selector, quiet, most]) => new Promise((resolve) => {
    const target = document.querySelector(selector) || document.body;
    let timer = null;
    const finish = () => { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(true); };
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quiet); });
    observer.observe(target, {childList: true, subtree: true, characterData: true});
    timer = setTimeout(finish, quiet);
    const cap = setTimeout(finish, most);
})
"""


def chromium_path(settings: BaseSettings) -> str | None:
    """The browser to launch: CHROMIUM_PATH from the environment, else the setting; None if absent."""
    path = os.environ.get("CHROMIUM_PATH") or settings.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    return path if Path(path).is_file() and os.access(path, os.X_OK) else None


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc]  # untyped library
    """scrapy-playwright's handler, starting Playwright at the first rendered request.

    scrapy-playwright starts Playwright's driver (a Node process of ~120 MB)
    when the engine starts, once per scheme it handles: a crawl that renders
    nothing, as most runs of most sites, carried two idle drivers (measured with
    bench/memory.py). Here the driver starts with the first request that asks
    for a browser, under a lock so concurrent first requests start one.
    Relies on scrapy-playwright 0.0.48's ``_launch`` (pinned in requirements.txt;
    tests/test_rendering.py renders through this handler).
    """

    _started: bool = False

    async def _maybe_launch_in_thread(self) -> None:
        """Engine start: nothing to launch yet."""

    async def _ensure_launched(self) -> None:
        async with self.browser_launch_lock:
            if not self._started:
                self._started = True
                await self._maybe_future_from_coro(self._launch())

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            await self._ensure_launched()
        response: Response = await super().download_request(request)
        return response


class Rendering:
    """Scrapy add-on: route requests marked for rendering through scrapy-playwright."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("RENDERING_ENABLED", True):
            settings.set("RENDERING_AVAILABLE", False, priority="addon")
            return
        path = chromium_path(settings)
        if path is None:
            logger.warning("No Chromium found (set CHROMIUM_PATH): pages that need JavaScript will be missed")
            settings.set("RENDERING_AVAILABLE", False, priority="addon")
            return
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers.update({"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER})
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="addon")
        options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
        options.setdefault("executable_path", path)
        options.setdefault("headless", True)
        options.setdefault("args", list(CHROMIUM_ARGS))
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="addon")
        settings.set("RENDERING_AVAILABLE", True, priority="addon")


def abort_request(request: Any) -> bool:
    """Playwright's request filter: no images, fonts, media, nor other hosts' resources."""
    if request.resource_type in BLOCKED_RESOURCE_TYPES:
        return True
    if request.resource_type == "document" and request.is_navigation_request():
        return False
    page_host = urlsplit(request.frame.url).hostname if request.frame.url.startswith("http") else None
    return page_host is not None and urlsplit(request.url).hostname != page_host


def render_meta(wait_for: str, settle_on: str, settings: BaseSettings) -> dict[str, Any]:
    """Request meta that renders the page, waits for ``wait_for``, then for ``settle_on`` to settle."""
    timeout = settings.getfloat("RENDER_WAIT_TIMEOUT", 10.0) * 1000
    quiet = settings.getint("RENDER_SETTLE_MS", 1000)
    return {
        "playwright": True,
        "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded"},
        "playwright_page_methods": [
            PageMethod("wait_for_selector", wait_for, timeout=timeout),
            PageMethod("evaluate", SETTLE_SCRIPT, [settle_on, quiet, timeout]),
        ],
    }
