"""Precision and recall of the defence relevance score and topics on the labelled snippets.

    .venv/bin/python -m bench.relevance_eval [--threshold X] [--sweep]

The snippets (tests/lens/relevance_snippets.jsonl) are split by a hash of
their id: about a third is held out, and was not looked at while the lexicon
and the threshold were tuned; its figures are reported apart. The output has
the per-threshold table (--sweep: 0.10 to 0.90), per-topic precision and
recall, every misclassified snippet with its score and matched terms, and as
its last line one JSON object with the figures at the threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crawler.lens.relevance import DEFAULT_MIN_RELEVANCE, evidence, score
from crawler.lens.topics import TOPICS

SNIPPETS = Path(__file__).resolve().parent.parent / "tests" / "lens" / "relevance_snippets.jsonl"


@dataclass(frozen=True)
class Snippet:
    id: str
    title: str
    body: str
    relevant: bool
    topics: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Scored:
    snippet: Snippet
    relevance: float
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def load_snippets(path: Path = SNIPPETS) -> list[Snippet]:
    snippets: list[Snippet] = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            snippets.append(
                Snippet(
                    row["id"],
                    row["title"],
                    row["body"],
                    bool(row["relevant"]),
                    tuple(row["topics"]),
                    row.get("note", ""),
                )
            )
    return snippets


def is_heldout(snippet_id: str) -> bool:
    """About one snippet in three, fixed by the id alone so the split never moves."""
    return hashlib.sha256(snippet_id.encode("utf-8")).digest()[0] % 3 == 0


def score_all(snippets: Iterable[Snippet]) -> list[Scored]:
    scored: list[Scored] = []
    for snippet in snippets:
        result = score(snippet.title, snippet.body)
        scored.append(Scored(snippet, result.relevance, tuple(result.topics)))
    return scored


def figures(tp: int, fp: int, fn: int) -> Figures:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(round(precision, 4), round(recall, 4), round(f1, 4), tp, fp, fn)


def relevance_figures(scored: Iterable[Scored], threshold: float) -> Figures:
    tp = fp = fn = 0
    for item in scored:
        predicted = item.relevance >= threshold
        tp += predicted and item.snippet.relevant
        fp += predicted and not item.snippet.relevant
        fn += not predicted and item.snippet.relevant
    return figures(tp, fp, fn)


def topic_figures(scored: Iterable[Scored], topic: str | None = None) -> Figures:
    """Topic assignment on the snippets labelled relevant, micro-averaged (or for one topic)."""
    tp = fp = fn = 0
    for item in scored:
        if not item.snippet.relevant:
            continue
        gold = {t for t in item.snippet.topics if topic in (None, t)}
        predicted = {t for t in item.topics if topic in (None, t)}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return figures(tp, fp, fn)


def misclassified(scored: Iterable[Scored], threshold: float) -> list[Scored]:
    return [item for item in scored if (item.relevance >= threshold) != item.snippet.relevant]


def _explain(item: Scored) -> str:
    found = evidence(item.snippet.title, item.snippet.body)
    positive = ", ".join(
        f"{phrase}({weight:g},{where[0]})" for phrase, _, weight, where in found.positive[:6]
    )
    negative = ", ".join(f"{phrase}({domain})" for phrase, domain, _, _ in found.negative[:4])
    return f"+[{positive}] -[{negative}]"


def score_time_ms(snippets: list[Snippet], words: int = 600, rounds: int = 5, calls: int = 100) -> float:
    """CPU time to score an article of ``words`` words built from the snippets' bodies.

    The best of several rounds of process time: wall time on a shared machine
    measures the neighbours as much as the scorer.
    """
    text = " ".join(" ".join(s.body for s in snippets).split()[:words])
    title = snippets[0].title
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(calls):
            score(title, text)
        best = min(best, (time.process_time() - started) / calls * 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=DEFAULT_MIN_RELEVANCE)
    parser.add_argument("--sweep", action="store_true", help="print the table for thresholds 0.10 to 0.90")
    options = parser.parse_args()
    snippets = load_snippets()
    scored = score_all(snippets)
    tuning = [item for item in scored if not is_heldout(item.snippet.id)]
    heldout = [item for item in scored if is_heldout(item.snippet.id)]
    print(
        f"{len(snippets)} snippets: {sum(s.relevant for s in snippets)} relevant, "
        f"{sum(not s.relevant for s in snippets)} not; {len(heldout)} held out"
    )
    thresholds = [round(0.1 + 0.05 * step, 2) for step in range(17)] if options.sweep else [options.threshold]
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'f1':>7} {'fp':>4} {'fn':>4}   held-out p/r")
    for threshold in thresholds:
        every = relevance_figures(scored, threshold)
        kept = relevance_figures(heldout, threshold)
        print(
            f"{threshold:>9.2f} {every.precision:>9.4f} {every.recall:>7.4f} {every.f1:>7.4f}"
            f" {every.false_positives:>4} {every.false_negatives:>4}   {kept.precision:.4f}/{kept.recall:.4f}"
        )
    print(f"\n{'topic':<22} {'precision':>9} {'recall':>7} {'gold':>5}")
    for topic in TOPICS:
        found = topic_figures(scored, topic)
        print(
            f"{topic:<22} {found.precision:>9.4f} {found.recall:>7.4f}"
            f" {found.true_positives + found.false_negatives:>5}"
        )
    wrong = misclassified(scored, options.threshold)
    print(f"\nmisclassified at {options.threshold:.2f}: {len(wrong)}")
    for item in sorted(wrong, key=lambda i: (i.snippet.relevant, -i.relevance)):
        kind = "FN" if item.snippet.relevant else "FP"
        split = "held-out" if is_heldout(item.snippet.id) else "tuning"
        print(f"  {kind} {item.relevance:.3f} {item.snippet.id} ({split}) {_explain(item)}")
    every = relevance_figures(scored, options.threshold)
    topics = topic_figures(scored)
    tuned = relevance_figures(tuning, options.threshold)
    kept = relevance_figures(heldout, options.threshold)
    kept_topics = topic_figures(heldout)
    print(f"\nCPU time to score a 600-word article: {score_time_ms(snippets):.3f} ms")
    print(
        json.dumps(
            {
                "snippets": len(snippets),
                "threshold": options.threshold,
                "precision": every.precision,
                "recall": every.recall,
                "f1": every.f1,
                "topic_precision": topics.precision,
                "topic_recall": topics.recall,
                "tuning_precision": tuned.precision,
                "tuning_recall": tuned.recall,
                "heldout_snippets": len(heldout),
                "heldout_precision": kept.precision,
                "heldout_recall": kept.recall,
                "heldout_topic_precision": kept_topics.precision,
                "heldout_topic_recall": kept_topics.recall,
            }
        )
    )


if __name__ == "__main__":
    main()
