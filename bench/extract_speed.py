"""Extraction speed: `scrapy extract`'s work per page against `trafilatura.extract` on the same pages.

    .venv/bin/python -m bench.extract_speed [--articles 200] [--rounds 3]

Pages: the mirror's article pages (generated, realistic Arabic CMS markup) and
the real pages of ../shared/realpages. Our side is what `scrapy extract` does
for a page once the bytes are in: extraction (metadata and blocks) and every
pipeline stage but storage (normalise, read-also, attribution, dates, dedup
with its MinHash fingerprint). trafilatura's side is `trafilatura.extract(html)`
with its defaults (text only). The two alternate, page by page, in each round;
the median of the rounds is reported.

Last line, one JSON object: ``pages``, ``ms_per_page``, ``trafilatura_ms_per_page``,
``ratio_vs_trafilatura`` (ours over trafilatura's; target <= 1.0), and the same
split by page source.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from collections import defaultdict

import trafilatura

from bench.pages import Page, corpus
from crawler.extract import ExtractionError, extract_html
from crawler.profiles import ALUSBU
from devsite.harness import process_extraction


def ours(page: Page) -> None:
    with contextlib.suppress(ExtractionError):
        process_extraction(extract_html(page.html, page.url, ALUSBU), page.url)


def theirs(page: Page) -> None:
    trafilatura.extract(page.html, url=page.url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    pages = corpus(options.articles)
    for page in pages[:5]:  # warm imports and caches on both sides
        ours(page)
        theirs(page)
    rounds: list[dict[str, dict[str, float]]] = []
    for _ in range(options.rounds):
        spent: dict[str, dict[str, float]] = defaultdict(lambda: {"ours": 0.0, "theirs": 0.0})
        for page in pages:
            for side, run in (("ours", ours), ("theirs", theirs)):
                started = time.perf_counter()
                run(page)
                elapsed = time.perf_counter() - started
                spent[page.source][side] += elapsed
                spent["all"][side] += elapsed
        rounds.append(spent)
    counts = {"all": len(pages)} | {
        s: sum(1 for p in pages if p.source == s) for s in {p.source for p in pages}
    }
    figures: dict[str, object] = {"pages": len(pages), "rounds": options.rounds}
    for source, count in counts.items():
        mine = statistics.median(r[source]["ours"] for r in rounds) * 1000 / count
        other = statistics.median(r[source]["theirs"] for r in rounds) * 1000 / count
        prefix = "" if source == "all" else f"{source}_"
        figures[f"{prefix}ms_per_page"] = round(mine, 3)
        figures[f"{prefix}trafilatura_ms_per_page"] = round(other, 3)
        figures[f"{prefix}ratio_vs_trafilatura"] = round(mine / other, 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
