"""The search index on SQLite and PostgreSQL: kept in step by the store, built by migration 0010, ranked.

Articles are saved through the real store (crawler/store/writer.py), so the index
is the one a crawl leaves; the labelled pairs of tests/search/ are also run
through each database's index, which must decide as the Python model does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from bench.search import generate, insert_articles
from crawler.items import Actor, Article, Block
from crawler.search import index
from crawler.search.query import matches, parse
from crawler.search.searcher import EmptyQuery, matching_ids, search
from crawler.store import ArticleStore, ExportFilter, make_engine
from crawler.store.migrate import alembic_config
from pipelines.dedup import dedup_keys

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAIRS = [json.loads(line) for line in (Path(__file__).parent / "search" / "variant_pairs.jsonl").open()]


def article(
    url: str,
    title: str,
    body: str,
    *,
    site: str = "alusbu",
    published: datetime = NOW,
    topics: tuple[str, ...] = (),
    actors: tuple[str, ...] = (),
) -> Article:
    item = Article(url=url, site=site, title=title, source="الأسبوع", published_at=published)
    item.blocks = [Block(paragraph) for paragraph in body.split("\n\n")]
    item.topics = list(topics)
    item.actors = [Actor(name, "country", 1, False) for name in actors]
    return dedup_keys(item)


AIR_DEFENCE = article(
    "https://www.elaosboa.com/1/",
    "الدفاع الجوي يعترض صواريخ فوق العاصمة",
    "أعلنت وزارة الدفاع أن منظومات الدفــاع الجوّي اعترضت ثلاثة صواريخ أُطلقت ليلاً.",
    topics=("missiles_air_defence",),
    actors=("روسيا",),
)
NAVAL = article(
    "https://www.elaosboa.com/2/",
    "مناورات للبحرية في البحر الأحمر",
    "اختتمت القوات البحرية مناورات بالذخيرة الحية، وشارك فيها سلاح الدفاع مع سرب جوي.",
    site="skynewsarabia",
    published=NOW - timedelta(days=3),
    topics=("naval",),
    actors=("مصر",),
)
ARMS = article(
    "https://www.elaosboa.com/3/",
    "صفقة أسلحة جديدة",
    "وقعت الحكومة صفقة اسلحه تشمل منظومة للدفاع الجوى بعيدة المدى وراداراتٍ حديثة.",
    published=NOW - timedelta(days=10),
    topics=("arms_industry", "missiles_air_defence"),
    actors=("روسيا",),
)


# 50 words or more: the body alone is the article's identity (pipelines/dedup.py), not its title
LONG_BODY = "أسقطت الدفاعات طائرة مسيّرة فوق الميناء. " + " ".join(
    f"وأضاف البيان تفصيلا رقم {n}." for n in range(12)
)


def urls(store: ArticleStore, query: str, where: ExportFilter | None = None) -> list[str]:
    return [hit.url for hit in search(store.engine, query, where)]


def test_search_finds_every_spelling_ranks_titles_first_and_marks_the_snippet(store: ArticleStore) -> None:
    for item in (AIR_DEFENCE, NAVAL, ARMS):
        store.save(item, NOW)
    hits = search(store.engine, "الدفاع الجوي")
    # the title match first; the naval report holds both words too, apart
    assert [hit.url for hit in hits][:2] == [AIR_DEFENCE.url, ARMS.url]
    assert {hit.url for hit in hits} == {AIR_DEFENCE.url, ARMS.url, NAVAL.url}
    assert hits[0].score > hits[1].score
    assert "[الدفــاع] [الجوّي]" in hits[0].snippet  # the outlet's spelling, marked
    assert "[للدفاع] [الجوى]" in hits[1].snippet
    # a phrase: the two words next to each other
    assert set(urls(store, '"الدفاع الجوي"')) == {AIR_DEFENCE.url, ARMS.url}
    assert urls(store, "أسلحة") == [ARMS.url]
    assert urls(store, "الدفاع -صواريخ -أسلحة") == [NAVAL.url]
    assert urls(store, "حرية") == []  # البحرية is not ب + حرية


def test_search_takes_the_export_filters(store: ArticleStore) -> None:
    for item in (AIR_DEFENCE, NAVAL, ARMS):
        store.save(item, NOW)
    assert urls(store, "الدفاع", ExportFilter(site="skynewsarabia")) == [NAVAL.url]
    assert set(urls(store, "الدفاع", ExportFilter(since=NOW - timedelta(days=5)))) == {
        AIR_DEFENCE.url,
        NAVAL.url,
    }
    assert set(urls(store, "الدفاع", ExportFilter(actor="روسيا"))) == {AIR_DEFENCE.url, ARMS.url}
    assert urls(store, "الدفاع", ExportFilter(topic="naval")) == [NAVAL.url]
    assert matching_ids(store.engine, "الدفاع", limit=1) == [search(store.engine, "الدفاع")[0].article_id]
    with pytest.raises(EmptyQuery):
        search(store.engine, "-روسيا")


def test_an_update_and_a_merge_move_the_index_with_the_text(store: ArticleStore) -> None:
    store.save(AIR_DEFENCE, NOW)
    edited = article(AIR_DEFENCE.url, "الدفاع الجوي يسقط مسيرة", LONG_BODY)
    assert store.save(edited, NOW + timedelta(hours=1)).outcome == "updated"
    assert urls(store, "مسيرة") == [AIR_DEFENCE.url]
    assert urls(store, "صواريخ") == []
    # the same text published earlier elsewhere: the copy becomes the record, title and all
    copy = article(
        "https://other.example/9",
        "عاجل: طائرة مسيرة فوق الميناء",
        LONG_BODY,
        published=NOW - timedelta(hours=5),
    )
    result = store.save(copy, NOW + timedelta(hours=2))
    assert result.outcome in ("duplicate", "near_duplicate")
    assert result.changed
    assert urls(store, "عاجل") == ["https://other.example/9"]
    assert urls(store, "يسقط") == []
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles"))
    with store.engine.connect() as connection:
        assert connection.execute(text(f"SELECT count(*) FROM {index.SEARCH_TABLE}")).scalar() == 0


def test_each_database_decides_the_labelled_pairs_as_the_model_does(store: ArticleStore) -> None:
    rows = [
        ({**values, "title": "", "body": pair["text"]}, [])
        for (values, _), pair in zip(generate(len(PAIRS)), PAIRS, strict=True)
    ]
    with store.engine.begin() as connection:
        insert_articles(connection, rows)
        index.rebuild(connection)
    for (values, _), pair in zip(rows, PAIRS, strict=True):
        found = values["id"] in matching_ids(store.engine, pair["query"])
        assert found == matches(parse(pair["query"]), pair["text"]), pair


def test_migration_0010_indexes_the_articles_already_stored_and_goes_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0009")
            stored = list(generate(30))
            insert_articles(connection, stored)
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0010")
        with engine.connect() as connection:
            assert connection.execute(text(f"SELECT count(*) FROM {index.SEARCH_TABLE}")).scalar() == 30
        first = stored[0][0]
        assert first["id"] in matching_ids(engine, f'"{first["title"]}"')
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0009")
        with engine.connect() as connection:
            tables = connection.dialect.get_table_names(connection)
        assert not [name for name in tables if index.is_search_table(name)]
    finally:
        engine.dispose()


def test_a_reextraction_moves_the_index_with_the_text(store: ArticleStore) -> None:
    """``scrapy reextract`` saves with ``revise=True``: a body that changed is searched as it now reads."""
    store.save(NAVAL, NOW)
    revised = article(NAVAL.url, NAVAL.title, "اختتمت القوات البحرية مناورات قرب مضيق هرمز.", site=NAVAL.site)
    revised.published_at = NAVAL.published_at
    assert store.save(revised, NOW + timedelta(hours=3), revise=True).outcome == "updated"
    assert urls(store, "هرمز") == [NAVAL.url]
    assert urls(store, "سرب") == []
