"""CSV made safe for spreadsheets; files replaced atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from crawler.exporters import AtomicFile, RecordWriter, neutralise
from crawler.records import RECORD_FIELDS, STORY_FIELDS, STORY_LIST_FIELDS


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["الأسبوع", "2025-01-19", "", "a=b"])
def test_plain_cells_are_kept(cell: str) -> None:
    assert neutralise(cell) == cell


def test_csv_has_a_bom_the_record_columns_and_json_lists() -> None:
    stream = io.StringIO()
    writer = RecordWriter(stream, "csv")
    writer.write({"url": "u", "title": "=1+1", "related": [{"title": "عنوان", "url": ""}], "revision": 1})
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [f"{name}_utc" if name.endswith("_at") else name for name in RECORD_FIELDS]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "'=1+1"
    assert row["related"] == '[{"title": "عنوان", "url": ""}]'
    assert row["duplicate_urls"] == "[]"


def test_atomic_file_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "latest.csv"
    target.write_text("old", "utf-8")

    def crash_while_writing() -> None:
        with AtomicFile(target) as new:
            new.stream.write("half")
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash_while_writing()
    assert target.read_text("utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_csv_timestamps_read_as_spreadsheet_dates_and_say_utc() -> None:
    """Spreadsheets read `2025-01-19 00:00:00` as a date, not ISO's `T…Z`; the header says UTC,
    and a reader of the old `published_at` column fails loudly instead of misreading a new format."""
    record = {
        "url": "u",
        "published_at": "2025-01-19T00:00:00Z",
        "first_seen_at": "2025-01-20T08:00:00.123456Z",
        "last_seen_at": "",
    }
    stream = io.StringIO()
    RecordWriter(stream, "csv").write(record)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    assert "published_at" not in rows[0]
    assert rows[0]["published_at_utc"] == "2025-01-19 00:00:00"
    assert rows[0]["first_seen_at_utc"] == "2025-01-20 08:00:00"
    assert rows[0]["last_seen_at_utc"] == ""
    lines = io.StringIO()
    RecordWriter(lines, "jsonl").write(record)
    assert json.loads(lines.getvalue())["published_at"] == "2025-01-19T00:00:00Z"  # JSON keeps ISO 8601


def test_story_csv_timestamps_say_utc_too() -> None:
    stream = io.StringIO()
    writer = RecordWriter(stream, "csv", STORY_FIELDS, STORY_LIST_FIELDS)
    writer.write({"story_id": 1, "first_published_at": "2025-01-19T06:30:00Z", "articles": []})
    [row] = csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff")))
    assert row["first_published_at_utc"] == "2025-01-19 06:30:00"


def test_atomic_files_follow_the_umask_unless_a_mode_is_given(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with AtomicFile(tmp_path / "umask.csv") as target:
            target.stream.write("x")
        with AtomicFile(tmp_path / "mode.csv", mode=0o644) as target:
            target.stream.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "umask.csv").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "mode.csv").stat().st_mode) == 0o644
