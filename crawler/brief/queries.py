"""The brief's figures, read from the store's tables on SQLite and PostgreSQL alike.

An article's time is its publication, or when the harvester first saw it when the page
printed none (the same rule as the story export, crawler/store/reader.py). The period is
``[since, until)``; every count below is over articles whose time falls in it, narrowed
by the brief's filter (a topic, a site). Counting by day and topic is done here rather
than in SQL: topics are a JSON list whose functions differ between the two databases,
days follow the reader's time zone, and a fortnight of articles is a few thousand rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from crawler.store.db import session_factory
from crawler.store.models import ActorRow, ArticleRow, ArticleUrlRow, AttributionRow, StoryRow

# Attribution kinds that name an outlet the article took its news from (crawler/items.py):
# an agency credit ("(رويترز)") and an outlet cited in the body ("وأفادت وكالة تاس").
CITED_KINDS = ("agency", "cited")
# when an article happened: its publication, else when it was first seen
article_time = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)


@dataclass(frozen=True)
class BriefFilter:
    """What the brief covers: the period, and optionally one topic or one site."""

    since: datetime
    until: datetime
    topic: str | None = None
    site: str | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    chart_days: int = 14  # the topic chart: this many days, ending with the period's last day
    story_limit: int = 20

    @property
    def previous(self) -> tuple[datetime, datetime]:
        """The period of the same length just before this one (for the actors' change)."""
        return self.since - (self.until - self.since), self.since

    def articles(self, start: datetime, end: datetime) -> ColumnElement[bool]:
        """Articles whose time is in ``[start, end)`` and that pass the topic and site filter."""
        # article_time's two cases spelled out, so that the index on published_at finds them
        # (a bound on the coalesce itself reads every row: 2 s for the actors of 100,000 articles)
        published = and_(ArticleRow.published_at >= start, ArticleRow.published_at < end)
        unpublished = and_(
            ArticleRow.published_at.is_(None),
            ArticleRow.first_seen_at >= start,
            ArticleRow.first_seen_at < end,
        )
        clauses: list[ColumnElement[bool]] = [or_(published, unpublished)]
        if self.topic:
            # topics is a JSON list of slugs; a slug in quotes matches one element exactly
            clauses.append(cast(ArticleRow.topics, Text).like(f'%"{self.topic}"%'))
        if self.site:
            clauses.append(
                or_(
                    ArticleRow.site == self.site,
                    ArticleRow.id.in_(
                        select(ArticleUrlRow.article_id).where(ArticleUrlRow.site == self.site)
                    ),
                )
            )
        return and_(*clauses)


@dataclass(frozen=True)
class Report:
    """One outlet's report of a story: the article, or a copy of it the outlet published."""

    site: str
    url: str
    title: str
    at: datetime
    copy: bool = False  # the same text at another URL: ``at`` is when it was first seen


@dataclass
class Story:
    story_id: int
    title: str  # the first report's headline
    reports: list[Report]
    cited: list[str]  # agencies and outlets its articles credit or cite, most cited first

    @property
    def first(self) -> Report:
        return self.reports[0]

    @property
    def outlets(self) -> list[Report]:
        """Each outlet once, at its first report, in the order they reported."""
        seen: dict[str, Report] = {}
        for report in sorted(self.reports, key=lambda r: r.at):
            seen.setdefault(report.site, report)
        return list(seen.values())


@dataclass(frozen=True)
class ActorCount:
    name: str
    count: int  # articles naming it in the period
    previous: int  # in the period before

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class NewName:
    name: str
    first_at: datetime
    articles: int  # its articles up to the period's end (all in the period: it is new)


@dataclass
class BriefData:
    where: BriefFilter
    article_count: int
    stories: list[Story]
    story_count: int  # stories with a report in the period (``stories`` holds the top ones)
    days: list[date]
    topic_days: dict[str, list[int]]  # topic slug -> articles per day of ``days``
    actors: list[ActorCount]
    new_sources: list[NewName]
    new_cited: list[NewName]


def read_brief(engine: Engine, where: BriefFilter, actor_limit: int = 15) -> BriefData:
    with session_factory(engine)() as session:
        in_period = where.articles(where.since, where.until)
        article_count = session.scalar(select(func.count()).select_from(ArticleRow).where(in_period)) or 0
        story_ids = _story_ids(session, where)
        stories = _stories(session, story_ids, where)
        stories.sort(key=lambda s: (-len(s.outlets), s.first.at, s.story_id))
        days, topic_days = _topic_days(session, where)
        return BriefData(
            where=where,
            article_count=article_count,
            stories=stories[: where.story_limit],
            story_count=len(story_ids),
            days=days,
            topic_days=topic_days,
            actors=_actors(session, where, actor_limit),
            new_sources=_new_names(session, where, _source_rows()),
            new_cited=_new_names(session, where, _cited_rows()),
        )


def _story_ids(session: Session, where: BriefFilter) -> list[int]:
    """Stories with at least one report in the period (that passes the filter)."""
    query = (
        select(ArticleRow.story_id)
        .where(ArticleRow.story_id.is_not(None), where.articles(where.since, where.until))
        .distinct()
    )
    return sorted(story_id for story_id in session.scalars(query) if story_id is not None)


def _stories(session: Session, ids: list[int], where: BriefFilter) -> list[Story]:
    """Every story's reports (its articles and their copies at other outlets) and citations.
    Whole stories: a report outside the period or the filter still shows who reported first."""
    if not ids:
        return []
    titles = dict(session.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(ids))).all())
    reports: dict[int, list[Report]] = defaultdict(list)
    story_of: dict[int, int] = {}
    for article_id, story_id, site, url, title, at in session.execute(
        select(
            ArticleRow.id,
            ArticleRow.story_id,
            ArticleRow.site,
            ArticleRow.url,
            ArticleRow.title,
            article_time,
        )
        .where(ArticleRow.story_id.in_(ids))
        .order_by(article_time, ArticleRow.id)
    ):
        assert story_id is not None  # by the query
        story_of[article_id] = story_id
        reports[story_id].append(Report(site, url, title, at))
    for article_id, url, site, seen in session.execute(
        select(ArticleUrlRow.article_id, ArticleUrlRow.url, ArticleUrlRow.site, ArticleUrlRow.first_seen_at)
        .where(ArticleUrlRow.article_id.in_(list(story_of)))
        .order_by(ArticleUrlRow.id)
    ):
        story_id = story_of[article_id]
        if site and url not in {r.url for r in reports[story_id]}:
            reports[story_id].append(Report(site, url, "", seen, copy=True))
    cited: dict[int, Counter[str]] = defaultdict(Counter)
    for article_id, name in session.execute(
        select(AttributionRow.article_id, AttributionRow.name).where(
            AttributionRow.article_id.in_(list(story_of)), AttributionRow.kind.in_(CITED_KINDS)
        )
    ):
        cited[story_of[article_id]][name] += 1
    stories = []
    for story_id in ids:
        members = sorted(reports[story_id], key=lambda r: (r.at, r.copy))
        if not members:
            continue
        names = [name for name, _ in sorted(cited[story_id].items(), key=lambda kv: (-kv[1], kv[0]))]
        stories.append(Story(story_id, titles.get(story_id) or members[0].title, members, names))
    return stories


def _topic_days(session: Session, where: BriefFilter) -> tuple[list[date], dict[str, list[int]]]:
    """Articles per topic per day (in the reader's zone) over the chart's days."""
    last_day = (where.until - timedelta(microseconds=1)).astimezone(where.zone).date()
    days = [last_day - timedelta(days=n) for n in range(where.chart_days - 1, -1, -1)]
    start = datetime.combine(days[0], datetime.min.time(), where.zone)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), where.zone)
    index = {day: n for n, day in enumerate(days)}
    counts: dict[str, list[int]] = {}
    for at, topics in session.execute(
        select(article_time, ArticleRow.topics).where(where.articles(start, end))
    ):
        n = index.get(at.astimezone(where.zone).date())
        if n is None:
            continue
        for topic in topics or []:
            if where.topic and topic != where.topic:
                continue
            counts.setdefault(topic, [0] * len(days))[n] += 1
    return days, counts


def _actor_counts(session: Session, where: BriefFilter, start: datetime, end: datetime) -> Counter[str]:
    query = (
        select(ActorRow.name, func.count(func.distinct(ActorRow.article_id)))
        .join(ArticleRow, ArticleRow.id == ActorRow.article_id)
        .where(where.articles(start, end))
        .group_by(ActorRow.name)
    )
    return Counter(dict(session.execute(query).all()))


def _actors(session: Session, where: BriefFilter, limit: int) -> list[ActorCount]:
    """The actors named by most articles in the period, with their count in the period before."""
    now = _actor_counts(session, where, where.since, where.until)
    before = _actor_counts(session, where, *where.previous)
    top = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [ActorCount(name, count, before.get(name, 0)) for name, count in top]


def _source_rows() -> Select[str, datetime]:
    return select(ArticleRow.source, article_time).where(ArticleRow.source != "")


def _cited_rows() -> Select[str, datetime]:
    return (
        select(AttributionRow.name, article_time)
        .join(ArticleRow, ArticleRow.id == AttributionRow.article_id)
        .where(AttributionRow.kind.in_(CITED_KINDS))
    )


def _new_names(session: Session, where: BriefFilter, rows: Select[str, datetime]) -> list[NewName]:
    """Names whose first article in the whole store falls in the period: first seen then.
    With a topic or site, only those the period's filtered articles carry."""
    before_end = rows.where(article_time < where.until).subquery()
    first = func.min(before_end.c[1])
    query = (
        select(before_end.c[0], first, func.count()).group_by(before_end.c[0]).having(first >= where.since)
    )
    found = [NewName(name, at, count) for name, at, count in session.execute(query)]
    if where.topic or where.site:
        carried = rows.where(where.articles(where.since, where.until)).subquery()
        shown = set(session.scalars(select(carried.c[0]).distinct()))
        found = [entry for entry in found if entry.name in shown]
    return sorted(found, key=lambda e: (-e.articles, e.name))
