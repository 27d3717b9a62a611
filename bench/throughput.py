"""Throughput of the full crawl against a bare Scrapy spider fetching the same pages.

    .venv/bin/python -m bench.throughput [--articles 1000] [--rounds 3] [--latency 0.2]

Serves a generated mirror on 127.0.0.1. Each round runs, one after the other:

* the full crawl: ``scrapy crawl alusbu`` with every pipeline and a fresh
  SQLite store (a first harvest, so every article is extracted, split,
  attributed, fingerprinted and inserted), the project's concurrency, no
  politeness delay (the site is ours);
* the bare crawl: bench/bare_spider.py, Scrapy's defaults with the same
  concurrency, fetching exactly the URLs the full crawl fetched, in the same
  order, doing nothing with them.

Rates are responses over the crawl's own ``elapsed_time_seconds`` (process
start-up excluded on both sides). The two alternate within the run so that
the machine's noise falls on both; the median of the rounds is reported.

``--latency`` holds every article page that many seconds before the server
answers, as a real site's response time does: a news article from a server
abroad takes 0.2 s or more (time to first byte plus transfer), which is the
default. The crawl's CPU work per article (extraction, the text stages, the
lens, MinHash, the store's transaction: 10-16 ms on the build machine, see
bench/stages.py) overlaps with other requests' waiting; with ``--latency 0``
on loopback nothing is left to overlap and the ratio is CPU against CPU, a
case no deployment sees (the project's own settings add a 0.5 s politeness
delay per site). docs/benchmarks.md reports 0, 0.05 and 0.2.

The full crawl runs with the project's settings (the extraction worker where
two cores are free, crawler/extract/pool.py) unless ``--extract-workers`` or
``-s NAME=VALUE`` say otherwise, to compare a change against the defaults.

Last line, one JSON object: ``pages``, ``full_pages_per_s``,
``bare_pages_per_s``, ``ratio_vs_bare`` (target >= 0.9 at 0.2 s), ``latency_s``,
the CPU seconds each crawl took (``full_cpu_s``, ``bare_cpu_s``: whole
processes, steadier than wall time where other jobs share the machine) and
the load average at the end (a ratio measured on a loaded machine is low), and
``full_process_cpu_ms_per_page``: CPU of the crawl process alone per response,
spider open to close (crawler/extensions/cpu.py): the reactor and the store's
writer thread share one GIL, so this bounds the pace, and it moves little
with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.options import add_settings_option, settings_of
from crawler.extract.pool import default_workers
from devsite.harness import PROJECT_ROOT, crawl
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site

CONCURRENT_REQUESTS = 16  # the project's settings, given to both crawls
CONCURRENT_REQUESTS_PER_DOMAIN = 4


def full_crawl(
    server: MirrorServer, workdir: Path, extract_workers: int | None, extra: dict[str, str] | None = None
) -> tuple[float, int, list[str], float]:
    server.log.clear()
    settings = {
        "CONCURRENT_REQUESTS": str(CONCURRENT_REQUESTS),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(CONCURRENT_REQUESTS_PER_DOMAIN),
        "LOG_LEVEL": "INFO",
        **(extra or {}),
    }
    if extract_workers is not None:
        settings["EXTRACT_WORKERS"] = str(extract_workers)
    result, stats = crawl(
        server.base_url,
        workdir,
        database_url=f"sqlite:///{workdir / 'news.db'}",
        settings=settings,
        timeout=3600,
    )
    if result.returncode != 0:
        sys.exit(f"full crawl failed ({result.returncode}); see {workdir / 'crawl.log'}")
    urls = [
        server.base_url + record.path + (f"?{record.query}" if record.query else "")
        for record in server.log.records()
    ]
    return (
        float(stats["elapsed_time_seconds"]),
        int(stats["response_received_count"]),
        urls,
        float(stats.get("cpu/ms_per_response", 0.0)),
    )


def children_cpu_seconds() -> float:
    """CPU time (user and system) of the finished child processes, theirs included (the
    crawl's extraction worker): steadier than wall time on a machine other jobs share."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_crawl(urls: list[str], workdir: Path) -> tuple[float, int]:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "urls.txt").write_text("\n".join(urls))
    command = [
        sys.executable,
        "-m",
        "bench.bare_spider",
        str(workdir / "urls.txt"),
        str(workdir / "stats.json"),
        "--concurrency",
        str(CONCURRENT_REQUESTS),
        "--per-domain",
        str(CONCURRENT_REQUESTS_PER_DOMAIN),
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, timeout=3600)
    stats = json.loads((workdir / "stats.json").read_text())
    return float(stats["elapsed_time_seconds"]), int(stats["response_received_count"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--latency", type=float, default=0.2, help="seconds each article page takes to answer"
    )
    parser.add_argument(
        "--extract-workers",
        type=int,
        default=None,
        help="EXTRACT_WORKERS of the full crawl (crawler/extract/pool.py); default: the project's",
    )
    add_settings_option(parser, "the full crawl")
    options = parser.parse_args()
    extra = settings_of(options)

    site = build_site(n_articles=options.articles)
    full_rates: list[float] = []
    bare_rates: list[float] = []
    full_cpu: list[float] = []
    bare_cpu: list[float] = []
    process_ms_per_page: list[float] = []
    pages = 0
    with (
        tempfile.TemporaryDirectory(prefix="bench-throughput-") as scratch,
        MirrorServer(site, delay=options.latency) as server,
    ):
        for number in range(options.rounds):
            cpu = children_cpu_seconds()
            seconds, pages, urls, process_ms = full_crawl(
                server, Path(scratch) / f"full{number}", options.extract_workers, extra
            )
            process_ms_per_page.append(process_ms)
            full_rates.append(pages / seconds)
            full_cpu.append(children_cpu_seconds() - cpu)
            cpu = children_cpu_seconds()
            bare_seconds, bare_pages = bare_crawl(urls, Path(scratch) / f"bare{number}")
            bare_rates.append(bare_pages / bare_seconds)
            bare_cpu.append(children_cpu_seconds() - cpu)
            print(
                f"round {number}: full {pages} pages in {seconds:.1f}s,"
                f" bare {bare_pages} in {bare_seconds:.1f}s",
                file=sys.stderr,
            )
    full = statistics.median(full_rates)
    bare = statistics.median(bare_rates)
    print(
        json.dumps(
            {
                "articles": options.articles,
                "pages": pages,
                "rounds": options.rounds,
                "latency_s": options.latency,
                "extract_workers": (
                    default_workers() if options.extract_workers is None else options.extract_workers
                ),
                "settings": extra,
                "full_pages_per_s": round(full, 1),
                "bare_pages_per_s": round(bare, 1),
                "ratio_vs_bare": round(full / bare, 3),
                # whole processes, start-up (about 4 s of imports each) included
                "full_cpu_s": round(statistics.median(full_cpu), 1),
                "bare_cpu_s": round(statistics.median(bare_cpu), 1),
                # the crawl process alone (reactor and writer thread, one GIL), crawl window only:
                # what bounds the pace on two cores (crawler/extensions/cpu.py)
                "full_process_cpu_ms_per_page": round(statistics.median(process_ms_per_page), 2),
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
