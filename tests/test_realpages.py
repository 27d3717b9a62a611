"""Extraction on real pages of Arabic news sites (../shared/realpages, a development set).

Body similarity is the token F1 of tests.helpers.token_f1 (word multisets of
the matching form), with a floor of 0.95: the measure of trafilatura's and the
article-extraction-benchmark's evaluations, strict enough that a missing
paragraph or a let-in comment policy fails.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from crawler.extract.article import parse_html
from crawler.extract.blocks import blocks_from_element
from crawler.text.arabic import matching_form
from crawler.text.embeds import embed_from_block
from crawler.text.lexicon import READ_ALSO_RE, SOURCE_LINE_RE
from tests.helpers import REALPAGES, extract, shared_file, token_f1

BODY_F1_FLOOR = 0.95
PAGES = {
    "youm7.com_4943459.html": "https://www.youm7.com/story/2020/8/24/x/4943459",
    "albayan.ae_1.3874341.html": "https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874341",
    "arabic.sputniknews.com_1044893040.html": "https://arabic.sputniknews.com/arab_world/202003171044893040-x/",
    "lbcgroup.tv_2026_01_08.html": "https://www.lbcgroup.tv/news/lifestyle/898682/x/ar",
    "arabic.cnn.com_2013.html": "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
}


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict[str, Any]]]:
    shared_file(REALPAGES)
    return {name: extract(str(REALPAGES / name), url=url) for name, url in PAGES.items()}


def test_one_record_per_page(records: dict[str, list[dict[str, Any]]]) -> None:
    assert {name: len(found) for name, found in records.items()} == dict.fromkeys(PAGES, 1)


def test_titles(records: dict[str, list[dict[str, Any]]]) -> None:
    lbc = json.loads((REALPAGES / "lbcgroup.tv_2026_01_08.expected.json").read_text("utf-8"))["V1"]
    cnn = json.loads((REALPAGES / "arabic.cnn.com_2013.expected.json").read_text("utf-8"))
    assert records["lbcgroup.tv_2026_01_08.html"][0]["title"] == lbc["title"]
    assert records["arabic.cnn.com_2013.html"][0]["title"] == cnn["title"]
    assert records["youm7.com_4943459.html"][0]["title"] == (
        "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة"
    )
    assert (
        records["albayan.ae_1.3874341.html"][0]["title"]
        == "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات"
    )
    assert records["arabic.sputniknews.com_1044893040.html"][0]["title"] == (
        "مصر تسجل 30 إصابة جديدة وحالتي وفاة بفيروس كورونا"
    )


def test_publish_dates(records: dict[str, list[dict[str, Any]]]) -> None:
    """dates.expected.json holds the publisher's local date; published_at is UTC."""
    expected = json.loads((REALPAGES / "dates.expected.json").read_text("utf-8"))
    for name, truth in expected.items():
        record = records[name][0]
        printed = datetime.fromisoformat(record["published_raw"])  # ISO with the site's offset
        instant = datetime.fromisoformat(record["published_at"])
        assert instant.tzinfo == UTC
        assert instant == printed
        assert instant.astimezone(printed.tzinfo).date().isoformat() == truth["date"], name
    lbc = json.loads((REALPAGES / "lbcgroup.tv_2026_01_08.expected.json").read_text("utf-8"))["V1"]
    assert records["lbcgroup.tv_2026_01_08.html"][0]["published_at"] == "2026-01-08T11:42:50Z"
    assert lbc["publishing_date"] == "2026-01-08 11:42:50+00:00"


def test_lbc_body(records: dict[str, list[dict[str, Any]]]) -> None:
    lbc = json.loads((REALPAGES / "lbcgroup.tv_2026_01_08.expected.json").read_text("utf-8"))["V1"]
    expected = lbc["body"]["sections"][0]["paragraphs"]
    body = records["lbcgroup.tv_2026_01_08.html"][0]["body"]
    assert token_f1(body, "\n\n".join(expected)) >= BODY_F1_FLOOR
    assert body.split("\n\n") == expected


def test_cnn_body(records: dict[str, list[dict[str, Any]]]) -> None:
    expected = (REALPAGES / "arabic.cnn.com_2013.expected_body.txt").read_text("utf-8")
    body = records["arabic.cnn.com_2013.html"][0]["body"]
    assert token_f1(body, expected) >= BODY_F1_FLOOR
    assert len(body.split("\n\n")) == len(expected.strip().split("\n\n"))
    assert "ترحب شبكة CNN بالنقاش" not in body  # the comment policy inside the story container


def test_youm7_related_module_after_the_body(records: dict[str, list[dict[str, Any]]]) -> None:
    """The "الموضوعات المتعلقة" module after #articleBody is the related list; sidebars are not."""
    record = records["youm7.com_4943459.html"][0]
    titles = [item["title"] for item in record["related"]]
    assert titles[:2] == [
        "وزير الرى: لجنة إيراد النهر فى انعقاد مستمر لمتابعة موقف الفيضان",
        "الرى: طرح وتدبير الاعتمادات المالية لعدد 383 عملية لتأهيل الترع.. صور",
    ]
    assert all(item["url"].startswith("https://www.youm7.com/story/") for item in record["related"])
    assert len(record["body"].split("\n\n")) == 6


def test_albayan_source_field(records: dict[str, list[dict[str, Any]]]) -> None:
    record = records["albayan.ae_1.3874341.html"][0]
    assert record["source"] == "البيان"
    assert record["attributions"][0]["kind"] == "source_field"
    assert "المصدر" not in record["body"]
    assert "التاريخ:" not in record["body"]
    assert record["body"].startswith("ثمّن أحمد ساير داودزي")


def test_sputnik_cards_nested_in_paragraphs(records: dict[str, list[dict[str, Any]]]) -> None:
    record = records["arabic.sputniknews.com_1044893040.html"][0]
    # the card inside the body, then the "انظر أيضا:" list after it (not the topic link above it)
    assert [item["title"] for item in record["related"]] == [
        "مصر تحظر تصدير الكحول والكمامات الطبية",
        "كورونا وتحديات التعليم عن بعد",
        "حواتمة: جائحة كورونا تؤجل انعقاد الحوار الفلسطيني الشامل في موسكو لأسابيع",
        "أمريكا تعتزم منح مواطنيها دفعات مالية لمواجهة ضغوط كورونا الاقتصادية",
    ]
    assert "مصر تحظر تصدير الكحول" not in record["body"]
    assert "REUTERS" not in record["body"]
    paragraphs = record["body"].split("\n\n")
    assert paragraphs[0].startswith("وأوضح الدكتور خالد مجاهد")
    assert paragraphs[1].startswith("وأشار مجاهد إلى تسجيل حالتي وفاة")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_chain_or_source_line_left(records: dict[str, list[dict[str, Any]]], name: str) -> None:
    for paragraph in records[name][0]["body"].split("\n\n"):
        assert READ_ALSO_RE.match(paragraph) is None
        assert SOURCE_LINE_RE.match(paragraph) is None


def _tweets() -> list[dict[str, Any]]:
    path = REALPAGES / "tweets_dev.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def author_matches(ours: str, truth: str) -> bool:
    """Compare an author with the dev set's, whose author column is noisy.

    The column was cut at the last dash of any kind, so it sometimes holds the
    tweet's tail before "—" ("... pic.twitter.com/x— Josh Apte"), sometimes only
    the end of a hyphenated name ("e-s Saint-Denis" for "Solidaires
    Étudiant-e-s Saint-Denis"), and HTML entities as printed. Either way the
    real author is the part after the last em dash, and ends with the column.
    """
    truth = matching_form(html.unescape(truth).rsplit("—", 1)[-1])
    ours = matching_form(ours)
    return ours == truth or (ours.endswith(truth) and ours[-len(truth) - 1] == "-")


SIGNED = [entry for entry in _tweets() if entry["signature"]]


def test_dev_set_has_signed_tweets() -> None:
    shared_file(REALPAGES / "tweets_dev.jsonl")
    assert len(SIGNED) == 29


@pytest.mark.parametrize("entry", SIGNED, ids=lambda entry: f"{entry['signature'][1]}-{entry['offset']}")
def test_tweet_signatures(entry: dict[str, Any]) -> None:
    tree = parse_html(f"<html><body><div>{entry['html']}</div></body></html>")
    [block] = blocks_from_element(tree.body[0], "https://example.com/")
    embed = embed_from_block(block, "twitter")
    author, handle, date = entry["signature"]
    assert author_matches(embed.author, author), (embed.author, author)
    assert embed.handle == handle
    assert embed.posted_raw == date
    assert embed.posted_at  # every signed tweet's date parses
    assert embed.url.startswith(("https://twitter.com/", "https://x.com/"))
