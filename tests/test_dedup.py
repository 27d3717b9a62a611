"""Near-duplicate detection on the labelled pairs (devsite/dedup_pairs.py; figures in docs/dedup.md)."""

from __future__ import annotations

from functools import cache

import pytest

from bench.dedup_eval import real_bodies
from crawler.text import neardup
from devsite.dedup_pairs import HANDWRITTEN_NEGATIVES, Pair, evaluate, generated_pairs, real_text_pairs
from tests.helpers import REALPAGES, shared_file

PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.998  # measured 0.9984: one copy of 642 shares a single key (docs/dedup.md)


@cache
def fingerprint(body: str) -> neardup.Fingerprint | None:
    return neardup.fingerprint(body)


def decide(a: str, b: str) -> bool:
    fa, fb = fingerprint(a), fingerprint(b)
    return fa is not None and fb is not None and neardup.near_duplicates(fa, fb)


@pytest.fixture(scope="module")
def pairs() -> list[Pair]:
    shared_file(REALPAGES)
    return [*generated_pairs(seed=7, positives=600, negatives=800), *real_text_pairs(real_bodies())]


def test_precision_and_recall(pairs: list[Pair]) -> None:
    scores = evaluate(pairs, decide)
    assert scores.precision >= PRECISION_FLOOR, scores
    assert scores.recall >= RECALL_FLOOR, scores


@pytest.mark.parametrize("kind", ["same_event", "same_event_quote", "same_event_shared_paragraph"])
def test_reports_of_the_same_event_never_merge(pairs: list[Pair], kind: str) -> None:
    merged = [pair for pair in pairs if pair.kind == kind and decide(pair.a, pair.b)]
    assert merged == []


@pytest.mark.parametrize(("first", "second"), HANDWRITTEN_NEGATIVES)
def test_handwritten_reports_of_one_meeting_stay_apart(first: str, second: str) -> None:
    assert not decide(first, second)


def test_a_copy_with_stripped_hamza_and_punctuation_is_found() -> None:
    original = HANDWRITTEN_NEGATIVES[0][0]
    table = str.maketrans({"أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي", "،": "", ".": ""})
    assert decide(original, original.translate(table))


def test_short_bodies_have_no_fingerprint() -> None:
    assert neardup.fingerprint("خبر قصير من سطر واحد") is None


@pytest.mark.parametrize(
    "build",
    [
        {"n_articles": 48, "js_section": True, "js_articles": 300},
        {"n_articles": 1000},
    ],
    ids=["js-section-300", "site-1000"],
)
def test_formulaic_briefs_of_the_mirror_do_not_merge(build: dict[str, object]) -> None:
    """The mirror's text is built from stock sentences: different briefs overlap more than
    real ones (before its stories drew their own claim frames, a short one had 78% of its
    trigrams in a longer one). Only the mirror's intended copies may be found."""
    from devsite.mirror.site import build_site

    site = build_site(**build)  # type: ignore[arg-type]
    articles = [a for a in site.manifest["articles"] if not a["appended_from"]]
    prints = [fingerprint("\n\n".join(a["paragraphs"])) for a in articles]
    merged = [
        (articles[i]["url"], articles[j]["url"])
        for i, a in enumerate(prints)
        for j, b in enumerate(prints[:i])
        if a is not None and b is not None and neardup.near_duplicates(a, b)
    ]
    assert merged == []
