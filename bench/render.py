"""Rendering benchmark: 300 pages through Chromium, memory at 100 and 300.

    .venv/bin/python -m bench.render [--articles 300]

Serves a mirror whose JavaScript-only section holds ``--articles`` articles
(their listings and bodies are built by scripts), and crawls that section alone
with ``-a render=always``, so that every page goes through the browser: the
listing pages and every article. The crawler samples its own resident memory
and that of its child processes (Playwright's driver and Chromium) after 100
and after 300 responses (crawler/extensions/memory.py).

Last line, one JSON object: ``pages``, ``pages_per_s``, ``rss_mb_scrapy_at_100``,
``rss_mb_scrapy_at_300``, ``rss_mb_browser_at_100``, ``rss_mb_browser_at_300``
(summed RSS of the browser's processes), the same as PSS, and the growths.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from devsite.harness import crawl
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as directory,
        MirrorServer(build_site(js_section=True, js_articles=options.articles)) as server,
    ):
        workdir = Path(directory)
        started = time.perf_counter()
        result, stats = crawl(
            server.base_url,
            workdir,
            args={"render": "always", "sections": "analysis", "discover": "listings"},
            settings={"MEMORY_SAMPLES": "100,300"},
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"crawl failed ({result.returncode}): {(workdir / 'crawl.log').read_text()[-3000:]}")
    pages = stats.get("response_received_count", 0)
    figures = {
        "pages": pages,
        "rendered_pages": stats.get("playwright/page_count", 0),
        "articles_stored": stats.get("articles/new", 0),
        "seconds": round(seconds, 1),
        "pages_per_s": round(pages / seconds, 2),
    }
    for kind in ("rss_mb_scrapy", "rss_mb_browser", "pss_mb_browser"):
        for at in (100, 300):
            figures[f"{kind}_at_{at}"] = stats.get(f"memory/{kind}_at_{at}")
        if figures[f"{kind}_at_100"] and figures[f"{kind}_at_300"]:
            figures[f"{kind}_growth"] = round(figures[f"{kind}_at_300"] / figures[f"{kind}_at_100"], 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
