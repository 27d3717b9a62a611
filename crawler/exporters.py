"""Writing records as CSV or JSON lines, for run feeds and ``scrapy export``.

CSV is what analysts open in spreadsheets, so it is made safe for them: UTF-8
with a BOM (Excel otherwise reads Arabic as mojibake), list fields as JSON,
every cell that a spreadsheet would run as a formula neutralised, and instants
written as spreadsheets read dates (``2025-01-19 00:00:00``, UTC) under a header
that says so (``published_at_utc``): a script that read the ISO 8601 values of
the old ``published_at`` column fails on the missing column instead of misreading
the new format. JSON lines keep ISO 8601 under the record's own names.

Files are written under a temporary name and renamed into place; they get the
permissions of any file the user creates (the umask), or ``mode`` when given.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from crawler.records import LIST_FIELDS, RECORD_FIELDS, TIMESTAMP_FIELDS

# OWASP's list of characters that start a formula in Excel, LibreOffice and
# Google Sheets; a leading apostrophe makes the cell plain text.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def csv_header(name: str) -> str:
    """The CSV column of a record field: instants say they are UTC."""
    return f"{name}_utc" if name in TIMESTAMP_FIELDS else name


def spreadsheet_time(value: Any) -> str:
    """An ISO 8601 instant as spreadsheets read a date and time: ``2025-01-19 00:00:00`` (UTC).

    Excel, LibreOffice and Google Sheets take ``T`` and ``Z`` for text; this form they read
    as a date. Fractions of a second are dropped (no spreadsheet shows them by default).
    """
    if value in (None, ""):
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def csv_cells(
    record: dict[str, Any],
    fields: tuple[str, ...] = RECORD_FIELDS,
    list_fields: frozenset[str] = LIST_FIELDS,
) -> list[str]:
    cells: list[str] = []
    for name in fields:
        value = record.get(name, "")
        if name in list_fields:
            text = json.dumps(value or [], ensure_ascii=False)
        elif name in TIMESTAMP_FIELDS:
            text = spreadsheet_time(value)
        elif value is None:
            text = ""
        else:
            text = str(value)
        cells.append(neutralise(text))
    return cells


class RecordWriter:
    """Writes records to an open text file in one format (article records unless told otherwise)."""

    def __init__(
        self,
        stream: IO[str],
        fmt: str = "csv",
        fields: tuple[str, ...] = RECORD_FIELDS,
        list_fields: frozenset[str] = LIST_FIELDS,
    ) -> None:
        if fmt not in ("csv", "jsonl"):
            raise ValueError(f"unknown format {fmt!r}; use csv or jsonl")
        self.stream = stream
        self.format = fmt
        self.fields = fields
        self.list_fields = list_fields
        self.rows = 0
        self._csv = csv.writer(stream, lineterminator="\r\n") if fmt == "csv" else None
        if self._csv is not None:
            stream.write("\ufeff")
            self._csv.writerow([csv_header(name) for name in fields])

    def write(self, record: dict[str, Any]) -> None:
        if self._csv is not None:
            self._csv.writerow(csv_cells(record, self.fields, self.list_fields))
        else:
            self.stream.write(json.dumps({k: record.get(k) for k in self.fields}, ensure_ascii=False) + "\n")
        self.rows += 1

    def write_all(self, records: Iterable[dict[str, Any]]) -> int:
        for record in records:
            self.write(record)
        return self.rows


PART_SUFFIX = ".part"


def parse_file_mode(value: Any) -> int | None:
    """A permission setting (``0640``, ``"0640"``, ``"640"`` or 416) as an int; None: follow the umask."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    return int(str(value), 8)


def remove_stale_parts(directory: Path) -> int:
    """Delete the temporary files a killed writer left in ``directory``; how many there were.

    Call it only where no other process is writing (the run feed's directory, under the
    run lock): a ``.part`` file there belongs to a writer that died.
    """
    removed = 0
    for stale in directory.glob(f".*{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


class AtomicFile:
    """A file written under a temporary name and renamed into place on success.

    Readers (a BI tool polling ``latest.csv``) never see a half-written file;
    a crashed run leaves the previous file untouched, and a failed write (a full
    disk) leaves no temporary file behind.

    The file gets the permissions of any file the user creates (0666 less the
    umask), or ``mode``. (``tempfile.mkstemp`` would make it 0600: a BI tool
    running as another user could not read the feed.)
    """

    def __init__(self, path: Path | str, mode: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            temp = self.path.parent / f".{self.path.name}.{secrets.token_hex(4)}{PART_SUFFIX}"
            try:
                # 0o666: the kernel applies the umask, as for any file the user creates
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                continue
        self.temp = temp
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        except BaseException:
            os.close(fd)
            temp.unlink(missing_ok=True)
            raise

    def commit(self) -> None:
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.replace(self.temp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        # closing flushes what is buffered, which fails again on a full disk: the
        # temporary file goes whatever happens
        with contextlib.suppress(OSError):
            self.stream.close()
        self.temp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()
