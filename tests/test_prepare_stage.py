"""Stages 1-6 prepared in the extraction worker give exactly what they give in the crawl process."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from bench.pages import corpus
from crawler import settings as project_settings
from crawler.extract import ExtractionError, extract_html
from crawler.extract.pool import ExtractorPool
from crawler.profiles import ALUSBU
from devsite.harness import crawl, page_item, stages
from pipelines.prepare import preparable_stages, prepare_page
from tests.mirror_plugin import RunningMirror

STAGE_PATHS = (
    "pipelines.normalise.NormalisePipeline",
    "pipelines.readalso.ReadAlsoPipeline",
    "pipelines.attribute.AttributionPipeline",
    "pipelines.dates.DatesPipeline",
    "pipelines.lens.LensPipeline",
    "pipelines.dedup.DedupPipeline",
)


def _project_settings() -> Settings:
    settings = Settings()
    settings.setmodule(project_settings)
    return settings


def test_the_chain_is_every_stage_before_the_store_in_settings_order() -> None:
    assert preparable_stages(_project_settings()) == STAGE_PATHS


def test_a_reordered_or_unknown_stage_ends_the_chain() -> None:
    settings = _project_settings()
    settings.set(
        "ITEM_PIPELINES",
        {
            "pipelines.prepare.PreparePipeline": 50,
            "pipelines.normalise.NormalisePipeline": 100,
            "scrapy.pipelines.images.ImagesPipeline": 150,  # not a page stage: the worker stops before it
            "pipelines.readalso.ReadAlsoPipeline": 200,
        },
    )
    assert preparable_stages(settings) == ("pipelines.normalise.NormalisePipeline",)


def _articles(page: Any) -> list[dict[str, Any]]:
    return [dataclasses.asdict(article) for article in page.articles]


def test_prepared_pages_equal_pages_the_stages_computed_themselves() -> None:
    checked = 0
    for sample in corpus(60):
        try:
            extraction = extract_html(sample.html, sample.url, ALUSBU)
        except ExtractionError:
            continue
        page = page_item(extraction, sample.url)
        inline = copy.deepcopy(page)
        for stage in stages():
            inline = stage.process_item(inline)
        prepared = prepare_page(copy.deepcopy(page), STAGE_PATHS)
        assert prepared is not None
        assert prepared.prepared == ("normalise", "readalso", "attribute", "dates", "lens", "dedup")
        for stage in stages():  # what the crawl process still does with a prepared page: count
            prepared = stage.process_item(prepared)
        assert _articles(prepared) == _articles(inline), sample.url
        checked += 1
    assert checked >= 50


def test_a_stage_that_fails_in_the_worker_sends_nothing_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.dates import DatesPipeline

    def broken(page: Any) -> Any:
        raise ValueError("a date the parser chokes on")

    sample = corpus(8)[0]
    page = page_item(extract_html(sample.html, sample.url, ALUSBU), sample.url)
    monkeypatch.setattr(DatesPipeline, "prepare", staticmethod(broken))
    assert prepare_page(page, STAGE_PATHS) is None


def test_a_worker_process_prepares_the_page() -> None:
    sample = corpus(8)[0]
    page = page_item(extract_html(sample.html, sample.url, ALUSBU), sample.url)
    pool = ExtractorPool(1)
    try:
        prepared = asyncio.run(pool.run(prepare_page, copy.deepcopy(page), STAGE_PATHS))
    finally:
        pool.close()
    inline = prepare_page(page, STAGE_PATHS)
    assert prepared is not None
    assert inline is not None
    assert _articles(prepared) == _articles(inline)
    assert prepared.articles[0].fingerprint is not None


# What the stages decide, per article; ids, times and story links depend on the order pages
# arrive in, which two crawls do not share.
_QUERIES = (
    "SELECT url, site, source, title, author, section, published_at, published_raw, body, image_url,"
    " appended_from, content_hash, relevance, topics, publisher, published_precision FROM articles",
    "SELECT a.url, r.position, r.title, r.url FROM related_links r JOIN articles a ON a.id = r.article_id",
    "SELECT a.url, t.position, t.kind, t.name, t.text FROM attributions t JOIN articles a ON a.id = t.article_id",
    "SELECT a.url, e.position, e.platform, e.author, e.handle, e.url, e.posted_at, e.text FROM embeds e JOIN articles a ON a.id = e.article_id",
    "SELECT a.url, x.name, x.kind, x.mentions, x.in_title FROM article_actors x JOIN articles a ON a.id = x.article_id",
    "SELECT a.url, k.key FROM dedup_keys k JOIN articles a ON a.id = k.article_id",
)


def _stored(database: Path) -> list[list[tuple[Any, ...]]]:
    with sqlite3.connect(database) as connection:
        return [sorted(connection.execute(query)) for query in _QUERIES]


def test_a_crawl_with_a_worker_stores_what_a_crawl_without_one_stores(
    mirror_site: RunningMirror, tmp_path: Path
) -> None:
    stored = {}
    for workers in ("0", "1"):
        workdir = tmp_path / f"workers{workers}"
        result, stats = crawl(mirror_site.base_url, workdir, settings={"EXTRACT_WORKERS": workers})
        assert result.returncode == 0, result.stderr[-2000:]
        assert stats.get("pipeline/prepare/fallback") is None
        stored[workers] = _stored(workdir / "news.db")
    assert stored["0"]
    assert stored["0"] == stored["1"]
