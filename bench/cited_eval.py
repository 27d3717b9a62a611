"""Precision and recall of cited-outlet extraction on the labelled sentences.

    .venv/bin/python -m bench.cited_eval

Runs :func:`pipelines.attribute.cited_outlets` on every sentence of
tests/lens/cited_sentences.jsonl, prints each miss and false positive, and ends
with one JSON line: ``{"sentences": n, "precision": p, "recall": r, "f1": f}``.
Scores are micro-averaged over names (a sentence citing two outlets counts
twice); names are compared in their gazetteer key form, so a spelling variant
of the right name is not an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from crawler.lens.cited import cited_outlets
from crawler.lens.gazetteer import form_key

SENTENCES = Path(__file__).resolve().parents[1] / "tests" / "lens" / "cited_sentences.jsonl"


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    cited: tuple[str, ...]
    note: str


@dataclass(slots=True)
class Score:
    sentences: int = 0
    true_positives: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (name, sentence)
    misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.misses)
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "sentences": self.sentences,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def load(path: Path = SENTENCES) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [Labelled(row["text"], tuple(row["cited"]), row.get("note", "")) for row in rows]


def evaluate(labelled: list[Labelled]) -> Score:
    score = Score(sentences=len(labelled))
    for item in labelled:
        found = {form_key(name): name for name, _phrase in cited_outlets(item.text)}
        expected = {form_key(name): name for name in item.cited}
        score.true_positives += len(found.keys() & expected.keys())
        score.false_positives += [(found[key], item.text) for key in found.keys() - expected.keys()]
        score.misses += [(expected[key], item.text) for key in expected.keys() - found.keys()]
    return score


def main() -> None:
    score = evaluate(load())
    for name, text in score.misses:
        print(f"MISS  {name}\t{text}")
    for name, text in score.false_positives:
        print(f"FALSE {name}\t{text}")
    print(json.dumps(score.summary(), ensure_ascii=False))


if __name__ == "__main__":
    main()
