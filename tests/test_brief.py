"""The daily brief (scrapy brief): a store with known stories, topics, actors and sources, the
command run as a user runs it, and the page opened in headless Chromium, on SQLite and PostgreSQL.

What is checked in the browser: no request leaves the file (font, styles and charts are
inline), the page and its Arabic text are right-to-left, the charts' Arabic labels are
text, and every number shown equals what the database holds.
"""

from __future__ import annotations

import email
import email.policy
import os
import random
import subprocess
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crawler.items import Actor, Attribution
from crawler.store import ArticleStore, make_engine
from crawler.store.models import ArticleRow, ArticleUrlRow
from tests.headless import chromium_browser, keep_screenshot  # noqa: F401  (the `chromium` fixture)
from tests.helpers import PROJECT_ROOT, scrapy
from tests.test_stories import KHARKIV_A, KHARKIV_B, KHARKIV_C, NORTH_KOREA, PACT, RUSSIA, UKRAINE, article

UNTIL = datetime(2025, 3, 8, tzinfo=UTC)  # the brief's period: the 24 hours before
SINCE = UNTIL - timedelta(hours=24)
T0 = datetime(2025, 3, 7, 6, 0, tzinfo=UTC)
IRAN = Actor("إيران", "country", 1, True)
SCREENSHOT = PROJECT_ROOT / "docs" / "img" / "brief.png"
WORDS = (
    "الجيش القوات المناورات الطائرات السفن الحدود الصواريخ الدبابات الوزارة الاتفاقية الشركة الصفقة "
    "الميناء القاعدة الرادار المدفعية الكتيبة اللواء الأسطول الغواصة المطار الحرس الطيار المهندس "
    "التدريب الانتشار المراقبة الإمداد التسليح التحديث الإنتاج التصدير الاستيراد التعاون الاجتماع"
).split()


def filler(rng: random.Random, n: int) -> tuple[str, str]:
    """A headline and body of words in an order of its own: no two are near-duplicates."""
    words = rng.sample(WORDS, len(WORDS))
    return f"خبر عسكري رقم {n} {' '.join(words[:4])}", " ".join(words + rng.sample(WORDS, len(WORDS)))


@pytest.fixture
def brief_store(database_url: str) -> str:
    """The store: one story of three outlets (and a copy at a fourth), an unrelated report by
    the same actors, articles on known topics over 14 days, actors in this period and the one
    before, sources and cited agencies old and new."""
    store = ArticleStore(make_engine(database_url)).prepare()
    both = [RUSSIA, UKRAINE]
    a = article("https://a.example/1", KHARKIV_A, T0, both, "asite")
    a.topics = ["missiles_air_defence", "armed_conflict"]
    a.attributions = [Attribution("agency", "رويترز", "(رويترز)")]
    b = article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), both, "bsite")
    b.topics = ["missiles_air_defence"]
    b.attributions = [Attribution("cited", "تاس", "وأفادت وكالة تاس"), Attribution("agency", "رويترز", "")]
    c = article("https://c.example/1", KHARKIV_C, T0 + timedelta(hours=30), both, "csite")
    copy_of_b = article("https://d.example/7", KHARKIV_B, T0 + timedelta(hours=3), both, "dsite")
    pact = article("https://a.example/2", PACT, T0 + timedelta(hours=3), [RUSSIA, NORTH_KOREA], "asite")
    pact.topics = ["alliances_exercises"]
    for item in (b, a, c, copy_of_b, pact):
        store.save(item, T0)
    rng = random.Random(15)
    for n in range(40):  # the topic chart's fortnight, and the period before for the actors
        when = UNTIL - timedelta(hours=rng.randrange(1, 14 * 24))
        item = article(f"https://e.example/{n}", filler(rng, n), when, [], "esite")
        item.source = rng.choice(["oldwire", "esite"]) if when < SINCE else "newwire"
        item.topics = rng.sample(["air", "naval", "drones", "nuclear"], rng.randrange(0, 3))
        if SINCE - timedelta(hours=24) <= when < SINCE:
            item.actors = [UKRAINE, IRAN][: rng.randrange(1, 3)]
        store.save(item, T0)
    store.engine.dispose()
    return database_url


def database_figures(url: str) -> dict[str, object]:
    """What the page must show, read from the database with plain queries."""
    engine = make_engine(url)
    with engine.connect() as connection:
        articles = connection.execute(
            select(
                ArticleRow.id,
                ArticleRow.site,
                ArticleRow.published_at,
                ArticleRow.topics,
                ArticleRow.story_id,
            )
        ).all()
        copies = connection.execute(select(ArticleUrlRow.article_id, ArticleUrlRow.site)).all()
    engine.dispose()
    story_sites: dict[int, set[str]] = defaultdict(set)
    story_of = {row.id: row.story_id for row in articles if row.story_id is not None}
    for row in articles:
        if row.story_id is not None:
            story_sites[row.story_id].add(row.site)
    for article_id, site in copies:
        if article_id in story_of:
            story_sites[story_of[article_id]].add(site)
    in_period = [row for row in articles if SINCE <= row.published_at < UNTIL]
    active = {row.story_id for row in in_period if row.story_id is not None}
    days = [(UNTIL - timedelta(days=n)).date().isoformat() for n in range(1, 15)]
    topic_days: Counter[tuple[str, str]] = Counter()
    for row in articles:
        day = row.published_at.date().isoformat()
        if day in days:
            topic_days.update((topic, day) for topic in row.topics)
    return {
        "articles": len(in_period),
        "outlets": {story: len(story_sites[story]) for story in active},
        "sites": {story: story_sites[story] for story in active},
        "topic_days": topic_days,
        "days": days,
    }


def actor_counts(url: str, start: datetime, end: datetime) -> Counter[str]:
    from crawler.store.models import ActorRow

    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(ActorRow.name, ArticleRow.id)
            .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
            .where(ArticleRow.published_at >= start, ArticleRow.published_at < end)
            .distinct()
        ).all()
    engine.dispose()
    return Counter(name for name, _ in rows)


# An Arabic label of the topic chart: its width as drawn, its width with the letters kept from
# joining, and where its first and last letters are drawn.
SHAPING = """() => {
    const text = [...document.querySelectorAll('#topics svg text')].find(t => /[\\u0621-\\u064A]{4}/.test(t.textContent));
    const apart = text.cloneNode(true);
    apart.textContent = [...text.textContent].join('\\u200c');
    text.parentNode.appendChild(apart);
    const widths = [text.getComputedTextLength(), apart.getComputedTextLength()];
    apart.remove();
    const n = text.getNumberOfChars();
    return [text.textContent, ...widths, text.getStartPositionOfChar(0).x, text.getStartPositionOfChar(n - 1).x];
}"""


def write_brief(url: str, output: Path, *extra: str) -> None:
    result = scrapy(
        "brief",
        "--since",
        "24h",
        "--until",
        UNTIL.isoformat(),
        "-o",
        str(output),
        *extra,
        env={"DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"written to {output}" in result.stderr


def test_the_brief_in_a_browser_shows_the_databases_figures(
    brief_store: str, tmp_path: Path, chromium: Any, request: pytest.FixtureRequest
) -> None:
    output = tmp_path / "brief.html"
    write_brief(brief_store, output)
    expected = database_figures(brief_store)
    page = chromium.new_page(viewport={"width": 1000, "height": 900})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(output.as_uri())
    page.wait_for_load_state("load")

    # nothing but the file itself and its inline data: URIs
    assert requested[0] == output.as_uri()
    assert all(u == output.as_uri() or u.startswith("data:") for u in requested), requested
    # right to left: the document, and the Arabic text in it
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    for selector in ("h1", ".story-title", "#actors td"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "rtl", selector
    # the embedded font is the one in use
    assert page.evaluate("document.fonts.check(\"16px 'DejaVu Sans'\", 'الدفاع')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('DejaVu Sans') && f.status == 'loaded')"
    )

    assert int(page.inner_text("#article-count")) == expected["articles"]
    # the stories: every story with a report in the period, ranked by outlets, counts as the database's
    shown = page.eval_on_selector_all(
        "li.story",
        "ls => ls.map(l => [Number(l.dataset.storyId), Number(l.querySelector('.outlet-count').textContent)])",
    )
    assert dict(shown) == expected["outlets"]
    assert [n for _, n in shown] == sorted((n for _, n in shown), reverse=True)
    assert int(page.inner_text("#story-count")) == len(expected["outlets"])
    top = page.locator("li.story").first
    assert top.locator(".story-title").inner_text() == KHARKIV_A[0]  # the first report's headline
    assert "asite" in top.locator(".meta").first.inner_text()
    top_id = int(top.get_attribute("data-story-id"))
    shown_sites = top.locator("tr[data-site]").evaluate_all("rs => rs.map(r => r.dataset.site)")
    assert sorted(shown_sites) == sorted(expected["sites"][top_id])  # each outlet once
    assert {"asite", "bsite", "dsite"} <= set(shown_sites)  # dsite: its copy of bsite's report
    assert top.locator(".cited-name").all_inner_texts() == ["رويترز", "تاس"]  # most cited first

    # the topic table: each day's count per topic, as the database holds them
    cells = page.eval_on_selector_all(
        "table.topic-days td[data-day]",
        "cs => cs.map(c => [c.closest('tr').dataset.topic, c.dataset.day, Number(c.textContent)])",
    )
    assert sorted({day for _, day, _ in cells}) == sorted(expected["days"])
    shown_topics = Counter({(topic, day): n for topic, day, n in cells if n})
    assert shown_topics == expected["topic_days"]
    # the chart draws them with Arabic labels as text, in the embedded font
    legend = page.eval_on_selector_all("#topics svg text", "ts => ts.map(t => t.textContent)")
    assert "المسيّرات" in legend or "القوات الجوية" in legend

    # ... shaped: the label is narrower joined than with its letters kept apart (ZWNJ between
    # them gives each its isolated form), and right to left: its first letter is drawn rightmost
    label, joined, apart, first_x, last_x = page.evaluate(SHAPING)
    assert apart > joined * 1.05, (label, joined, apart)
    assert first_x > last_x, (label, first_x, last_x)

    # the actors: this period's counts and the period before's
    now, before = (
        actor_counts(brief_store, SINCE, UNTIL),
        actor_counts(brief_store, SINCE - timedelta(hours=24), SINCE),
    )
    rows = page.eval_on_selector_all(
        "table.actors tr[data-actor]",
        "rs => rs.map(r => [r.dataset.actor, Number(r.querySelector('.count').textContent),"
        " Number(r.querySelector('.previous').textContent), r.querySelector('.change').textContent])",
    )
    assert {name: count for name, count, _, _ in rows} == dict(now)
    for name, count, previous, change in rows:
        assert previous == before[name]
        assert int(change) == count - previous
    assert set(page.eval_on_selector_all("#actors svg text", "ts => ts.map(t => t.textContent)")) >= set(now)

    # new sources: first seen in the period (oldwire and esite appeared before it, csite after it;
    # dsite's copy is a URL of bsite's article, not an article crediting a source of its own)
    assert set(page.eval_on_selector_all("ul.new-source li", "ls => ls.map(l => l.dataset.name)")) == {
        "asite",
        "bsite",
        "newwire",
    }
    assert set(page.eval_on_selector_all("ul.new-cited li", "ls => ls.map(l => l.dataset.name)")) == {
        "رويترز",
        "تاس",
    }

    if request.node.callspec.params["database_url"] == "sqlite":
        # without the footer's time of writing: the committed image changes only with the page
        page.evaluate("document.querySelector('footer').remove()")
        keep_screenshot(page, SCREENSHOT, full_page=True)
    page.close()


def test_a_topic_narrows_the_brief(brief_store: str, tmp_path: Path) -> None:
    output = tmp_path / "brief.html"
    write_brief(brief_store, output, "--topic", "alliances_exercises", "--tz", "Asia/Riyadh")
    page = output.read_text(encoding="utf-8")
    assert PACT[0] not in page  # a report, not a story: stories only
    assert KHARKIV_A[0] not in page  # the story is not on the topic
    assert 'id="article-count">1<' in page
    assert "Asia/Riyadh" in page
    assert "<time>2025-03-07 03:00</time>" in page  # the period's start, 00:00 UTC, in Riyadh


def test_bad_options_and_a_missing_database_are_one_line(tmp_path: Path) -> None:
    missing = scrapy(
        "brief", "-o", str(tmp_path / "b.html"), env={"DATABASE_URL": f"sqlite:///{tmp_path}/none.db"}
    )
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    assert not (tmp_path / "b.html").exists()
    for args in (["--since", "yesterdayish"], ["--tz", "Mars/Olympus"], ["--since", "0h"]):
        result = scrapy(
            "brief",
            *args,
            "-o",
            str(tmp_path / "b.html"),
            env={"DATABASE_URL": f"sqlite:///{tmp_path}/none.db"},
        )
        assert result.returncode == 2, (args, result.stderr[-500:])
        assert "Traceback" not in result.stderr


def test_the_cron_script_mails_the_brief_as_an_html_attachment(tmp_path: Path) -> None:
    """deploy/brief.sh builds the brief and hands sendmail a message whose attachment is the page."""
    database = f"sqlite:///{tmp_path / 'news.db'}"
    store = ArticleStore(make_engine(database)).prepare()
    recent = datetime.now(UTC) - timedelta(hours=3)
    store.save(article("https://a.example/1", KHARKIV_A, recent, [RUSSIA, UKRAINE], "asite"), recent)
    store.engine.dispose()
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/message\n')
    sendmail.chmod(0o755)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SENDMAIL": str(sendmail),
        "BRIEF_DIR": str(tmp_path / "briefs"),
    }
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "deploy" / "brief.sh"), "desk@example.org", "--tz", "Asia/Riyadh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # silent on success: cron mails nothing else
    [kept] = (tmp_path / "briefs").glob("brief-*.html")
    message = email.message_from_bytes((tmp_path / "message").read_bytes(), policy=email.policy.default)
    assert (tmp_path / "args").read_text().split() == ["-t"]
    assert message["To"] == "desk@example.org"
    assert str(message["Subject"]).startswith("الموجز اليومي")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_filename() == kept.name
    assert attachment.get_content() == kept.read_text(encoding="utf-8")
    assert 'id="article-count">1<' in attachment.get_content()
    assert "Asia/Riyadh" in attachment.get_content()


def test_the_cron_script_reports_a_failed_brief(tmp_path: Path) -> None:
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f"#!/bin/sh\ncat > {tmp_path}/message\n")
    sendmail.chmod(0o755)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}",
        "SENDMAIL": str(sendmail),
        "BRIEF_DIR": str(tmp_path / "briefs"),
    }
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "deploy" / "brief.sh"), "desk@example.org"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("The daily brief failed (exit status 1):")
    assert "missing.db" in result.stdout
    assert not (tmp_path / "message").exists()


def test_undated_articles_count_when_first_seen_and_a_site_narrows(database_url: str) -> None:
    """A page that printed no date counts at the time it was first seen; ``--site`` keeps the
    articles that site published or carried a copy of."""
    from crawler.brief.queries import BriefFilter, read_brief

    store = ArticleStore(make_engine(database_url)).prepare()
    rng = random.Random(7)
    seen_in, seen_before = SINCE + timedelta(hours=5), SINCE - timedelta(hours=5)
    undated = article("https://u.example/1", filler(rng, 1), None, [IRAN], "usite")
    undated.topics = ["naval"]
    store.save(undated, seen_in)
    older = article("https://u.example/2", filler(rng, 2), None, [IRAN], "usite")
    older.topics = ["naval"]
    store.save(older, seen_before)
    text = filler(rng, 3)
    dated = article("https://v.example/1", text, T0, [IRAN], "vsite")
    dated.topics = ["naval", "air"]
    store.save(dated, seen_before)  # published in the period, though first seen before it
    copy = article("https://w.example/1", text, T0, [IRAN], "wsite")  # the same text: a URL of it
    assert store.save(copy, T0).outcome == "duplicate"

    whole = read_brief(store.engine, BriefFilter(since=SINCE, until=UNTIL))
    assert whole.article_count == 2
    assert whole.topic_days["naval"][-1] == 2  # the period's day: undated (seen then) and dated
    assert whole.topic_days["naval"][-2] == 1  # the day before: the undated one seen then
    assert whole.topic_days["air"][-1] == 1
    assert [(a.name, a.count, a.previous) for a in whole.actors] == [("إيران", 2, 1)]
    by_site = {
        site: read_brief(store.engine, BriefFilter(since=SINCE, until=UNTIL, site=site)).article_count
        for site in ("usite", "vsite", "wsite", "nobody")
    }
    assert by_site == {"usite": 1, "vsite": 1, "wsite": 1, "nobody": 0}
    store.engine.dispose()
