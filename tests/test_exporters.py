"""CSV made safe for spreadsheets; files replaced atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from crawler.exporters import AtomicFile, RecordWriter, neutralise
from crawler.records import RECORD_FIELDS


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
    assert rows[0] == list(RECORD_FIELDS)
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
