"""Publish and update dates: from the strings Arabic news sites print to aware UTC datetimes.

Pure functions: the dates stage (pipelines/dates.py) parses each article's publish date with
them, the read-also rules recognise date stamps in related lists with :func:`looks_like_date`,
and ``scrapy export --since`` reads its argument with :func:`parse_date`.

Why a hand-written path before dateparser:

- speed: dateparser 1.5.0 costs 0.4-1.1 ms a call (measured on this project's machine), even on
  the plainest ``19 يناير 2025``; the formats sites actually print are a few regexes over a folded
  string, 4-15 µs a call, and a crawl parses several dates a page (body, related lists).
- coverage: dateparser 1.5.0's Arabic table (``dateparser/data/date_translation_data/ar.py``)
  holds only the Egyptian/Gulf month names. Tried, each with a day and a year: every
  Levantine/Iraqi name (كانون الثاني، شباط، آذار … كانون الأول, with or without hamza) and every
  Maghrebi name (جانفي، فيفري، أفريل، ماي، جوان، جويلية، أوت) returns None; so do the double forms
  (``2 آذار/مارس 2024``, ``17 مارس/ آذار 2020``), a Hijri date followed by its Gregorian one
  (``… هـ - الموافق 19 يناير 2025``), a trailing ``م`` (AD) after the year, and CNN Arabic's
  ``الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)``. It does handle the Egyptian names
  and their variants (ابريل، إبريل، اغسطس، اكتوبر، يونية، يوليه), ص/م, ISO and RFC 2822.

dateparser stays as the last resort, for word orders the regexes do not know (``2025 يناير 19``),
and only when the text holds an explicit, plausible four-digit year. It is called with CLDR locales,
not the bare language: the locale tables of dateparser 1.5.0 do add the regional names (see
``_DATEPARSER_LOCALES``).

Hijri dates: :func:`parse_date_precise` converts a string that holds only a Hijri date
(``الأحد 5 رمضان 1446 هـ``) with ``hijridate`` (Umm al-Qura calendar); when the string also
holds a Gregorian date, the Gregorian one wins. :func:`parse_date` stays Hijri-blind, as its
callers expect.

Precision: :func:`parse_date_precise` says whether the string printed a time. A date printed
without one is that calendar day (``at`` is 00:00 UTC of that day, whatever the site's zone), so
that a day east of UTC does not become the day before; :func:`parse_date` keeps reading it as
local midnight, as its callers expect.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hijridate import Hijri

from crawler.lens import tables

__all__ = [
    "DateLine",
    "ParsedDate",
    "find_date_line",
    "label_segments",
    "looks_like_date",
    "parse_date",
    "parse_date_precise",
    "split_dateline",
    "to_ascii_digits",
    "trailing_label",
]

log = logging.getLogger(__name__)

# Only the head of a string is read: a date field is short, and this bounds the work on any input.
MAX_CHARS = 300
# A line longer than this is a sentence, not a date stamp.
MAX_STAMP_CHARS = 120
# Letters and digits a date line may keep once its date, label and filler words are gone
# (a stray "م"/"ه" era mark, a bracket count).
MAX_LEFTOVER = 2
MIN_YEAR = 1990  # older "publish dates" on a news page are misreadings (or Hijri years)


# ---------------------------------------------------------------------------------------------------
# Folding: one form of the text for every regex below.
# ---------------------------------------------------------------------------------------------------

_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(_ARABIC_INDIC + _PERSIAN, "0123456789" * 2)
# Letters folded to one form, as the normalise stage's matching form does.
_LETTER_VARIANTS = {"ا": "أإآٱ", "ي": "ىی", "ه": "ة", "ك": "ک"}
# Tatweel, tashkeel, Quranic marks, bidi controls, zero-width characters, soft hyphen and BOM.
_IGNORABLE_RANGES = (
    (0x0640, 0x0640),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x061C, 0x061C),
    (0x00AD, 0x00AD),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
)
_IGNORABLE_CLASS = "[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _IGNORABLE_RANGES) + "]"
_FOLD_MAP: dict[str, str | None] = {
    **{chr(cp): None for lo, hi in _IGNORABLE_RANGES for cp in range(lo, hi + 1)},
    **{variant: base for base, variants in _LETTER_VARIANTS.items() for variant in variants},
    **dict(zip(_ARABIC_INDIC + _PERSIAN, "0123456789" * 2, strict=True)),
    "،": ",",
    "؛": ";",
    "–": "-",
    "—": "-",
    "−": "-",
}
_FOLD = str.maketrans(_FOLD_MAP)
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII, so numbers compare and parse alike."""
    return text.translate(_DIGITS)


def _fold(text: str) -> str:
    """The matching form: NFKC, ASCII digits, one alef/ya/ha, no marks, single spaces, lower case."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACES.sub(" ", text).strip().lower()


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of folded names, longest first so "مايو" wins over "ماي"."""
    folded = {_fold(name) for name in names}
    return "|".join(re.escape(name) for name in sorted(folded, key=len, reverse=True))


# ---------------------------------------------------------------------------------------------------
# Tables: the words of dates are data, in crawler/text/data/dates.toml (month and weekday names, time
# marks, zones, relative units, date labels), read once at import and checked against SHAPE. Every
# name is written as sites spell it; the lookup keys are folded here (see _fold), so hamza,
# alef-madda, ta marbuta and alef maqsura variants need not be listed twice.
# ---------------------------------------------------------------------------------------------------

DATA_FILE = Path(__file__).resolve().parent / "data" / "dates.toml"

_CALENDARS = ("egyptian", "levantine", "maghrebi", "english", "hijri")
_MONTH_TABLE = tables.Table(tables.Words(min_items=1), key=tables.Text(choices=tuple(map(str, range(1, 13)))))
_LIST = tables.Words(min_items=1)
SHAPE: tables.Shape = {
    "months": tables.Section({calendar: tables.required(_MONTH_TABLE) for calendar in _CALENDARS}),
    "words": tables.Section(
        {key: tables.required(_LIST) for key in ("weekdays", "am", "pm", "just_now", "era_marks")}
    ),
    "day_words": tables.Table(tables.Number(-1, 7, integer=True)),
    "unit": tables.Entries(
        {
            "seconds": tables.optional(tables.Number(0, 10**8, integer=True)),
            "words": tables.required(_LIST, unique_in="unit word"),
            "duals": tables.optional(tables.Words(), unique_in="unit word"),
        }
    ),
    "zones": tables.Section(
        {
            "greenwich": tables.required(_LIST),
            "abbreviations": tables.required(
                tables.Table(tables.Number(-13, 14, integer=True), key=tables.Text(pattern="[a-z]+"))
            ),
            "cities": tables.required(
                tables.Table(tables.Text(pattern=r"UTC|[A-Z][A-Za-z_]*(/[A-Za-z_\-]+)+"))
            ),
        }
    ),
    "date_labels": tables.Section(
        {kind: tables.required(_LIST, unique_in="date label") for kind in ("published", "modified")}
    ),
    "connectors": tables.Section({"after_label": tables.required(_LIST), "between": tables.required(_LIST)}),
}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read a dates file and check its shape, then that no name stands for two months once folded."""
    data = tables.load(path, SHAPE)
    for group in (_CALENDARS[:-1], _CALENDARS[-1:]):  # Gregorian names together, Hijri apart
        seen: dict[str, tuple[int, str]] = {}
        for calendar in group:
            for number, names in data["months"][calendar].items():
                for name in names:
                    first = seen.setdefault(_fold(name), (int(number), f"[months.{calendar}] {name!r}"))
                    if first[0] != int(number):
                        raise data.error(
                            f"[months.{calendar}] {number}: {name!r} is month {first[0]} in {first[1]}",
                            f"months.{calendar}",
                            key=number,
                            item=name,
                        )
    return data


_DATA = load_data()
_MONTHS = {
    calendar: {int(number): names for number, names in _DATA["months"][calendar].items()}
    for calendar in _CALENDARS
}
# Egyptian and Gulf usage: transliterations of the European names.
_MONTHS_EGYPTIAN: dict[int, tuple[str, ...]] = _MONTHS["egyptian"]
# Levant and Iraq: the Syriac names, with their short forms ("كانون 2").
_MONTHS_LEVANTINE: dict[int, tuple[str, ...]] = _MONTHS["levantine"]
# Algeria and Tunisia (from French), and Morocco's own forms of the rest.
_MONTHS_MAGHREBI: dict[int, tuple[str, ...]] = _MONTHS["maghrebi"]
# English: feeds, ISO-ish CMS fields, tweet signatures ("June 12, 2023").
_MONTHS_ENGLISH: dict[int, tuple[str, ...]] = _MONTHS["english"]
# Hijri months: recognised so that a Hijri part counts as date text in a date line, and converted
# by parse_date_precise when a string holds no Gregorian date (parse_date gives None there).
_MONTHS_HIJRI: dict[int, tuple[str, ...]] = _MONTHS["hijri"]
_HIJRI_MONTHS = tuple(name for names in _MONTHS_HIJRI.values() for name in names)
# hijridate's Umm al-Qura table covers these years (1924-2077); the plausible-year check follows.
_HIJRI_YEARS = (1343, 1500)
_WEEKDAYS: tuple[str, ...] = _DATA["words"]["weekdays"]
# Markers after a time. 12 ص is 00:xx and 12 م is 12:xx.
_AM: tuple[str, ...] = _DATA["words"]["am"]
_PM: tuple[str, ...] = _DATA["words"]["pm"]
# Zone abbreviations with fixed offsets in hours.
_ZONE_ABBREVIATIONS: dict[str, float] = _DATA["zones"]["abbreviations"]
# "بتوقيت القاهرة" and the like; Greenwich also stands alone ("14:00 غرينتش").
_GREENWICH: tuple[str, ...] = _DATA["zones"]["greenwich"]
_CITY_ZONES: dict[str, str] = {**_DATA["zones"]["cities"], **dict.fromkeys(_GREENWICH, "UTC")}
# Relative units, singular/plural and the dual ("ساعتين" = 2 hours). Months and years (no seconds)
# are recognised as date text but give no date: "منذ 3 أشهر" is too vague for a publish date.
_UNIT_SECONDS: dict[str, int | None] = {
    word: unit["seconds"] for unit in _DATA["unit"] for word in unit["words"]
}
_DUAL_SECONDS: dict[str, int | None] = {
    word: None if unit["seconds"] is None else 2 * unit["seconds"]
    for unit in _DATA["unit"]
    for word in unit["duals"]
}
# "Now": a count of zero.
_JUST_NOW: tuple[str, ...] = _DATA["words"]["just_now"]
# Days back from today for the day words.
_DAY_WORDS: dict[str, int] = _DATA["day_words"]
# Labels that open a date line, by kind. Longer labels win over their prefixes ("تاريخ النشر" over "تاريخ").
_DATE_LABELS: dict[str, str] = {
    label: kind for kind in ("published", "modified") for label in _DATA["date_labels"][kind]
}
# Words that may follow a label ("نشر في", "Published on") or sit between the parts of a date.
_LABEL_CONNECTORS: tuple[str, ...] = _DATA["connectors"]["after_label"]
_CONNECTORS = (*_LABEL_CONNECTORS, *_DATA["connectors"]["between"])
# Era marks after a year: "2025م", "1446 هـ".
_ERA_MARKS: tuple[str, ...] = _DATA["words"]["era_marks"]


_MONTH_NUMBER: dict[str, int] = {
    _fold(name): number
    for table in (_MONTHS_EGYPTIAN, _MONTHS_LEVANTINE, _MONTHS_MAGHREBI, _MONTHS_ENGLISH)
    for number, names in table.items()
    for name in names
}
_AM_MARKS = frozenset(_fold(mark) for mark in _AM)
_CITY_ZONE = {_fold(city): zone for city, zone in _CITY_ZONES.items()}
_UNITS = {_fold(unit): seconds for unit, seconds in _UNIT_SECONDS.items()}
_DUALS = {_fold(unit): seconds for unit, seconds in _DUAL_SECONDS.items()}
_DAYS_BACK = {_fold(word): days for word, days in _DAY_WORDS.items()}
_LABEL_KIND = {_fold(label): kind for label, kind in _DATE_LABELS.items()}
_HIJRI_MONTH_NUMBER = {_fold(name): number for number, names in _MONTHS_HIJRI.items() for name in names}


# ---------------------------------------------------------------------------------------------------
# Regexes, all over folded text.
# ---------------------------------------------------------------------------------------------------

_MONTH = rf"(?:{_alternation(_MONTH_NUMBER)})(?!\w)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_SEP = r"\s*[,.\-/|]?\s*"


def _month_pair(prefix: str = "") -> str:
    """A month name, optionally doubled by its other name: "فبراير(شباط)", "آذار/مارس", "مارس/ آذار".

    With a prefix, the two names are captured as groups ``<prefix>m`` and ``<prefix>m2``.
    """
    first, second = (f"?P<{prefix}m>", f"?P<{prefix}m2>") if prefix else ("?:", "?:")
    return rf"({first}{_MONTH})(?:\s*[/(\-]\s*({second}{_MONTH})\s*\)?)?"


# One alternation, so that the leftmost date in the text wins whatever its format.
_DATE = re.compile(
    # 19 يناير 2025 | 19th, January 2025 | 2 آذار/مارس 2024 | Sun, 19 Jan 2025
    rf"(?<![0-9])(?P<ad>[0-9]{{1,2}}){_ORDINAL}{_SEP}(?:of\s+|من\s+)?{_month_pair('a')}{_SEP}"
    rf"(?P<ay>[0-9]{{4}})(?![0-9])"
    # January 19, 2025 | Jan. 19 2025 | مارس 3, 2025 (WordPress's default "F j, Y" in Arabic)
    rf"|(?<!\w)(?P<bm>{_MONTH})\.?\s*(?P<bd>[0-9]{{1,2}}){_ORDINAL}(?![0-9])\s*,?\s*"
    rf"(?P<by>[0-9]{{4}})(?![0-9])"
    # 2025-01-19 | 2025/01/19 | 2025.1.9 (ISO and year-first)
    r"|(?<![0-9])(?P<cy>[0-9]{4})(?P<cs>[-/.])(?P<cm>[0-9]{1,2})(?P=cs)(?P<cd>[0-9]{1,2})(?![0-9])"
    # 19/01/2025 | 19-1-2025 | 19.01.2025 (day first; month first only when the day says so)
    r"|(?<![0-9])(?P<dd>[0-9]{1,2})(?P<ds>[-/.])(?P<dm>[0-9]{1,2})(?P=ds)(?P<dy>[0-9]{4})(?![0-9])"
)
_AM_PM = _alternation(_AM + _PM)
_AM_PM_WORDS = _alternation(mark for mark in _AM + _PM if len(mark) > 1)  # "5 م" may be five metres
_TIME = re.compile(
    # 10:15 | 10:15:00.123 | 09:14 ص | 10 am (an hour alone needs its marker)
    r"(?<![0-9:])(?P<h>[0-9]{1,2})"
    r"(?::(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?(?![0-9:])"
    rf"|(?=\s*(?:{_AM_PM_WORDS})(?!\w)))"
    rf"(?:\s*(?P<ap>{_AM_PM})(?!\w))?"
    # an offset glued to the time: 10:15:00Z, 03:01+0400, 10:15:00 +02:00
    r"(?:\s?(?P<off>z(?![a-z])|[+-][0-9]{2}(?::?[0-9]{2})?(?![0-9/.:\-])))?"
)
_ABBREVIATED_ZONE = re.compile(
    rf"(?<![a-z])(?P<abbr>{_alternation(_ZONE_ABBREVIATIONS)})(?![a-z])"
    r"(?:\s*(?P<sign>[+-])(?P<oh>[0-9]{1,2})(?::?(?P<om>[0-9]{2}))?(?![0-9]))?"
)
_CITY = re.compile(
    rf"(?:(?:ب)?توقيت\s+)(?P<city>{_alternation(_CITY_ZONES)})(?!\w)|(?P<gw>{_alternation(_GREENWICH)})"
)
_UNIT = _alternation([*_UNIT_SECONDS, *_DUAL_SECONDS])
_AGO = re.compile(
    rf"(?<!\w)(?:منذ|قبل)\s+(?:(?:حوالي|نحو)\s+)?(?:(?P<n>[0-9]{{1,4}})\s*)?(?P<unit>{_UNIT})(?!\w)"
    rf"|(?<![a-z0-9])(?P<en>[0-9]{{1,4}}|an?|one)\s+(?P<enunit>{_UNIT})\s+ago(?![a-z])"
    rf"|(?<!\w)(?P<now>{_alternation(_JUST_NOW)})(?!\w)"
)
_DAY_WORD = re.compile(rf"(?<!\w)(?P<day>{_alternation(_DAY_WORDS)})(?!\w)")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")

# Date text that is not a full date: still a date stamp in a related-articles list.
_PARTIAL_DATE = re.compile(
    rf"(?<![0-9])[0-9]{{1,2}}{_ORDINAL}{_SEP}(?:of\s+)?{_month_pair()}"
    rf"|(?<!\w){_month_pair()}{_SEP}(?:[0-9]{{4}}|[0-9]{{1,2}}{_ORDINAL})(?![0-9])"
)
_HIJRI = re.compile(
    rf"(?<![0-9])[0-9]{{1,2}}\s*(?:{_alternation(_HIJRI_MONTHS)})(?!\w)(?:{_SEP}[0-9]{{3,4}})?"
)
# A full Hijri date: day, month name, year (era mark optional), or numeric with its era mark
# ("1446/07/19 هـ", "19/07/1446هـ"): without the mark a numeric 14xx year is no Hijri date.
_HIJRI_MARK = r"\s*ه(?:جري|جريه)?(?!\w)"
_HIJRI_DATE = re.compile(
    rf"(?<![0-9])(?P<ad>[0-9]{{1,2}}){_SEP}(?P<am>{_alternation(_HIJRI_MONTHS)})(?!\w){_SEP}"
    r"(?P<ay>1[34][0-9]{2})(?![0-9])"
    rf"|(?<![0-9])(?P<cy>1[34][0-9]{{2}})(?P<cs>[-/.])(?P<cm>[0-9]{{1,2}})(?P=cs)(?P<cd>[0-9]{{1,2}})"
    rf"(?![0-9]){_HIJRI_MARK}"
    rf"|(?<![0-9])(?P<dd>[0-9]{{1,2}})(?P<ds>[-/.])(?P<dm>[0-9]{{1,2}})(?P=ds)(?P<dy>1[34][0-9]{{2}})"
    rf"(?![0-9]){_HIJRI_MARK}"
)
_DATE_TEXT = (_DATE, _HIJRI, _PARTIAL_DATE, _TIME, _AGO, _DAY_WORD)
_FILLER = re.compile(
    rf"(?<!\w)(?:{_alternation(_WEEKDAYS + _CONNECTORS + _ERA_MARKS)})(?!\w)"
    rf"|{_ABBREVIATED_ZONE.pattern}|{_CITY.pattern}"
)
_LABEL_WORDS = re.compile(rf"(?<!\w)(?:{_alternation(_DATE_LABELS)})(?!\w)")
_NOT_WORD = re.compile(r"[\W_]+")


def _loose(name: str) -> str:
    """A regex for ``name`` in raw text: any alef/ya/ha variant, marks and tatweel anywhere, any spacing.

    Latin letters match either case by explicit classes, not re.IGNORECASE: that would let "İ" or
    the Kelvin sign stand for "i" or "k", and the match would no longer fold back to its label.
    """
    parts = []
    for char in name:
        if char == " ":
            parts.append(r"\s+")
            continue
        base = _fold(char)
        if base in _LETTER_VARIANTS:
            parts.append(f"[{base}{_LETTER_VARIANTS[base]}]")
        elif char.isascii() and char.isalpha():
            parts.append(f"[{char.lower()}{char.upper()}]")
        else:
            parts.append(re.escape(char))
        parts.append(f"{_IGNORABLE_CLASS}*")
    return "".join(parts)


# A date line's opening, matched on the raw line so that ``raw`` keeps the page's own characters.
_LABEL_LINE = re.compile(
    r"^[\W_]*?(?P<label>(?P<word>"
    + "|".join(_loose(label) for label in sorted(_DATE_LABELS, key=len, reverse=True))
    + r")(?:\s+(?:"
    + "|".join(_loose(word) for word in _LABEL_CONNECTORS)
    + r"))?)(?![^\W\d_])\s*[:：\-|]?\s*"
)


# ---------------------------------------------------------------------------------------------------
# Parsing.
# ---------------------------------------------------------------------------------------------------


class _Found(NamedTuple):
    start: int
    end: int
    day: date


def _month(name: str | None, other: str | None) -> int | None:
    number = _MONTH_NUMBER.get(name or "")
    if other is not None and _MONTH_NUMBER.get(other) != number:
        return None  # "مارس/نيسان" names two months: not a date
    return number


def _ymd(m: re.Match[str]) -> tuple[int, int | None, int]:
    if m["ad"] is not None:
        return int(m["ay"]), _month(m["am"], m["am2"]), int(m["ad"])
    if m["bm"] is not None:
        return int(m["by"]), _month(m["bm"], None), int(m["bd"])
    if m["cy"] is not None:
        return int(m["cy"]), int(m["cm"]), int(m["cd"])
    day, month = int(m["dd"]), int(m["dm"])
    if month > 12 >= day:  # 8/24/2020: only a month-first date reads
        day, month = month, day
    return int(m["dy"]), month, day


def _find_date(text: str, max_year: int) -> _Found | None:
    """The first plausible calendar date in folded text (Hijri and impossible dates skipped)."""
    for m in _DATE.finditer(text):
        year, month, day = _ymd(m)
        if month is None or not 1 <= month <= 12 or not MIN_YEAR <= year <= max_year:
            continue
        if 1 <= day <= monthrange(year, month)[1]:
            return _Found(m.start(), m.end(), date(year, month, day))
    return None


def _find_hijri(text: str, max_year: int) -> _Found | None:
    """The first Hijri date in folded text, converted to its Gregorian day (Umm al-Qura)."""
    for m in _HIJRI_DATE.finditer(text):
        if m["ad"] is not None:
            year, month, day = int(m["ay"]), _HIJRI_MONTH_NUMBER[m["am"]], int(m["ad"])
        elif m["cy"] is not None:
            year, month, day = int(m["cy"]), int(m["cm"]), int(m["cd"])
        else:
            year, month, day = int(m["dy"]), int(m["dm"]), int(m["dd"])
        if not (_HIJRI_YEARS[0] <= year <= _HIJRI_YEARS[1] and 1 <= month <= 12):
            continue
        try:
            gregorian = Hijri(year, month, day).to_gregorian()
        except (ValueError, OverflowError):  # day 30 of a 29-day month, a year out of the table
            continue
        if MIN_YEAR <= gregorian.year <= max_year:
            return _Found(m.start(), m.end(), date(gregorian.year, gregorian.month, gregorian.day))
    return None


def _clock(m: re.Match[str] | None) -> tuple[int, int, int, int] | None:
    """(hour, minute, second, microsecond) of a time match, or None when it is no valid time."""
    if m is None:
        return None
    hour, minute = int(m["h"]), int(m["mi"] or 0)
    second = min(int(m["s"] or 0), 59)  # a leap second is kept as :59
    micro = int((m["f"] or "0")[:6].ljust(6, "0"))
    if m["ap"] is not None and 1 <= hour <= 12:
        hour = hour % 12 + (0 if m["ap"] in _AM_MARKS else 12)
    if hour > 23 or minute > 59:
        return None
    return hour, minute, second, micro


def _offset(sign: str, hours: str, minutes: str | None) -> tzinfo | None:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14) or int(minutes or 0) > 59:
        return None
    return timezone(-delta if sign == "-" else delta)


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    """The IANA zone ``name``; UTC, with a warning, for a name zoneinfo does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        log.warning("unknown time zone %r: reading naive dates as UTC", name)
        return UTC


def _stated_zone(text: str, time: re.Match[str] | None) -> tzinfo | None:
    """The zone the text names: an offset glued to the time, GMT+3, an abbreviation, بتوقيت مكة."""
    if time is not None and time["off"] is not None:
        off = time["off"]
        return UTC if off == "z" else _offset(off[0], off[1:3], off[-2:] if len(off) > 3 else None)
    m = _ABBREVIATED_ZONE.search(text)
    if m is not None:
        if m["sign"] is not None:
            return _offset(m["sign"], m["oh"], m["om"])
        return timezone(timedelta(hours=_ZONE_ABBREVIATIONS[m["abbr"]]))
    m = _CITY.search(text)
    if m is not None:
        return _zone(_CITY_ZONE[m["city"]] if m["city"] else "UTC")
    return None


def _time_for(text: str, found: _Found) -> re.Match[str] | None:
    """The time that belongs to a date: the first one after it (up to the next date), else the last before."""
    following = _DATE.search(text, found.end)
    m = _TIME.search(text, found.end, following.start() if following else len(text))
    if m is None:
        before = list(_TIME.finditer(text, 0, found.start))  # "17:27 17.03.2020"
        m = before[-1] if before else None
    return m


class _Parsed(NamedTuple):
    """A parse: the instant as :func:`parse_date` gives it, and the calendar day when no time was printed."""

    at: datetime
    day: date | None


def _at(day: date, time: re.Match[str] | None, text: str, site: tzinfo) -> _Parsed:
    clock = _clock(time)
    zone = _stated_zone(text, time) or site
    at = datetime(day.year, day.month, day.day, *(clock or (0, 0, 0, 0)), tzinfo=zone).astimezone(UTC)
    return _Parsed(at, None if clock else day)


def _relative(text: str, now: datetime, site: tzinfo) -> _Parsed | None:
    """منذ 3 ساعات, منذ يومين, 5 minutes ago, أمس 10:30, اليوم."""
    m = _AGO.search(text)
    if m is not None:
        if m["now"] is not None:
            return _Parsed(now, None)
        unit = m["unit"] or m["enunit"]
        if unit in _DUALS:
            seconds = _DUALS[unit]
        else:
            count = m["n"] or m["en"] or "1"
            seconds = _UNITS[unit]
            seconds = None if seconds is None else seconds * (int(count) if count.isdigit() else 1)
        return None if seconds is None else _Parsed(now - timedelta(seconds=seconds), None)
    m = _DAY_WORD.search(text)
    if m is None:
        return None
    time = _TIME.search(text)
    if time is None and not _is_stamp(text, labels=True):
        return None  # "اليوم السابع" is a newspaper, not today
    zone = _stated_zone(text, time) or site
    day = now.astimezone(zone).date() - timedelta(days=_DAYS_BACK[m["day"]])
    return _at(day, time, text, site)  # "أمس" alone is a day; "أمس 10:30" a minute


# dateparser 1.5.0's CLDR data (dateparser/data/date_translation_data/ar.py, "locale_specific"),
# checked for each locale: ar-LB, ar-SY, ar-IQ, ar-JO and ar-PS add the Syriac names with their
# short forms (كانون الثاني/كانون 2 … كانون الأول/كانون 1); ar-DZ and ar-TN add جانفي، فيفري،
# أفريل، ماي، جوان، جويلية، أوت; ar-MA adds ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر; ar-MR أغشت،
# شتمبر، دجمبر; ar-EG, ar-SA and the Gulf locales add nothing to the base "ar" table (the Egyptian
# names). dateparser refuses two regions of one language in a parser ("Locales should not have
# same language and different region"), so there is one parser per locale: the site's own first
# (from its zone), then one of each family that adds names.
_ZONE_LOCALE: dict[str, str] = {
    "Asia/Beirut": "ar-LB",
    "Asia/Damascus": "ar-SY",
    "Asia/Baghdad": "ar-IQ",
    "Asia/Amman": "ar-JO",
    "Asia/Gaza": "ar-PS",
    "Asia/Hebron": "ar-PS",
    "Africa/Algiers": "ar-DZ",
    "Africa/Tunis": "ar-TN",
    "Africa/Casablanca": "ar-MA",
    "Africa/El_Aaiun": "ar-MA",
    "Africa/Nouakchott": "ar-MR",
    "Africa/Cairo": "ar-EG",
    "Asia/Riyadh": "ar-SA",
}
_DATEPARSER_LOCALES = ("ar-LB", "ar-DZ", "ar-MA")  # Levantine/Iraqi, Algerian/Tunisian, Moroccan


@lru_cache(maxsize=16)
def _dateparser(tz: str) -> tuple[Any, ...]:
    """dateparser parsers for a site zone, its own locale first: building one loads its data (slow)."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]  # imported late: ~60 ms

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": tz,  # answers come in this zone, where the printed year is checked
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    own = _ZONE_LOCALE.get(tz)
    locales = dict.fromkeys((own, *_DATEPARSER_LOCALES) if own else _DATEPARSER_LOCALES)
    return tuple(DateDataParser(locales=[locale, "en"], settings=settings) for locale in locales)


def _with_dateparser(raw: str, years: set[int], site: tzinfo) -> _Parsed | None:
    """Last resort; its answer counts only when its year (in the site's zone) is one the text prints."""
    text = to_ascii_digits(raw)
    try:
        for parser in _dateparser(getattr(site, "key", "UTC")):
            value = parser.get_date_data(text).date_obj
            if isinstance(value, datetime) and value.tzinfo is not None and value.year in years:
                timed = _TIME.search(_fold(raw)) is not None
                return _Parsed(value.astimezone(UTC), None if timed else value.date())
    except Exception:  # a third-party parser must not stop a crawl on a strange string
        log.debug("dateparser failed on %r", raw, exc_info=True)
    return None


def _parse(raw: str, tz: str, now: datetime | None, *, hijri: bool) -> _Parsed | None:
    if not raw:
        return None
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    site = _zone(tz)
    text = _fold(raw[:MAX_CHARS])
    max_year = now.year + 1
    found = _find_date(text, max_year) or (_find_hijri(text, max_year) if hijri else None)
    if found is not None:
        return _at(found.day, _time_for(text, found), text, site)
    try:
        relative = _relative(text, now, site)
    except OverflowError:  # "منذ 9999 أسبوع" before year 1
        relative = None
    if relative is not None:
        return relative if relative.at.year >= MIN_YEAR else None
    years = {year for year in map(int, _YEAR.findall(text)) if MIN_YEAR <= year <= max_year}
    return _with_dateparser(raw[:MAX_CHARS], years, site) if years else None


def parse_date(raw: str, *, tz: str = "UTC", now: datetime | None = None) -> datetime | None:
    """The date a string prints, as an aware UTC datetime, or None when it holds no (Gregorian) date.

    ``tz`` is the site's IANA zone, applied to naive times (a date alone is local midnight);
    ``now`` anchors relative dates ("منذ 3 ساعات") and bounds plausible years (a naive ``now`` is
    taken as UTC; None means the current time). Never raises on text: only the first
    ``MAX_CHARS`` characters are read.
    """
    parsed = _parse(raw, tz, now, hijri=False)
    return None if parsed is None else parsed.at


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A publish date and how much of it the page printed.

    ``precision`` is "day" when no time was printed: ``at`` is then that calendar day at 00:00 UTC
    (the day as printed, not local midnight moved to UTC, which is the day before east of UTC).
    "minute" when a time was printed (or the date is relative, "منذ 3 ساعات"): ``at`` is the
    instant in UTC, a naive time read in the site's zone.
    """

    at: datetime
    precision: Literal["day", "minute"]


def parse_date_precise(raw: str, *, tz: str = "UTC", now: datetime | None = None) -> ParsedDate | None:
    """Like :func:`parse_date`, with the precision of what was printed, and Hijri-only dates converted.

    A string with a Gregorian and a Hijri date ("5 رمضان 1446 هـ الموافق 5 مارس 2025") gives the
    Gregorian one; a Hijri-only string is converted with the Umm al-Qura calendar (hijridate), which
    countries that go by sighting may differ from by a day.
    """
    parsed = _parse(raw, tz, now, hijri=True)
    if parsed is None:
        return None
    if parsed.day is None:
        return ParsedDate(parsed.at, "minute")
    return ParsedDate(datetime(parsed.day.year, parsed.day.month, parsed.day.day, tzinfo=UTC), "day")


# ---------------------------------------------------------------------------------------------------
# Date lines.
# ---------------------------------------------------------------------------------------------------


def _is_stamp(folded: str, *, labels: bool = False) -> bool:
    """True when folded text holds date text and almost nothing else (labels too, if asked)."""
    found = 0
    for pattern in _DATE_TEXT:
        folded, count = pattern.subn(" ", folded)
        found += count
    if not found:
        return False
    folded = _FILLER.sub(" ", folded)
    if labels:
        folded = _LABEL_WORDS.sub(" ", folded)
    return len(_NOT_WORD.sub("", folded)) <= MAX_LEFTOVER


def looks_like_date(text: str) -> bool:
    """True when a short line is nothing but a date/time stamp, such as a related-article list prints."""
    text = text.strip()
    return 0 < len(text) <= MAX_STAMP_CHARS and _is_stamp(_fold(text))


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line such as "تاريخ النشر: 19th, January 2025 GMT": its label, date text and which date it is."""

    label: str
    raw: str
    kind: str  # "published" or "modified" ("" for the unlabelled head of label_segments)


def find_date_line(text: str) -> DateLine | None:
    """The label and date of a publish/update line, or None (also for a sentence that merely holds a date)."""
    text = text.strip()
    if len(text) > MAX_STAMP_CHARS:
        return None
    m = _LABEL_LINE.match(text)
    if m is None:
        return None
    raw = text[m.end() :].strip()
    if not raw or not _is_stamp(_fold(raw), labels=True):
        return None
    return DateLine(label=m["label"], raw=raw, kind=_LABEL_KIND[_fold(m["word"])])


# A label anywhere in a stamp, matched on the raw text like _LABEL_LINE (which anchors it at the start).
_LABEL_ANY = re.compile(
    r"(?<![^\W\d_])(?P<label>(?P<word>"
    + "|".join(_loose(label) for label in sorted(_DATE_LABELS, key=len, reverse=True))
    + r")(?:\s+(?:"
    + "|".join(_loose(word) for word in _LABEL_CONNECTORS)
    + r"))?)(?![^\W\d_])\s*[:：\-|]?\s*"
)
_SEGMENT_EDGES = " \t\n-–—|،,:："


def label_segments(text: str) -> list[DateLine]:
    """A short date stamp cut at its labels, in order: the text after each label, and the label's kind.

    Text before the first label comes first, with label and kind "" (unlabelled); segments without
    a letter or digit are left out. ``"12 يونيو 2023 | آخر تحديث: 13 يونيو 2023"`` gives
    ``[DateLine("", "12 يونيو 2023", ""), DateLine("آخر تحديث", "13 يونيو 2023", "modified")]``.
    Only the first ``MAX_CHARS`` characters are read.
    """
    text = text[:MAX_CHARS]
    segments: list[DateLine] = []
    label, kind, start = "", "", 0
    for m in _LABEL_ANY.finditer(text):
        raw = text[start : m.start()].strip(_SEGMENT_EDGES)
        if any(char.isalnum() for char in raw):
            segments.append(DateLine(label=label, raw=raw, kind=kind))
        label, kind, start = m["label"], _LABEL_KIND[_fold(m["word"])], m.end()
    raw = text[start:].strip(_SEGMENT_EDGES)
    if any(char.isalnum() for char in raw):
        segments.append(DateLine(label=label, raw=raw, kind=kind))
    return segments


def trailing_label(text: str) -> str:
    """The kind ("published"/"modified") of a date label that ends ``text`` ("آخر تحديث:"), else ""."""
    tail = text[-60:]
    last = None
    for last in _LABEL_ANY.finditer(tail):  # noqa: B007  (the last match is the one wanted)
        pass
    if last is None or any(char.isalnum() for char in tail[last.end() :]):
        return ""
    return _LABEL_KIND[_fold(last["word"])]


# ---------------------------------------------------------------------------------------------------
# Datelines: "دمشق - السبت 8 شباط 2025 - …" opening a story's first paragraph.
# ---------------------------------------------------------------------------------------------------

# A dateline opens within this many characters (a place of a few words, a weekday, a Hijri date).
MAX_DATELINE_OPENING = 90


def _fold_indexed(text: str) -> tuple[str, list[int]]:
    """:func:`_fold` one character at a time, with the raw index of every folded character."""
    chars: list[str] = []
    index: list[int] = []
    space = True  # drops leading spaces and collapses runs, as _fold does
    for position, char in enumerate(text):
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char).translate(_FOLD)
        for part in folded.lower():
            if part.isspace():
                if space:
                    continue
                part, space = " ", True
            else:
                space = False
            chars.append(part)
            index.append(position)
    return "".join(chars), index


_WEEKDAY = rf"(?:{_alternation(_WEEKDAYS)})(?!\w)"
# What may stand before the date: a place of one to four words (letters, inner hyphens) and its
# separator, or a place followed straight by a weekday; then a weekday; then a Hijri date with its
# "الموافق" when the Gregorian one follows. Nothing else: "في 9 مارس" is a sentence, not a dateline.
_DATELINE_OPENING = re.compile(
    r"(?:(?P<place>[^\W\d_]+(?:[ \-][^\W\d_]+){0,3})"
    r"(?:\s*\([^()0-9]{1,30}\))?"  # an agency right after the place: "الرياض (واس) -"
    rf"(?:\s*(?:-{{1,2}}|[–—:|,/])\s*|\s+(?={_WEEKDAY}))"
    # or a place of one or two words and "في" (Maghrebi and Levantine papers: "القصرين في 20
    # جانفي 2025 -"); still closed by a dash or colon after the date, as every dateline is
    r"|(?P<place_in>[^\W\d_]+(?:[ \-][^\W\d_]+)?)\s+في\s+"
    r")?"
    rf"(?P<date>(?:{_WEEKDAY}\s*,?\s*)?"
    rf"(?:{_HIJRI.pattern}(?:{_HIJRI_MARK})?\s*[-,]?\s*(?:ال)?موافق\s*)?)"
)
# What may follow it: a time, an era mark, a zone, an agency in brackets; then the separator.
_DATELINE_TIME = re.compile(r"\s*(?:[,|\-]\s*)?(?:الساعه\s*)?")
_DATELINE_AFTER = re.compile(
    rf"(?:\s*(?:م|ميلادي|ميلاديه)(?!\w)|{_HIJRI_MARK})?"
    rf"(?:\s*\(?\s*(?:{_ABBREVIATED_ZONE.pattern}|{_CITY.pattern})\s*\)?)?"
    r"(?:\s*\([^()]{1,30}\))?"
    r"\s*(?P<sep>-{1,2}|[–—:|]|(?P<comma>,))\s*"
)


# Any digit, Western, Arabic-Indic or Persian; and how far past a dateline's opening its
# date's first digit can be ("السبت 8 …", "الأحد الموافق 9 …").
_ANY_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_DATE_SPAN = 40


def split_dateline(text: str) -> tuple[str, str] | None:
    """The date of a dateline opening a paragraph, and the rest of the paragraph; None without one.

    ``"دمشق - السبت 8 شباط 2025 - أعلنت …"`` gives ``("السبت 8 شباط 2025", "أعلنت …")``;
    ``"القاهرة - الأحد 9 مارس 2025: قال …"`` gives ``("الأحد 9 مارس 2025", "قال …")``. The date
    must be a full one (day, month, year; Gregorian or Hijri), opened by nothing but a place, a
    weekday or a Hijri date, and closed by a dash, colon or bar (or a comma after a place), with
    only a time, zone or agency between. Returned strings keep the page's own characters.
    """
    head = text[:MAX_CHARS]
    if not _ANY_DIGIT.search(head, 0, MAX_DATELINE_OPENING + _DATE_SPAN):
        return None  # no day or year where a dateline's date would be: most leads stop here
    folded, index = _fold_indexed(head)
    max_year = datetime.now(UTC).year + 1
    found = _find_date(folded, max_year) or _find_hijri(folded, max_year)
    if found is None or found.start > MAX_DATELINE_OPENING:
        return None
    opening = _DATELINE_OPENING.fullmatch(folded, 0, found.start)
    if opening is None:
        return None
    end = found.end
    time = _TIME.match(folded, _DATELINE_TIME.match(folded, end).end())  # type: ignore[union-attr]
    if time is not None and _clock(time) is not None:
        end = time.end()
    after = _DATELINE_AFTER.match(folded, end)
    if after is None or (after["comma"] and not opening["place"]):
        return None
    if opening["place_in"] and after["comma"]:
        return None  # "… في 20 جانفي 2025، …" runs on as a sentence
    date_start = opening.start("date")
    raw_date = head[index[date_start] : index[end - 1] + 1].strip()
    rest = text[index[after.end()] :] if after.end() < len(folded) else ""
    return raw_date, rest.strip()
