"""Writing records as CSV or JSON lines, for run feeds and ``scrapy export``.

CSV is what analysts open in spreadsheets, so it is made safe for them: UTF-8
with a BOM (Excel otherwise reads Arabic as mojibake), list fields as JSON,
and every cell that a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from crawler.records import LIST_FIELDS, RECORD_FIELDS

# OWASP's list of characters that start a formula in Excel, LibreOffice and
# Google Sheets; a leading apostrophe makes the cell plain text.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


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
            self._csv.writerow(fields)

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


class AtomicFile:
    """A file written under a temporary name and renamed into place on success.

    Readers (a BI tool polling ``latest.csv``) never see a half-written file;
    a crashed run leaves the previous file untouched.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
        self.temp = Path(temp)
        self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.temp, self.path)

    def discard(self) -> None:
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
