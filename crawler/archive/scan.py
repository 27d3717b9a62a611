"""Reading a WARC file from any offset, from disk or over HTTP, past the damage it may hold.

A backfill reads Common Crawl News files of about a gigabyte each, over the
network or from disk, and must be able to stop anywhere and go on later. So:

* **From an offset.** Common Crawl writes each record as its own gzip member, so
  a record's ``stream_pos`` (the offset of its member in the compressed file) is
  a place reading can start again: a file is reopened there (``seek``, or an HTTP
  ``Range`` request) instead of read again from its start.
* **Counted.** :class:`WarcScanner` counts the response records it saw and the
  compressed bytes it read, for the progress line and the scan rate, and keeps the
  offset of the last record header it saw, for checkpoints.
* **Past damage.** FastWARC parses (records.py says why); what it cannot parse is
  located by inflating gzip members one by one with zlib, from the last record it
  read: a member that inflates but holds no readable record (an invalid header,
  a record shorter than its ``Content-Length``, an HTTP block that does not parse,
  an empty member) is reported as :class:`Damage` with its offset, and reading goes
  on at the next member; a member that does not inflate (a deflate error, a file
  cut in the middle of one) ends the file with :class:`UnreadableWarc` and its offset,
  since nothing after it can be found safely.
* **Streamed.** A URL is read as the bytes arrive (an HTTP response is a file-like
  object FastWARC reads in 64 KiB blocks); nothing is downloaded first. A connection
  that breaks is opened again after the last record read, a few times.
"""

from __future__ import annotations

import io
import logging
import os
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from crawler.archive.records import ArchivedResponse, target_uri, to_archived

logger = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
READ_BLOCK = 64 * 1024
# How much of a damaged member is inflated to judge it (a record larger than this is
# judged by its first bytes only): bounds the memory a hostile member can take.
INSPECT_LIMIT = 32 * 1024 * 1024
HTTP_TIMEOUT = 60.0  # seconds without a byte before a connection counts as broken
RETRIES = 3  # reconnections after a broken stream, per break


class UnreadableWarc(Exception):
    """The file cannot be read past ``offset``: it ends there (the caller marks it failed).

    ``damaged``: its bytes are wrong there (a gzip member that does not inflate or is cut
    short, no record where one must start): reading the same bytes again fails again.
    Otherwise the file could not be had (not found, refused, the stream kept breaking),
    which the next attempt may not meet.
    """

    def __init__(self, file: str, offset: int, reason: str, *, damaged: bool = False) -> None:
        super().__init__(f"{file}: unreadable at offset {offset}: {reason}")
        self.file = file
        self.offset = offset
        self.reason = reason
        self.damaged = damaged


class ScanStopped(Exception):
    """:meth:`WarcScanner.stop` was called: the scan ends at the next record header."""


class StreamBroken(Exception):
    """The bytes stopped coming (a network or disk error), as opposed to bytes that are wrong.

    Not an ``OSError``: FastWARC reports unparsable data as ``OSError``, and the two
    are handled differently (a broken stream is opened again; bad data is skipped).
    """


@dataclass(frozen=True, slots=True)
class Damage:
    """A record that could not be read, skipped: where, and why."""

    file: str
    offset: int
    reason: str


class Readable(Protocol):
    """What a source opens: a file, an HTTP response, bytes in memory."""

    def read(self, size: int, /) -> bytes: ...

    def close(self) -> None: ...


class Source(Protocol):
    """A WARC file that can be opened at any byte offset."""

    name: str
    size: int | None  # in bytes, once known (None: an HTTP server that does not say)

    def open(self, offset: int) -> Readable: ...


class CountingStream(io.RawIOBase):
    """A raw stream that counts what it reads and says where it is (FastWARC asks once)."""

    def __init__(self, raw: Readable, offset: int, counter: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.raw = raw
        self.position = offset
        self.counter = counter

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.raw.read(size if size is not None and size >= 0 else READ_BLOCK)
        except (OSError, ValueError, EOFError) as error:  # includes http.client.IncompleteRead's base
            raise StreamBroken(f"{type(error).__name__}: {error}") from error
        except Exception as error:  # http.client.HTTPException and kin: the stream is gone all the same
            raise StreamBroken(f"{type(error).__name__}: {error}") from error
        self.position += len(data)
        if self.counter is not None:
            self.counter(len(data))
        return data

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            super().close()


class FileSource:
    """A WARC file on disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.size: int | None = None

    def open(self, offset: int) -> Readable:
        raw = self.path.open("rb", buffering=0)  # FastWARC reads 64 KiB blocks: no second buffer
        try:
            self.size = os.fstat(raw.fileno()).st_size
            raw.seek(offset)
        except OSError:
            raw.close()
            raise
        return cast("Readable", raw)


class HttpSource:
    """A WARC file at an http(s) URL, streamed; an offset is a ``Range`` request."""

    def __init__(self, url: str, user_agent: str = "", timeout: float = HTTP_TIMEOUT) -> None:
        self.name = url
        self.url = url
        self.size: int | None = None
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent} if user_agent else {}

    def open(self, offset: int) -> Readable:
        headers = {**self.headers, "Accept-Encoding": "identity"}  # the .gz bytes, as they are
        if offset:
            headers["Range"] = f"bytes={offset}-"
        request = urllib.request.Request(self.url, headers=headers)
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)  # open_source: http(s) only
        except urllib.error.HTTPError as error:
            if error.code == 416 and self.size is not None and offset >= self.size:
                return io.BytesIO(b"")  # nothing after the end
            raise
        length = response.headers.get("Content-Length")
        content_range = response.headers.get("Content-Range") or ""
        if response.status == 206 and "/" in content_range:
            total = content_range.rsplit("/", 1)[1]
            self.size = int(total) if total.isdigit() else self.size
        elif response.status == 200:
            self.size = int(length) if length and length.isdigit() else self.size
            if offset:  # the server ignored the range: read up to the offset and drop it
                skip = offset
                while skip:
                    chunk = response.read(min(skip, READ_BLOCK))
                    if not chunk:
                        break
                    skip -= len(chunk)
        return cast("Readable", response)


def open_source(name: str, user_agent: str = "") -> Source:
    """The source a command line names: an http(s) URL, or a path."""
    if name.startswith(("http://", "https://")):
        return HttpSource(name, user_agent)
    return FileSource(name)


@dataclass(frozen=True, slots=True)
class _Member:
    end: int  # offset just past the member
    data: bytes  # what it inflates to (up to INSPECT_LIMIT)
    truncated: bool  # data was cut at INSPECT_LIMIT


class WarcScanner:
    """The response records of one WARC file whose URL ``keep_url`` accepts, read from ``start``.

    Iterating yields :class:`~crawler.archive.records.ArchivedResponse` for each kept
    record and :class:`Damage` for each record skipped as unreadable; it ends at the
    end of the file, or raises :class:`UnreadableWarc` where the file cannot be read
    further. ``keep_url`` sees ``WARC-Target-URI`` before the HTTP block is parsed, so
    other records cost their WARC header only. Records larger than ``max_record_bytes``
    are not read (counted in ``too_large``).

    Live counters, safe to read from another thread: ``scanned`` (response records
    seen), ``bytes_read`` (compressed bytes), ``last_seen`` (offset of the last record
    header read: everything before it was seen), ``too_large``.
    """

    def __init__(
        self,
        source: Source,
        keep_url: Callable[[str], bool],
        *,
        start: int = 0,
        max_record_bytes: int = 0,
        retries: int = RETRIES,
        backoff: float = 2.0,
    ) -> None:
        self.source = source
        self.keep_url = keep_url
        self.start = start
        self.max_record_bytes = max_record_bytes
        self.retries = retries
        self.backoff = backoff  # seconds before the first reconnection, doubled each time
        self.scanned = 0
        self.bytes_read = 0
        self.too_large = 0
        self.last_seen: int | None = None
        self.last_yielded: int | None = None  # offset of the last record handed out
        self.last_damaged: int | None = None  # offset of the last record reported as damage
        # (offset of the last record header read, response records before it), set together
        self.mark: tuple[int, int] = (-1, 0)
        self.position = start  # where the last read of the file ended
        self.gzipped = True
        self.stopped = False

    def stop(self) -> None:
        """End the scan (from another thread): :class:`ScanStopped` at the next record header."""
        self.stopped = True

    @property
    def name(self) -> str:
        return self.source.name

    def _count(self, size: int) -> None:
        self.bytes_read += size

    def _open(self, offset: int) -> CountingStream:
        try:
            raw = self.source.open(offset)
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500 and error.code not in (408, 429):
                # the server says what it thinks of the request: asking again changes nothing
                raise UnreadableWarc(self.name, offset, f"HTTP {error.code} {error.reason}") from error
            raise StreamBroken(f"HTTP {error.code} {error.reason}") from error
        except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
            raise UnreadableWarc(self.name, offset, f"{type(error).__name__}: {error.strerror}") from error
        except Exception as error:  # a connection refused or reset, a timeout
            raise StreamBroken(f"cannot open at offset {offset}: {type(error).__name__}: {error}") from error
        return CountingStream(raw, offset, self._count)

    def _filter(self, record: WarcRecord) -> bool:
        if self.stopped:
            raise ScanStopped
        offset = int(record.stream_pos)
        self.last_seen = offset
        self.mark = (offset, self.scanned)
        if record.record_type != WarcRecordType.response:
            return False
        self.scanned += 1
        if self.max_record_bytes and record.content_length > self.max_record_bytes:
            self.too_large += 1
            return False
        return self.keep_url(target_uri(record))

    # -- reading --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[ArchivedResponse | Damage]:
        position: int | None = self.start
        broken = 0
        while position is not None:
            try:
                position = yield from self._pass(position)
                broken = 0
            except StreamBroken as error:
                broken += 1
                if broken > self.retries:
                    raise UnreadableWarc(self.name, self._safe_offset(position), str(error)) from error
                logger.warning(
                    "%s: %s; reading again after the last record read (%d)", self.name, error, broken
                )
                time.sleep(min(self.backoff * 2 ** (broken - 1), 30.0))
                position = self._after_last(position)

    def _safe_offset(self, position: int | None) -> int:
        return self.last_seen if self.last_seen is not None else (position or 0)

    def _after_last(self, position: int | None) -> int | None:
        """Where to open again after a broken stream: the last record seen, or past it when it
        was handed out in full."""
        if self.last_seen is None or (position is not None and self.last_seen < position):
            return position
        if self.last_seen != self.last_yielded:
            return self.last_seen
        return self._member(self.last_seen).end

    def _pass(self, start: int) -> Generator[ArchivedResponse | Damage, None, int | None]:
        """Read from ``start`` until the end or a problem; return where to go on (None: done)."""
        self.last_seen = None
        stream = self._open(start)
        try:
            head = stream.read(2)
            if not head:
                return None  # nothing at or after start
            self.gzipped = head == GZIP_MAGIC
            if start and not self.gzipped and head != b"WA":
                raise UnreadableWarc(
                    self.name, start, "no record starts at the offset to resume from", damaged=True
                )
            records = ArchiveIterator(
                _Prefixed(head, stream),
                record_types=WarcRecordType.any_type,
                parse_http=False,
                func_filter=self._filter,
            )
            try:
                for record in records:
                    offset = int(record.stream_pos)
                    declared = int(record.content_length)
                    record.freeze()
                    if int(record.content_length) < declared:
                        self.last_damaged = offset
                        yield Damage(
                            self.name,
                            offset,
                            f"truncated record: {record.content_length} of {declared} bytes",
                        )
                        return self._next_member(offset)
                    digest = record.headers.get("WARC-Block-Digest")
                    if digest and not record.verify_block_digest(consume=False):
                        # a record cut short inside its member reads on into the next member
                        # until its Content-Length is full: its digest says so, before it is used
                        self.last_damaged = offset
                        yield Damage(self.name, offset, "block digest mismatch: the record is not whole")
                        return self._next_member(offset)
                    archived = to_archived(record, self.name)
                    if archived is None or archived.status == 0:
                        self.last_damaged = offset
                        yield Damage(self.name, offset, "no readable HTTP response in the record")
                        continue
                    self.last_yielded = offset
                    yield archived
            except OSError as error:  # FastWARC: bad data (a deflate error, an invalid header)
                return (yield from self._recover(start, f"{error}"))
            return (yield from self._recover(start, None))
        finally:
            self.position = stream.position
            stream.close()

    # -- damage ---------------------------------------------------------------------------

    def _recover(self, start: int, error: str | None) -> Generator[Damage, None, int | None]:
        """After FastWARC stopped (with ``error``, or early without): where to go on."""
        if not self.gzipped:
            if error is None:
                return None  # an uncompressed file ends where FastWARC says
            raise UnreadableWarc(self.name, self._safe_offset(start), error, damaged=True)
        after = self.last_seen
        if after is not None and after < start:
            after = None
        return (yield from self._resync_events(after, start, error))

    def _next_member(self, offset: int) -> int | None:
        """Past a record already reported as damaged: the member after it (None: the end)."""
        end = self._member(offset).end
        if self.source.size is not None and end >= self.source.size:
            return None
        return end

    def _resync_events(
        self, after: int | None, start: int, error: str | None
    ) -> Generator[Damage, None, int | None]:
        bad = self._member(after).end if after is not None else start
        if self.source.size is not None and bad >= self.source.size:
            if error is not None and after is not None and after != self.last_damaged:
                # the last record was the culprit (its length ran past the end of its member)
                yield Damage(self.name, after, error)
            return None
        member = self._member(bad)
        if member.end == bad:
            return None  # the end of the file
        if _holds_a_record(member):
            if after is None:
                # nothing could be read from here although it looks like a record: skip it,
                # or the next pass would stop at the same place again
                yield Damage(self.name, bad, error or "record could not be read")
                return member.end
            if error is not None and after != self.last_damaged:
                # the member after the last record is fine: the last record itself did not end
                # where its Content-Length said, and FastWARC read on as if a header followed
                yield Damage(self.name, after, error)
            return bad
        reason = error or ("empty gzip member" if not member.data else "no WARC record in the gzip member")
        yield Damage(self.name, bad, reason)
        return member.end

    def _member(self, offset: int) -> _Member:
        """Inflate the gzip member at ``offset`` (zlib; the end is where its trailer ends)."""
        stream = self._open(offset)
        try:
            inflater = zlib.decompressobj(wbits=31)
            position, pieces, kept, truncated = offset, [], 0, False
            while not inflater.eof:
                chunk = stream.read(READ_BLOCK)
                if not chunk:
                    if position == offset:
                        return _Member(offset, b"", False)  # no member: the end of the file
                    raise UnreadableWarc(
                        self.name, offset, "gzip member cut short (the file ends inside it)", damaged=True
                    )
                try:
                    data = inflater.decompress(chunk, INSPECT_LIMIT)
                    while inflater.unconsumed_tail and not inflater.eof:
                        if kept + len(data) < INSPECT_LIMIT:
                            pieces.append(data)
                            kept += len(data)
                        else:
                            truncated = True
                        data = inflater.decompress(inflater.unconsumed_tail, INSPECT_LIMIT)
                except zlib.error as error:
                    raise UnreadableWarc(
                        self.name, offset, f"gzip member cannot be inflated: {error}", damaged=True
                    ) from error
                if kept + len(data) < INSPECT_LIMIT:
                    pieces.append(data)
                    kept += len(data)
                else:
                    truncated = True
                consumed = len(chunk) - len(inflater.unused_data)
                position += consumed
            return _Member(position, b"".join(pieces), truncated)
        finally:
            stream.close()


def _holds_a_record(member: _Member) -> bool:
    """The inflated member is one whole WARC record, as FastWARC reads it."""
    if not member.data.startswith(b"WARC/"):
        return False
    if member.truncated:
        return True  # too large to judge whole: its header is a WARC header
    try:
        records = list(_read_records(member.data))
    except OSError:
        return False
    return len(records) == 1 and records[0]


def _read_records(data: bytes) -> Iterator[bool]:
    for record in ArchiveIterator(io.BytesIO(data), record_types=WarcRecordType.any_type, parse_http=False):
        declared = int(record.content_length)
        record.freeze()
        yield int(record.content_length) == declared


class _Prefixed(io.RawIOBase):
    """``head`` (bytes already read to sniff the format), then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: CountingStream) -> None:
        super().__init__()
        self.head = head
        self.stream = stream
        self.start = stream.position - len(head)

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.stream.position - len(self.head)

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            if size is None or size < 0 or size <= len(head):
                if size is not None and 0 <= size < len(head):
                    self.head = head[size:]
                    return head[:size]
                return head
            return head + self.stream.read(size - len(head))
        return self.stream.read(size)
