"""WARC records of fetched responses: written with warcio, read with FastWARC.

Why two libraries: warcio writes correct WARC/1.1 with payload and block
digests and one gzip member per record (what every replay tool and Common
Crawl's own readers expect), and it is fast enough for a crawl's few pages a
second. Reading is where speed matters: a backfill scans hundreds of
megabytes of Common Crawl WARC, and FastWARC (C++, in the Resiliparse family)
parses headers several times faster than warcio and lets a filter reject a
record on its ``WARC-Target-URI`` before the HTTP block is parsed. Both read
each other's files (tests/test_archive_records.py checks it).

The project adds a few ``WARC-`` extension headers to response records; a
reader that does not know them ignores them, as the WARC standard says:

* ``WARC-Harvester-Kind``: what the spider asked for (``article``, ``listing``,
  ``feed``, ``sitemap``, ``robots``, …), so a replay routes the response to the
  same callback;
* ``WARC-Harvester-Rendered``: ``1`` when the body is the page as a headless
  browser rendered it (scrapy-playwright), not as the server sent it;
* ``WARC-Harvester-Requested-URI``: the URL the spider asked for, when a
  redirect ended elsewhere (failures and the store key on it).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from warcio.bufferedreaders import ChunkedDataReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

KIND_HEADER = "WARC-Harvester-Kind"
RENDERED_HEADER = "WARC-Harvester-Rendered"
REQUESTED_HEADER = "WARC-Harvester-Requested-URI"

# Hop-by-hop and transfer headers describe the bytes on the wire, not the body
# kept: the archive stores the decoded body, so these would lie to a reader.
_WIRE_HEADERS = frozenset({b"content-encoding", b"transfer-encoding", b"content-length", b"connection"})
_READ_DROPPED_HEADERS = _WIRE_HEADERS - {b"content-encoding"}


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """One HTTP response as the archive holds it (body decoded of any content encoding)."""

    url: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    fetched_at: datetime | None = None
    kind: str = ""
    rendered: bool = False
    requested_url: str = ""
    file: str = ""
    offset: int = 0  # of the record's first byte in the (compressed) file
    record_id: str = field(default="", compare=False)

    @property
    def host(self) -> str:
        return host_of(self.url)

    def header(self, name: bytes) -> bytes | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


def host_of(url: str) -> str:
    """The lower-case host of a URL, ``www.`` kept (profiles list their hosts exactly)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def archived_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """HTTP headers to store beside a decoded body: wire-level headers dropped."""
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, value in headers
        if key.lower() not in _WIRE_HEADERS
    ]


class RecordWriter:
    """Appends response records to one open WARC file (gzip, one member per record).

    warcio builds each record (headers, digests); the gzip member is made here, at
    ``level``: warcio's own gzip writer is fixed at level 9, which on recorded pages of
    Arabic news sites took twice the CPU of level 6 (5.0 against 2.5 ms for a 165 kB
    page) for a file 1% smaller. 6 is zlib's and gzip's default.
    """

    def __init__(self, stream: BinaryIO, level: int = 6) -> None:
        self._stream = stream
        self._level = level
        self._plain = io.BytesIO()
        self._writer = WARCWriter(self._plain, gzip=False, warc_version="WARC/1.1")

    def _emit(self, record: ArcWarcRecord) -> None:
        self._plain.seek(0)
        self._plain.truncate()
        self._writer.write_record(record)
        with self._plain.getbuffer() as plain:
            self._stream.write(zlib.compress(plain, self._level, wbits=31))  # 31: one gzip member

    def write_warcinfo(self, filename: str, info: dict[str, str]) -> None:
        self._emit(self._writer.create_warcinfo_record(filename, info))

    def write_response(self, archived: ArchivedResponse) -> None:
        status_line = f"{archived.status} {_reason(archived.status)}"
        http_headers = StatusAndHeaders(
            status_line,
            [*archived_headers(archived.headers), ("Content-Length", str(len(archived.body)))],
            protocol="HTTP/1.1",
        )
        warc_headers: dict[str, str] = {}
        if archived.fetched_at is not None:
            warc_headers["WARC-Date"] = archived.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if archived.kind:
            warc_headers[KIND_HEADER] = archived.kind
        if archived.rendered:
            warc_headers[RENDERED_HEADER] = "1"
        if archived.requested_url and archived.requested_url != archived.url:
            warc_headers[REQUESTED_HEADER] = archived.requested_url
        record = self._writer.create_warc_record(
            archived.url,
            "response",
            payload=io.BytesIO(archived.body),
            length=len(archived.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._emit(record)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_responses(
    source: str | Path | BinaryIO,
    *,
    keep_url: Callable[[str], bool] | None = None,
) -> Iterator[ArchivedResponse]:
    """Every HTTP response record of a WARC file, in file order.

    ``keep_url`` is asked with the record's ``WARC-Target-URI`` before its HTTP
    block is parsed or its body read: a backfill rejects other hosts' records
    for the cost of reading their WARC headers. Errors of the stream (a
    truncated gzip member, a corrupt record) propagate as ``OSError`` /
    ``ValueError`` from the iteration: the caller decides whether that ends the
    file (it does, in a backfill) and logs ``offset``.
    """
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    stream: BinaryIO = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        records = ArchiveIterator(
            stream,
            record_types=WarcRecordType.response,
            parse_http=False,
            func_filter=_target_filter(keep_url) if keep_url is not None else None,
        )
        for record in records:
            archived = to_archived(record, name)
            if archived is not None:
                yield archived
    finally:
        if isinstance(source, str | Path):
            stream.close()


def target_uri(record: WarcRecord) -> str:
    """The record's ``WARC-Target-URI``, without the angle brackets WARC/1.0's examples put
    around it (wget and other WARC/1.0 writers still do)."""
    uri = record.headers.get("WARC-Target-URI") or ""
    return uri[1:-1] if uri.startswith("<") and uri.endswith(">") else uri


def _target_filter(keep_url: Callable[[str], bool]) -> Callable[[WarcRecord], bool]:
    def keep(record: WarcRecord) -> bool:
        return keep_url(target_uri(record))

    return keep


def to_archived(record: WarcRecord, file: str = "") -> ArchivedResponse | None:
    """An ``ArchivedResponse`` from a FastWARC response record; None when it holds no HTTP response."""
    if not record.is_http:
        return None
    record.parse_http()
    http = record.http_headers
    status = int(http.status_code or 0)
    headers = [(key.encode("latin-1"), value.encode("latin-1")) for key, value in http.items()]
    body = record.reader.read()
    if b"chunked" in b" ".join(
        value.lower() for key, value in headers if key.lower() == b"transfer-encoding"
    ):
        # archives written by other tools (wget, Heritrix) keep the bytes as sent: undo the
        # chunking here (warcio's reader; a body that is not chunked after all comes back whole)
        body = ChunkedDataReader(io.BytesIO(body)).read()
    warc = record.headers
    return ArchivedResponse(
        url=target_uri(record),
        status=status,
        # a Content-Encoding stays: those tools keep gzip/br bodies, and the replayed response
        # is decoded by Scrapy's HttpCompressionMiddleware as a fetched one would be (this
        # project's archive, Common Crawl's, store bodies decoded and carry no such header)
        headers=[(key, value) for key, value in headers if key.lower() not in _READ_DROPPED_HEADERS],
        body=body,
        fetched_at=record.record_date,
        kind=warc.get(KIND_HEADER) or "",
        rendered=warc.get(RENDERED_HEADER) == "1",
        requested_url=warc.get(REQUESTED_HEADER) or "",
        file=file,
        offset=int(record.stream_pos),
        record_id=warc.get("WARC-Record-ID") or "",
    )
