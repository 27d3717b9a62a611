"""A small store with known content for the analyst's views and ``scrapy browse``.

Saved through the real store (crawler/store: writer, placement, dedup), so the
views read what a crawl would have left: two reports of one strike by two outlets
(one of them also carried word for word by a third), another event of the same
day by the same actor, a naval report the next day with no actor, and the
agencies and sources each credits. Tests derive what they expect from
:data:`SPECS`, never from the views.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.items import Actor, Article, Attribution, Block
from crawler.store import ArticleStore, make_engine
from pipelines.dedup import dedup_keys
from tests.test_stories import KHARKIV_A, KHARKIV_B, NORTH_KOREA, PACT, RUSSIA, UKRAINE

NAVAL = (
    "البحرية المصرية تختتم مناورات في البحر الأحمر",
    "اختتمت القوات البحرية المصرية مناورات واسعة في البحر الأحمر بمشاركة فرقاطات ومروحيات، "
    "وشملت التدريبات التعامل مع أهداف سطحية وجوية وتأمين خطوط الملاحة التجارية.",
)


@dataclass(frozen=True)
class Spec:
    """One stored report: where, when (hours after the store's first), what the lens found."""

    url: str
    site: str
    text: tuple[str, str]
    hours: float
    actors: tuple[Actor, ...] = ()
    topics: tuple[str, ...] = ()
    relevance: float | None = None
    source: str = ""
    credits: tuple[Attribution, ...] = ()
    copies: tuple[tuple[str, str], ...] = field(default=())  # (url, site) carrying the same text


SPECS: tuple[Spec, ...] = (
    Spec(
        "https://a.example/1",
        "asite",
        KHARKIV_A,
        0,
        (RUSSIA, UKRAINE),
        ("missiles_air_defence", "armed_conflict"),
        0.9,
        "تاس",
        (
            Attribution("agency", "تاس", "(تاس)"),
            Attribution("cited", "رويترز", "بحسب وكالة رويترز"),
        ),
    ),
    Spec(
        "https://b.example/1",
        "bsite",
        KHARKIV_B,
        2,
        (RUSSIA, UKRAINE),
        ("armed_conflict",),
        0.8,
        "",
        (Attribution("cited", "رويترز", "نقلت رويترز"),),
        copies=(("https://d.example/1", "dsite"),),
    ),
    Spec(
        "https://a.example/2",
        "asite",
        PACT,
        3,
        (RUSSIA, NORTH_KOREA),
        ("alliances_exercises",),
        0.7,
        "الأسبوع",
        (Attribution("source_line", "الأسبوع", "المصدر: الأسبوع"),),
    ),
    Spec("https://c.example/1", "csite", NAVAL, 26, (), ("naval",), 0.6),
)


def article(spec: Spec, t0: datetime, url: str | None = None, site: str | None = None) -> Article:
    title, body = spec.text
    item = Article(
        url=url or spec.url,
        site=site or spec.site,
        title=title,
        source=spec.source,
        published_at=t0 + timedelta(hours=spec.hours),
        body=body,
        relevance=spec.relevance,
        topics=list(spec.topics),
    )
    item.blocks = [Block(body)]
    item.actors = list(spec.actors)
    item.attributions = list(spec.credits)
    return dedup_keys(item)


def fill(store: ArticleStore, t0: datetime) -> None:
    """Store every report of :data:`SPECS`, then each copy (a duplicate: a URL of its row)."""
    for spec in SPECS:
        assert store.save(article(spec, t0), t0).outcome == "new"
    for spec in SPECS:
        for url, site in spec.copies:
            assert store.save(article(spec, t0, url, site), t0).outcome == "duplicate"


@contextmanager
def filled(url: str, t0: datetime) -> Iterator[ArticleStore]:
    """A store at ``url`` (created), holding :data:`SPECS` from ``t0`` on."""
    store = ArticleStore(make_engine(url)).prepare()
    try:
        fill(store, t0)
        yield store
    finally:
        store.engine.dispose()
