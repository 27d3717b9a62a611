"""The extraction quality floor, per field, on the template families and the real pages.

The pages (tests/templates/<family>/, each with a golden record written by reading the
page, and ../shared/realpages) and the measures are devsite/quality.py's;
``python -m bench.quality`` prints the same figures as a table (docs/quality.md). The
floors are the project's targets, not the figures of the day: a change that drops a
field below one fails here, whatever it gains elsewhere.
"""

from __future__ import annotations

import pytest

from devsite.quality import GoldenPage, Scores, evaluate, real_pages, template_pages
from tests.helpers import REALPAGES, shared_file

# Every platform the embeds field must recognise.
PLATFORMS = ("twitter", "telegram", "facebook", "instagram", "youtube")


@pytest.fixture(scope="module")
def templates() -> list[GoldenPage]:
    pages = template_pages()
    assert len({page.family for page in pages}) >= 12, "at least 12 template families"
    return pages


@pytest.fixture(scope="module")
def template_scores(templates: list[GoldenPage]) -> Scores:
    return evaluate(templates)


@pytest.fixture(scope="module")
def real_scores() -> Scores:
    shared_file(REALPAGES / "dates.expected.json")
    return evaluate(real_pages())


def test_no_page_fails(template_scores: Scores, real_scores: Scores) -> None:
    assert template_scores.failures + real_scores.failures == []


def test_titles(template_scores: Scores, real_scores: Scores) -> None:
    for scores in (template_scores, real_scores):
        assert (scores.title.value or 0) >= 0.95, scores.misses


def test_read_also_titles(template_scores: Scores) -> None:
    assert (template_scores.related_recall.value or 0) >= 0.95, template_scores.misses
    assert (template_scores.related_precision.value or 0) >= 0.98, template_scores.misses


def test_publish_date_to_the_day_and_never_worse_than_htmldate(
    template_scores: Scores, real_scores: Scores
) -> None:
    for scores in (template_scores, real_scores):
        assert (scores.date.value or 0) >= 0.95, scores.misses
        assert scores.date_worse_than_htmldate == []


def test_body_at_least_as_good_as_trafilatura(
    templates: list[GoldenPage], template_scores: Scores, real_scores: Scores
) -> None:
    for scores in (template_scores, real_scores):
        ours = sum(scores.body_f1) / len(scores.body_f1)
        theirs = sum(scores.body_f1_trafilatura) / len(scores.body_f1_trafilatura)
        assert ours >= theirs, (ours, theirs)
    english = evaluate([page for page in templates if page.lang == "en"])
    assert sum(english.body_f1) >= sum(english.body_f1_trafilatura)


def test_source_never_invented(template_scores: Scores) -> None:
    assert template_scores.source_invented == []
    assert (template_scores.source_precision.value or 0) >= 0.95, template_scores.misses


def test_every_embed_kind(templates: list[GoldenPage], template_scores: Scores) -> None:
    assert (template_scores.embeds_recall.value or 0) >= 0.9, template_scores.misses
    assert (template_scores.embeds_precision.value or 0) >= 0.95, template_scores.misses
    for platform in PLATFORMS:
        carrying = [p for p in templates if any(e["platform"] == platform for e in p.embeds or [])]
        assert len(carrying) >= 2, f"fewer than two pages embed {platform}"
        scores = evaluate(carrying, baselines=False)
        assert (scores.embeds_recall.value or 0) >= 0.8, (platform, scores.misses)


def test_language_from_the_text(template_scores: Scores) -> None:
    assert (template_scores.lang.value or 0) == 1.0, template_scores.misses
