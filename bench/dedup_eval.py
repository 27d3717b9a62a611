"""Precision and recall of near-duplicate detection on the labelled pairs, across thresholds.

    .venv/bin/python -m bench.dedup_eval [--real]

The decision is the store's: a candidate must share an LSH band or paragraph
key (crawler/text/neardup.py), then pass the containment and Jaccard floors. The
table sweeps the containment floor with the Jaccard floor fixed, and the last
line is a JSON object with the figures at the thresholds in crawler/text/neardup.py.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from functools import cache

from crawler.text import neardup
from devsite.dedup_pairs import Pair, evaluate, generated_pairs, real_text_pairs


@cache
def _fingerprint(body: str) -> neardup.Fingerprint | None:
    return neardup.fingerprint(body)


def decide_at(containment: float, jaccard: float) -> Callable[[str, str], bool]:
    def decide(a: str, b: str) -> bool:
        fa, fb = _fingerprint(a), _fingerprint(b)
        if fa is None or fb is None:
            return False
        sim = neardup.similarity(fa.shingles, fb.shingles)
        return neardup.is_candidate(fa, fb) and sim.containment >= containment and sim.jaccard >= jaccard

    return decide


def real_bodies() -> list[str]:
    """Bodies of the real pages in ../shared (seed and realpages), extracted by the project."""
    from devsite.harness import REALPAGES, SEED, process_html

    bodies: list[str] = []
    if SEED.exists():
        from crawler.extract import extract_text

        extraction = extract_text(SEED.read_text("utf-8"), "https://www.elaosboa.com/1/")
        from devsite.harness import process_extraction

        bodies += [a.body for a in process_extraction(extraction)]
    for page in sorted(REALPAGES.glob("*.html")) if REALPAGES.exists() else []:
        bodies += [a.body for a in process_html(page.read_text("utf-8", errors="replace"))]
    return bodies


def shared_keys(pairs: list[Pair], stories: int) -> tuple[dict[int, int], dict[int, int]]:
    """How many keys copies share with their original, and unrelated stories with each other."""
    import random
    from collections import defaultdict

    from devsite.dedup_pairs import story

    copies: Counter[int] = Counter()
    for pair in pairs:
        fa, fb = _fingerprint(pair.a), _fingerprint(pair.b)
        if pair.duplicate and fa is not None and fb is not None:
            copies[min(len(set(fa.keys) & set(fb.keys)), 5)] += 1
    rng = random.Random(1)
    prints = [neardup.fingerprint(story(rng).body) for _ in range(stories)]
    postings: dict[int, list[int]] = defaultdict(list)
    for number, found in enumerate(prints):
        for key in found.keys if found else ():
            postings[key].append(number)
    unrelated: Counter[int] = Counter()
    for number, found in enumerate(prints):
        others: Counter[int] = Counter(
            other for key in (found.keys if found else ()) for other in postings[key]
        )
        unrelated.update(min(n, 5) for other, n in others.items() if other > number)
    return dict(sorted(copies.items())), dict(sorted(unrelated.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", action="store_true", help="add pairs built from ../shared's real pages")
    parser.add_argument(
        "--stories", type=int, default=3000, help="unrelated stories for the key-sharing count"
    )
    options = parser.parse_args()
    pairs: list[Pair] = list(generated_pairs(seed=7, positives=600, negatives=800))
    if options.real:
        pairs += list(real_text_pairs(real_bodies()))
    print(f"{len(pairs)} pairs: {dict(Counter(p.kind for p in pairs))}")
    by_kind: dict[str, list[neardup.Similarity]] = {}
    for pair in pairs:
        fa, fb = _fingerprint(pair.a), _fingerprint(pair.b)
        if fa is not None and fb is not None:
            by_kind.setdefault(pair.kind, []).append(neardup.similarity(fa.shingles, fb.shingles))
    print(f"{'kind':<30} {'containment min/median/max':>28} {'jaccard min/median/max':>24}")
    for kind, sims in by_kind.items():
        cs = sorted(s.containment for s in sims)
        js = sorted(s.jaccard for s in sims)
        print(
            f"{kind:<30} {cs[0]:>10.2f} {cs[len(cs) // 2]:>7.2f} {cs[-1]:>7.2f}"
            f" {js[0]:>10.2f} {js[len(js) // 2]:>6.2f} {js[-1]:>6.2f}"
        )
    print(f"{'containment':>12} {'jaccard':>8} {'precision':>10} {'recall':>8}")
    for containment in (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9):
        for jaccard in (0.0, 0.1, 0.2, 0.3, 0.33, 0.35, 0.4):
            scores = evaluate(pairs, decide_at(containment, jaccard))
            print(f"{containment:>12.2f} {jaccard:>8.2f} {scores.precision:>10.4f} {scores.recall:>8.4f}")
    copies, unrelated = shared_keys(pairs, options.stories)
    print(f"keys shared (5 = five or more): copies {copies}")
    print(f"keys shared by pairs of {options.stories} unrelated stories: {unrelated}")
    chosen = evaluate(pairs, decide_at(neardup.MIN_CONTAINMENT, neardup.MIN_JACCARD))
    missed = Counter(
        p.kind
        for p in pairs
        if p.duplicate and not decide_at(neardup.MIN_CONTAINMENT, neardup.MIN_JACCARD)(p.a, p.b)
    )
    print(
        json.dumps(
            {
                "pairs": len(pairs),
                "min_containment": neardup.MIN_CONTAINMENT,
                "min_jaccard": neardup.MIN_JACCARD,
                "precision": round(chosen.precision, 4),
                "recall": round(chosen.recall, 4),
                "false_positives": chosen.false_positives,
                "false_negatives": chosen.false_negatives,
                "missed_by_kind": dict(missed),
                "copies_by_shared_keys": copies,
                "unrelated_pairs_by_shared_keys": unrelated,
            }
        )
    )


if __name__ == "__main__":
    main()
