"""Re-extraction from the archive: the store revises records field by field, ``scrapy reextract``
replays a run's archive with no network, and ``-a archive=PATH`` serves a crawl from one.

The store's part runs on SQLite and PostgreSQL; the commands run as a user runs them, in a
subprocess, on archives of the local mirror.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crawler.items import Actor, Article, Block, RelatedLink
from crawler.store import ArticleStore, make_engine
from crawler.store.models import ArticleRow, ArticleUrlRow, DedupKeyRow, StoryRow
from devsite.dedup_pairs import story, syndicate
from pipelines.dedup import dedup_keys
from tests.test_stories import KHARKIV_A, KHARKIV_B, KHARKIV_C, NORTH_KOREA, PACT, RUSSIA, T0, UKRAINE

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
URL = "https://www.elaosboa.com/100001/"


@pytest.fixture
def store(database_url: str) -> Iterator[ArticleStore]:
    store = ArticleStore(make_engine(database_url)).prepare()
    yield store
    store.engine.dispose()


def make_article(
    url: str = URL,
    body: str | None = None,
    *,
    title: str = "مناورات بحرية في البحر الأحمر",
    published: datetime | None = NOW,
    related: list[RelatedLink] | None = None,
    actors: list[Actor] | None = None,
    site: str = "alusbu",
) -> Article:
    text = body if body is not None else story(random.Random(1)).body
    item = Article(url=url, site=site, title=title, source="الأسبوع", published_at=published)
    item.related = list(related or [])
    item.actors = list(actors or [])
    item.blocks = [Block(paragraph) for paragraph in text.split("\n\n")]
    return dedup_keys(item)


def stored_row(store: ArticleStore, url: str = URL) -> ArticleRow:
    with store.sessions() as session:
        row = session.scalar(select(ArticleRow).where(ArticleRow.url == url))
        assert row is not None
        session.expunge(row)
        return row


def keys_of(store: ArticleStore, article_id: int) -> set[int]:
    with store.sessions() as session:
        return set(session.scalars(select(DedupKeyRow.key).where(DedupKeyRow.article_id == article_id)))


# -- the store: which fields changed -------------------------------------------------------


def test_an_edit_reports_the_fields_it_changed(store: ArticleStore) -> None:
    store.save(make_article(), NOW)
    edited = make_article(body=story(random.Random(1)).body + "\n\nوأضافت الوزارة تفاصيل جديدة.")
    result = store.save(edited, NOW + timedelta(hours=2))
    assert (result.outcome, result.changed, result.fields) == ("updated", True, ("body",))


def test_a_crawl_that_sees_the_same_text_leaves_the_record_alone(store: ArticleStore) -> None:
    """Outside a re-extraction the store keys on the text, as before: a recheck is not a revision."""
    store.save(make_article(), NOW)
    result = store.save(make_article(published=NOW - timedelta(hours=3)), NOW + timedelta(hours=1))
    assert (result.outcome, result.fields) == ("unchanged", ())
    assert stored_row(store).published_at == NOW


def test_a_revision_updates_exactly_the_changed_fields_and_counts_one_revision(store: ArticleStore) -> None:
    first = store.save(make_article(), NOW)
    row_before = stored_row(store)
    related = [RelatedLink("عنوان مرتبط", "https://www.elaosboa.com/100002/")]
    revised = make_article(published=NOW - timedelta(hours=3), related=related)
    result = store.save(revised, LATER, revise=True)
    assert (result.outcome, result.article_id, result.changed) == ("updated", first.article_id, True)
    assert result.fields == ("published_at", "related")
    row = stored_row(store)
    assert row.revision == row_before.revision + 1
    assert row.published_at == NOW - timedelta(hours=3)
    assert row.body == row_before.body
    assert row.updated_at == LATER
    # a re-extraction is not a visit: the page was not seen again, nor fetched
    assert row.last_seen_at == row_before.last_seen_at
    with store.sessions() as session:
        assert session.scalar(select(ArticleUrlRow.fetches).where(ArticleUrlRow.url == URL)) == 1
    [record] = store.iter_records()
    assert record["related"] == [{"title": "عنوان مرتبط", "url": "https://www.elaosboa.com/100002/"}]
    # the same extraction again changes nothing: no second revision, no new place in the feed order
    again = store.save(make_article(published=NOW - timedelta(hours=3), related=related), LATER, revise=True)
    assert (again.outcome, again.changed, again.fields) == ("unchanged", False, ())
    final = stored_row(store)
    assert (final.revision, final.change_seq) == (row.revision, row.change_seq)
    assert row.change_seq > row_before.change_seq  # the revised record is in the next feed


def test_a_revised_body_replaces_its_near_duplicate_keys(store: ArticleStore) -> None:
    rng = random.Random(5)
    old, new = story(rng), story(rng)
    first = store.save(make_article(body=old.body), NOW)
    result = store.save(make_article(body=new.body), LATER, revise=True)
    assert result.outcome == "updated"
    assert "body" in result.fields
    assert keys_of(store, first.article_id) == set(make_article(body=new.body).fingerprint.keys)  # type: ignore[union-attr]
    # a lightly edited copy of the new text is this article; a copy of the old text is not any more
    copy_of_new = "\n\n".join(syndicate(rng, new.paragraphs, edits=2))
    copy_of_old = "\n\n".join(syndicate(rng, old.paragraphs, edits=2))
    assert store.save(make_article("https://other.example/1", copy_of_new), LATER).outcome == "near_duplicate"
    assert store.save(make_article("https://other.example/2", copy_of_old), LATER).outcome == "new"


# The story fixtures of tests/test_stories.py: three reports of one strike, one other event.


def report(url: str, text: tuple[str, str], hours: float, actors: list[Actor]) -> Article:
    return make_article(
        url, text[1], title=text[0], published=T0 + timedelta(hours=hours), actors=actors, site="asite"
    )


def stories_of(store: ArticleStore) -> tuple[dict[str, int | None], list[StoryRow]]:
    with store.sessions() as session:
        links = {
            row.url: row.story_id for row in session.execute(select(ArticleRow.url, ArticleRow.story_id))
        }
        rows = list(session.scalars(select(StoryRow).order_by(StoryRow.id)))
        session.expunge_all()
    return links, rows


def test_a_revised_article_leaves_a_story_it_no_longer_fits_and_the_story_is_recounted(
    store: ArticleStore,
) -> None:
    both = [RUSSIA, UKRAINE]
    store.save(report("https://a.example/1", KHARKIV_A, 0, both), T0)
    store.save(report("https://b.example/1", KHARKIV_B, 2, both), T0)
    store.save(report("https://c.example/1", KHARKIV_C, 30, both), T0)
    links, [kharkiv] = stories_of(store)
    assert kharkiv.article_count == 3
    assert kharkiv.last_published_at == T0 + timedelta(hours=30)
    # re-extraction finds the third page was another event's report
    result = store.save(
        report("https://c.example/1", PACT, 30, [RUSSIA, NORTH_KOREA]), T0 + timedelta(days=40), revise=True
    )
    assert result.outcome == "updated"
    assert {"title", "body", "actors", "story_id"} <= set(result.fields)
    links, [kharkiv] = stories_of(store)
    assert links["https://c.example/1"] is None
    assert links["https://a.example/1"] == links["https://b.example/1"] == kharkiv.id
    assert (kharkiv.article_count, kharkiv.last_published_at) == (2, T0 + timedelta(hours=2))
    assert kharkiv.title == KHARKIV_A[0]


def test_a_story_left_with_one_report_is_no_story(store: ArticleStore) -> None:
    both = [RUSSIA, UKRAINE]
    store.save(report("https://a.example/1", KHARKIV_A, 0, both), T0)
    store.save(report("https://b.example/1", KHARKIV_B, 2, both), T0)
    store.save(report("https://b.example/2", PACT, 3, [RUSSIA, NORTH_KOREA]), T0)
    # the first report was in fact dated a week later: it leaves, and the story of one is gone
    result = store.save(report("https://a.example/1", KHARKIV_A, 24 * 7, both), T0, revise=True)
    assert set(result.fields) == {"published_at", "story_id"}
    links, rows = stories_of(store)
    assert rows == []
    assert set(links.values()) == {None}


def test_a_revised_article_joins_the_story_it_now_fits(store: ArticleStore) -> None:
    both = [RUSSIA, UKRAINE]
    store.save(report("https://a.example/1", KHARKIV_A, 0, both), T0)
    store.save(report("https://b.example/1", KHARKIV_B, 2, both), T0)
    store.save(report("https://c.example/1", PACT, 30, [RUSSIA, NORTH_KOREA]), T0)
    result = store.save(report("https://c.example/1", KHARKIV_C, 30, both), T0, revise=True)
    assert "story_id" in result.fields
    links, [kharkiv] = stories_of(store)
    assert links["https://c.example/1"] == kharkiv.id
    assert kharkiv.article_count == 3
    with store.sessions() as session:
        members = session.scalar(select(func.count()).where(ArticleRow.story_id == kharkiv.id))
    assert members == 3
