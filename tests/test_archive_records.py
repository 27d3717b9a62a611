"""The archive's record format: written by warcio, read back by FastWARC and by warcio itself."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from crawler.archive.records import ArchivedResponse, RecordWriter, read_responses

BODY = "<html><body><h1>الدفاع الجوي</h1></body></html>".encode()


def _write(path: Path, responses: list[ArchivedResponse]) -> None:
    with path.open("wb") as stream:
        writer = RecordWriter(stream)
        writer.write_warcinfo(path.name, {"software": "tests"})
        for response in responses:
            writer.write_response(response)


def _response(url: str, **extra: object) -> ArchivedResponse:
    return ArchivedResponse(
        url=url,
        status=200,
        headers=[(b"Content-Type", b"text/html; charset=utf-8"), (b"Content-Encoding", b"gzip")],
        body=BODY,
        fetched_at=datetime(2025, 1, 19, 8, 30, tzinfo=UTC),
        **extra,  # type: ignore[arg-type]
    )


def test_round_trip_keeps_body_status_and_harvester_headers(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    _write(
        path,
        [
            _response("http://127.0.0.1:8000/news/1", kind="article"),
            _response("http://127.0.0.1:8000/news/2", kind="article", rendered=True),
            _response(
                "http://127.0.0.1:8000/news/3", kind="article", requested_url="http://127.0.0.1:8000/n/3"
            ),
        ],
    )
    read = list(read_responses(path))
    assert [r.url for r in read] == [f"http://127.0.0.1:8000/news/{n}" for n in (1, 2, 3)]
    assert all(r.body == BODY and r.status == 200 for r in read)
    assert [r.rendered for r in read] == [False, True, False]
    assert read[2].requested_url == "http://127.0.0.1:8000/n/3"
    assert read[0].fetched_at == datetime(2025, 1, 19, 8, 30, tzinfo=UTC)
    # the body is stored decoded: a content-encoding header would make a reader decode it again
    assert read[0].header(b"content-encoding") is None
    assert read[0].header(b"content-type") == b"text/html; charset=utf-8"
    offsets = [r.offset for r in read]
    assert offsets == sorted(offsets)
    assert offsets[0] > 0


def test_filter_sees_the_target_before_the_body(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    _write(path, [_response("https://elaosboa.com/a"), _response("https://example.org/b")])
    asked: list[str] = []

    def keep(url: str) -> bool:
        asked.append(url)
        return "elaosboa" in url

    assert [r.url for r in read_responses(path, keep_url=keep)] == ["https://elaosboa.com/a"]
    assert asked == ["https://elaosboa.com/a", "https://example.org/b"]


def test_a_second_tool_reads_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    _write(path, [_response("http://127.0.0.1:8000/news/1", kind="article")])
    with path.open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in WarcioIterator(stream)
        ]
    assert records[0][0] == "warcinfo"
    assert records[1] == ("response", "http://127.0.0.1:8000/news/1", BODY)


def test_replayed_response_is_the_archived_page(tmp_path: Path) -> None:
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from crawler.archive.replay import ARCHIVED_META, to_scrapy_response

    path = tmp_path / "run.warc.gz"
    _write(path, [_response("http://127.0.0.1:8000/news/1", kind="article", rendered=True)])
    (archived,) = read_responses(path)
    request = Request(archived.url, meta={ARCHIVED_META: archived})
    response = to_scrapy_response(archived, request)
    assert isinstance(response, HtmlResponse)
    assert response.text == BODY.decode()
    assert response.flags == ["archived", "rendered"]
    assert response.request is request


def test_another_tools_chunked_gzip_record_replays_as_the_page(tmp_path: Path) -> None:
    """wget and Heritrix keep a response's bytes as sent: chunked, gzip-encoded."""
    import gzip
    import io

    from scrapy import Request
    from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
    from scrapy.http import TextResponse
    from scrapy.utils.test import get_crawler
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from crawler.archive.replay import ARCHIVED_META, to_scrapy_response

    encoded = gzip.compress(BODY)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(encoded), encoded)
    path = tmp_path / "wget.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        http = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://elaosboa.com/a",
                "response",
                payload=io.BytesIO(chunked),
                length=len(chunked),
                http_headers=http,
            )
        )
    (archived,) = read_responses(path)
    assert archived.body == encoded  # unchunked; still as the server encoded it
    request = Request(archived.url, meta={ARCHIVED_META: archived})
    middleware = HttpCompressionMiddleware.from_crawler(get_crawler())
    response = middleware.process_response(request, to_scrapy_response(archived, request))
    assert isinstance(response, TextResponse)
    assert response.text == BODY.decode()
