"""``scrapy browse``: Datasette over a store with known content, opened in headless Chromium.

The command runs as a user runs it (a real subprocess on a free port); the pages are read in
Chromium through Playwright. Checked: no request leaves 127.0.0.1, Arabic text is laid out
right-to-left, the numbers shown (rows, facet counts, a story's outlets, search hits, an
article's URLs) equal what the database holds, the search finds a word under an attached
prefix, and an article links to its story and its duplicates. Screenshots go to docs/img/, only
when they look different from the committed ones (tests/headless.py): the store's times are
fixed, and "the last 24 hours" are counted back from a fixed ``now`` the test gives.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.desk_store import KHARKIV_B, filled
from tests.headless import chromium_browser, keep_screenshot, looks_the_same  # noqa: F401 (the fixture chromium)
from tests.helpers import PROJECT_ROOT, scrapy

SCREENSHOTS = PROJECT_ROOT / "docs" / "img"
STARTUP_SECONDS = 180  # a loaded two-core machine takes long to import Scrapy and Datasette
T0 = datetime(2025, 3, 7, 6, 0, tzinfo=UTC)  # the store's first report
NOW = T0 + timedelta(hours=5)  # "now" for the canned queries: the strike's reports are hours old
NOW_SQL = NOW.strftime("%Y-%m-%d %H:%M:%S")  # as SQLite's datetime() writes it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose reports are hours older than :data:`NOW`, so that "the last 24 hours" holds its story."""
    path = tmp_path_factory.mktemp("browse") / "store.db"  # not news.db: the URLs say news anyway
    with filled(f"sqlite:///{path}", T0):
        return path


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "browse", "--db", str(store_path), "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite:////nonexistent/never.db"},  # --db wins
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"scrapy browse exited with {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"scrapy browse did not answer within {STARTUP_SECONDS} s")
                time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Visit:
    """One Chromium page that records every request it makes."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None
        assert response.status == 200, path
        self.page.wait_for_load_state("load")
        return self.page

    def check_local(self) -> None:
        outside = [url for url in self.requested if not url.startswith(self.base + "/")]
        assert not outside, outside
        assert self.requested

    def screenshot(self, name: str) -> None:
        """Without the footer, whose query time changes on every run."""
        self.page.evaluate("document.querySelector('footer')?.remove()")
        keep_screenshot(self.page, SCREENSHOTS / name)


def query(path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, args).fetchall()


def directions(page: Any, selector: str) -> set[str]:
    return set(page.eval_on_selector_all(selector, "es => es.map(e => getComputedStyle(e).direction)"))


def facet(page: Any, column: str) -> dict[str, int]:
    """A facet's values and counts, as the page shows them."""
    pairs = page.eval_on_selector_all(
        f"#facet-{column} li",
        "ls => ls.map(l => [l.querySelector('a').textContent.trim(), l.textContent.trim().split(/\\s+/).pop()])",
    )
    return {value: int(count) for value, count in pairs}


def test_the_articles_with_their_facets(server: str, store_path: Path, chromium: Any) -> None:
    visit = Visit(chromium, server)
    page = visit.open("/news/articles_v")
    [(articles,)] = query(store_path, "SELECT COUNT(*) FROM articles")
    assert re.match(rf"{articles} rows\b", page.inner_text("h3"))
    assert facet(page, "site") == dict(query(store_path, "SELECT site, COUNT(*) FROM articles GROUP BY site"))
    assert facet(page, "topic_list") == dict(
        query(
            store_path,
            "SELECT t.value, COUNT(*) FROM articles, json_each(articles.topics) t GROUP BY t.value",
        )
    )
    assert facet(page, "actor_list") == dict(
        query(store_path, "SELECT name, COUNT(DISTINCT article_id) FROM article_actors GROUP BY name")
    )
    assert not page.locator("text=These facets timed out").count()
    titles = page.locator("td.col-title span.ar")
    assert titles.count() == articles
    assert directions(page, "td.col-title span.ar") == {"rtl"}
    assert directions(page, "td.col-url") == {"ltr"}  # the page itself stays left-to-right
    page.locator("h3").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('h3').getBoundingClientRect().top - 10)")
    visit.screenshot("browse_articles.png")
    visit.check_local()


def test_a_topic_facet_counts_and_filters_the_articles(server: str, store_path: Path, chromium: Any) -> None:
    """The topic facets count article_topics (deploy/datasette/plugins/desk.py): the counts are the
    articles whose JSON list holds the topic, and a click filters on that list."""
    visit = Visit(chromium, server)
    page = visit.open("/news/articles")
    by_topic = dict(
        query(
            store_path,
            "SELECT t.value, COUNT(*) FROM articles, json_each(articles.topics) t GROUP BY t.value",
        )
    )
    assert facet(page, "topics") == by_topic
    page = visit.open("/news/articles_v")
    page.locator("#facet-topic_list a", has_text="armed_conflict").click()
    page.wait_for_load_state("load")
    assert "topic_list__arraycontains=armed_conflict" in page.url
    assert re.match(rf"{by_topic['armed_conflict']} rows\b", page.inner_text("h3"))
    selected = page.locator("#facet-topic_list li", has_text="armed_conflict").inner_text()
    assert re.match(rf"armed_conflict\W+{by_topic['armed_conflict']}\b", selected), selected
    visit.check_local()


def test_the_stories_of_the_last_24_hours(server: str, store_path: Path, chromium: Any) -> None:
    visit = Visit(chromium, server)
    page = visit.open("/news/stories_last_24_hours?now=" + quote(NOW_SQL))
    stories = query(
        store_path, "SELECT id FROM stories WHERE last_published_at >= datetime(?, '-1 day')", NOW_SQL
    )
    assert stories
    shown = page.eval_on_selector_all(
        "table.rows-and-columns tbody tr",
        "rs => rs.map(r => [r.querySelector('td.col-story_id').textContent.trim(),"
        " r.querySelector('td.col-outlet_count').textContent.trim(),"
        " r.querySelector('td.col-first_outlet').textContent.trim()])",
    )
    assert len(shown) == len(stories)
    for story_id, outlets, first in shown:
        members = "SELECT id FROM articles WHERE story_id = ?"
        expected_outlets = query(
            store_path,
            f"SELECT COUNT(DISTINCT site) FROM (SELECT site FROM articles WHERE story_id = ?"
            f" UNION SELECT site FROM article_urls WHERE article_id IN ({members}))",
            int(story_id),
            int(story_id),
        )
        assert int(outlets) == expected_outlets[0][0]
        [(expected_first,)] = query(
            store_path,
            "SELECT site FROM articles WHERE story_id = ? ORDER BY COALESCE(published_at, first_seen_at), id LIMIT 1",
            int(story_id),
        )
        assert first == expected_first
    assert int(shown[0][1]) == 3  # the strike: two reports and a copy at a third outlet
    assert directions(page, "td.col-title span.ar") == {"rtl"}
    link = page.locator("td.col-story_id a").first
    assert link.get_attribute("href") == f"/news/stories/{shown[0][0]}"
    visit.screenshot("browse_stories.png")
    visit.check_local()


def test_the_search_box_finds_a_word_under_a_prefix(server: str, store_path: Path, chromium: Any) -> None:
    visit = Visit(chromium, server)
    page = visit.open("/news/search?q=" + quote("بخاركيف"))  # "in Kharkiv": the text says خاركيف
    expected = {
        article_id
        for article_id, title, body in query(store_path, "SELECT id, title, body FROM articles")
        if "خاركيف" in title + body
    }
    assert len(expected) == 2
    shown = page.eval_on_selector_all("td.col-article_id a", "as => as.map(a => Number(a.textContent))")
    assert set(shown) == expected
    assert page.locator("td.col-snippet mark").count() >= len(expected)
    assert set(page.locator("td.col-snippet mark").all_inner_texts()) <= {"خاركيف", "بخاركيف"}
    assert directions(page, "td.col-snippet span.ar") == {"rtl"}
    visit.screenshot("browse_search.png")
    visit.check_local()


def test_an_article_links_to_its_story_and_its_duplicates(
    server: str, store_path: Path, chromium: Any
) -> None:
    [(article_id, story_id)] = query(
        store_path, "SELECT id, story_id FROM articles WHERE title = ?", KHARKIV_B[0]
    )
    urls = [
        url for (url,) in query(store_path, "SELECT url FROM article_urls WHERE article_id = ?", article_id)
    ]
    assert len(urls) == 2  # its own and the copy
    visit = Visit(chromium, server)
    page = visit.open(f"/news/articles/{article_id}")
    assert page.locator("td.col-story_id a").get_attribute("href") == f"/news/stories/{story_id}"
    assert directions(page, "td.col-body span.ar") == {"rtl"}
    duplicates = page.locator(f"a[href='/news/article_urls?article_id={article_id}']")
    assert duplicates.inner_text().strip() == f"{len(urls)} rows"
    duplicates.click()
    page.wait_for_load_state("load")
    shown = page.locator("td.col-url").all_inner_texts()
    assert sorted(u.strip() for u in shown) == sorted(urls)
    page.goto(f"{server}/news/stories/{story_id}")
    assert page.locator("text=from story_id in articles").count() == 1
    visit.check_local()


# -- what it refuses ------------------------------------------------------------------


def test_a_postgresql_store_is_pointed_at_its_views() -> None:
    result = scrapy("browse", env={"DATABASE_URL": "postgresql+psycopg://analyst:secret@127.0.0.1:1/news"})
    assert result.returncode == 1
    assert "scrapy browse: error: scrapy browse serves a SQLite store" in result.stderr
    assert "articles_v, stories_v" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_store_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = scrapy("browse", "--db", str(missing))
    assert result.returncode == 1
    assert f"no database at {missing}" in result.stderr
    assert not missing.exists()
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_said_in_one_line(store_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = scrapy("browse", "--db", str(store_path), "--port", str(port))
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreadable_store_is_named_as_given(tmp_path: Path) -> None:
    """The error names the file --db gave, not DATABASE_URL's or the default store."""
    junk = tmp_path / "notes.db"
    junk.write_text("not a database\n" * 100)
    result = scrapy("browse", "--db", str(junk), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"})
    assert result.returncode == 1
    assert f"{junk} is not a SQLite database" in result.stderr
    assert "other.db" not in result.stderr
    assert "Traceback" not in result.stderr


def test_the_last_24_hours_count_back_from_the_present_by_default(server: str, store_path: Path) -> None:
    """Without ``now`` the canned query reads the clock: the fixed store's reports are long past."""
    assert (
        query(store_path, "SELECT id FROM stories WHERE last_published_at >= datetime('now', '-1 day')") == []
    )
    assert query(
        store_path, "SELECT id FROM stories WHERE last_published_at >= datetime(?, '-1 day')", NOW_SQL
    )
    for path in ("/news/stories_last_24_hours.json", "/news/stories_last_24_hours.json?now="):
        with urllib.request.urlopen(server + path, timeout=60) as response:
            assert json.load(response)["rows"] == [], path


def test_a_screenshot_is_replaced_only_when_it_looks_different() -> None:
    """A few anti-aliased pixels are the same page; a changed block or size is not (tests/headless.py)."""
    image = pytest.importorskip("PIL.Image")

    def png(size: tuple[int, int], dots: int = 0, block: bool = False) -> bytes:
        picture = image.new("RGB", size, "white")
        for x in range(dots):
            picture.putpixel((x, 0), (0, 0, 0))
        if block:
            picture.paste((0, 0, 0), (0, 0, 40, 40))
        out = io.BytesIO()
        picture.save(out, "PNG")
        return out.getvalue()

    committed = png((400, 300))
    assert looks_the_same(png((400, 300), dots=3), committed)
    assert not looks_the_same(png((400, 300), block=True), committed)
    assert not looks_the_same(png((400, 301)), committed)
