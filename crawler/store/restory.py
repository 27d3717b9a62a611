"""A revised article follows its story: it leaves the one it had, and is placed again.

Placement (crawler/store/placement.py) puts a *new* article in a story, from its
headline, lead, date and actors. When a re-extraction changes one of those
(``scrapy reextract``: crawler/store/writer.py), the story it was placed in may
no longer be its own: it leaves it (the story's count, bounds and title are
read again from the articles that remain; a story left with one report is no
story and goes), then it is placed as a new article would be, possibly in the
same story again. Both happen in the revising transaction, under the same locks
as a placement.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from crawler.items import Article
from crawler.store.models import ArticleRow, StoryRow
from crawler.store.placement import Meaning, place_in_story

# When a story member was reported, as placement reads it (an undated article: when it was first seen).
_WHEN = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)


def move_to_story(
    session: Session,
    article_id: int,
    article: Article,
    story_id: int | None,
    now: datetime,
    *,
    lock_rows: bool,
    made: Meaning | None = None,
) -> int | None:
    """Take the article out of ``story_id`` (its story until now) and place it again; its story now.

    ``made``: its new vector (crawler/store/placement.py ``prepare_meanings``)."""
    if story_id is not None:
        leave_story(session, article_id, story_id, now, lock_rows=lock_rows)
    return place_in_story(session, article_id, article, now, lock_rows=lock_rows, made=made)


def leave_story(session: Session, article_id: int, story_id: int, now: datetime, *, lock_rows: bool) -> None:
    """The article is no longer in the story: the story is what its other articles make it."""
    session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(story_id=None))
    refresh_story(session, story_id, now, lock_rows=lock_rows)


def refresh_story(session: Session, story_id: int, now: datetime, *, lock_rows: bool) -> None:
    """Count, bounds and title read again from the story's articles: after one left, or
    after a member's time or headline changed in place (an earlier copy became the
    record, a page was edited), which would leave the story's bounds behind."""
    story = session.get(StoryRow, story_id, with_for_update=lock_rows)
    if story is None:
        return
    members = session.execute(
        select(ArticleRow.title, _WHEN.label("at"))
        .where(ArticleRow.story_id == story_id)
        .order_by(_WHEN, ArticleRow.id)
    ).all()
    if len(members) < 2:
        # one report of an event is no story (placement opens one for two)
        session.execute(update(ArticleRow).where(ArticleRow.story_id == story_id).values(story_id=None))
        session.execute(delete(StoryRow).where(StoryRow.id == story_id))
        session.expunge(story)
        return
    story.article_count = len(members)
    story.title = members[0].title  # a story is named by its first report
    story.first_published_at = members[0].at
    story.last_published_at = max(member.at for member in members)
    story.updated_at = now
    session.flush()
