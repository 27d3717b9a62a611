"""Defence relevance of an article (0..1) and its topics, from the lexicon of crawler/lens/topics.py.

The model is a weighted count, kept simple so an analyst can follow a score by hand:

1. Evidence: each matched positive term adds its weight, times ``TITLE_WEIGHT``
   when it is in the title, plus a decreasing share for repeats in the body
   (``BODY_REPEATS``: a term repeated ten times is still one piece of evidence).
2. Saturation: ``1 - exp(-SATURATION * evidence)``: one clear term in the body
   gives about 0.5, the same term in the title about 0.8, several terms near 1.
3. Penalty: negative context (sport, economy, entertainment, politics, health,
   weather, civil, crime markers) is weighed the same way and subtracted:
   ``MAX_PENALTY * (1 - exp(-NEGATIVE_SATURATION * negative_evidence))``.
4. Topics: the evidence of each topic's terms is saturated and penalised the
   same way; a topic is kept when it reaches ``TOPIC_FLOORS[topic]``. A topic's
   score never exceeds the article's score, so with floors at or above the
   threshold only relevant articles get topics.

``DEFAULT_MIN_RELEVANCE`` and the floors were chosen by measurement on
tests/lens/relevance_snippets.jsonl (``python -m bench.relevance_eval --sweep``,
docs/lens.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from crawler.lens.topics import TOPIC_FLOORS, TOPICS, Hit, find_hits, tokens

# Threshold for "relevant", chosen on the labelled snippets (docs/lens.md).
DEFAULT_MIN_RELEVANCE: float = 0.5

# A term in the title is worth this many body occurrences: titles state the subject.
TITLE_WEIGHT = 2.5
# Weight of the 1st, 2nd and 3rd body occurrence of one term; later ones add nothing.
BODY_REPEATS: tuple[float, ...] = (1.0, 0.5, 0.25)
SATURATION = 0.35
NEGATIVE_SATURATION = 0.3
# Negative context alone can take at most this much off a score.
MAX_PENALTY = 0.6
# A topic is listed when its own score reaches its floor: TOPIC_FLOORS, data
# ([floors] in crawler/lens/data/topics.toml, loaded by crawler/lens/topics.py).

# Texts beyond this many characters (about 10,000 words) are scored on their
# beginning: the subject of an article is in its first paragraphs, and the cost
# stays bounded on junk input.
MAX_CHARS = 60_000


@dataclass(frozen=True)
class Relevance:
    """The defence relevance of an article and its topics, strongest first."""

    relevance: float
    topics: list[str]


# (phrase, topic or negative domain, weight, "title" or "body") of one matched entry.
Explained = tuple[str, str | None, float, str]


@dataclass(frozen=True)
class Evidence:
    """What a score is made of, for explanations and the evaluation bench."""

    relevance: float
    raw: float
    penalty: float
    topic_scores: dict[str, float]
    positive: list[Explained]
    negative: list[Explained]


def _saturate(weight: float, rate: float) -> float:
    return 1.0 - math.exp(-rate * weight)


@dataclass(frozen=True)
class _Tally:
    """Weighted evidence per matched lexicon entry, positive and negative apart."""

    positive: dict[int, tuple[float, Hit]]
    negative: dict[int, tuple[float, Hit]]
    title_entries: frozenset[int]


def _tally(title: str, body: str) -> _Tally:
    """Each entry's weight times its title occurrence plus its decaying body repeats."""
    title_hits = find_hits(tokens((title or "")[:MAX_CHARS]))
    body_hits = find_hits(tokens((body or "")[:MAX_CHARS]))
    first_hit: dict[int, Hit] = {}
    body_count: dict[int, int] = defaultdict(int)
    title_entries = frozenset(hit.entry.order for hit in title_hits)
    for hit in title_hits:
        first_hit.setdefault(hit.entry.order, hit)
    for hit in body_hits:
        first_hit.setdefault(hit.entry.order, hit)
        body_count[hit.entry.order] += 1
    positive: dict[int, tuple[float, Hit]] = {}
    negative: dict[int, tuple[float, Hit]] = {}
    for order, hit in first_hit.items():
        term = hit.entry.term
        if term is None:  # neutral phrases are never reported as hits
            continue
        factor = (TITLE_WEIGHT if order in title_entries else 0.0) + sum(BODY_REPEATS[: body_count[order]])
        (positive if hit.entry.kind == "positive" else negative)[order] = (term.weight * factor, hit)
    return _Tally(positive, negative, title_entries)


def _scores(tally: _Tally) -> tuple[float, float, float, dict[str, float]]:
    """(relevance, raw, penalty, topic scores) from a tally, as the module docstring says."""
    raw = _saturate(sum(weight for weight, _ in tally.positive.values()), SATURATION)
    negative = sum(weight for weight, _ in tally.negative.values())
    penalty = MAX_PENALTY * _saturate(negative, NEGATIVE_SATURATION)
    by_topic: dict[str, float] = defaultdict(float)
    for weight, hit in tally.positive.values():
        topic = hit.entry.term.topic if hit.entry.term is not None else None
        if topic is not None:
            by_topic[topic] += weight
    topic_scores = {
        topic: round(max(0.0, _saturate(weight, SATURATION) - penalty), 4)
        for topic, weight in by_topic.items()
    }
    return round(min(1.0, max(0.0, raw - penalty)), 4), round(raw, 4), round(penalty, 4), topic_scores


def _describe(weighed: dict[int, tuple[float, Hit]], title_entries: frozenset[int]) -> list[Explained]:
    described: list[Explained] = []
    for order, (weight, hit) in sorted(weighed.items(), key=lambda item: (-item[1][0], item[0])):
        if hit.entry.term is not None:
            where = "title" if order in title_entries else "body"
            described.append((hit.entry.term.phrase, hit.entry.term.topic, round(weight, 3), where))
    return described


def evidence(title: str, body: str) -> Evidence:
    """Score an article and keep the matched terms, strongest first (for explanations)."""
    tally = _tally(title, body)
    relevance, raw, penalty, topic_scores = _scores(tally)
    return Evidence(
        relevance=relevance,
        raw=raw,
        penalty=penalty,
        topic_scores=topic_scores,
        positive=_describe(tally.positive, tally.title_entries),
        negative=_describe(tally.negative, tally.title_entries),
    )


def score(title: str, body: str) -> Relevance:
    """Relevance in [0, 1] and the topics above their floors, strongest first."""
    relevance, _, _, topic_scores = _scores(_tally(title, body))
    ranked = sorted(topic_scores.items(), key=lambda item: (-item[1], TOPICS.index(item[0])))
    return Relevance(
        relevance=relevance,
        topics=[topic for topic, value in ranked if value >= TOPIC_FLOORS[topic]],
    )
