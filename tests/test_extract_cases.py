"""Pages a read-only review built to break the held-out rules of 2026-12-07 (docs/quality.md).

Each page in tests/extract_cases/ is small Arabic CMS markup where a too-broad rule gave a
wrong field: a site-wide <title> printed by a logo heading, a relative stamp beside other
articles' card dates, a body split around an inline box, a comment thread beside a short
story, a site footer or a Bootstrap column beside the article, badges inside an unlabelled
related list, a paid "promoted-stories" widget. The expected values are read off the pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crawler.extract import extract_html
from devsite.harness import process_extraction

CASES = Path(__file__).resolve().parent / "extract_cases"
URL = "https://www.example-news.com/news/12345"
RAFALE = "مصر تتسلم الدفعة الأخيرة من مقاتلات رافال الفرنسية"


def article(name: str) -> Any:
    html = (CASES / f"{name}.html").read_text("utf-8")
    return process_extraction(extract_html(html, URL, None), URL, None)[0]


@pytest.mark.parametrize("name", ["t1", "t2", "t5"])
def test_a_site_wide_title_printed_by_a_short_heading_leaves_the_h1(name: str) -> None:
    # <title> is the site's (or the section's) name on every page, and a logo h2 prints it
    assert article(name).title == RAFALE


@pytest.mark.parametrize(("name", "day"), [("d2", date(2025, 3, 10)), ("d7", date(2025, 3, 10))])
def test_other_articles_card_dates_never_beat_the_json_ld_date(name: str, day: date) -> None:
    # d2: "منذ 5 ساعات" in the header, dated cards after the body; d7: a paid
    # "promoted-stories" widget with dated cards inside the article
    published = article(name).published_at
    assert published is not None
    assert published.astimezone(ZoneInfo("Asia/Riyadh")).date() == day


def test_a_byline_whose_publish_date_is_classed_updated_keeps_it() -> None:
    # "<span class=updated>12 يناير 2025</span> | آخر تحديث: 20 يناير 2025"
    published = article("d4").published_at
    assert published is not None
    assert published.date() in (date(2025, 1, 12), date(2025, 1, 11))  # local midnight in UTC


def test_a_body_split_around_an_inline_box_keeps_its_tail_and_read_also() -> None:
    found = article("l1")
    assert len(found.body.split("\n\n")) == 6
    assert [link.url.rsplit("/", 1)[-1] for link in found.related] == ["991"]


def test_a_source_line_printed_beside_the_body_is_kept() -> None:
    assert ("source_line", "وكالة الأناضول") in [(a.kind, a.name) for a in article("l2").attributions]


@pytest.mark.parametrize("name", ["c1", "c3"])
def test_a_long_comment_thread_beside_a_short_story_is_not_its_body(name: str) -> None:
    found = article(name)
    assert found.body.startswith("تسلمت القوات البرية")
    assert "تعليق رقم" not in found.body


def test_the_embed_of_a_short_story_with_comments_is_kept() -> None:
    assert [embed.platform for embed in article("c3").embeds] == ["youtube"]


@pytest.mark.parametrize("name", ["f1", "a1"])
def test_a_site_footer_or_a_side_column_is_not_related(name: str) -> None:
    assert article(name).related == []


@pytest.mark.parametrize("name", ["r1d", "r1e", "r1f"])
def test_badges_and_short_headlines_inside_an_unlabelled_list_keep_it_related(name: str) -> None:
    assert len(article(name).related) == 3
