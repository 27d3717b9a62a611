"""Backfill scan rate: MB/s of compressed WARC per core, on records of hosts no profile knows.

    .venv/bin/python -m bench.backfill [--size-mb 300] [--articles 200] [--rounds 3] [--warc PATH] [--no-e2e]

Writes (once; kept beside ``--warc`` for the next run) a WARC file shaped like Common
Crawl News (devsite/ccnews.py): one gzip member per record, a ``warcinfo`` record,
request records beside some responses, and response records of ``--size-mb``
megabytes of compressed news pages: a generated mirror of Al-Osboa with
``--articles`` articles under its real origin (www.elaosboa.com, a profiled site),
spread evenly among pages of 40 hosts no profile knows, 70 KB of HTML each on
average (50-100 KB is what CC-NEWS records hold), which gzip shrinks about 5:1 as it
does real news pages (the ratio is printed: a file that compresses less would flatter
the rate, since inflating is most of the work).

Then, in this process, one core, ``--rounds`` times (the median is reported):

* **scan**: :class:`crawler.archive.scan.WarcScanner` over the file with the backfill's
  own host filter (``Scope.of().keep_url``): every record's WARC header is parsed, the
  profiled site's article records are read whole (HTTP block and body), the others
  are not. MB/s of the compressed file per CPU second of this process (the per-core
  figure the target of 50 MB/s is about) and per wall second;
* **inflate**: the same file through zlib alone, every member inflated and thrown
  away: the floor any reader of gzip WARC pays, to show how close the scan comes to it.

And once, unless ``--no-e2e``: **end to end**, ``scrapy backfill FILE`` into a fresh
SQLite store (extraction, every stage, dedup, the store for the kept records): wall
time, MB/s, CPU seconds of the process, articles stored.

Last line, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from crawler.archive.backfill import Scope
from crawler.archive.scan import FileSource, WarcScanner
from devsite.ccnews import PROFILED_ORIGIN, mirror_responses, other_responses, write_warc
from devsite.harness import PROJECT_ROOT, read_stats, scrapy
from devsite.mirror.site import build_site

MB = 1_000_000
PAGE_SIZE = 70_000  # bytes of HTML per other-host page, on average (±40%)


def build(path: Path, size_mb: int, articles: int) -> dict[str, Any]:
    """Write the file (or reuse it when it was written with the same parameters)."""
    params = {"size_mb": size_mb, "articles": articles, "page_size": PAGE_SIZE, "version": 1}
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        described = json.loads(sidecar.read_text())
        if described.get("params") == params:
            return dict(described)
    started = time.monotonic()
    site = build_site(n_articles=articles, base_url=PROFILED_ORIGIN)
    mine = [r for r in mirror_responses(site) if r.url.rstrip("/").rsplit("/", 1)[-1].isdigit()]
    target = size_mb * MB
    # about how many other pages fill the file: 70 KB of HTML compresses to about 14 KB
    others = other_responses(target // (PAGE_SIZE // 5) + 1000, PAGE_SIZE)
    html = 0

    def mixed() -> Any:
        nonlocal html
        every = max(1, (target // (PAGE_SIZE // 5)) // max(1, len(mine)))
        pending = list(mine)
        for number, response in enumerate(others):
            if pending and number % every == 0:
                first = pending.pop(0)
                html += len(first.body)
                yield first
            html += len(response.body)
            yield response
            if stream.tell() >= target:
                break
        yield from pending

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        records = write_warc(stream, mixed(), name=path.name)
    described = {
        "params": params,
        "records": records,
        "profiled_records": len(mine),
        "bytes": path.stat().st_size,
        "html_bytes": html,
        "compression_ratio": round(html / path.stat().st_size, 2),
        "seconds_to_write": round(time.monotonic() - started, 1),
    }
    sidecar.write_text(json.dumps(described))
    return described


def scan_once(path: Path) -> dict[str, float]:
    scanner = WarcScanner(FileSource(path), Scope.of().keep_url)
    wall, cpu = time.monotonic(), time.process_time()
    kept = sum(1 for _ in scanner)
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    size = path.stat().st_size
    return {
        "mb_per_cpu_s": size / MB / cpu,
        "mb_per_s": size / MB / wall,
        "records_per_cpu_s": scanner.scanned / cpu,
        "records": scanner.scanned,
        "kept": kept,
    }


def inflate_once(path: Path) -> dict[str, float]:
    """Every gzip member inflated by zlib, output dropped: what reading gzip costs at the least."""
    wall, cpu = time.monotonic(), time.process_time()
    with path.open("rb", buffering=0) as stream:
        inflater = zlib.decompressobj(wbits=31)
        while chunk := stream.read(1 << 20):
            while chunk:
                inflater.decompress(chunk)
                chunk = inflater.unused_data
                if inflater.eof:
                    inflater = zlib.decompressobj(wbits=31)
                else:
                    break
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    size = path.stat().st_size
    return {"mb_per_cpu_s": size / MB / cpu, "mb_per_s": size / MB / wall}


def end_to_end(path: Path, workdir: Path) -> dict[str, Any]:
    database = f"sqlite:///{workdir / 'news.db'}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.monotonic()
    result = scrapy(
        "backfill",
        str(path),
        "-s",
        f"LOG_FILE={workdir / 'backfill.log'}",
        "-s",
        f"STATS_FILE={workdir / 'stats.json'}",
        env={"DATABASE_URL": database},
        timeout=3600,
    )
    wall = time.monotonic() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = read_stats(workdir)
    if result.returncode != 0:
        raise SystemExit(f"scrapy backfill failed ({result.returncode}): {result.stderr[-2000:]}")
    size = path.stat().st_size
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    return {
        "e2e_wall_s": round(wall, 1),
        "e2e_crawl_s": round(elapsed, 1),
        "e2e_mb_per_s": round(size / MB / elapsed, 1),
        "e2e_cpu_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1),
        "e2e_articles_new": int(stats.get("articles/new", 0)),
        "e2e_records_kept": int(stats.get("backfill/records/kept", 0)),
        "e2e_records_scanned": int(stats.get("backfill/records/scanned", 0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=300, help="compressed size of the WARC file")
    parser.add_argument("--articles", type=int, default=200, help="articles of the profiled site in it")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warc", type=Path, default=Path(tempfile.gettempdir()) / "bench-backfill" / "CC-NEWS-bench.warc.gz"
    )
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end scrapy backfill")
    args = parser.parse_args()

    described = build(args.warc, args.size_mb, args.articles)
    scans = [scan_once(args.warc) for _ in range(args.rounds)]
    inflates = [inflate_once(args.warc) for _ in range(args.rounds)]

    def median(rows: list[dict[str, float]], key: str) -> float:
        return round(statistics.median(row[key] for row in rows), 1)

    figures: dict[str, Any] = {
        "file_mb": round(described["bytes"] / MB, 1),
        "records": described["records"],
        "profiled_records": described["profiled_records"],
        "compression_ratio": described["compression_ratio"],
        "scan_mb_per_cpu_s": median(scans, "mb_per_cpu_s"),
        "scan_mb_per_s": median(scans, "mb_per_s"),
        "scan_records_per_cpu_s": median(scans, "records_per_cpu_s"),
        "scan_kept": int(scans[0]["kept"]),
        "inflate_mb_per_cpu_s": median(inflates, "mb_per_cpu_s"),
        "target_mb_per_cpu_s": 50,
        "rounds": args.rounds,
    }
    if not args.no_e2e:
        with tempfile.TemporaryDirectory(prefix="bench-backfill-") as workdir:
            figures |= end_to_end(args.warc, Path(workdir))
    figures["load_average"] = [round(load, 2) for load in os.getloadavg()]
    figures["cpus"] = len(os.sched_getaffinity(0))
    print(
        f"{figures['file_mb']} MB, {figures['records']} records ({figures['profiled_records']} profiled), "
        f"ratio {figures['compression_ratio']}: scan {figures['scan_mb_per_cpu_s']} MB per CPU second "
        f"({figures['scan_mb_per_s']} MB/s wall), zlib alone {figures['inflate_mb_per_cpu_s']}",
        flush=True,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    os.chdir(PROJECT_ROOT)
    main()
