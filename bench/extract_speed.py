"""Extraction speed: `scrapy extract`'s work per page against `trafilatura.extract` on the same pages.

    .venv/bin/python -m bench.extract_speed [--articles 200] [--rounds 3]

Pages: the mirror's article pages (generated, realistic Arabic CMS markup), the
real pages of ../shared/realpages, and the template families' and held-out
pages of tests/ (each read with the profile of its host, as `scrapy extract`
does). trafilatura's side is
`trafilatura.extract(html)` with its defaults (text only). Our side is timed in
two parts, so that like is compared with like:

- **extraction**: what turns the bytes into records, the job trafilatura does
  (and more: read-also, sources, embeds, dates): `extract_html` (metadata,
  locating and walking the body) and the field stages normalise, read-also,
  attribution and dates;
- **analysis**: what this project adds on top, which trafilatura has no part
  of: the lens (relevance, topics, actors) and the dedup keys (MinHash
  fingerprint).

The sides alternate, page by page, in each round; the median of the rounds is
reported. The target (issue 12) is on extraction: ``ratio_vs_trafilatura`` <= 1.0.

Last line, one JSON object: ``pages``, ``ms_per_page`` (extraction),
``analysis_ms_per_page``, ``trafilatura_ms_per_page``, ``ratio_vs_trafilatura``
(extraction over trafilatura), ``with_analysis_ratio`` (both parts over
trafilatura), and the same split by page source.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import trafilatura

from bench.pages import Page, corpus
from crawler.extract import ExtractionError, extract_html
from crawler.profiles import profile_for_url
from devsite.harness import page_item, stages

_SIDES = ("ours", "analysis", "theirs")
_ANALYSIS_STAGES = frozenset({"lens", "dedup"})
_STAGES = stages()
_FIELD_STAGES = [stage for stage in _STAGES if stage.stage not in _ANALYSIS_STAGES]
_LATER_STAGES = [stage for stage in _STAGES if stage.stage in _ANALYSIS_STAGES]
assert _STAGES == _FIELD_STAGES + _LATER_STAGES, "the analysis stages must run last"


def extraction(page: Page) -> Any:
    """The page's records with their fields, None when the page is not an article."""
    try:
        profile = profile_for_url(page.url)
        item = page_item(extract_html(page.html, page.url, profile), page.url, profile)
    except ExtractionError:
        return None
    for stage in _FIELD_STAGES:
        item = stage.process_item(item)
    return item


def analysis(item: Any) -> None:
    if item is not None:
        for stage in _LATER_STAGES:
            item = stage.process_item(item)


def theirs(page: Page) -> None:
    trafilatura.extract(page.html, url=page.url)


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    pages = corpus(options.articles, templates=True)
    for page in pages[:5]:  # warm imports and caches on both sides
        analysis(extraction(page))
        theirs(page)
    rounds: list[dict[str, dict[str, float]]] = []
    for _ in range(options.rounds):
        spent: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(_SIDES, 0.0))
        for page in pages:
            item, ours = _timed(lambda page=page: extraction(page))
            _, later = _timed(lambda item=item: analysis(item))
            _, other = _timed(lambda page=page: theirs(page))
            for key in (page.source, "all"):
                spent[key]["ours"] += ours
                spent[key]["analysis"] += later
                spent[key]["theirs"] += other
        rounds.append(spent)
    counts = {"all": len(pages)} | {
        s: sum(1 for p in pages if p.source == s) for s in {p.source for p in pages}
    }
    figures: dict[str, object] = {"pages": len(pages), "rounds": options.rounds}
    for source, count in counts.items():
        mine, later, other = (
            statistics.median(r[source][side] for r in rounds) * 1000 / count for side in _SIDES
        )
        prefix = "" if source == "all" else f"{source}_"
        figures[f"{prefix}ms_per_page"] = round(mine, 3)
        figures[f"{prefix}analysis_ms_per_page"] = round(later, 3)
        figures[f"{prefix}trafilatura_ms_per_page"] = round(other, 3)
        figures[f"{prefix}ratio_vs_trafilatura"] = round(mine / other, 3)
        figures[f"{prefix}with_analysis_ratio"] = round((mine + later) / other, 3)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
