"""Re-extraction from the archive: the store revises records field by field, ``scrapy reextract``
replays a run's archive with no network, and ``-a archive=PATH`` serves a crawl from one.

The store's part runs on SQLite and PostgreSQL; the commands run as a user runs them, in a
subprocess, on archives of the local mirror.
"""

from __future__ import annotations

import dataclasses
import gzip
import random
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crawler.archive.records import ArchivedResponse, RecordWriter, read_responses
from crawler.archive.scan import Damage, FileSource, WarcScanner
from crawler.archive.source import warc_files
from crawler.items import Actor, Article, Block, RelatedLink
from crawler.profiles import PROFILES
from crawler.store import ArticleStore, make_engine
from crawler.store.models import ArticleRow, ArticleUrlRow, DedupKeyRow, StoryRow
from crawler.text.neardup import fingerprint
from devsite.dedup_pairs import story, syndicate
from pipelines.dedup import dedup_keys
from tests.helpers import crawl, export, read_stats, scrapy
from tests.mirror_plugin import RunningMirror
from tests.test_stories import KHARKIV_A, KHARKIV_B, KHARKIV_C, NORTH_KOREA, PACT, RUSSIA, T0, UKRAINE

NOW = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
URL = "https://www.elaosboa.com/100001/"


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


# -- scrapy reextract and -a archive=, on a crawl of the mirror ----------------------------------


@dataclass(frozen=True)
class ArchivedRun:
    """A crawl of the mirror with the web archive on: its database, its archive, its records."""

    workdir: Path
    database: str
    archive: Path
    records: dict[str, dict[str, Any]]

    @property
    def file(self) -> Path:
        [file] = warc_files(self.archive)
        return file


@pytest.fixture(scope="module")
def archived_run(mirror_site: RunningMirror, tmp_path_factory: pytest.TempPathFactory) -> ArchivedRun:
    workdir = tmp_path_factory.mktemp("archived-run")
    archive = workdir / "archive"
    result, stats = crawl(mirror_site.base_url, workdir, settings={"ARCHIVE_DIR": str(archive)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert stats["archive/records"] > len(mirror_site.manifest["articles"])
    database = f"sqlite:///{workdir / 'news.db'}"
    return ArchivedRun(workdir, database, archive / "alusbu", by_url(export(database)))


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["url"]: record for record in records}


def urls_alone(database: str) -> set[str]:
    """The stored articles seen at one URL only: no duplicate or alias was folded into them."""
    store = ArticleStore(make_engine(database))
    with store.sessions() as session:
        counts = session.execute(
            select(ArticleRow.url, func.count(ArticleUrlRow.id))
            .join(ArticleUrlRow, ArticleUrlRow.article_id == ArticleRow.id)
            .group_by(ArticleRow.id, ArticleRow.url)
        ).all()
    store.engine.dispose()
    return {url for url, seen_at in counts if seen_at == 1}


def copy_database(run: ArchivedRun, target: Path) -> str:
    shutil.copyfile(run.workdir / "news.db", target)
    return f"sqlite:///{target}"


def reextract(database: str, *args: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    return scrapy(
        "reextract", "-s", f"LOG_FILE={workdir / 'reextract.log'}", *args, env={"DATABASE_URL": database}
    )


def same_story_partition(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> None:
    """Both stores group the same articles into stories (ids may be numbered otherwise)."""

    def groups(records: dict[str, dict[str, Any]]) -> set[frozenset[str]]:
        by_story: dict[Any, set[str]] = {}
        for url, record in records.items():
            if record["story_id"] != "":
                by_story.setdefault(record["story_id"], set()).add(url)
        return {frozenset(urls) for urls in by_story.values()}

    assert groups(a) == groups(b)


RUN_TIMES = {"first_seen_at", "last_seen_at", "story_id"}


def test_replaying_a_runs_archive_into_an_empty_database_gives_the_articles_the_run_stored(
    archived_run: ArchivedRun, mirror_site: RunningMirror, tmp_path: Path
) -> None:
    mirror_site.server.log.clear()
    database = f"sqlite:///{tmp_path / 'replayed.db'}"
    result = reextract(database, str(archived_run.archive), workdir=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    # nothing reached the network: the mirror answered no request
    assert mirror_site.server.log.records() == []
    replayed = by_url(export(database))
    assert set(replayed) == set(archived_run.records)
    for url, record in archived_run.records.items():
        differing = {name for name in record if record[name] != replayed[url][name]} - RUN_TIMES
        assert not differing, (url, {name: (record[name], replayed[url][name]) for name in differing})
    same_story_partition(archived_run.records, replayed)
    assert f"{len(replayed)} new" in result.stdout, result.stdout


def rewrite_archive(
    source: Path, target: Path, edit: Callable[[ArchivedResponse], ArchivedResponse | None]
) -> Path:
    """A copy of an archive file with some records edited (or left out: ``edit`` returns None)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as stream:
        writer = RecordWriter(stream)
        for archived in read_responses(source):
            edited = edit(archived)
            if edited is not None:
                writer.write_response(edited)
    return target


def plain_articles(run: ArchivedRun, mirror: RunningMirror) -> list[dict[str, Any]]:
    """Manifest articles that are one page, one record: no copies, no appended articles."""
    pages_with_appended = {a["appended_from"] for a in mirror.manifest["articles"] if a["appended_from"]}
    return [
        article
        for article in mirror.manifest["articles"]
        if not article["duplicate_urls"]
        and not article["appended_from"]
        and article["url"] not in pages_with_appended
        and article["url"] in run.records
    ]


def story_tables_agree(database: str) -> None:
    """Every story is what its articles make it; every article's near-duplicate keys are its body's."""
    store = ArticleStore(make_engine(database))
    try:
        with store.sessions() as session:
            for story_row in session.scalars(select(StoryRow)):
                members = session.execute(
                    select(ArticleRow.title, func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at))
                    .where(ArticleRow.story_id == story_row.id)
                    .order_by(func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at), ArticleRow.id)
                ).all()
                assert len(members) >= 2
                assert story_row.article_count == len(members)
                assert story_row.first_published_at == members[0][1]
                assert story_row.last_published_at == max(member[1] for member in members)
            for article_id, body in session.execute(select(ArticleRow.id, ArticleRow.body)):
                expected = fingerprint(body)
                keys = set(
                    session.scalars(select(DedupKeyRow.key).where(DedupKeyRow.article_id == article_id))
                )
                assert keys == set(expected.keys if expected is not None else ()), article_id
    finally:
        store.engine.dispose()


def test_reextract_after_the_pages_changed_updates_exactly_the_changed_fields(
    archived_run: ArchivedRun, mirror_site: RunningMirror, tmp_path: Path
) -> None:
    articles = plain_articles(archived_run, mirror_site)
    by_author, by_date, by_body = articles[0:3], articles[3:5], articles[5:6]
    edits: dict[str, Callable[[str], str]] = {}
    for article in by_author:
        edits[article["url"]] = lambda html, a=article: html.replace(a["author"], "كاتب التحرير")
    for article in by_date:
        # every place the page states its date: a day later
        edits[article["url"]] = lambda html: re.sub(
            r"(\d{4}-\d{2}-)(\d{2})T", lambda m: f"{m.group(1)}{int(m.group(2)) + 1:02d}T", html
        ).replace(" يناير 2025", " يناير 2025", 1)
    for article in by_body:
        first = article["paragraphs"][0]
        edits[article["url"]] = lambda html, first=first: html.replace(
            first[: len(first) // 2], "وأعلنت وزارة الدفاع اليوم عن صفقة جديدة لشراء طائرات مسيرة. "
        )

    def edit(archived: ArchivedResponse) -> ArchivedResponse:
        change = edits.get(archived.url)
        if change is None or archived.kind != "article":
            return archived
        return dataclasses.replace(archived, body=change(archived.body.decode("utf-8")).encode("utf-8"))

    edited = rewrite_archive(
        archived_run.file, tmp_path / "archive" / "alusbu" / archived_run.file.name, edit
    )
    database = copy_database(archived_run, tmp_path / "news.db")
    mirror_site.server.log.clear()
    result = reextract(database, str(edited.parent), workdir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert mirror_site.server.log.records() == []

    after = by_url(export(database))
    before = archived_run.records
    assert set(after) == set(before)
    # what changed, story links aside (a story an edited article left may be another's no more)
    changed = {
        url
        for url in before
        if {n for n in before[url] if before[url][n] != after[url][n]} - {"revision", "story_id"}
    }
    edited_urls = {a["url"] for a in by_author + by_date + by_body}
    assert changed == edited_urls
    for url in before:
        assert after[url]["revision"] == before[url]["revision"] + (url in edited_urls), url
        assert after[url]["last_seen_at"] == before[url]["last_seen_at"]
    for article in by_author:
        url = article["url"]
        # story links aside here too: which articles the crawl grouped depends on the order it
        # stored them in, and a story a date-edited article left is formed again under a new id
        changed_fields = {n for n in before[url] if before[url][n] != after[url][n]} - {"story_id"}
        assert changed_fields == {"author", "revision"}
        assert after[url]["author"] == "كاتب التحرير"
    # the report counts, per field, the articles whose field changed
    per_field: dict[str, int] = {}
    for url in changed:
        for name in before[url]:
            if name not in ("revision", "story_id") and before[url][name] != after[url][name]:
                per_field[name] = per_field.get(name, 0) + 1
    assert {name: per_field.get(name) for name in ("author", "published_at", "body")} == {
        "author": 3,
        "published_at": 2,
        "body": 1,
    }
    for name, count in per_field.items():
        assert f"  {name}: {count} changed" in result.stdout, result.stdout
    assert f"{len(edited_urls)} updated" in result.stdout
    story_tables_agree(database)

    # the next run feed of the site holds exactly the revised articles
    store = ArticleStore(make_engine(database))
    try:
        window = store.feed_window("alusbu")
        assert {record["url"] for record in store.feed_records("alusbu", window)} == edited_urls
    finally:
        store.engine.dispose()

    # the same archive again: nothing changes, no revision counted twice
    again = reextract(database, str(edited.parent), workdir=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 updated" in again.stdout
    assert not re.search(r": \d+ changed", again.stdout), again.stdout
    assert by_url(export(database)) == after


def member_at(data: bytes, offset: int) -> tuple[bytes, int]:
    """The WARC record in the gzip member at ``offset``, and where the member ends."""
    inflater = zlib.decompressobj(wbits=31)
    record = inflater.decompress(data[offset:])
    return record, len(data) - len(inflater.unused_data)


# Damage inside one record, its gzip member whole: a header that is no WARC header, a record
# cut short (its Content-Length runs past the end of its member)
DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "garbled_header": lambda record: b"GARBAGE" + record[8:],
    "cut_short": lambda record: record[: len(record) // 2],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_record_is_skipped_counted_and_logged_with_its_file_and_offset(
    archived_run: ArchivedRun, tmp_path: Path, damage: str
) -> None:
    data = archived_run.file.read_bytes()
    records = list(read_responses(archived_run.file))
    # The victim is an article nothing else was folded into: were it the first-seen copy of a
    # syndicated pair, losing it would rightly make the other copy a record of its own.
    alone = urls_alone(archived_run.database)
    victim = next(r for r in records[len(records) // 2 :] if r.kind == "article" and r.url in alone)
    record, end = member_at(data, victim.offset)
    damaged = tmp_path / "archive" / "alusbu" / archived_run.file.name
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(data[: victim.offset] + gzip.compress(DAMAGE[damage](record)) + data[end:])
    database = f"sqlite:///{tmp_path / 'replayed.db'}"
    result = reextract(database, str(damaged), workdir=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"skipped: {damaged} at offset {victim.offset}" in result.stdout, result.stdout
    assert f"{damaged} at offset {victim.offset}" in (tmp_path / "reextract.log").read_text("utf-8")
    replayed = by_url(export(database))
    # every other article is there, as the run stored it: the damage cost one record
    assert set(replayed) == {url for url in archived_run.records if not url.startswith(victim.url)}
    for url, stored in replayed.items():
        assert {n for n in stored if stored[n] != archived_run.records[url][n]} <= RUN_TIMES, url


def test_a_gzip_member_that_does_not_inflate_ends_its_file_and_the_next_file_goes_on(
    archived_run: ArchivedRun, tmp_path: Path
) -> None:
    records = list(read_responses(archived_run.file))
    half = records[len(records) // 2].offset
    first = rewrite_archive(
        archived_run.file, tmp_path / "a" / "alusbu-1.warc.gz", lambda r: r if r.offset < half else None
    )
    second = rewrite_archive(
        archived_run.file, tmp_path / "a" / "alusbu-2.warc.gz", lambda r: r if r.offset >= half else None
    )
    in_first = list(read_responses(first))
    victim = in_first[len(in_first) // 2]
    data = bytearray(first.read_bytes())
    data[victim.offset + 40 : victim.offset + 80] = bytes(40)  # deflate data that no longer inflates
    first.write_bytes(bytes(data))
    database = f"sqlite:///{tmp_path / 'replayed.db'}"
    result = reextract(database, str(tmp_path / "a"), workdir=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"skipped: {first} at offset {victim.offset}" in result.stdout, result.stdout
    replayed = set(by_url(export(database)))
    lost = {canonical(r.url) for r in in_first if r.offset >= victim.offset and r.kind == "article"}
    kept = {canonical(r.url) for r in [*in_first, *read_responses(second)] if r.kind == "article"} - lost
    assert lost
    assert replayed & lost == set()
    assert {url for url in archived_run.records if url.split("#")[0] in kept} <= replayed


def canonical(url: str) -> str:
    from crawler.text.urls import canonical_url

    return canonical_url(url)


def test_since_keeps_the_records_fetched_since_a_date_or_duration(
    archived_run: ArchivedRun, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'replayed.db'}"
    future = reextract(database, "--since", "2999-01-01", str(archived_run.archive), workdir=tmp_path)
    assert future.returncode == 0, future.stderr[-3000:]
    assert future.stdout.startswith("Re-extracted 0 archived article pages")
    recent = reextract(database, "--since", "1d", str(archived_run.archive), workdir=tmp_path)
    assert recent.returncode == 0, recent.stderr[-3000:]
    pages = re.match(r"Re-extracted (\d+) archived article pages", recent.stdout)
    assert pages is not None, recent.stdout
    assert int(pages.group(1)) >= len(archived_run.records) - 1  # every page: the run was minutes ago
    bad = reextract(database, "--since", "soon", str(archived_run.archive), workdir=tmp_path)
    assert bad.returncode == 2
    assert "--since: not a date or duration: 'soon'" in bad.stderr


# -- a crawl served from the archive -------------------------------------------------------------


def test_a_crawl_served_from_its_archive_stores_the_same_articles_without_the_network(
    archived_run: ArchivedRun, mirror_site: RunningMirror, tmp_path: Path
) -> None:
    mirror_site.server.log.clear()
    result, stats = crawl(
        mirror_site.base_url,
        tmp_path,
        args={"archive": str(archived_run.archive)},
        settings={"ARCHIVE_ENABLED": "0"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert mirror_site.server.log.records() == []
    assert stats.get("archive/missing", 0) == 0
    served = by_url(export(f"sqlite:///{tmp_path / 'news.db'}"))
    assert set(served) == set(archived_run.records)
    for url, record in archived_run.records.items():
        assert {n for n in record if record[n] != served[url][n]} <= RUN_TIMES, url


def test_a_request_the_archive_lacks_is_counted_and_never_fetched(
    archived_run: ArchivedRun, mirror_site: RunningMirror, tmp_path: Path
) -> None:
    [left_out] = plain_articles(archived_run, mirror_site)[:1]
    url = left_out["url"]
    partial = rewrite_archive(
        archived_run.file, tmp_path / "partial" / "alusbu.warc.gz", lambda r: None if r.url == url else r
    )
    mirror_site.server.log.clear()
    result, stats = crawl(
        mirror_site.base_url,
        tmp_path / "run",
        args={"archive": str(partial)},
        settings={"ARCHIVE_ENABLED": "0"},
    )
    assert mirror_site.server.log.records() == []
    assert stats["archive/missing"] == 1
    assert stats["pages/failed/archive_missing"] == 1
    assert f"Not in the archive, not fetched: {url}" in (tmp_path / "run" / "crawl.log").read_text("utf-8")
    served = by_url(export(f"sqlite:///{tmp_path / 'run' / 'news.db'}"))
    assert set(served) == set(archived_run.records) - {url}
    assert result.returncode in (0, 3), result.stderr[-3000:]


def test_an_archive_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = scrapy("crawl", "alusbu", "-a", f"archive={tmp_path / 'nope.warc.gz'}")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "-a archive=" in lines[0]
    assert "no such file or folder" in lines[0]
    assert read_stats(tmp_path) == {}


def test_a_record_cut_short_inside_its_gzip_member_is_never_handed_out(tmp_path: Path) -> None:
    """Cut anywhere, a record whose member ends early would read on into the next member until
    its Content-Length is full; the scanner reports it at its offset and hands out every other."""
    source = tmp_path / "whole.warc.gz"
    with source.open("wb") as stream:
        writer = RecordWriter(stream)
        for n in range(6):
            body = f"<html><body><p>{'نص الخبر ' * 200}{n}</p></body></html>".encode()
            writer.write_response(
                ArchivedResponse(f"http://127.0.0.1/{n}/", 200, [(b"Content-Type", b"text/html")], body, NOW)
            )
    data = source.read_bytes()
    records = list(read_responses(source))
    victim = records[3]
    record, end = member_at(data, victim.offset)
    for cut in (300, len(record) // 2, len(record) - 10):
        damaged = tmp_path / f"cut-{cut}.warc.gz"
        damaged.write_bytes(data[: victim.offset] + gzip.compress(record[:cut]) + data[end:])
        found = list(WarcScanner(FileSource(damaged), lambda _url: True))
        handed = [item.url for item in found if isinstance(item, ArchivedResponse)]
        assert handed == [r.url for r in records if r.url != victim.url], cut
        assert [(d.offset, d.file) for d in found if isinstance(d, Damage)] == [(victim.offset, str(damaged))]


def test_without_an_archive_argument_it_reads_the_spiders_folder_under_archive_dir(
    archived_run: ArchivedRun, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'replayed.db'}"
    archive_dir = f"ARCHIVE_DIR={archived_run.archive.parent}"
    one = reextract(database, "-s", archive_dir, "--spider", "alusbu", workdir=tmp_path)
    assert one.returncode == 0, one.stderr[-3000:]
    every = reextract(database, "-s", archive_dir, workdir=tmp_path)
    assert every.returncode == 0, every.stderr[-3000:]
    stored = len(archived_run.records)
    assert f"{stored} new" in one.stdout, one.stdout
    # the same pages again: every one is stored already, as it was
    assert ": 0 updated," in every.stdout, every.stdout
    assert ", 0 new," in every.stdout, every.stdout
    unknown = reextract(database, "-s", archive_dir, "--spider", "nosuchsite", workdir=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        f"scrapy reextract: error: --spider: no spider named 'nosuchsite'; known: {', '.join(sorted(PROFILES))}"
    ]
    empty = reextract(
        database, "-s", f"ARCHIVE_DIR={tmp_path / 'none'}", "--spider", "alusbu", workdir=tmp_path
    )
    assert empty.returncode == 2
    assert "no archive of alusbu" in empty.stderr
