"""The run's web archive: every response appended to rotated WARC files, on a thread of its own.

Which library writes. Three were weighed (docs/architecture.md, "Web archive"):

* **scrapy-webarchive** (0.5.3) is a whole Scrapy extension with its own settings
  (``SW_EXPORT_URI``, WACZ lookup strategies) that packs one WARC into a WACZ
  when the spider closes. It pins Scrapy < 2.12 and warcio 1.7.4 (this project
  runs Scrapy 2.19, warcio 1.8.1), writes on ``response_downloaded`` (before
  decompression and charset repair: a replay would see different bytes than the
  spider read), on the reactor thread, opening the file once per record, with
  no rotation; a killed run never gets its WACZ (the package is made at close,
  by re-reading the whole WARC).
* **FastWARC** reads several times faster than warcio, which matters for a
  backfill scanning Common Crawl (crawler/archive/records.py reads with it), but
  its writer is low-level: digests, the HTTP block and the warcinfo record would
  be ours to build.
* **warcio** writes standard WARC/1.1 with block and payload digests, one gzip
  member per record (what replay tools, pywb and Common Crawl's readers
  expect). A crawl writes a few dozen pages a second: 0.35 ms of CPU for a 19 kB
  page, 2.5 ms for a 165 kB one, nearly all of it zlib, which runs without the GIL.

So the project writes with warcio through :class:`crawler.archive.records.RecordWriter`
(the one place that knows the record format), and this module only decides
where and when: a bounded queue of responses, one writer thread that builds each
record in memory and appends it with one ``write`` (a file ends on a record
boundary unless the process is killed in the middle of that call), rotation at
``max_bytes``, and a failure (a full disk) that stops the archive, not the crawl.

File names: ``<spider>-<UTC start, YYYYmmddTHHMMSSZ>[-<host>-<pid>]-<NNNNN>.warc.gz``,
numbered from 00001; the host and pid are added for a process of a distributed
run, so that two workers never share a file. Every file begins with a warcinfo
record.
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.archive.records import ArchivedResponse, RecordWriter

logger = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_OVERHEAD = 512  # bytes a queued response holds beyond its body (URL, headers), for the queue's bound


def archive_prefix(spider: str, started: datetime, worker: str = "") -> str:
    """The name every file of one run's archive starts with (``worker``: ``<host>-<pid>`` or "")."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    parts = [_UNSAFE.sub("_", spider), stamp, *([_UNSAFE.sub("_", worker)] if worker else [])]
    return "-".join(parts)


def archive_file_name(prefix: str, number: int) -> str:
    return f"{prefix}-{number:05d}{SUFFIX}"


def archive_files(first: str | Path) -> list[Path]:
    """Every file of the archive whose first file is ``first`` (rotated ones share its prefix), in order."""
    path = Path(first)
    prefix = path.name.removesuffix(SUFFIX).rsplit("-", 1)[0]
    pattern = re.compile(re.escape(prefix) + r"-\d{5}" + re.escape(SUFFIX))
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name))


@dataclass(frozen=True)
class ArchiveReport:
    """What an archive holds once closed, and what it could not take."""

    files: list[Path]
    records: int  # response records written
    size: int  # bytes of all its files
    failed: int  # responses handed to it that are not in it
    failure: str  # why it stopped taking responses ("" when it did not)
    error: OSError | None = None
    cpu_seconds: float = 0.0  # the writer thread's CPU time (building, compressing, writing)


class ArchiveWriter:
    """Appends responses to ``<directory>/<prefix>-NNNNN.warc.gz`` files on a background thread.

    :meth:`submit` is called on the crawl's thread and returns at once while the
    queue holds less than ``queue_bytes``; beyond that it waits for the writer
    thread (the disk is slower than the crawl), at most ``stall_seconds``, after
    which the archive is given up as stalled rather than holding the crawl. A write
    that fails (``OSError``: a full disk, a file system gone read-only) cuts the
    file back to its last whole record, and the archive takes nothing more:
    :attr:`failure` says why and :attr:`ArchiveReport.failed` counts every
    response that is not in it.
    """

    def __init__(
        self,
        directory: Path,
        spider: str,
        started: datetime,
        *,
        worker: str = "",
        max_bytes: int,
        info: dict[str, str],
        queue_bytes: int = 32 * 1024 * 1024,
        stall_seconds: float = 60.0,
        gzip_level: int = 6,
    ) -> None:
        self.directory = directory
        self.spider = spider
        self.started = started
        self.worker = worker
        self.prefix = archive_prefix(spider, started, worker)
        self.max_bytes = max_bytes
        self.info = info
        self.queue_bytes = queue_bytes
        self.stall_seconds = stall_seconds
        self.files: list[Path] = []
        self.records = 0
        self.failed = 0
        self.failure = ""
        self.error: OSError | None = None
        self._closed_bytes = 0  # size of the files already rotated out
        self._file: io.FileIO | None = None
        self._queue: deque[ArchivedResponse | None] = deque()
        self._pending = 0  # bytes of bodies queued
        self._cond = threading.Condition()
        self._buffer = io.BytesIO()
        self._records = RecordWriter(self._buffer, gzip_level)
        self._thread: threading.Thread | None = None
        self.cpu_seconds = 0.0

    # -- the crawl's side ---------------------------------------------------------------

    @property
    def first_path(self) -> Path:
        return self.directory / archive_file_name(self.prefix, 1)

    def open(self) -> Path:
        """Start the writer; the path its first file will have.

        The file is created with the first record, so a run that archives nothing (a
        replay: its responses are archived already) leaves no file. A run that starts
        within the second of an earlier one of the same spider takes the next free
        second, so that it never appends to another run's files.
        """
        for _ in range(60):
            if not archive_files(self.first_path):
                break
            self.started += timedelta(seconds=1)
            self.prefix = archive_prefix(self.spider, self.started, self.worker)
        self._thread = threading.Thread(target=self._run, name="web-archive", daemon=True)
        self._thread.start()
        return self.first_path

    def submit(self, archived: ArchivedResponse) -> bool:
        """Queue one response; False when the archive no longer takes any (counted as failed)."""
        size = len(archived.body) + _OVERHEAD
        with self._cond:
            if not self._wait_for_room(size):
                self.failed += 1
                return False
            self._queue.append(archived)
            self._pending += size
            self._cond.notify_all()
        return True

    def _wait_for_room(self, size: int) -> bool:
        """Whether the queue can take ``size`` more bytes (called holding the condition)."""
        deadline = time.monotonic() + self.stall_seconds
        while not self.failure and self._thread is not None:
            if not self._pending or self._pending + size <= self.queue_bytes:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail(f"the archive's disk took no record for {self.stall_seconds:.0f} s")
                break
            self._cond.wait(left)
        return False

    def close(self) -> ArchiveReport:
        """Write what is queued, close the file (flushed to disk) and say what the archive holds."""
        thread = self._thread
        if thread is not None:
            with self._cond:
                self._queue.append(None)
                self._cond.notify_all()
            thread.join()
            self._thread = None
        return ArchiveReport(
            files=list(self.files),
            records=self.records,
            size=self.size,
            failed=self.failed,
            failure=self.failure,
            error=self.error,
            cpu_seconds=self.cpu_seconds,
        )

    @property
    def size(self) -> int:
        """Bytes written to the archive's files so far."""
        current = self._file.tell() if self._file is not None and not self._file.closed else 0
        return self._closed_bytes + current

    # -- the writer thread --------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                archived = self._queue.popleft()
            if archived is None:
                break
            written = False
            try:
                if not self.failure:
                    self._write(archived)
                    written = True
            except OSError as error:
                with self._cond:
                    self.error = error
                    self._fail(f"{type(error).__name__}: {error}")
            except Exception as error:  # a record warcio cannot build: that response only
                logger.error("Could not archive %s: %s", archived.url, error, exc_info=error)
            finally:
                with self._cond:
                    if written:
                        self.records += 1
                    else:
                        self.failed += 1
                    self._pending -= len(archived.body) + _OVERHEAD
                    self._cond.notify_all()
        self._close_file()
        self.cpu_seconds = time.thread_time()

    def _write(self, archived: ArchivedResponse) -> None:
        if self._file is not None and self._file.tell() >= self.max_bytes:
            self._close_file()  # rotated before a record, so that no file is a lone warcinfo
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._open_file(len(self.files) + 1)
        self._buffer.seek(0)
        self._buffer.truncate()
        self._records.write_response(archived)
        with self._buffer.getbuffer() as record:
            self._append(record)

    def _append(self, data: memoryview) -> None:
        """All of ``data`` at the end of the file, or the file cut back to where it was."""
        file = self._file
        if file is None:
            raise OSError("the archive file is closed")
        start = file.tell()
        try:
            written = 0
            while written < len(data):
                count = file.write(data[written:])
                if not count:
                    raise OSError(f"wrote nothing to {file.name}")
                written += count
        except OSError:
            try:
                os.ftruncate(file.fileno(), start)
                file.seek(start)
            except OSError as cut:
                logger.warning("Could not cut %s back to its last whole record: %s", file.name, cut)
            raise

    def _open_file(self, number: int) -> None:
        path = self.directory / archive_file_name(self.prefix, number)
        # unbuffered: a record is one write() of whole bytes; "x": never another run's file
        file = io.FileIO(path, "xb")
        self._file = file
        self.files.append(path)
        try:
            self._buffer.seek(0)
            self._buffer.truncate()
            self._records.write_warcinfo(path.name, self.info)
            with self._buffer.getbuffer() as record:
                self._append(record)
        except OSError:
            self._close_file()
            raise

    def _close_file(self) -> None:
        file = self._file
        if file is None or file.closed:
            return
        try:
            self._closed_bytes += file.tell()
            os.fsync(file.fileno())
        except OSError as error:
            logger.warning("Could not flush %s to disk: %s", file.name, error)
        finally:
            file.close()
            self._file = None

    def _fail(self, reason: str) -> None:
        """Stop taking responses (called holding the condition); the queue is counted as failed."""
        if not self.failure:
            self.failure = reason
