"""``scrapy search`` and ``scrapy export --query`` on SQLite and PostgreSQL, run as a user runs them."""

from __future__ import annotations

import json

import pytest

from crawler.store import ArticleStore, make_engine
from tests.helpers import scrapy
from tests.test_search import AIR_DEFENCE, ARMS, NAVAL, NOW


@pytest.fixture
def filled(database_url: str) -> str:
    store = ArticleStore(make_engine(database_url)).prepare()
    for item in (AIR_DEFENCE, NAVAL, ARMS):
        store.save(item, NOW)
    store.engine.dispose()
    return database_url


def test_search_prints_ranked_results_with_marked_snippets(filled: str) -> None:
    result = scrapy("search", "والدفاع الجوى", env={"DATABASE_URL": filled})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 9  # three results of three lines
    assert lines[0].startswith("  1. 2026-12-01 09:00  alusbu")
    assert "[الدفاع] [الجوي] يعترض" in lines[0]
    assert "[الدفــاع] [الجوّي]" in lines[1]
    assert lines[2].strip() == AIR_DEFENCE.url
    assert lines[5].strip() == ARMS.url
    assert "3 articles in" in result.stderr


def test_search_filters_and_limit(filled: str) -> None:
    env = {"DATABASE_URL": filled}
    result = scrapy("search", '"الدفاع الجوي"', "--actor", "موسكو", "--limit", "1", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].strip() == AIR_DEFENCE.url
    assert "1 article in" in result.stderr
    result = scrapy("search", "الدفاع", "--site", "skynewsarabia", "--since", "2026-11-20", env=env)
    assert [line.strip() for line in result.stdout.splitlines()[2::3]] == [NAVAL.url]


def test_search_refuses_an_empty_query_and_a_missing_database(filled: str, tmp_path) -> None:
    result = scrapy("search", "-روسيا", env={"DATABASE_URL": filled})
    assert result.returncode == 2
    assert "nothing to search for" in result.stderr
    assert "Traceback" not in result.stderr
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    result = scrapy("search", "الدفاع", env={"DATABASE_URL": missing})
    assert result.returncode == 1
    assert "no database at" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_export_query_writes_every_match_best_first(filled: str) -> None:
    result = scrapy(
        "export", "-o", "-", "--format", "jsonl", "--query", "الدفاع الجوي", env={"DATABASE_URL": filled}
    )
    assert result.returncode == 0, result.stderr
    urls = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert urls == [AIR_DEFENCE.url, ARMS.url, NAVAL.url]
    result = scrapy(
        "export", "-o", "-", "--query", "أسلحة", "--site", "skynewsarabia", env={"DATABASE_URL": filled}
    )
    assert result.returncode == 0, result.stderr
    assert "Exported 0 articles" in result.stderr
    result = scrapy("export", "-o", "-", "--stories", "--query", "أسلحة", env={"DATABASE_URL": filled})
    assert result.returncode == 2
