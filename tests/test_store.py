"""The article store: one row per article, whatever arrives in which order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.items import Article, Attribution, Block, Embed, RelatedLink
from crawler.store import ArticleStore, ExportFilter, make_engine
from pipelines.dedup import dedup_keys

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
BODY = " ".join(["قالت وزارة الدفاع إن القوات البحرية أجرت مناورات واسعة في البحر الأحمر."] * 8)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ArticleStore]:
    store = ArticleStore(make_engine(f"sqlite:///{tmp_path / 'news.db'}"))
    store.create_schema()
    yield store
    store.engine.dispose()


def article(url: str, body: str = BODY, published: datetime | None = NOW, title: str = "مناورات") -> Article:
    item = Article(url=url, site="alusbu", title=title, source="الأسبوع", published_at=published)
    item.related = [RelatedLink("عنوان مرتبط", "https://www.elaosboa.com/100002/")]
    item.attributions = [Attribution("source_line", "الأسبوع", "المصدر: الأسبوع")]
    item.embeds = [
        Embed("twitter", "TASS", "@tass", "https://x.com/tass/status/1", "2025-01-19", "", "t", ["l"])
    ]
    item.blocks = [Block(paragraph) for paragraph in body.split("\n\n")]
    return dedup_keys(item)


def test_new_then_unchanged(store: ArticleStore) -> None:
    assert store.save(article("https://www.elaosboa.com/100001/"), NOW).outcome == "new"
    assert (
        store.save(article("https://www.elaosboa.com/100001/"), NOW + timedelta(hours=1)).outcome
        == "unchanged"
    )
    assert store.count() == 1
    [record] = store.iter_records()
    assert record["first_seen_at"] == "2025-01-20T08:00:00Z"
    assert record["last_seen_at"] == "2025-01-20T09:00:00Z"
    assert record["related"] == [{"title": "عنوان مرتبط", "url": "https://www.elaosboa.com/100002/"}]
    assert record["embeds"][0]["links"] == ["l"]


def test_an_edit_updates_the_row_and_counts_a_revision(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100001/"), NOW)
    edited = article("https://www.elaosboa.com/100001/", body=BODY + " وأضافت الوزارة تفاصيل جديدة.")
    result = store.save(edited, NOW + timedelta(hours=2))
    assert (result.outcome, result.changed) == ("updated", True)
    [record] = store.iter_records()
    assert record["revision"] == 2
    assert record["body"].endswith("تفاصيل جديدة.")


def test_same_text_at_another_url_is_a_duplicate(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100001/"), NOW)
    result = store.save(article("https://www.elaosboa.com/100009/"), NOW)
    assert result.outcome == "duplicate"
    assert store.count() == 1
    [record] = store.iter_records()
    assert record["url"] == "https://www.elaosboa.com/100001/"
    assert record["duplicate_urls"] == ["https://www.elaosboa.com/100009/"]
    # the duplicate URL is known: seen again, it is the same article
    assert store.save(article("https://www.elaosboa.com/100009/"), NOW).outcome == "unchanged"


def test_the_earliest_publication_is_the_record_whatever_the_crawl_order(store: ArticleStore) -> None:
    store.save(article("https://www.elaosboa.com/100009/", published=NOW), NOW)
    result = store.save(article("https://www.elaosboa.com/100001/", published=NOW - timedelta(days=1)), NOW)
    assert (result.outcome, result.changed) == ("duplicate", True)
    [record] = store.iter_records()
    assert record["url"] == "https://www.elaosboa.com/100001/"
    assert record["duplicate_urls"] == ["https://www.elaosboa.com/100009/"]


def test_export_filters(store: ArticleStore) -> None:
    store.save(
        article("https://www.elaosboa.com/100001/", published=NOW - timedelta(days=10), body="أ " * 60), NOW
    )
    store.save(article("https://www.elaosboa.com/100002/", published=NOW, body="ب " * 60), NOW)
    urls = [r["url"] for r in store.iter_records(ExportFilter(since=NOW - timedelta(days=1)))]
    assert urls == ["https://www.elaosboa.com/100002/"]
    urls = [r["url"] for r in store.iter_records(ExportFilter(until=NOW - timedelta(days=1)))]
    assert urls == ["https://www.elaosboa.com/100001/"]
    assert list(store.iter_records(ExportFilter(site="other"))) == []
    assert len(list(store.iter_records(ExportFilter(source="الأسبوع")))) == 2
