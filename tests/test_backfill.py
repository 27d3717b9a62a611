"""``scrapy backfill``: WARC files built from the local mirror among other hosts' pages, no network.

The files are Common Crawl News in shape (devsite/ccnews.py): the mirror's pages under
alusbu's real origin (https://www.elaosboa.com), so the backfill keeps them by host as it
would in a real CC-NEWS file, mixed with pages of hosts no profile knows. The mirror's
manifest says which articles a backfill must store.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawler.archive.backfill import Scope
from crawler.archive.records import ArchivedResponse
from crawler.archive.scan import Damage, FileSource, HttpSource, UnreadableWarc, WarcScanner
from crawler.commands.backfill import read_list, resolve
from devsite.ccnews import (
    GENERIC_DEFENCE_URL,
    GENERIC_ENGLISH_URL,
    GENERIC_OFFTOPIC_URL,
    WarcFile,
    build_mirror_warc,
    generic_responses,
    mirror_responses,
    other_responses,
    write_warc,
)
from devsite.harness import PROJECT_ROOT, export, read_stats, scrapy
from devsite.mirror.site import MirrorSite
from tests.conftest import postgres_schema

# -- files -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror_warc(tmp_path_factory: pytest.TempPathFactory) -> WarcFile:
    """The mirror's 48 articles (and its bad pages, listings, feeds) among 60 other hosts' pages."""
    return build_mirror_warc(tmp_path_factory.mktemp("warc") / "CC-NEWS-mirror.warc.gz", others=60)


def expected_urls(site: MirrorSite) -> set[str]:
    return {article["url"] for article in site.manifest["articles"]}


def members(path: Path) -> list[bytes]:
    """The gzip members of a file (one per record), by walking them with zlib."""
    import zlib

    data, found, position = path.read_bytes(), [], 0
    while position < len(data):
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[position:])
        end = len(data) - len(inflater.unused_data)
        found.append(data[position:end])
        position = end
    return found


def record(url: str, body: bytes = b"<html><body><p>x</p></body></html>") -> bytes:
    """One response record in its own gzip member, written by hand (to damage it at will)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2025-01-20T06:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{random.Random(url).getrandbits(128):032x}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n")


def scan(path: Path, start: int = 0) -> tuple[list[Any], WarcScanner]:
    scanner = WarcScanner(FileSource(path), keep_url=lambda url: True, start=start)
    return list(scanner), scanner


# -- the scanner: offsets, damage ---------------------------------------------------------------


def test_scanner_keeps_only_what_the_filter_accepts_and_counts_every_response(mirror_warc: WarcFile) -> None:
    scanner = WarcScanner(FileSource(mirror_warc.path), keep_url=Scope.of().keep_url)
    kept = [event for event in scanner if isinstance(event, ArchivedResponse)]
    assert scanner.scanned == mirror_warc.records
    assert scanner.bytes_read >= mirror_warc.path.stat().st_size
    assert {r.host for r in kept} == {"www.elaosboa.com"}
    # article pages only: listings, feeds and sitemaps of the site are not article URLs
    assert all(urlpath.strip("/").isdigit() for urlpath in (r.url.split("elaosboa.com")[1] for r in kept))
    assert expected_urls(mirror_warc.mirror) <= {r.url for r in kept} | {
        u for u in expected_urls(mirror_warc.mirror) if "#appended" in u
    }


def test_scanner_resumes_at_a_record_offset(tmp_path: Path) -> None:
    path = tmp_path / "three.warc.gz"
    path.write_bytes(b"".join(record(f"https://www.elaosboa.com/10{n}/") for n in range(3)))
    everything, _ = scan(path)
    offsets = [event.offset for event in everything]
    again, _ = scan(path, start=offsets[1])
    assert [event.url for event in again] == [event.url for event in everything[1:]]
    with pytest.raises(UnreadableWarc, match="no record starts"):
        scan(path, start=offsets[1] + 3)


def test_damaged_records_are_reported_with_their_offset_and_skipped(tmp_path: Path) -> None:
    good = [record(f"https://www.elaosboa.com/20{n}/") for n in range(4)]
    garbage_header = gzip.compress(b"\x00\xffnot a warc header\r\n\r\n")
    no_http = gzip.compress(
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.elaosboa.com/299/\r\n"
        b"Content-Length: 12\r\n\r\n\x00\x01\x02 garbage\r\n\r\n"
    )
    empty_member = gzip.compress(b"")
    parts = [good[0], garbage_header, good[1], no_http, good[2], empty_member, good[3]]
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(b"".join(parts))
    starts = [sum(map(len, parts[:n])) for n in range(len(parts))]
    events, _scanner = scan(path)
    assert [(type(e).__name__, e.offset) for e in events] == [
        ("ArchivedResponse", starts[0]),
        ("Damage", starts[1]),
        ("ArchivedResponse", starts[2]),
        ("Damage", starts[3]),
        ("ArchivedResponse", starts[4]),
        ("Damage", starts[5]),
        ("ArchivedResponse", starts[6]),
    ]
    reasons = [e.reason for e in events if isinstance(e, Damage)]
    assert "Invalid WARC header" in reasons[0]
    assert "HTTP" in reasons[1]
    assert reasons[2] == "empty gzip member"
    assert all(e.file == str(path) for e in events if isinstance(e, Damage))


def test_a_target_uri_in_angle_brackets_is_read_as_the_url(tmp_path: Path) -> None:
    """WARC/1.0's examples write ``WARC-Target-URI: <http://…>``, and wget still does."""
    path = tmp_path / "bracketed.warc.gz"
    path.write_bytes(
        record("<https://www.elaosboa.com/675830/>") + record("<https://www.example.org/a-b-c-1234>")
    )
    scanner = WarcScanner(FileSource(path), keep_url=Scope.of().keep_url)
    assert [event.url for event in scanner] == ["https://www.elaosboa.com/675830/"]


def test_a_record_shorter_than_its_length_is_damage_and_the_next_record_is_read(tmp_path: Path) -> None:
    good = [record(f"https://www.elaosboa.com/30{n}/") for n in range(3)]
    body = b"HTTP/1.1 200 OK\r\n\r\n<p>cut</p>"
    short = gzip.compress(
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.elaosboa.com/399/\r\n"
        + f"Content-Length: {len(body) + 5000}\r\n\r\n".encode()
        + body
    )
    path = tmp_path / "short.warc.gz"
    path.write_bytes(good[0] + short + good[1] + good[2])
    events, _ = scan(path)
    assert [getattr(e, "url", None) or e.reason[:9] for e in events] == [
        "https://www.elaosboa.com/300/",
        "truncated",
        "https://www.elaosboa.com/301/",
        "https://www.elaosboa.com/302/",
    ]


def test_a_gzip_member_that_does_not_inflate_ends_the_file(tmp_path: Path) -> None:
    good = [record(f"https://www.elaosboa.com/40{n}/") for n in range(3)]
    broken = good[1][:30] + bytes(40) + good[1][70:]
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(good[0] + broken + good[2])
    scanner = WarcScanner(FileSource(path), keep_url=lambda url: True)
    seen = []
    with pytest.raises(UnreadableWarc) as raised:
        seen.extend(scanner)
    assert [e.url for e in seen] == ["https://www.elaosboa.com/400/"]
    assert raised.value.offset == len(good[0])
    assert "cannot be inflated" in raised.value.reason
    # a file cut inside its last member ends there too
    path.write_bytes(good[0] + good[1][:-20])
    with pytest.raises(UnreadableWarc, match="cut short"):
        list(WarcScanner(FileSource(path), keep_url=lambda url: True))


# -- which records -------------------------------------------------------------------------------


def test_scope_keeps_profiled_article_urls_by_host_before_parsing() -> None:
    scope = Scope.of()
    assert scope.keep_url("https://www.elaosboa.com/675830/")
    assert scope.keep_url("https://elaosboa.com/675830/")
    assert not scope.keep_url("https://www.elaosboa.com/category/military/")
    assert not scope.keep_url("https://www.elaosboa.com.evil.example/675830/")
    assert not scope.keep_url("https://www.example.com/news/2025/01/a-b-c-12345")
    assert not scope.keep_url("ftp://www.elaosboa.com/675830/")
    assert not scope.keep_url("not a url")
    only = Scope.of("skynewsarabia")
    assert not only.keep_url("https://www.elaosboa.com/675830/")
    generic = Scope.of(generic=True)
    assert generic.keep_url("https://www.example.com/news/2025/01/a-b-c-12345")
    assert not generic.keep_url("https://www.example.com/tag/sports/")
    assert {Scope.of().key, only.key, generic.key} == {
        "sites:alusbu,independentarabia,skynewsarabia",
        "sites:skynewsarabia",
        "sites:alusbu,independentarabia,skynewsarabia+generic",
    }


def test_path_lists_gzip_or_plain_relative_lines_under_common_crawl(tmp_path: Path) -> None:
    listing = tmp_path / "warc.paths.gz"
    listing.write_bytes(
        gzip.compress(
            b"crawl-data/CC-NEWS/2025/01/CC-NEWS-20250101000000-00001.warc.gz\n\n# a comment\n"
            b"/data/local.warc.gz\nhttps://example.org/x.warc.gz\n"
        )
    )
    assert read_list(str(listing), "https://data.commoncrawl.org/") == [
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2025/01/CC-NEWS-20250101000000-00001.warc.gz",
        "/data/local.warc.gz",
        "https://example.org/x.warc.gz",
    ]
    assert resolve("a/b.warc.gz", "/mnt/cc") == "/mnt/cc/a/b.warc.gz"


# -- the command -------------------------------------------------------------------------------------


def backfill(
    workdir: Path, database: str, *args: str, settings: dict[str, str] | None = None, timeout: int = 600
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], str]:
    """``scrapy backfill ARGS``; the process, its stats and its log."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "stats.json").unlink(missing_ok=True)
    options = {
        "LOG_FILE": str(workdir / "backfill.log"),
        "STATS_FILE": str(workdir / "stats.json"),
        **(settings or {}),
    }
    command = ["backfill", *args]
    for name, value in options.items():
        command += ["-s", f"{name}={value}"]
    result = scrapy(*command, env={"DATABASE_URL": database}, timeout=timeout)
    log = (workdir / "backfill.log").read_text("utf-8") if (workdir / "backfill.log").exists() else ""
    return result, read_stats(workdir), log


def files_table(database: str) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.exc import ProgrammingError

    from crawler.store import make_engine
    from crawler.store.models import BackfillFileRow

    engine = make_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(BackfillFileRow.__table__)).mappings().all()
        return [dict(row) for row in rows]
    except ProgrammingError:  # no schema yet: the backfill has not opened the database
        return []
    finally:
        engine.dispose()


def files_table_states(database: str) -> dict[str, str]:
    return {Path(row["source"]).name: row["state"] for row in files_table(database)}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'news.db'}"
    else:
        with postgres_schema() as url:
            yield url


def assert_exactly_the_mirror(database: str, site: MirrorSite) -> list[dict[str, Any]]:
    records = export(database)
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls))
    assert set(urls) == expected_urls(site)
    by_url = {r["url"]: r for r in records}
    for article in site.manifest["articles"]:
        stored = by_url[article["url"]]
        assert stored["title"] == article["title"]
        assert stored["body"].split("\n\n") == article["paragraphs"]
        assert stored["duplicate_urls"] == article["duplicate_urls"]
        assert stored["site"] == "alusbu"
    return records


@pytest.mark.slow
def test_backfill_stores_exactly_the_mirrors_articles(
    tmp_path: Path, database: str, mirror_warc: WarcFile
) -> None:
    result, stats, log = backfill(tmp_path, database, str(mirror_warc.path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert_exactly_the_mirror(database, mirror_warc.mirror)
    assert stats["articles/new"] == len(expected_urls(mirror_warc.mirror))
    assert stats["backfill/records/scanned"] == mirror_warc.records
    assert stats["backfill/files/done"] == 1
    # the mirror's bad pages: counted with their reason, never stored
    assert stats["backfill/records/skipped/status_404"] == 1
    assert stats["backfill/records/skipped/not_html"] == 1
    assert stats["pages/failed/empty_page"] == 1
    assert stats["pages/failed/no_title"] == 1
    [row] = files_table(database)
    assert row["state"] == "done"
    assert row["next_offset"] == row["size"] == mirror_warc.path.stat().st_size
    assert row["records_scanned"] == mirror_warc.records
    assert row["articles_new"] == len(expected_urls(mirror_warc.mirror))
    assert "Traceback" not in log


@pytest.mark.slow
def test_second_backfill_of_a_file_stores_nothing_new(tmp_path: Path, mirror_warc: WarcFile) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    first, _, _ = backfill(tmp_path / "1", database, str(mirror_warc.path))
    assert first.returncode == 0, first.stderr[-3000:]
    before = export(database)
    # the file is done: it is not read again
    second, stats, log = backfill(tmp_path / "2", database, str(mirror_warc.path))
    assert second.returncode == 0, second.stderr[-3000:]
    assert stats["backfill/files/skipped_done"] == 1
    assert stats.get("backfill/records/scanned", 0) == 0
    assert "backfilled already" in log
    # --again reads it all again, and finds every article page stored: nothing reaches the store
    third, stats, _ = backfill(tmp_path / "3", database, "--again", str(mirror_warc.path))
    assert third.returncode == 0, third.stderr[-3000:]
    assert stats["backfill/records/scanned"] == mirror_warc.records
    assert stats["backfill/records/skipped/stored"] == len(page_urls(mirror_warc.mirror))
    assert stats.get("articles/new", 0) == 0
    assert stats.get("articles/updated", 0) == 0
    assert export(database) == before


def page_urls(site: MirrorSite) -> set[str]:
    """The pages the store holds after a backfill of the mirror: each article's, and the copy's."""
    articles = site.manifest["articles"]
    return {a["url"] for a in articles if not a["appended_from"]} | {
        u for a in articles for u in a["duplicate_urls"]
    }


@pytest.mark.slow
def test_a_stored_article_is_not_replaced_by_an_older_copy(tmp_path: Path, mirror_warc: WarcFile) -> None:
    """A backfill fills gaps: a page the store holds (fetched live since, maybe edited since)
    is left as it is, whatever copy of it an archive holds."""
    site = mirror_warc.mirror
    [article] = [a for a in site.manifest["articles"] if not a["appended_from"] and not a["duplicate_urls"]][
        :1
    ]
    older = [
        replace(
            r, body=r.body.replace(article["paragraphs"][0][:40].encode(), "نص أقدم للفقرة الأولى ".encode())
        )
        if r.url == article["url"]
        else r
        for r in mirror_responses(site)
    ]
    assert any(
        r.url == article["url"] and r.body != o.body
        for r, o in zip(older, mirror_responses(site), strict=True)
    )
    path = tmp_path / "older.warc.gz"
    with path.open("wb") as stream:
        write_warc(stream, older)
    database = f"sqlite:///{tmp_path / 'news.db'}"
    first, _, _ = backfill(tmp_path / "1", database, str(mirror_warc.path))
    assert first.returncode == 0, first.stderr[-3000:]
    second, stats, _ = backfill(tmp_path / "2", database, str(path))
    assert second.returncode == 0, second.stderr[-3000:]
    [stored] = [r for r in export(database) if r["url"] == article["url"]]
    assert stored["revision"] == 1
    assert stored["body"].split("\n\n") == article["paragraphs"]
    assert stats["backfill/records/skipped/stored"] == len(page_urls(site))
    assert stats.get("articles/updated", 0) == 0


class RangeHandler(BaseHTTPRequestHandler):
    """Serves files of a directory with ``Range: bytes=N-`` (as data.commoncrawl.org does)."""

    directory: Path
    requests: list[tuple[str, str]]

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Range", "")))
        path = self.directory / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes="):
            start = int(ranged[6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path, list[tuple[str, str]]]]:
    served = tmp_path / "served"
    served.mkdir()
    requests: list[tuple[str, str]] = []
    handler = type("Handler", (RangeHandler,), {"directory": served, "requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served, requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_backfill_streams_a_warc_over_http(
    tmp_path: Path, mirror_warc: WarcFile, file_server: tuple[str, Path, list[tuple[str, str]]]
) -> None:
    base, served, requests = file_server
    # the file as served carries a damaged record: reading goes on past it with a Range request
    parts = members(mirror_warc.path)
    parts.insert(len(parts) // 2, gzip.compress(b"\x00\xffnot a warc header\r\n\r\n"))
    (served / "CC-NEWS-mirror.warc.gz").write_bytes(b"".join(parts))
    listing = served / "warc.paths"
    listing.write_text("CC-NEWS-mirror.warc.gz\nmissing.warc.gz\n")
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats, _log = backfill(
        tmp_path / "run",
        database,
        "--list",
        f"{base}/warc.paths",
        "--base",
        base,
        settings={"BACKFILL_RETRY_SECONDS": "0.1"},
    )
    assert_exactly_the_mirror(database, mirror_warc.mirror)
    assert stats["backfill/records/corrupt"] == 1
    assert any(r[1].startswith("bytes=") for r in requests if r[0] == "/CC-NEWS-mirror.warc.gz")
    # the URL that cannot be fetched is a counted failure, and fails the run with one line
    assert stats["backfill/files/failed"] == 1
    assert stats["backfill/files/done"] == 1
    assert result.returncode == 3, result.stderr
    assert f"{base}/missing.warc.gz" in result.stderr
    assert "HTTP 404" in result.stderr


@pytest.mark.slow
def test_a_corrupt_record_is_counted_and_logged_with_file_and_offset(
    tmp_path: Path, mirror_warc: WarcFile
) -> None:
    parts = members(mirror_warc.path)
    where = len(parts) // 3
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>the rest is missing"
    truncated = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.elaosboa.com/699999/\r\n"
        + f"Content-Length: {len(body) + 10_000}\r\n\r\n".encode()
        + body
    )
    parts.insert(where, gzip.compress(truncated))
    offset = sum(map(len, parts[:where]))
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(b"".join(parts))
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats, log = backfill(tmp_path / "run", database, str(damaged))
    assert result.returncode == 0, result.stderr[-3000:]
    assert stats["backfill/records/corrupt"] == 1
    assert f"Damaged record skipped in {damaged} at offset {offset}" in log
    assert_exactly_the_mirror(database, mirror_warc.mirror)
    [row] = files_table(database)
    assert (row["state"], row["records_damaged"]) == ("done", 1)


@pytest.mark.slow
def test_an_unreadable_gzip_member_ends_its_file_and_the_next_file_goes_on(
    tmp_path: Path, mirror_warc: WarcFile
) -> None:
    site = mirror_warc.mirror
    responses = mirror_responses(site)
    articles = [r for r in responses if r.url in expected_urls(site)]
    first_half, second_half = articles[: len(articles) // 2], articles[len(articles) // 2 :]
    broken, whole = tmp_path / "broken.warc.gz", tmp_path / "whole.warc.gz"
    with broken.open("wb") as stream:
        write_warc(stream, [*first_half, *other_responses(5, 5_000)])
    parts = members(broken)
    cut = 3  # the warcinfo record, a request record, then a page: its member is cut in two
    parts[cut] = parts[cut][: len(parts[cut]) // 2] + parts[cut][len(parts[cut]) // 2 + 40 :]
    offset = sum(map(len, parts[:cut]))
    broken.write_bytes(b"".join(parts))
    with whole.open("wb") as stream:
        write_warc(stream, second_half)
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats, _log = backfill(tmp_path / "run", database, str(broken), str(whole))
    assert result.returncode == 3, result.stderr
    assert f"{broken} at offset {offset}" in result.stderr
    assert stats["backfill/files/failed"] == 1
    assert stats["backfill/files/done"] == 1
    rows = {Path(row["source"]).name: row for row in files_table(database)}
    assert rows["broken.warc.gz"]["state"] == "damaged"
    assert rows["broken.warc.gz"]["error_offset"] == offset
    assert "cannot be inflated" in rows["broken.warc.gz"]["error"]
    assert rows["whole.warc.gz"]["state"] == "done"
    stored = {r["url"] for r in export(database)}
    assert {r.url for r in second_half} <= stored

    # the next night: the same bytes would fail at the same place; said, not failed again
    result, stats, log = backfill(tmp_path / "run2", database, str(broken), str(whole))
    assert result.returncode == 0, result.stderr
    assert stats["backfill/files/skipped_damaged"] == 1
    assert stats["backfill/files/failed"] == 0
    assert f"Skipping {broken}: damaged" in log
    # the download is completed: its size changed, it is read again from its offset
    with broken.open("wb") as stream:
        write_warc(stream, [*first_half, *other_responses(5, 5_000)])
    result, stats, _log = backfill(tmp_path / "run3", database, str(broken), str(whole))
    assert result.returncode == 0, result.stderr
    assert stats["backfill/files/done"] == 1
    assert stats["backfill/files/skipped_done"] == 1
    assert files_table_states(database)["broken.warc.gz"] == "done"
    assert {r.url for r in articles} <= {r["url"] for r in export(database)}


@pytest.mark.slow
def test_generic_keeps_an_arabic_defence_article_of_an_unknown_host(
    tmp_path: Path, mirror_warc: WarcFile
) -> None:
    path = tmp_path / "generic.warc.gz"
    with path.open("wb") as stream:
        write_warc(stream, [*generic_responses(), *other_responses(10, 10_000)])
    database = f"sqlite:///{tmp_path / 'news.db'}"
    result, stats, _ = backfill(tmp_path / "plain", database, str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert export(database) == []  # without --generic: no profiled site in the file
    result, stats, log = backfill(tmp_path / "generic", database, "--generic", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    [stored] = export(database)
    assert stored["url"] == GENERIC_DEFENCE_URL
    assert stored["site"] == "news_arabdefence_news_example"
    assert stored["lang"] == "ar"
    assert stored["relevance"] >= 0.5
    assert stats["backfill/generic/irrelevant"] == 1  # the Arabic page on cooking
    assert stats["backfill/records/skipped/not_arabic"] >= 1  # the English one, before parsing
    assert GENERIC_OFFTOPIC_URL in log
    assert GENERIC_ENGLISH_URL not in {r["url"] for r in export(database)}


# -- kill -9 and resume -------------------------------------------------------------------------------


def stored_count(path: Path) -> int:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def start_backfill(
    workdir: Path, database: str, *args: str, settings: dict[str, str]
) -> subprocess.Popen[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "backfill", *args]
    for name, value in {
        "LOG_FILE": str(workdir / "backfill.log"),
        "STATS_FILE": str(workdir / "stats.json"),
        **settings,
    }.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def long_warc(tmp_path_factory: pytest.TempPathFactory) -> WarcFile:
    """The mirror among 1,500 other pages: long enough to be killed in the middle."""
    return build_mirror_warc(
        tmp_path_factory.mktemp("long") / "CC-NEWS-long.warc.gz", others=1500, size=30_000
    )


@pytest.mark.slow
def test_killed_backfill_resumes_and_stores_each_article_once(tmp_path: Path, long_warc: WarcFile) -> None:
    db_path = tmp_path / "news.db"
    database = f"sqlite:///{db_path}"
    expected = expected_urls(long_warc.mirror)
    # a fixed draw: a run that fails is run again the same way
    kill_after = random.Random("killed-backfill").randint(5, len(expected) - 15)
    slow = {"BACKFILL_CHECKPOINT_SECONDS": "0.2", "BACKFILL_MAX_PENDING": "4", "CONCURRENT_REQUESTS": "2"}
    process = start_backfill(tmp_path / "1", database, str(long_warc.path), settings=slow)
    deadline = time.monotonic() + 300
    while stored_count(db_path) < kill_after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the backfill ended before it could be killed"
    time.sleep(0.3)  # a checkpoint after some articles
    process.send_signal(signal.SIGKILL)
    process.communicate()
    before = stored_count(db_path)
    [row] = files_table(database)
    assert row["state"] == "running"
    assert 0 < row["next_offset"] < long_warc.path.stat().st_size
    result, stats, log = backfill(tmp_path / "2", database, str(long_warc.path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Resuming {long_warc.path} at offset {row['next_offset']}" in log
    assert stats["backfill/records/scanned"] < long_warc.records  # the records before it were not read
    assert_exactly_the_mirror(database, long_warc.mirror)
    assert stats.get("articles/new", 0) == len(expected) - before
    [row] = files_table(database)
    assert row["state"] == "done"
    assert row["records_scanned"] == long_warc.records


# -- several processes through Redis ----------------------------------------------------------------------


@pytest.fixture
def backfill_redis(redis_url: str) -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(redis_url)

    def clear() -> None:
        for key in client.scan_iter(match="backfill:*"):
            client.delete(key)

    clear()
    yield redis_url
    clear()
    client.close()


def split_mirror(site: MirrorSite, directory: Path, files: int) -> list[Path]:
    """The mirror's pages (and other hosts') spread over ``files`` WARC files."""
    responses = mirror_responses(site) + list(other_responses(1200, 30_000))
    random.Random(3).shuffle(responses)
    paths = []
    for number in range(files):
        path = directory / f"CC-NEWS-part-{number:05d}.warc.gz"
        with path.open("wb") as stream:
            write_warc(stream, responses[number::files])
        paths.append(path)
    return paths


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_two_processes_share_a_backfill_through_redis(
    tmp_path: Path, backfill_redis: str, mirror_warc: WarcFile
) -> None:
    paths = [str(p) for p in split_mirror(mirror_warc.mirror, tmp_path, 8)]
    with postgres_schema() as database:
        # a heartbeat key lives three beats: 3 s here, so a reactor that stalls for 2 s on a loaded
        # machine is not taken for dead (its file read twice)
        settings = {"DISTRIBUTED_HEARTBEAT": "1", "BACKFILL_CHECKPOINT_SECONDS": "0.2"}
        processes = [
            start_backfill(tmp_path / f"w{n}", database, "--redis", backfill_redis, *paths, settings=settings)
            for n in range(2)
        ]
        outputs = [process.communicate(timeout=600) for process in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        stats = [read_stats(tmp_path / f"w{n}") for n in range(2)]
        assert sum(s.get("backfill/files/done", 0) for s in stats) == len(paths)
        assert all(s.get("backfill/files/done", 0) for s in stats), "one process did all the work"
        assert sum(s.get("articles/new", 0) for s in stats) == len(expected_urls(mirror_warc.mirror))
        assert_exactly_the_mirror(database, mirror_warc.mirror)
        assert {row["state"] for row in files_table(database)} == {"done"}


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_file_of_a_killed_process_is_taken_over_from_its_offset(
    tmp_path: Path, backfill_redis: str, long_warc: WarcFile
) -> None:
    with postgres_schema() as database:
        settings = {
            "DISTRIBUTED_HEARTBEAT": "0.5",
            "BACKFILL_CHECKPOINT_SECONDS": "0.2",
            "BACKFILL_MAX_PENDING": "4",
            "CONCURRENT_REQUESTS": "2",
        }
        args = ("--redis", backfill_redis, str(long_warc.path))
        first = start_backfill(tmp_path / "w1", database, *args, settings=settings)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and first.poll() is None:
            rows = files_table(database)
            if rows and rows[0]["next_offset"] > 0 and rows[0]["articles_new"] >= 5:
                break
            time.sleep(0.1)
        assert first.poll() is None, "the first process ended before it could be killed"
        first.send_signal(signal.SIGKILL)
        first.communicate()
        [row] = files_table(database)
        assert row["state"] == "running"
        second = start_backfill(tmp_path / "w2", database, *args, settings=settings)
        _out, err = second.communicate(timeout=600)
        assert second.returncode == 0, err[-3000:]
        log = (tmp_path / "w2" / "backfill.log").read_text("utf-8")
        assert "Took back 1 WARC file(s)" in log
        assert f"Resuming {long_warc.path} at offset" in log
        assert_exactly_the_mirror(database, long_warc.mirror)
        assert {r["state"] for r in files_table(database)} == {"done"}


def test_a_truncated_http_stream_is_opened_again_after_the_last_record(
    tmp_path: Path, file_server: tuple[str, Path, list[tuple[str, str]]]
) -> None:
    base, served, _requests = file_server
    path = served / "x.warc.gz"
    path.write_bytes(
        b"".join(record(f"https://www.elaosboa.com/50{n}/", b"<p>" + bytes(3000) + b"</p>") for n in range(4))
    )

    class Flaky(HttpSource):
        opened = 0

        def open(self, offset: int) -> Any:
            Flaky.opened += 1
            stream = super().open(offset)
            if Flaky.opened == 1:  # the first connection breaks after 1.5 records
                data = stream.read(
                    len(record("https://www.elaosboa.com/500/", b"<p>" + bytes(3000) + b"</p>")) * 3 // 2
                )
                stream.close()

                class Broken(io.BytesIO):
                    def read(self, size: int = -1) -> bytes:
                        chunk = super().read(size)
                        if not chunk:
                            raise ConnectionResetError("connection reset by peer")
                        return chunk

                return Broken(data)
            return stream

    scanner = WarcScanner(Flaky(f"{base}/x.warc.gz"), keep_url=lambda url: True, backoff=0.01)
    urls = [e.url for e in scanner]
    assert urls == [f"https://www.elaosboa.com/50{n}/" for n in range(4)]
    assert Flaky.opened >= 2


def test_a_second_backfill_on_the_same_store_waits_its_turn(tmp_path: Path, mirror_warc: WarcFile) -> None:
    from crawler.runs.runlock import run_lock

    database = f"sqlite:///{tmp_path / 'news.db'}"
    lock = run_lock("backfill", database)
    assert lock.acquire()
    try:
        result, _, _ = backfill(tmp_path / "run", database, str(mirror_warc.path))
    finally:
        lock.release()
    assert result.returncode == 75, result.stderr
    assert "Another backfill is running" in result.stderr
    assert "--redis" in result.stderr


def test_usage_errors_are_one_line(tmp_path: Path, mirror_warc: WarcFile) -> None:
    database = f"sqlite:///{tmp_path / 'news.db'}"
    unknown, _, _ = backfill(tmp_path / "a", database, "--spider", "no_such_site", str(mirror_warc.path))
    missing, _, _ = backfill(tmp_path / "b", database, str(tmp_path / "missing.warc.gz"))
    nothing, _, _ = backfill(tmp_path / "c", database)
    # an unknown site is said as scrapy extract says it (exit 1); a missing input is a usage error
    assert [unknown.returncode, missing.returncode, nothing.returncode] == [1, 2, 2]
    assert "no site profile named 'no_such_site'" in unknown.stderr
    assert "no such file" in missing.stderr
    assert "give WARC files" in nothing.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr + nothing.stderr
