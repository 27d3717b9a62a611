"""The lens stage in the crawl: scores, topics and actors on stored records; MIN_RELEVANCE drops, counts, remembers."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.extract import extract_text
from crawler.items import Article, Block, PageItem
from crawler.lens.relevance import DEFAULT_MIN_RELEVANCE
from pipelines.lens import LensPipeline, lens_article
from tests.helpers import SEED, crawl, export, page_item, process_extraction
from tests.mirror_plugin import RunningMirror

SPORT_TITLE = "هجوم ريال مدريد يقصف شباك برشلونة بثلاثية في الكلاسيكو"
SPORT_BODY = (
    "قاد هجوم ريال مدريد فريقه إلى فوز كبير على برشلونة، بعدما سجل ثلاثة أهداف، "
    "فيما عانى خط الدفاع الكتالوني من أخطاء متكررة أمام المرمى في الشوط الثاني."
)


def test_the_seed_articles_are_scored_and_their_actors_listed() -> None:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not present")
    extraction = extract_text(SEED.read_text("utf-8"), "https://www.elaosboa.com/1/")
    first, appended = process_extraction(extraction)
    assert first.relevance is not None
    assert first.relevance >= DEFAULT_MIN_RELEVANCE
    assert "alliances_exercises" in first.topics
    names = {actor.name: actor for actor in first.actors}
    assert names["الناتو"].in_title
    assert {"ليتوانيا", "روسيا", "أوكرانيا"} <= set(names)
    # the body is read, not only the title (the lens runs before the dedup stage joins the body)
    assert names["روسيا"].mentions >= 2
    assert appended.relevance is not None
    assert appended.relevance >= DEFAULT_MIN_RELEVANCE
    assert {"كوريا الشمالية", "روسيا", "أوكرانيا"} <= {actor.name for actor in appended.actors}


def test_a_football_report_full_of_attack_words_is_not_defence_news() -> None:
    article = Article(url="https://example.com/1", site="x", title=SPORT_TITLE)
    article.blocks = [Block(SPORT_BODY)]
    lens_article(article)
    assert article.relevance is not None
    assert article.relevance < DEFAULT_MIN_RELEVANCE
    assert article.topics == []


def _page(title: str, body: str) -> PageItem:
    extraction = extract_text(f"{title}\n{body}", "https://www.elaosboa.com/100001/")
    return page_item(extraction)


def test_min_relevance_drops_counts_and_the_store_skips() -> None:
    from pipelines.readalso import ReadAlsoPipeline

    crawler = get_crawler(settings_dict={"MIN_RELEVANCE": "0.5"})
    crawler.stats.open_spider()  # type: ignore[union-attr]
    page = ReadAlsoPipeline(crawler).process_page(_page(SPORT_TITLE, SPORT_BODY))
    page = LensPipeline(crawler).process_page(page)
    [article] = page.articles
    assert article.store_outcome == "dropped:irrelevant"
    assert crawler.stats.get_value("articles/dropped/irrelevant") == 1  # type: ignore[union-attr]


def test_min_relevance_must_be_a_fraction() -> None:
    crawler = get_crawler(settings_dict={"MIN_RELEVANCE": "5"})
    with pytest.raises(ValueError, match="MIN_RELEVANCE"):
        LensPipeline(crawler)


def test_a_crawl_stores_lens_fields_and_min_relevance_remembers_what_it_dropped(
    mirror_site: RunningMirror, tmp_path: Path
) -> None:
    """At a threshold above some mirror articles' scores: each is read once, counted, never stored
    and never fetched again by the next run; everything else is stored with its lens fields."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    threshold = "0.9"
    result, stats = crawl(
        mirror_site.base_url, tmp_path, database_url=database, settings={"MIN_RELEVANCE": threshold}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    dropped = stats.get("articles/dropped/irrelevant", 0)
    records = export(database)
    assert dropped > 0
    assert records
    assert all(r["relevance"] != "" and float(r["relevance"]) >= float(threshold) for r in records)
    assert all(r["actors"] for r in records)
    assert any(r["topics"] for r in records)
    assert any(r["story_id"] != "" for r in records)

    mirror_site.server.log.clear()
    second, second_stats = crawl(
        mirror_site.base_url,
        tmp_path / "second",
        database_url=database,
        settings={"MIN_RELEVANCE": threshold},
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert second_stats.get("articles/dropped/irrelevant", 0) == 0  # none was fetched again
    article_paths = {a["url"].split("//", 1)[1].split("/", 1)[1] for a in mirror_site.manifest["articles"]}
    refetched = [path for path in article_paths if mirror_site.server.hits("/" + path)]
    assert refetched == []
