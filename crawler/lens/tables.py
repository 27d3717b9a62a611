"""Data files (crawler/lens/data/*.toml and the like): read once, checked against a declared shape.

The word lists and tables an analyst extends (actors and their spellings, topic
terms, outlets and their aliases ...) are TOML files beside this module; the
code that matches them stays in the .py modules. The extractor's word lists and
date tables (crawler/text/data/*.toml) and the brief's labels are read the same
way, with the path passed to :func:`load`. Each module declares the shape
of its file and loads it once, at import, with :func:`load`:

* :class:`Entries`: ``[[name]]`` repeated, one table per entry (an actor, an
  outlet, a group of terms), each with the keys :class:`Field` declares;
* :class:`Section`: one ``[name]`` table with declared keys (word lists);
* :class:`Table`: one ``[name]`` table whose keys are free ("phrase" = value).

A value is :class:`Text` (a non-empty string without surrounding spaces,
optionally one of a fixed set, matching a pattern or made of given letters),
:class:`Number` (in a range, whole if asked), :class:`Flag` (true or false), :class:`Words` (a
list of such strings, none twice) or a :class:`Table`. A field with
``unique_in`` may not repeat a value already declared under the same name
anywhere in the file: two actors with one canonical name fail.

A file that does not fit its shape stops the import with a :class:`DataError`
naming the file and the line of the bad entry, key or word::

    crawler/lens/data/actors.toml:1042: [[named]] "حماس": kind "armed grup" is not one of
    alliance, armed_force, armed_group, official

TOML syntax errors carry tomllib's line. For the other errors the line is found
in the file's text: the n-th ``[[name]]`` header, then the key, then the quoted
word (comments are skipped).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataError(ValueError):
    """A data file that cannot be used: ``path``, ``line`` (1-based; None when the
    mistake is something missing from the whole file) and what is wrong."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{_shown(path)}:{line}" if line is not None else _shown(path)
        super().__init__(f"{where}: {message}")


def _shown(path: Path) -> str:
    """The path as an analyst would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string: never blank nor padded with spaces; ``choices`` (when set) are its only
    allowed values, ``pattern`` a regex it must match whole, ``letters`` the only
    characters it may contain (then it may be empty only if ``allow_empty``)."""

    choices: tuple[str, ...] = ()
    pattern: str | None = None
    letters: str | None = None
    allow_empty: bool = False


@dataclass(frozen=True)
class Number:
    """An integer or decimal number with ``above < value <= at_most``, read as a float;
    with ``integer`` only a whole number is allowed, read as an int."""

    above: float
    at_most: float
    integer: bool = False


@dataclass(frozen=True)
class Flag:
    """true or false."""


@dataclass(frozen=True)
class Words:
    """A list of :class:`Text` items, none listed twice, at least ``min_items``."""

    item: Text = Text()
    min_items: int = 0


@dataclass(frozen=True)
class Table:
    """A table of free keys, each a non-empty string (checked against ``key``), with values
    of one type. ``keys``, when set, are the only keys and every one is required."""

    value: Text | Number | Words
    keys: tuple[str, ...] = ()
    key: Text = Text()


Value = Text | Number | Flag | Words | Table


@dataclass(frozen=True)
class Field:
    """One key of an entry or a section. Optional keys take ``default`` when absent."""

    type: Value
    required: bool = True
    default: Any = None
    # A name shared by fields whose values must all differ across the file
    # (for a word list: every word of every list under that name).
    unique_in: str | None = None


def required(type_: Value, *, unique_in: str | None = None) -> Field:
    return Field(type_, True, None, unique_in)


def optional(type_: Value, default: Any = None, *, unique_in: str | None = None) -> Field:
    if default is None and isinstance(type_, Words):
        default = ()
    return Field(type_, False, default, unique_in)


@dataclass(frozen=True)
class Entries:
    """``[[name]]`` tables, one per entry, at least ``min_entries`` of them."""

    fields: Mapping[str, Field]
    min_entries: int = 1


@dataclass(frozen=True)
class Section:
    """One ``[name]`` table with declared keys."""

    fields: Mapping[str, Field]


Shape = Mapping[str, Entries | Section | Table]


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Data:
    """A loaded, checked file: ``data["country"]`` is a list of entries (dicts with every
    declared key, defaults filled in, word lists as tuples), ``data["heads"]`` a dict."""

    path: Path
    parts: dict[str, Any]
    text: str = field(repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.parts[name]

    def error(
        self,
        message: str,
        table: str,
        index: int | None = None,
        key: str | None = None,
        item: str | None = None,
    ) -> DataError:
        """A :class:`DataError` at an entry (``index`` of ``[[table]]``), a key or a word, for
        the checks a module makes beyond the shape (a parent that names no actor)."""
        return DataError(self.path, _Locator(self.text).line(table, index, key, item), message)


def data_file(name: str) -> Path:
    """A shipped data file."""
    return DATA_DIR / name


def load(path: Path, shape: Shape) -> Data:
    """Read ``path`` and check it against ``shape``; raise :class:`DataError` on the first mistake."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(path, None, f"cannot be read: {error}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = _decode_error(error, text)
        raise DataError(path, line, f"not valid TOML: {message}") from None
    return Data(path, _Checker(path, text).document(raw, shape), text)


_AT_RE = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def _decode_error(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """tomllib's line (its message ends "(at line 3, column 5)") and the message without it."""
    message = str(error)
    last = max(1, len(text.splitlines()))
    found = _AT_RE.search(message)
    if found is None:
        return last, message
    return (int(found.group(1)) if found.group(1) else last), message[: found.start()]


@dataclass(frozen=True)
class _Place:
    """Where a value sits: the table's dotted name, the entry's index, the key, the word."""

    table: str
    index: int | None = None
    key: str | None = None
    item: str | None = None
    nth: int = 1  # which occurrence of the word, after the key (2 for a word listed twice)


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self._locator: _Locator | None = None
        # unique_in name -> value -> where it was first declared
        self.seen: dict[str, dict[str, _Place]] = {}

    def line(self, place: _Place) -> int | None:
        if self._locator is None:
            self._locator = _Locator(self.text)
        return self._locator.line(place.table, place.index, place.key, place.item, place.nth)

    def fail(self, place: _Place | None, message: str) -> NoReturn:
        raise DataError(self.path, None if place is None else self.line(place), message)

    def document(self, raw: dict[str, Any], shape: Shape) -> dict[str, Any]:
        for name in raw:
            if name not in shape:
                expected = ", ".join(
                    f"[{n}]" if not isinstance(p, Entries) else f"[[{n}]]" for n, p in shape.items()
                )
                self.fail(_Place(name), f"unknown table or key {name!r}: this file holds {expected}")
        parts: dict[str, Any] = {}
        for name, part in shape.items():
            header = f"[[{name}]]" if isinstance(part, Entries) else f"[{name}]"
            if name not in raw:
                self.fail(None, f"the file has no {header} table")
            value = raw[name]
            if isinstance(part, Entries):
                parts[name] = self.entries(name, value, part)
            elif isinstance(part, Section):
                if not isinstance(value, dict):
                    self.fail(_Place(name), f"{name} must be a table: write {header} on a line of its own")
                parts[name] = self.fields(value, part.fields, name, None, header)
            else:
                parts[name] = self.table(value, part, _Place(name), header, None)
        return parts

    def entries(self, name: str, value: Any, part: Entries) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            self.fail(_Place(name), f"write [[{name}]] (two brackets: one table per entry), not [{name}]")
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            self.fail(_Place(name), f"{name} must be [[{name}]] tables, one per entry")
        if len(value) < part.min_entries:
            self.fail(_Place(name), f"at least {part.min_entries} [[{name}]] entries are needed")
        checked = []
        for index, entry in enumerate(value):
            label = f"[[{name}]] #{index + 1}"
            for key in ("name", "key"):
                if isinstance(entry.get(key), str):
                    label = f"[[{name}]] {entry[key]!r}"
                    break
            checked.append(self.fields(entry, part.fields, name, index, label))
        return checked

    def fields(
        self, raw: dict[str, Any], fields: Mapping[str, Field], table: str, index: int | None, label: str
    ) -> dict[str, Any]:
        for key in raw:
            if key not in fields:
                self.fail(
                    _Place(table, index, key),
                    f"{label}: unknown key {key!r} (the keys are: {', '.join(fields)})",
                )
        checked: dict[str, Any] = {}
        for key, spec in fields.items():
            if key not in raw:
                if spec.required:
                    self.fail(_Place(table, index), f"{label}: the required key {key!r} is missing")
                checked[key] = spec.default
                continue
            place = _Place(table, index, key)
            value = raw[key]
            if isinstance(spec.type, Table):
                checked[key] = self.table(value, spec.type, _Place(f"{table}.{key}"), f"{label} {key}", place)
            else:
                checked[key] = self.value(value, spec.type, place, f"{label}: {key}")
            if spec.unique_in is not None:
                self.unique(spec.unique_in, checked[key], place, label)
        return checked

    def table(
        self, value: Any, spec: Table, place: _Place, label: str, inline: _Place | None
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(inline or place, f'{label} must be a table of "key" = value lines')
        checked: dict[str, Any] = {}
        for key, item in value.items():
            at = _Place(place.table, key=key)
            if spec.keys and key not in spec.keys:
                self.fail(at, f"{label}: unknown key {key!r} (the keys are: {', '.join(spec.keys)})")
            self.text_value(key, spec.key, at, f"{label}: key")
            checked[key] = self.value(item, spec.value, at, f"{label}: {key}")
        for key in spec.keys:
            if key not in value:
                self.fail(place, f"{label}: the required key {key!r} is missing")
        return checked

    def value(self, value: Any, spec: Value, place: _Place, label: str) -> Any:
        if isinstance(spec, Text):
            return self.text_value(value, spec, place, label)
        if isinstance(spec, Number):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(place, f"{label} must be a number, not {value!r}")
            if spec.integer and not isinstance(value, int):
                self.fail(place, f"{label} must be a whole number, not {value!r}")
            if not spec.above < value <= spec.at_most:
                self.fail(
                    place, f"{label} is {value}: it must be above {spec.above} and at most {spec.at_most}"
                )
            return value if spec.integer else float(value)
        if isinstance(spec, Flag):
            if not isinstance(value, bool):
                self.fail(place, f"{label} must be true or false, not {value!r}")
            return value
        if isinstance(spec, Words):
            if not isinstance(value, list):
                self.fail(place, f'{label} must be a list of words in quotes: ["…", "…"]')
            if len(value) < spec.min_items:
                self.fail(place, f"{label} needs at least {spec.min_items} word(s)")
            counted: dict[str, int] = {}
            for item in value:
                at = _Place(place.table, place.index, place.key, item if isinstance(item, str) else None)
                self.text_value(item, spec.item, at, f"{label}: word")
                counted[item] = counted.get(item, 0) + 1
                if counted[item] > 1:
                    self.fail(
                        _Place(place.table, place.index, place.key, item, counted[item]),
                        f"{label}: {item!r} is listed twice",
                    )
            return tuple(value)
        raise TypeError(f"not a value type: {spec!r}")  # a Table is checked by table()

    def text_value(self, value: Any, spec: Text, place: _Place, label: str) -> str:
        if not isinstance(value, str):
            self.fail(place, f"{label} must be text in quotes, not {value!r}")
        if not value.strip() and not (spec.allow_empty and value == ""):
            self.fail(place, f"{label} is empty")
        if value != value.strip():
            self.fail(place, f"{label} {value!r} has spaces around it")
        if spec.choices and value not in spec.choices:
            self.fail(place, f"{label} {value!r} is not one of {', '.join(spec.choices)}")
        if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
            self.fail(place, f"{label} {value!r} does not match {spec.pattern}")
        if spec.letters is not None and any(char not in spec.letters for char in value):
            self.fail(place, f"{label} {value!r} may only contain the letters {spec.letters}")
        return value

    def unique(self, space: str, value: Any, place: _Place, label: str) -> None:
        values = value if isinstance(value, tuple) else (value,)
        seen = self.seen.setdefault(space, {})
        for item in values:
            if item is None:
                continue
            at = _Place(place.table, place.index, place.key, item if isinstance(value, tuple) else None)
            if item in seen:
                first = self.line(seen[item])
                self.fail(at, f"{label}: {item!r} is declared twice as {space} (first at line {first})")
            seen[item] = at


# --------------------------------------------------------------------------
# Finding the line of a table, an entry, a key, a word
# --------------------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")


def _header_name(name: str) -> str:
    """A header's dotted name with spaces and quotes around each part dropped."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _strings(line: str) -> tuple[list[str], str]:
    """The quoted strings on a line (basic and literal, escapes of \\ and " undone) and the
    line's code without its comment."""
    found: list[str] = []
    position = 0
    while position < len(line):
        char = line[position]
        if char == "#":
            return found, line[:position]
        if char in "\"'":
            end = position + 1
            value = []
            while end < len(line) and line[end] != char:
                if char == '"' and line[end] == "\\" and end + 1 < len(line):
                    end += 1
                value.append(line[end])
                end += 1
            found.append("".join(value))
            position = end + 1
            continue
        position += 1
    return found, line


class _Locator:
    """Line numbers in a TOML text, found the way a reader would: the header, then the key,
    then the quoted word. Good for the files as written here (one key per line, arrays over
    several lines); a line it cannot find falls back to the nearest enclosing one."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str, bool]] = []  # (0-based line, dotted name, is [[array]])
        for number, line in enumerate(self.lines):
            _, code = _strings(line)
            match = _HEADER_RE.match(code)
            if match and not code.lstrip().startswith("#"):
                self.headers.append((number, _header_name(match.group(2)), match.group(1) == "[["))

    def _span(self, table: str, index: int | None) -> tuple[int, int] | None:
        """Lines of a table's own keys: from its header to the next header."""
        matches = [n for n, name, array in self.headers if name == table and (array or index is None)]
        if index is not None:
            if index >= len(matches):
                return None
            start = matches[index]
        elif matches:
            start = matches[0]
        else:
            return None
        end = next((n for n, _, _ in self.headers if n > start), len(self.lines))
        return start, end

    def _top_level(self) -> tuple[int, int]:
        return -1, self.headers[0][0] if self.headers else len(self.lines)

    def _key(self, start: int, end: int, key: str) -> int | None:
        written = re.escape(key)
        pattern = re.compile(rf"""^\s*(?:{written}|"{written}"|'{written}')\s*=""")
        for number in range(max(start, 0), end):
            if pattern.match(self.lines[number]):
                return number
        return None

    def _item(self, start: int, end: int, item: str, nth: int) -> int | None:
        seen = 0
        for number in range(max(start, 0), end):
            strings, _ = _strings(self.lines[number])
            seen += strings.count(item)
            if seen >= nth:
                return number
        return None

    def line(
        self,
        table: str,
        index: int | None = None,
        key: str | None = None,
        item: str | None = None,
        nth: int = 1,
    ) -> int | None:
        span = self._span(table, index)
        if span is None and index is None:
            parent, _, last = table.rpartition(".")
            if parent and (outer := self._span(parent, None)) is not None:
                # a sub-table written inline in its parent: key = { ... }
                found = self._key(outer[0], outer[1], last)
                if found is not None:
                    span = (found, outer[1])
            elif not parent:
                top = self._top_level()
                found = self._key(top[0], top[1], table)
                if found is not None:
                    return found + 1
        if span is None:
            return None
        start, end = span
        at = start
        if key is not None:
            found = self._key(start, end, key)
            if found is None:
                return start + 1
            at = found
        if item is not None:
            found = self._item(at, end, item, nth)
            if found is not None:
                at = found
        return at + 1
