"""Precision and recall of story clustering on the labelled pairs, across score thresholds.

The threshold swept is the one for reports more than CLOSE_HOURS apart; closer
ones use it minus CLOSE_DISCOUNT (crawler/lens/stories.py).

    .venv/bin/python -m bench.story_eval [--sweep]

Pairs: tests/lens/story_pairs.jsonl (two reports each, labelled same story or
not, by kind: the same event in other words, the same actors in another event,
the same kind of event days apart, unrelated, headlines that share most words).
Each side's actors come from crawler/lens/actors.py, as in a crawl; the
decision is crawler/lens/stories.py's ``same_story``. The last line is a JSON
object with the figures at the threshold in crawler/lens/stories.py.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.lens import stories
from crawler.lens.actors import find_actors

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "lens" / "story_pairs.jsonl"


@dataclass(frozen=True)
class LabelledPair:
    id: str
    kind: str
    same_story: bool
    a: stories.StoryEvidence
    b: stories.StoryEvidence


def _evidence(side: dict[str, Any]) -> stories.StoryEvidence:
    actors = [actor.name for actor in find_actors(side["title"], side["body"])]
    published = datetime.fromisoformat(side["published"]) if side.get("published") else None
    return stories.evidence(side["title"], side["body"], published, actors)


def load_pairs(path: Path = PAIRS) -> list[LabelledPair]:
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append(
                LabelledPair(
                    row["id"], row["kind"], row["same_story"], _evidence(row["a"]), _evidence(row["b"])
                )
            )
    return pairs


def evaluate(pairs: list[LabelledPair], threshold: float = stories.MIN_STORY_SCORE) -> dict[str, Any]:
    """Precision and recall of ``same_story`` at ``threshold``, with the mistakes by id."""
    tp = fp = fn = 0
    mistakes: list[str] = []
    wrong_by_kind: Counter[str] = Counter()
    for pair in pairs:
        match = stories.compare(pair.a, pair.b)
        decided = match.same_story_at(threshold)
        if decided and pair.same_story:
            tp += 1
        elif decided:
            fp += 1
        elif pair.same_story:
            fn += 1
        if decided != pair.same_story:
            wrong_by_kind[pair.kind] += 1
            mistakes.append(
                f"{pair.id} {pair.kind} score={match.score:.3f} title={match.title:.2f} "
                f"contrast={match.template_contrast} actors={match.shared_actors} hours={match.hours_apart}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(pairs),
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "wrong_by_kind": dict(wrong_by_kind),
        "mistakes": mistakes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="precision and recall from 0.10 to 0.50")
    args = parser.parse_args()
    pairs = load_pairs()
    print(f"{len(pairs)} pairs: {dict(Counter(p.kind for p in pairs))}")
    if args.sweep:
        print("threshold  precision  recall  f1")
        for step in range(10, 52, 2):
            figures = evaluate(pairs, step / 100)
            precision, recall, f1 = figures["precision"], figures["recall"], figures["f1"]
            print(f"{step / 100:9.2f}  {precision:9.4f}  {recall:6.4f}  {f1:.4f}")
    figures = evaluate(pairs)
    for mistake in figures.pop("mistakes"):
        print("wrong:", mistake)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
