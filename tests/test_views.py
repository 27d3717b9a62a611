"""The analyst's views (migration 0011) on SQLite and PostgreSQL: each returns what the store holds.

The store is filled through the real writer (tests/desk_store.py); every view is read
with plain SQL, as a BI tool would, and checked against what the saved reports say
(topics, actors, credits, URLs, days) or, for stories, against the store's own story
export (crawler/store/reader.py), which computes the same answers in Python.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text, update

from crawler.store import ArticleStore, make_engine
from crawler.store.migrate import ALEMBIC_INI, alembic_config, head_revision
from crawler.store.models import ArticleRow
from tests.desk_store import SPECS, Spec, article, fill, filled

T0 = datetime(2025, 3, 7, 6, 0, tzinfo=UTC)
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?")  # how SQLite holds a UTC time
VIEWS = (
    "articles_v",
    "stories_v",
    "story_articles_v",
    "story_outlets_v",
    "article_actors_v",
    "actors_v",
    "citations_v",
    "daily_topics_v",
)


@pytest.fixture
def store(database_url: str) -> Iterator[ArticleStore]:
    with filled(database_url, T0) as store:
        yield store


def when(value: Any) -> Any:
    """A time or day as the test compares it: SQLite gives text, PostgreSQL datetimes and dates."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and TIME.fullmatch(value):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def listed(value: Any) -> list[str]:
    """A JSON list column: text on SQLite, decoded by the driver on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else list(value)


def rows(store: ArticleStore, sql: str) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [
            {key: when(value) for key, value in row._mapping.items()} for row in connection.execute(text(sql))
        ]


def test_every_view_answers(store: ArticleStore) -> None:
    for view in VIEWS:
        assert rows(store, f"SELECT * FROM {view}"), view


def test_articles_v_is_one_row_per_article_with_its_lens(store: ArticleStore) -> None:
    got = {row["url"]: row for row in rows(store, "SELECT * FROM articles_v")}
    assert set(got) == {spec.url for spec in SPECS}  # the copy is a URL of its row, not a row
    for spec in SPECS:
        row = got[spec.url]
        assert (row["site"], row["source"], row["title"]) == (spec.site, spec.source, spec.text[0])
        assert row["published_at"] == T0 + timedelta(hours=spec.hours)
        assert row["relevance"] == pytest.approx(spec.relevance)
        assert row["topics"] == ", ".join(spec.topics)
        assert listed(row["topic_list"]) == list(spec.topics)
        assert row["actors"] == ", ".join(actor.name for actor in spec.actors)
        assert listed(row["actor_list"]) == [actor.name for actor in spec.actors]
        assert row["url_count"] == 1 + len(spec.copies)
        assert row["body_chars"] == len(spec.text[1])
    stories = {row["id"]: row["title"] for row in rows(store, "SELECT id, title FROM stories")}
    for row in got.values():
        assert row["story_title"] == stories.get(row["story_id"])


def test_stories_v_agrees_with_the_story_export(store: ArticleStore) -> None:
    exported = {story["story_id"]: story for story in store.iter_stories()}
    # the fixture's strike, reported by two outlets and copied by a third, is one story
    assert any(story["outlet_count"] == 3 and story["article_count"] == 2 for story in exported.values())
    got = {row["id"]: row for row in rows(store, "SELECT * FROM stories_v")}
    assert set(got) == set(exported)
    for story_id, story in exported.items():
        row = got[story_id]
        assert row["title"] == story["title"]
        assert row["article_count"] == story["article_count"]
        assert row["outlet_count"] == story["outlet_count"]
        assert row["first_outlet"] == story["first_outlet"]
        assert row["first_url"] == story["first_url"]
        assert row["first_published_at"].isoformat().replace("+00:00", "Z") == story["first_published_at"]
        assert sorted(row["outlets"].split(", ")) == sorted(story["outlets"])
        assert row["outlets"].split(", ")[0] == story["first_outlet"]


def test_story_articles_and_outlets(store: ArticleStore) -> None:
    exported = list(store.iter_stories())
    members = rows(store, "SELECT * FROM story_articles_v ORDER BY story_id, rank")
    assert [(m["story_id"], m["url"]) for m in members] == [
        (story["story_id"], article["url"]) for story in exported for article in story["articles"]
    ]
    for story in exported:
        ranks = [m["rank"] for m in members if m["story_id"] == story["story_id"]]
        assert ranks == list(range(1, len(story["articles"]) + 1))
    outlets = rows(store, "SELECT * FROM story_outlets_v")
    assert Counter(o["story_id"] for o in outlets) == {s["story_id"]: s["outlet_count"] for s in exported}
    by_site = {(o["story_id"], o["site"]): o for o in outlets}
    for story in exported:
        for member in story["articles"]:
            first = by_site[(story["story_id"], member["site"])]["first_reported_at"]
            assert first <= datetime.fromisoformat(member["published_at"].replace("Z", "+00:00"))


def test_actors_views_count_what_the_reports_name(store: ArticleStore) -> None:
    named = [(spec, actor) for spec in SPECS for actor in spec.actors]
    got = rows(store, "SELECT * FROM article_actors_v")
    assert sorted((row["title"], row["name"]) for row in got) == sorted(
        (spec.text[0], actor.name) for spec, actor in named
    )
    totals = {row["name"]: row for row in rows(store, "SELECT * FROM actors_v")}
    assert set(totals) == {actor.name for _, actor in named}
    for name, row in totals.items():
        mine = [(spec, actor) for spec, actor in named if actor.name == name]
        assert row["article_count"] == len(mine)
        assert row["mentions"] == sum(actor.mentions for _, actor in mine)
        assert row["title_count"] == sum(actor.in_title for _, actor in mine)
        assert row["first_reported_at"] == T0 + timedelta(hours=min(spec.hours for spec, _ in mine))
        assert row["last_reported_at"] == T0 + timedelta(hours=max(spec.hours for spec, _ in mine))


def test_citations_v_lists_each_credit(store: ArticleStore) -> None:
    got = rows(store, "SELECT * FROM citations_v ORDER BY article_id, position")
    assert [(row["title"], row["kind"], row["name"], row["text"]) for row in got] == [
        (spec.text[0], credit.kind, credit.name, credit.text) for spec in SPECS for credit in spec.credits
    ]
    cited = rows(store, "SELECT name, COUNT(*) AS n FROM citations_v WHERE kind = 'cited' GROUP BY name")
    assert {row["name"]: row["n"] for row in cited} == {"رويترز": 2}


def test_daily_topics_v_counts_topics_per_utc_day(store: ArticleStore) -> None:
    expected = Counter(
        ((T0 + timedelta(hours=spec.hours)).date().isoformat(), topic)
        for spec in SPECS
        for topic in spec.topics
    )
    got = {
        (row["day"], row["topic"]): row["article_count"]
        for row in rows(store, "SELECT * FROM daily_topics_v")
    }
    assert got == dict(expected)
    assert len({day for day, _ in got}) == 2  # the naval report is the next day's


def test_views_follow_the_store(store: ArticleStore) -> None:
    """Views are not snapshots: an article stored later is in them at once."""
    drones = (
        "الجيش يعلن إسقاط طائرتين مسيرتين قرب الحدود",
        "أعلن الجيش أن دفاعاته الجوية أسقطت طائرتين مسيرتين مجهولتين حاولتا عبور الحدود الشمالية ليلا، "
        "وأن فرق الهندسة تفحص الحطام لتحديد مصدرهما.",
    )
    assert store.save(article(Spec("https://e.example/1", "esite", drones, 27), T0), T0).outcome == "new"
    assert len(rows(store, "SELECT * FROM articles_v")) == len(SPECS) + 1
    [row] = rows(store, "SELECT topics, actors, url_count FROM articles_v WHERE site = 'esite'")
    assert row == {"topics": "", "actors": "", "url_count": 1}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM stories_v WHERE id = 1",
        "SELECT * FROM stories_v WHERE last_published_at >= '2025-03-07'",
        "SELECT * FROM story_outlets_v WHERE story_id = 1",
        "SELECT * FROM story_articles_v WHERE story_id = 1",
    ],
)
def test_a_story_is_read_through_its_index_not_the_whole_store(sql: str, tmp_path: Path) -> None:
    """The story views read a story's articles through articles.story_id's index: a plan that
    scans the articles for each story made "stories of the last 24 hours" take minutes on a
    store of 100,000 articles (SQLite does not narrow a grouped UNION to one story)."""
    with filled(f"sqlite:///{tmp_path / 'news.db'}", T0) as store, store.engine.connect() as connection:
        plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    assert not [step for step in plan if re.match(r"SCAN (a|u|articles|article_urls)\b", step)], plan
    assert any("ix_articles_story_id" in step for step in plan), plan


def test_the_views_go_and_come_back_with_their_migration(store: ArticleStore) -> None:
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
    with store.engine.connect() as connection:
        assert not set(VIEWS) & set(inspect(connection).get_view_names())
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with store.engine.connect() as connection:
        assert set(VIEWS) <= set(inspect(connection).get_view_names())
    assert len(rows(store, "SELECT * FROM articles_v")) == len(SPECS)


REBUILD = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("articles", recreate="always") as batch:
        batch.add_column(sa.Column("probe", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("probe")
"""


def test_a_later_migration_can_rebuild_a_table_the_views_read(tmp_path: Path) -> None:
    """SQLite rebuilds a table to alter it (batch mode); views on it must not stop that."""
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "9999_rebuild_articles.py").write_text(REBUILD.format(head=head_revision()))
    store = ArticleStore(make_engine(f"sqlite:///{tmp_path / 'news.db'}")).prepare()
    fill(store, T0)
    with store.engine.begin() as connection:
        config = alembic_config(connection)
        config.set_main_option("version_locations", f"{ALEMBIC_INI.parent / 'migrations' / 'versions'}")
        config.set_main_option(
            "version_locations", f"{config.get_main_option('version_locations')}{os.pathsep}{versions}"
        )
        command.upgrade(config, "9999")
    assert len(rows(store, "SELECT * FROM articles_v")) == len(SPECS)
    assert rows(store, "SELECT COUNT(*) AS n FROM articles WHERE probe IS NULL") == [{"n": len(SPECS)}]
    store.engine.dispose()


# -- the narrow tables the counting views read (migration 0012) -------------------------------

COUNTING_VIEWS = ("actors_v", "daily_topics_v")  # migration 0012 wrote them over narrow tables


def topic_rows(store: ArticleStore) -> dict[str, list[str]]:
    """Each article's topics as ``article_topics`` holds them, in their order, by the article's URL."""
    held: dict[str, list[str]] = {}
    sql = (
        "SELECT a.url, t.topic FROM article_topics t JOIN articles a ON a.id = t.article_id"
        " ORDER BY a.url, t.position"
    )
    for row in rows(store, sql):
        held.setdefault(row["url"], []).append(row["topic"])
    return held


def json_topics(store: ArticleStore) -> dict[str, list[str]]:
    """Each article's topics as ``articles.topics`` holds them (what exports read), the empty left out."""
    held = {row["url"]: listed(row["topics"]) for row in rows(store, "SELECT url, topics FROM articles")}
    return {url: topics for url, topics in held.items() if topics}


def migration_0011() -> Any:
    """Migration 0011's module: its definitions of the views, as they read before 0012."""
    revision = ScriptDirectory.from_config(alembic_config()).get_revision("0011")
    assert revision is not None
    return revision.module


def test_article_topics_hold_each_articles_topics_in_order(store: ArticleStore) -> None:
    expected = {spec.url: list(spec.topics) for spec in SPECS if spec.topics}
    assert topic_rows(store) == expected
    assert json_topics(store) == expected


def test_article_topics_follow_an_update_a_revision_an_earlier_copy_and_a_delete(store: ArticleStore) -> None:
    naval = next(spec for spec in SPECS if spec.topics == ("naval",))
    later = T0 + timedelta(days=2)
    edited = replace(naval, text=(naval.text[0], naval.text[1] + " وأكدت القيادة جاهزية الأسطول."))
    changed = replace(edited, topics=("naval", "arms_industry"))
    assert store.save(article(changed, T0), later).outcome == "updated"  # a crawl: the text changed
    assert topic_rows(store)[naval.url] == ["naval", "arms_industry"]
    revised = replace(edited, topics=("arms_industry",))
    assert store.save(article(revised, T0), later, revise=True).outcome == "updated"  # scrapy reextract
    assert topic_rows(store)[naval.url] == ["arms_industry"]
    # the same text found at another outlet, published an hour earlier: the copy becomes the record
    earlier = replace(
        revised, url="https://f.example/1", site="fsite", hours=naval.hours - 1, topics=("land",)
    )
    assert store.save(article(earlier, T0), later).outcome == "duplicate"
    assert topic_rows(store)["https://f.example/1"] == ["land"]
    assert naval.url not in topic_rows(store)
    assert topic_rows(store) == json_topics(store)
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE url = 'https://f.example/1'"))
    assert "https://f.example/1" not in topic_rows(store)
    assert topic_rows(store) == json_topics(store)


def test_migration_0012_fills_article_topics_from_the_stored_articles(store: ArticleStore) -> None:
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0011")
        assert "article_topics" not in inspect(connection).get_table_names()
        # written while the table was not there: the migration reads the JSON lists
        connection.execute(
            update(ArticleRow).where(ArticleRow.url == SPECS[0].url).values(topics=["nuclear", "naval"])
        )
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    expected = {spec.url: list(spec.topics) for spec in SPECS if spec.topics}
    expected[SPECS[0].url] = ["nuclear", "naval"]
    assert topic_rows(store) == expected
    assert json_topics(store) == expected


def test_the_counting_views_give_the_rows_of_migration_0011s(store: ArticleStore) -> None:
    old = migration_0011()
    parts = old.DIALECT[store.engine.dialect.name]
    for name in COUNTING_VIEWS:
        body = dict(old.VIEWS)[name].format(**parts)
        before = rows(store, f"SELECT * FROM ({body}) AS old_view")
        assert before
        assert sorted(map(repr, rows(store, f"SELECT * FROM {name}"))) == sorted(map(repr, before)), name


@pytest.mark.parametrize("view", COUNTING_VIEWS)
def test_the_counting_views_read_the_articles_through_an_index(view: str, tmp_path: Path) -> None:
    """At 100,000 articles a lookup of each topic's or actor's article in the wide articles rows cost
    seconds a page in ``scrapy browse`` (docs/benchmarks.md): the articles' time and story come from
    ix_articles_reported_story, the topics and actors by article id."""
    with filled(f"sqlite:///{tmp_path / 'news.db'}", T0) as store, store.engine.connect() as connection:
        plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN SELECT * FROM {view}")]
    assert any(re.match(r"SCAN a USING COVERING INDEX ix_articles_reported_story", step) for step in plan), (
        plan
    )
    assert not [step for step in plan if "SEARCH a " in step or "json_each" in step], plan
