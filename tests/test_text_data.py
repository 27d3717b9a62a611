"""The extractor's data files (crawler/text/data/*.toml): word lists and date tables.

Both shipped files load, the module names hold what the files say (with the
types the rest of the code expects), and a copy of a shipped file with one
mistake stops with a DataError naming the file and the line of the mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.lens import tables
from crawler.lens.tables import DataError
from crawler.text import dates, lexicon

DATA_DIR = Path(dates.__file__).resolve().parent / "data"
LOADERS: dict[str, Callable[[Path], tables.Data]] = {
    "lexicon.toml": lexicon.load_data,
    "dates.toml": dates.load_data,
}


def test_every_shipped_file_loads() -> None:
    assert {path.name for path in DATA_DIR.glob("*.toml")} == set(LOADERS)
    assert lexicon.DATA_FILE.parent == dates.DATA_FILE.parent == DATA_DIR
    for name, load in LOADERS.items():
        assert load(DATA_DIR / name).parts, name


def test_the_lexicon_names_hold_what_the_file_says() -> None:
    data = lexicon.load_data()
    assert data["read_also"]["labels"] == lexicon.READ_ALSO_LABELS
    assert lexicon.READ_ALSO_LABELS[0] == "اقرأ أيضا"
    assert "Keep reading" in lexicon.READ_ALSO_LABELS
    assert lexicon.LABEL_MAY == ("قد", "ربما")
    assert lexicon.SOURCE_PREPOSITIONS == ("نقلا عن", "منقول عن", "Via")
    assert lexicon._GENERIC_CREDITS == (("وكالات", ("وكالات", "وكالات الأنباء")),)
    assert lexicon._LINE_CREDIT_EXCEPTIONS == ("روسيا اليوم",)
    assert "صحفية" in lexicon.CITING_QUALIFIERS
    for name in ("READ_ALSO_LABELS", "NOT_RELATED_LABELS", "SOURCE_LABELS", "CITING_VERBS", "CITING_NOUNS"):
        value = getattr(lexicon, name)
        assert isinstance(value, tuple), name
        assert all(isinstance(word, str) for word in value), name


def test_the_boilerplate_entries_build_one_pattern() -> None:
    """A phrase alone, or a phrase and one of its words within a few characters."""
    assert lexicon.BOILERPLATE_RE.search("جميع الحقوق محفوظة © 2025")
    assert lexicon.BOILERPLATE_RE.search("تابعوا آخر الأخبار عبر Google News")
    assert lexicon.BOILERPLATE_RE.search("تابعوا آخر الأخبار عبر google news")  # any case
    assert not lexicon.BOILERPLATE_RE.search("تابعوا آخر الأخبار عبر GoogleNews")  # Latin: as written
    assert not lexicon.BOILERPLATE_RE.search("تابعوا" + " كلمة" * 15 + " جوجل نيوز")  # beyond within = 60


def test_the_date_names_hold_what_the_file_says() -> None:
    assert dates._MONTHS_EGYPTIAN[4] == ("أبريل", "إبريل")
    assert list(dates._MONTHS_MAGHREBI) == [1, 2, 4, 5, 6, 7, 8, 9, 11, 12]
    assert all(isinstance(number, int) for number in dates._MONTHS_HIJRI)
    assert dates._MONTHS_HIJRI[9] == ("رمضان",)
    assert dates._UNIT_SECONDS["ساعة"] == 3600
    assert type(dates._UNIT_SECONDS["ساعة"]) is int
    assert dates._UNIT_SECONDS["أشهر"] is None
    assert dates._DUAL_SECONDS == {
        "ثانيتين": 2,
        "دقيقتين": 120,
        "ساعتين": 7200,
        "يومين": 172800,
        "أسبوعين": 1209600,
        "شهرين": None,
        "سنتين": None,
        "عامين": None,
    }
    assert dates._ZONE_ABBREVIATIONS["gst"] == 4
    assert type(dates._ZONE_ABBREVIATIONS["est"]) is int
    assert dates._CITY_ZONES["القاهرة"] == "Africa/Cairo"
    assert dates._CITY_ZONES["غرينتش"] == "UTC"
    assert dates._DAY_WORDS["أول من أمس"] == 2
    assert dates._DATE_LABELS["آخر تحديث"] == "modified"
    assert dates._DATE_LABELS["تاريخ النشر"] == "published"
    assert dates._CONNECTORS[: len(dates._LABEL_CONNECTORS)] == dates._LABEL_CONNECTORS
    assert "الموافق" in dates._CONNECTORS
    assert isinstance(dates._WEEKDAYS, tuple)
    assert isinstance(dates._ERA_MARKS, tuple)


def test_the_tables_read_dates_as_before() -> None:
    """A few readings that go through each table."""
    now = dates.datetime(2025, 3, 10, 12, tzinfo=dates.UTC)
    assert dates.parse_date("2 آذار/مارس 2024") == dates.datetime(2024, 3, 2, tzinfo=dates.UTC)
    assert dates.parse_date("15 جويلية 2024") == dates.datetime(2024, 7, 15, tzinfo=dates.UTC)
    assert dates.parse_date("منذ ساعتين", now=now) == dates.datetime(2025, 3, 10, 10, tzinfo=dates.UTC)
    assert dates.parse_date("منذ 3 أشهر", now=now) is None
    assert dates.parse_date("19 يناير 2025 10:00 بتوقيت مكة") == dates.datetime(
        2025, 1, 19, 7, tzinfo=dates.UTC
    )
    line = dates.find_date_line("آخر تحديث: 19 يناير 2025")
    assert line is not None
    assert line.kind == "modified"


# --------------------------------------------------------------------------
# Copies of the shipped files with one mistake
# --------------------------------------------------------------------------


def _shipped_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of a shipped file with ``old`` (met once) replaced, and the line it starts on."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line


MISTAKES = [
    (
        "a read-also label listed twice",
        "lexicon.toml",
        '    "المزيد حول هذه القصة", "المزيد حول هذا الموضوع", "ذات صلة",\n',
        '    "المزيد حول هذه القصة", "المزيد حول هذا الموضوع", "ذات صلة",\n    "اقرأ أيضا",\n',
        1,
        "labels: 'اقرأ أيضا' is listed twice",
    ),
    (
        "a citing noun listed twice",
        "lexicon.toml",
        'nouns = ["تصريح", "تصريحات", "حديث"',
        'nouns = ["تصريح", "تصريحات", "تصريح"',
        0,
        "'تصريح' is listed twice",
    ),
    (
        "an empty list",
        "lexicon.toml",
        'may = ["قد", "ربما"]',
        "may = []",
        0,
        "needs at least 1 word",
    ),
    (
        "a boilerplate 'then' without its 'within'",
        "lexicon.toml",
        'phrase = "ترحب"\nwithin = 40\n',
        'phrase = "ترحب"\n',
        -1,
        "'within' and 'then' go together ('within' is missing)",
    ),
    (
        "a misspelt section key",
        "lexicon.toml",
        'prepositions = ["نقلا عن", "منقول عن", "Via"]',
        'prepositons = ["نقلا عن", "منقول عن", "Via"]',
        0,
        "unknown key 'prepositons'",
    ),
    (
        "a month number out of range",
        "dates.toml",
        '12 = ["ديسمبر"]',
        '13 = ["ديسمبر"]',
        0,
        "key '13' is not one of 1, 2, 3",
    ),
    (
        "a month name listed twice",
        "dates.toml",
        '7 = ["جويلية", "جويلة", "يوليوز"]',
        '7 = ["جويلية", "جويلة", "جويلية"]',
        0,
        "'جويلية' is listed twice",
    ),
    (
        "one name for two months (once folded)",
        "dates.toml",
        '11 = ["نونبر"]',
        '11 = ["نونبر", "ابريل"]',
        0,
        "'ابريل' is month 4 in [months.egyptian] 'أبريل'",
    ),
    (
        "a date label of both kinds",
        "dates.toml",
        '    "آخر تعديل", "تاريخ التعديل",\n',
        '    "آخر تعديل", "تاريخ التعديل", "تاريخ النشر",\n',
        0,
        "'تاريخ النشر' is declared twice as date label",
    ),
    (
        "a word in two units",
        "dates.toml",
        'words = ["يوم", "أيام", "day", "days"]',
        'words = ["يوم", "أيام", "day", "days", "hours"]',
        0,
        "'hours' is declared twice as unit word",
    ),
    (
        "a zone offset that is not whole hours",
        "dates.toml",
        "gst = 4\n",
        "gst = 4.5\n",
        0,
        "gst must be a whole number",
    ),
    (
        "a day count out of range",
        "dates.toml",
        '"yesterday" = 1\n',
        '"yesterday" = -1\n',
        0,
        "yesterday is -1",
    ),
    (
        "a zone name in lower case",
        "dates.toml",
        '"دبي" = "Asia/Dubai"',
        '"دبي" = "asia/dubai"',
        0,
        "'asia/dubai' does not match",
    ),
    (
        "a TOML syntax error",
        "dates.toml",
        'pm = ["م", "مساءً"',
        'pm = ["م" "مساءً"',
        0,
        "not valid TOML",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "offset", "message"),
    [case[1:] for case in MISTAKES],
    ids=[case[0] for case in MISTAKES],
)
def test_a_mistake_in_a_shipped_file_names_its_line(
    tmp_path: Path, name: str, old: str, new: str, offset: int, message: str
) -> None:
    path, line = _shipped_with(tmp_path, name, old, new)
    line += offset
    with pytest.raises(DataError) as caught:
        LOADERS[name](path)
    error = caught.value
    assert error.path == path
    assert (error.line, message in str(error)) == (line, True), str(error)
    assert f"{name}:{line}: " in str(error)
