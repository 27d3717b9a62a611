"""Peak memory of a first crawl of 2,000 and of 10,000 articles: it must not grow with the site.

    .venv/bin/python -m bench.memory [--small 2000] [--large 10000] [-s NAME=VALUE …]

Serves a generated mirror on 127.0.0.1 and runs ``scrapy crawl alusbu`` on it
into a fresh SQLite store, once on a site of ``--small`` articles and once on
one of ``--large``. The peak resident set of the crawl process is the kernel's
own high-water mark (``VmHWM``), polled until the process exits, so no sample
can miss a peak; its children (Playwright's driver, if anything started it)
are reported apart, each by its own high-water mark. ``ru_maxrss`` is not used:
it reports the largest descendant, not the crawler itself.
A crawl whose memory grew with what it had seen (queued requests, a per-run
list of articles, an unbounded cache) would show it here: five times the
articles should cost nowhere near five times the memory.

``-s NAME=VALUE`` sets a setting of both crawls, to compare a change against the
defaults (``-s ARCHIVE_ENABLED=0``: the web archive's share).

Last line, one JSON object: ``rss_mb_2k``, ``rss_mb_10k`` (named after the
defaults whatever the sizes), ``ratio`` (target <= 1.3), and the pages and
articles each crawl stored.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.options import add_settings_option, settings_of
from devsite.harness import PROJECT_ROOT, crawl_command, read_stats
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site


def high_water_mark(pid: int) -> int:
    """The process's peak resident set so far, in kB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def crawl_peak_rss(
    articles: int, workdir: Path, settings: dict[str, str] | None = None
) -> tuple[float, dict[str, int]]:
    """Crawl a fresh mirror of ``articles``; the crawl's peak RSS in MB and its counts."""
    site = build_site(n_articles=articles)
    with MirrorServer(site) as server:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                *crawl_command(server.base_url, workdir, "alusbu", None, settings),
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'news.db'}"},
        )
        crawler_hwm, children_hwm = 0, {}
        while True:
            crawler_hwm = max(crawler_hwm, high_water_mark(process.pid))
            for child in children(process.pid):
                children_hwm[child] = max(children_hwm.get(child, 0), high_water_mark(child))
            pid, status, _usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"crawl of {articles} articles failed ({process.returncode}); see {workdir / 'crawl.log'}")
    stats = read_stats(workdir)
    counts = {
        "pages": int(stats.get("response_received_count", 0)),
        "stored": int(stats.get("articles/new", 0)),
        "mirror_articles": len(site.manifest["articles"]),
        "children_peak_mb": round(sum(children_hwm.values()) / 1024, 1),
    }
    return crawler_hwm / 1024, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=10000)
    add_settings_option(parser, "both crawls")
    options = parser.parse_args()
    settings = settings_of(options)

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        small_mb, small = crawl_peak_rss(options.small, Path(scratch) / "small", settings)
        print(f"{options.small} articles: {small_mb:.1f} MB peak, {small}", file=sys.stderr)
        large_mb, large = crawl_peak_rss(options.large, Path(scratch) / "large", settings)
        print(f"{options.large} articles: {large_mb:.1f} MB peak, {large}", file=sys.stderr)
    print(
        json.dumps(
            {
                "articles_small": options.small,
                "articles_large": options.large,
                "settings": settings,
                "small": small,
                "large": large,
                "rss_mb_2k": round(small_mb, 1),
                "rss_mb_10k": round(large_mb, 1),
                "ratio": round(large_mb / small_mb, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
