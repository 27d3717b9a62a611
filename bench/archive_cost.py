"""What the web archive costs a crawl: bench.throughput's full crawl with it and without it.

    .venv/bin/python -m bench.archive_cost [--articles 500] [--rounds 4] [--latency 0.2]

Serves a generated mirror on 127.0.0.1 and runs the full crawl of bench/throughput.py
(``scrapy crawl alusbu``, every pipeline, a fresh SQLite store, the project's
settings, no politeness delay) ``--rounds`` times with the archive (the default)
and as many times with ``-s ARCHIVE_ENABLED=0``, in the order with, without,
without, with, … so that a load that rises or falls during the run weighs on both
alike. Reported: the medians of pages per second (the crawl's own elapsed time,
start-up excluded), of the CPU seconds of the crawl's processes (start-up
included: steadier than wall time on a shared machine) and of the crawl process's
CPU per page over the crawl window (``cpu/ms_per_response``) and the archive's
writer thread's own CPU per page (``archive/writer_cpu_s``); ``cost_pct``, the
loss of pages per second with the archive (target <= 5); the archive's size, and
that size per 1,000 articles stored; the load average at the end.

Last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.throughput import children_cpu_seconds, full_crawl
from devsite.harness import read_stats
from devsite.mirror.server import MirrorServer
from devsite.mirror.site import build_site

WITHOUT = {"ARCHIVE_ENABLED": "0"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=4, help="crawls with the archive, and as many without")
    parser.add_argument(
        "--latency", type=float, default=0.2, help="seconds each article page takes to answer"
    )
    options = parser.parse_args()

    rates: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    process_ms: dict[bool, list[float]] = {True: [], False: []}
    archive_bytes: list[int] = []
    writer_ms: list[float] = []
    per_thousand: list[float] = []
    order = [n % 4 in (0, 3) for n in range(2 * options.rounds)]  # with, without, without, with …
    with (
        tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch,
        MirrorServer(build_site(n_articles=options.articles), delay=options.latency) as server,
    ):
        for number, archived in enumerate(order):
            workdir = Path(scratch) / f"crawl{number}"
            before = children_cpu_seconds()
            seconds, pages, _urls, ms = full_crawl(server, workdir, None, None if archived else WITHOUT)
            cpu[archived].append(children_cpu_seconds() - before)
            rates[archived].append(pages / seconds)
            process_ms[archived].append(ms)
            stats = read_stats(workdir)
            if archived:
                size = int(stats.get("archive/bytes", 0))
                stored = int(stats.get("articles/new", 0)) or 1
                archive_bytes.append(size)
                writer_ms.append(1000 * float(stats.get("archive/writer_cpu_s", 0)) / max(pages, 1))
                per_thousand.append(size / stored * 1000)
            print(
                f"crawl {number} ({'with' if archived else 'without'} the archive): {pages} pages in "
                f"{seconds:.1f} s, {cpu[archived][-1]:.1f} CPU s, load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
            )
    with_rate, without_rate = statistics.median(rates[True]), statistics.median(rates[False])
    print(
        json.dumps(
            {
                "articles": options.articles,
                "rounds": options.rounds,
                "latency_s": options.latency,
                "pages_per_s_with": round(with_rate, 1),
                "pages_per_s_without": round(without_rate, 1),
                "cost_pct": round(100 * (1 - with_rate / without_rate), 1),
                "cpu_s_with": round(statistics.median(cpu[True]), 1),
                "cpu_s_without": round(statistics.median(cpu[False]), 1),
                "process_cpu_ms_per_page_with": round(statistics.median(process_ms[True]), 2),
                "process_cpu_ms_per_page_without": round(statistics.median(process_ms[False]), 2),
                # the archive's writer thread alone: building, compressing and writing each record
                "writer_thread_cpu_ms_per_page": round(statistics.median(writer_ms), 3),
                "archive_mb": round(statistics.median(archive_bytes) / 1e6, 2),
                "archive_mb_per_1000_articles": round(statistics.median(per_thousand) / 1e6, 2),
                "pages_per_s_each": {
                    "with": [round(r, 1) for r in rates[True]],
                    "without": [round(r, 1) for r in rates[False]],
                },
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
