"""Precision and recall of story clustering on labelled pairs: pair decisions and the store's clusters.

    .venv/bin/python -m bench.story_eval [--sweep] [--set NAME|all] [--words]

Each report is read by words and as a sentence vector (crawler/lens/meaning.py), as
the store reads it; ``--words`` leaves the vectors out (the word rules alone).

Sets (tests/lens/):

* ``pairs``: story_pairs.jsonl, the project's own 149 pairs (same event in other
  words, same actors in another event, same kind of event weeks apart,
  unrelated, headlines that share most words);
* ``tune``: story_traps_tune.jsonl, 120 pairs from 8 scenarios rich in
  same-actor, same-day traps (a drone strike and a town's capture on one front,
  a ship attack and a missile claimed by one group, an exercise and an arms
  deal between two countries, strikes on two towns, one ministry on two
  events), with true pairs in other words and follow-ups; the rules were
  tuned on it;
* ``heldout``: story_traps_heldout.jsonl, 81 pairs from 5 other scenarios,
  written and committed before the first rule change; its mistakes were read
  for the second (candidates without actors, states named by adjectives), so it
  is tuned on now;
* ``fresh``: story_traps_fresh.jsonl, 147 pairs from 7 scenarios, written by
  someone who never read the rules and committed before the second change;
  its mistakes were read for the third (the majority quorum);
* ``blind``: story_traps_blind_a.jsonl and story_traps_blind_b.jsonl, 210 pairs
  from 10 scenarios, written by two more people who never read the rules and
  committed before the figures were first run; never used to tune;
* ``blind2``: story_traps_blind2_a.jsonl and story_traps_blind2_b.jsonl, 210 pairs
  from 10 more scenarios, written the same way after the blind set's totals were
  seen, and measured once on the same rules. Their mistakes were read for a fourth
  change (word weights by rarity), which blind3 and blind4 then turned down;
* ``blind3``: story_traps_blind3_a.jsonl to _d.jsonl, 420 pairs from 20 scenarios,
  written by four more people who never read the rules, before the fourth change;
  its mistakes were read after its one measurement, and no change came of them;
* ``blind4``: story_traps_blind4_a.jsonl to _f.jsonl, 630 pairs from 30 scenarios,
  written by six more people the same way, after the fourth change; only its
  totals were run, on that change and on the rules without it;
* ``blind5``: story_traps_blind5_a.jsonl to _f.jsonl, 630 pairs from 30 scenarios,
  written by six more people the same way once the fourth change was taken back,
  and measured on the word rules and on each version of the sentence vectors tried;
  never used for any decision;
* ``blind6`` and ``blind7``: story_traps_blind6_*.jsonl and story_traps_blind7_*.jsonl,
  630 pairs from 30 scenarios each, written the same way while the sentence vectors
  were being built (blind7 after blind6 had been measured once), and measured on the
  word rules and on the versions of the vectors tried after they were written (the
  choices were made on the sets above); never used for any decision;
* ``blind8``: story_traps_blind8_*.jsonl, 630 pairs from 30 scenarios (7 articles
  each, every pair within a scenario labelled), written by three more people the
  same way after the recalled-event rule, and committed before any figure was run
  on them; never used for any decision.

Each side's actors come from crawler/lens/actors.py, as in a crawl; the pair
decision is crawler/lens/stories.py's ``same_story``. For the trap sets, whose
articles carry an event label, the *cluster* figures place every article
through the real store (SQLite, crawler/store/placement.py) in publication
order and count, over every two articles of the set, whether they ended in
one story: bridging and first-come placement matter there, not in isolated
pairs. The last line is a JSON object with the figures at the threshold in
crawler/lens/stories.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.items import Article, Block
from crawler.lens import stories
from crawler.lens.actors import find_actors
from crawler.store import ArticleStore, make_engine
from crawler.store.placement import STORY_LEAD_CHARS, meaning_of
from pipelines.dedup import dedup_keys

LENS = Path(__file__).resolve().parent.parent / "tests" / "lens"
PAIRS = LENS / "story_pairs.jsonl"
SETS: dict[str, Path | tuple[Path, ...]] = {
    "pairs": PAIRS,
    "tune": LENS / "story_traps_tune.jsonl",
    "heldout": LENS / "story_traps_heldout.jsonl",
    "fresh": LENS / "story_traps_fresh.jsonl",
    "blind": (LENS / "story_traps_blind_a.jsonl", LENS / "story_traps_blind_b.jsonl"),
    "blind2": (LENS / "story_traps_blind2_a.jsonl", LENS / "story_traps_blind2_b.jsonl"),
    "blind3": tuple(LENS / f"story_traps_blind3_{part}.jsonl" for part in "abcd"),
    "blind4": tuple(LENS / f"story_traps_blind4_{part}.jsonl" for part in "abcdef"),
    "blind5": tuple(LENS / f"story_traps_blind5_{part}.jsonl" for part in "abcdef"),
    "blind6": tuple(LENS / f"story_traps_blind6_{part}.jsonl" for part in "abcdef"),
    "blind7": tuple(LENS / f"story_traps_blind7_{part}.jsonl" for part in "abcdef"),
    "blind8": tuple(LENS / f"story_traps_blind8_{part}.jsonl" for part in "abcdef"),
}


# The sets written for no decision: their figures are reported, never tuned on (docs/lens.md).
UNUSED = ("blind5", "blind6", "blind7", "blind8")


@dataclass(frozen=True)
class LabelledPair:
    id: str
    kind: str
    same_story: bool
    a: stories.StoryEvidence
    b: stories.StoryEvidence


def _published(side: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(side["published"]) if side.get("published") else None


def _evidence(side: dict[str, Any], vectors: bool = True) -> stories.StoryEvidence:
    actors = [actor.name for actor in find_actors(side["title"], side["body"])]
    # the vector of what the store reads of a body (its first STORY_LEAD_CHARS), as placement makes it
    vector = meaning_of(side["title"], side["body"][:STORY_LEAD_CHARS]).vector if vectors else None
    return stories.evidence(side["title"], side["body"], _published(side), actors, vector)


def _rows(paths: Path | tuple[Path, ...]) -> list[dict[str, Any]]:
    """The labelled rows of a set: one file, or several written apart (the blind set)."""
    return [
        json.loads(line)
        for path in ((paths,) if isinstance(paths, Path) else paths)
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def load_pairs(path: Path | tuple[Path, ...] = PAIRS, vectors: bool = True) -> list[LabelledPair]:
    return [
        LabelledPair(
            row["id"],
            row["kind"],
            row["same_story"],
            _evidence(row["a"], vectors),
            _evidence(row["b"], vectors),
        )
        for row in _rows(path)
    ]


def _figures(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate(
    pairs: list[LabelledPair],
    threshold: float = stories.MIN_STORY_SCORE,
    min_meaning: float = stories.MIN_MEANING,
) -> dict[str, Any]:
    """Precision and recall of ``same_story`` at these thresholds, with the mistakes by id."""
    tp = fp = fn = 0
    mistakes: list[str] = []
    wrong_by_kind: Counter[str] = Counter()
    for pair in pairs:
        match = stories.compare(pair.a, pair.b)
        decided = match.same_story_at(threshold, min_meaning)
        if decided and pair.same_story:
            tp += 1
        elif decided:
            fp += 1
        elif pair.same_story:
            fn += 1
        if decided != pair.same_story:
            wrong_by_kind[pair.kind] += 1
            mistakes.append(f"{pair.id} {pair.kind} {match}")
    return {
        "pairs": len(pairs),
        "threshold": threshold,
        **_figures(tp, fp, fn),
        "wrong_by_kind": dict(wrong_by_kind),
        "mistakes": mistakes,
    }


def _articles(path: Path | tuple[Path, ...]) -> list[dict[str, Any]]:
    """The distinct articles of a trap set (each appears in several pairs), oldest first."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rows(path):
        for side in (row["a"], row["b"]):
            seen.setdefault((side["outlet"], side["title"]), side)
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(seen.values(), key=lambda side: _published(side) or epoch)


def evaluate_clusters(path: Path | tuple[Path, ...], vectors: bool = True) -> dict[str, Any]:
    """Place every article of a trap set through the real store, oldest first; pairwise figures
    over every two articles: one story or not, against one event label or not."""
    articles = _articles(path)
    with tempfile.TemporaryDirectory(prefix="story-eval-") as scratch:
        # --words: as with settings.STORY_VECTORS = False, every pair compared by words
        engine = make_engine(f"sqlite:///{scratch}/stories.db")
        store = ArticleStore(engine, story_vectors=vectors).prepare()
        try:
            for number, side in enumerate(articles):
                item = Article(
                    url=f"https://story-eval.example/{number}",
                    site=side["outlet"],
                    title=side["title"],
                    source=side["outlet"],
                    published_at=_published(side),
                    body=side["body"],
                )
                item.blocks = [Block(side["body"])]
                item.actors = find_actors(side["title"], side["body"])
                store.save(dedup_keys(item), datetime.now(UTC))
            story_of = {r["url"]: r["story_id"] for r in store.iter_records()}
        finally:
            store.engine.dispose()
    stories_of = [story_of[f"https://story-eval.example/{n}"] or f"alone-{n}" for n in range(len(articles))]
    tp = fp = fn = 0
    wrong: list[str] = []
    for (i, a), (j, b) in itertools.combinations(enumerate(articles), 2):
        gold = a["event"] == b["event"]
        placed = stories_of[i] == stories_of[j]
        tp += gold and placed
        fp += placed and not gold
        fn += gold and not placed
        if gold != placed:
            verdict = "merged" if placed else "apart"
            wrong.append(f"{verdict}: {a['event']} {a['title']} | {b['event']} {b['title']}")
    return {"articles": len(articles), **_figures(tp, fp, fn), "counts": [tp, fp, fn], "mistakes": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sweep", action="store_true", help="precision and recall at other thresholds (words, or vectors)"
    )
    parser.add_argument("--words", action="store_true", help="the word rules alone, no sentence vectors")
    parser.add_argument("--set", choices=[*SETS, "all"], default="pairs", help="labelled set (default pairs)")
    parser.add_argument("--quiet", action="store_true", help="no list of mistakes")
    args = parser.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    summary: dict[str, Any] = {}
    for name in names:
        pairs = load_pairs(SETS[name], vectors=not args.words)
        print(f"== {name}: {len(pairs)} pairs: {dict(Counter(p.kind for p in pairs))}")
        if args.sweep:
            print("threshold  precision  recall  f1")
            steps = range(10, 52, 2) if args.words else range(850, 931, 5)
            for step in steps:
                at = (
                    (step / 100, stories.MIN_MEANING)
                    if args.words
                    else (stories.MIN_STORY_SCORE, step / 1000)
                )
                figures = evaluate(pairs, *at)
                precision, recall, f1 = figures["precision"], figures["recall"], figures["f1"]
                print(f"{at[0] if args.words else at[1]:9.3f}  {precision:9.4f}  {recall:6.4f}  {f1:.4f}")
        figures = evaluate(pairs)
        mistakes = figures.pop("mistakes")
        if name != "pairs":
            clusters = evaluate_clusters(SETS[name], vectors=not args.words)
            mistakes += clusters.pop("mistakes")
            figures["clusters"] = clusters
        if not args.quiet:
            for mistake in mistakes:
                print("wrong:", mistake)
        summary[name] = figures
    if all(name in summary for name in UNUSED):
        # the store's clusters over the sets used for no decision: merges summed, then the ratios
        tp, fp, fn = (sum(summary[name]["clusters"]["counts"][k] for name in UNUSED) for k in range(3))
        summary["unused_pooled"] = _figures(tp, fp, fn)
        print(f"== {'+'.join(UNUSED)} pooled, clusters: {summary['unused_pooled']}")
    print(json.dumps(summary if len(names) > 1 else summary[names[0]], ensure_ascii=False))


if __name__ == "__main__":
    main()
