"""`scrapy export` on SQLite and PostgreSQL: filters, CSV safety, JSON lines."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.store import ArticleStore, make_engine
from tests.helpers import scrapy
from tests.test_store import article

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def filled(database_url: str) -> str:
    store = ArticleStore(make_engine(database_url)).prepare()
    first = article("https://www.elaosboa.com/100001/", published=NOW - timedelta(days=3), body="أ " * 60)
    first.title = '=HYPERLINK("http://evil.example","اضغط")'
    second = article("https://www.elaosboa.com/100002/", published=NOW, body="ب " * 60)
    second.source = "وكالات"
    third = article("https://other.example/3", published=NOW, body="ج " * 60)
    third.site = "othersite"
    for item in (first, second, third):
        store.save(item, NOW)
    store.engine.dispose()
    return database_url


def run_export(database_url: str, *options: str) -> list[dict[str, str]]:
    result = scrapy("export", "-o", "-", "--format", "jsonl", *options, env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_filters(filled: str) -> None:
    assert len(run_export(filled)) == 3
    assert [r["url"] for r in run_export(filled, "--since", "2025-01-19")] == [
        "https://www.elaosboa.com/100002/",
        "https://other.example/3",
    ]
    assert [r["url"] for r in run_export(filled, "--until", "2025-01-19")] == [
        "https://www.elaosboa.com/100001/"
    ]
    assert [r["url"] for r in run_export(filled, "--site", "othersite")] == ["https://other.example/3"]
    assert [r["url"] for r in run_export(filled, "--source", "وكالات")] == [
        "https://www.elaosboa.com/100002/"
    ]


def test_csv_file_is_spreadsheet_safe(filled: str, tmp_path: Path) -> None:
    target = tmp_path / "articles.csv"
    result = scrapy("export", "-o", str(target), env={"DATABASE_URL": filled})
    assert result.returncode == 0, result.stderr
    assert "Exported 3 articles" in result.stderr
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","اضغط")'
    assert json.loads(rows[0]["related"]) == [
        {"title": "عنوان مرتبط", "url": "https://www.elaosboa.com/100002/"}
    ]
    assert json.loads(rows[0]["embeds"])[0]["handle"] == "@tass"


def test_a_bad_date_is_a_usage_error(filled: str) -> None:
    result = scrapy("export", "-o", "-", "--since", "yesterday-ish", env={"DATABASE_URL": filled})
    assert result.returncode == 2
    assert "not a date" in result.stderr


def test_passwords_never_reach_the_output(postgres_schema_url: str) -> None:
    """The server trusts local connections, so a made-up password connects and must not be printed."""
    url = postgres_schema_url.replace("://postgres@", "://postgres:s3cret-pass@")
    assert "s3cret-pass" in url
    ArticleStore(make_engine(postgres_schema_url)).prepare().engine.dispose()  # export creates no tables
    result = scrapy("export", "-o", "-", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "s3cret-pass" not in result.stderr + result.stdout
    assert "***" in result.stderr


def test_passwords_never_reach_an_error(postgres_schema_url: str) -> None:
    """Nor when the export fails: an empty schema, a server that is not there."""
    empty = postgres_schema_url.replace("://postgres@", "://postgres:s3cret-pass@")
    down = "postgresql+psycopg://postgres:s3cret-pass@127.0.0.1:1/test"
    for url in (empty, down):
        result = scrapy("export", "-o", "-", env={"DATABASE_URL": url})
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "s3cret-pass" not in result.stderr + result.stdout


def test_lens_filters_on_the_command_line(database_url: str) -> None:
    from crawler.items import Actor

    store = ArticleStore(make_engine(database_url)).prepare()
    defence = article("https://www.elaosboa.com/100001/", body="أ " * 60)
    defence.relevance, defence.topics = 0.8, ["naval"]
    defence.actors = [Actor("روسيا", "country", 1, False)]
    other = article("https://www.elaosboa.com/100002/", body="ب " * 60)
    other.relevance = 0.2
    for item in (defence, other):
        store.save(item, NOW)
    store.engine.dispose()
    wanted = ["https://www.elaosboa.com/100001/"]
    assert [r["url"] for r in run_export(database_url, "--min-relevance", "0.5")] == wanted
    assert [r["url"] for r in run_export(database_url, "--topic", "naval")] == wanted
    assert [r["url"] for r in run_export(database_url, "--actor", "موسكو")] == wanted  # metonym → روسيا
    bad = scrapy("export", "-o", "-", "--min-relevance", "3", env={"DATABASE_URL": database_url})
    assert bad.returncode != 0
    assert "--min-relevance" in bad.stderr
