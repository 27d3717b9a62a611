"""CPU a sentence vector costs, against the word reading of the same report.

    .venv/bin/python -m bench.meaning_cost [--limit N]

Over the distinct articles of every labelled trap set (tests/lens/), both readings
the story matcher makes of a report are timed in one run, each cache emptied first:
the word reading (crawler/lens/stories.py ``evidence``: terms, places, kinds of
action, states) and the sentence vector (crawler/lens/meaning.py, one thread).
Process CPU time, not wall time, so other load on the machine weighs less. Last
line, one JSON object: milliseconds of CPU per report for each, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bench.story_eval import SETS, _articles
from crawler.lens import meaning, stories
from crawler.store.placement import STORY_LEAD_CHARS, meaning_of


def measure(limit: int | None = None) -> dict[str, Any]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for name, path in SETS.items():
        if name == "pairs":
            continue  # the own pairs carry no event label; the trap sets hold the same kind of text
        for side in _articles(path):
            seen.setdefault((side["title"], side["body"]), side)
    reports = [(title, body[:STORY_LEAD_CHARS]) for title, body in seen][:limit]
    meaning.embed_text("تحميل النموذج")  # load the model outside the timing
    stories._headline_and_lead.cache_clear()
    stories.own_event.cache_clear()
    meaning.embed_text.cache_clear()

    started = time.process_time()
    for title, lead in reports:
        stories.evidence(title, lead, None, ())
    words = time.process_time() - started

    started = time.process_time()
    for title, lead in reports:
        meaning_of(title, lead)  # what the store embeds, and the key it keeps it by
    vectors = time.process_time() - started
    return {
        "reports": len(reports),
        "words_ms": round(1000 * words / len(reports), 3),
        "vector_ms": round(1000 * vectors / len(reports), 1),
        "ratio": round(vectors / words, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most this many reports")
    args = parser.parse_args()
    print(json.dumps(measure(args.limit)))


if __name__ == "__main__":
    main()
