"""The seed page (flattened text as an aggregator harvested it) through `scrapy extract`.

Expected values were written by reading the seed: two records, their paragraph counts, the
read-also chain, the source line, the date, and the appended article's tweet.
"""

from __future__ import annotations

from typing import Any

import pytest

from crawler.text.dates import find_date_line
from crawler.text.lexicon import READ_ALSO_RE, SOURCE_LINE_RE
from tests.helpers import SEED, extract, shared_file

URL = "https://www.elaosboa.com/1040001/"


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return extract(str(shared_file(SEED)), url=URL)


def paragraphs(record: dict[str, Any]) -> list[str]:
    return record["body"].split("\n\n")


def test_two_records(records: list[dict[str, Any]]) -> None:
    assert [r["title"] for r in records] == [
        "الناتو يبحث مع ليتوانيا تعزيز أفق التعاون المشترك",
        "كيم يجدد دعم كوريا الشمالية لحرب روسيا في أوكرانيا",
    ]


def test_first_article(records: list[dict[str, Any]]) -> None:
    first = records[0]
    assert first["url"] == URL
    assert len(paragraphs(first)) == 2
    assert paragraphs(first)[0].startswith("بحثت نائبة الأمين العام لحلف شمال الأطلسي")
    assert [r["title"] for r in first["related"]] == [
        "الناتو يبحث تعزيز روابط التعاون مع اليابان وكوريا الجنوبية",
        "الناتو يطلق برنامج حارس البلطيق للحد من التخريبات البحرية",
        "أمين عام الناتو يشيد بمساهمات بلغاريا في الأمن الأوروبي الأطلسي",
    ]
    assert first["source"] == "الأسبوع"
    assert {"kind": "source_line", "name": "الأسبوع", "text": "المصدر: الأسبوع"} in first["attributions"]
    assert first["published_at"] == "2025-01-19T00:00:00Z"
    assert first["published_raw"] == "19th, January 2025 GMT"
    assert first["appended_from"] == ""
    assert first["embeds"] == []


def test_appended_article(records: list[dict[str, Any]]) -> None:
    second = records[1]
    assert second["appended_from"] == URL
    assert second["url"] == URL + "#appended-1"
    body = paragraphs(second)
    assert len(body) == 5
    assert body[0].startswith("جدد زعيم كوريا الشمالية كيم جونغ أون")
    # the paragraph the tweet signature was glued to starts clean
    assert body[2].startswith("وقالت وسائل إعلام حكومية كورية شمالية وروسية")
    assert second["related"] == []
    [tweet] = second["embeds"]
    assert tweet["platform"] == "twitter"
    assert tweet["author"] == "TASS"
    assert tweet["handle"] == "@tassagency_en"
    assert tweet["posted_at"] == "2023-06-12"
    assert tweet["text"].startswith("North Korean leader expresses support for Russia, hopes for victory")
    assert tweet["links"] == ["https://t.co/gtcNxrEUcA", "pic.twitter.com/to6QCMvyhk"]
    assert {a["name"] for a in second["attributions"] if a["kind"] == "cited"} == {
        "وكالة الأنباء المركزية الكورية",
        "تاس",
    }


@pytest.mark.parametrize("index", [0, 1])
def test_nothing_left_in_bodies(records: list[dict[str, Any]], index: int) -> None:
    """No label, source line, publish line or tweet signature survives in a body."""
    for paragraph in paragraphs(records[index]):
        assert READ_ALSO_RE.match(paragraph) is None, paragraph
        assert SOURCE_LINE_RE.match(paragraph) is None, paragraph
        assert find_date_line(paragraph) is None, paragraph
        assert "(@" not in paragraph
        assert "pic.twitter.com" not in paragraph
        assert "t.co/" not in paragraph
        for title in (r["title"] for r in records[0]["related"]):
            assert title not in paragraph
