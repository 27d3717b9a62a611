"""The lens's data files (crawler/lens/data/*.toml) and their loader (crawler/lens/tables.py).

Every shipped file loads; a file with a mistake stops the import with an error
that names the file and the line of the mistake. In the small files below the
bad line carries the comment ``# <- here``: the error must point at it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.lens import actors, gazetteer, stories, tables, topics
from crawler.lens.tables import DataError

LOADERS: dict[str, Callable[[Path], tables.Data]] = {
    "actors.toml": actors.load_data,
    "topics.toml": topics.load_data,
    "outlets.toml": gazetteer.load_data,
    "stories.toml": stories.load_data,
    "events.toml": stories.load_events,
}


def test_every_shipped_file_loads() -> None:
    assert {path.name for path in tables.DATA_DIR.glob("*.toml")} == set(LOADERS)
    for name, load in LOADERS.items():
        data = load(tables.data_file(name))
        assert data.parts, name


def test_the_modules_hold_what_the_files_say() -> None:
    assert len(actors.COUNTRIES) >= 60
    assert len(actors.NAMED) >= 30
    assert len(actors.TITLES) >= 15
    assert len(gazetteer.OUTLETS) >= 100
    assert {term.topic for term in topics.POSITIVE_TERMS} >= set(topics.TOPICS)
    assert set(topics.TOPIC_FLOORS) == set(topics.TOPICS)
    assert stories.GENERIC_TERMS


# --------------------------------------------------------------------------
# Small files, one mistake each
# --------------------------------------------------------------------------

ACTORS = """\
[[country]]
name = "مصر"
nisbas = ["المصري"]
names = ["القاهرة"]

[[actor]]
name = "حماس"
kind = "armed_group"
variants = ["حماس", "حركة حماس"]

[[actor]]
name = "كتائب القسام"
kind = "armed_group"
variants = [
    "كتائب القسام",
    "القسام",
]
parent = "حماس"

[[title]]
name = "وزير الدفاع"
definite = ["وزير الدفاع"]

[heads]
state = ["الحكومة"]
place = []
army = ["الجيش"]
acts = []
act_modifiers = []

[heads.army_defaults]
"جيش الاحتلال" = "مصر"

[organisation_nisbas]

[guards]
blocked = ["مصر للطيران"]
not_state_after = ["منتخب"]
weapon_nouns = []
adjectival_heads = []

[guards.blocked_unless_next]
"""

TOPICS = """\
[floors]
air = 0.5
naval = 0.5
land = 0.5
missiles_air_defence = 0.5
drones = 0.5
nuclear = 0.5
arms_industry = 0.5
alliances_exercises = 0.5
armed_conflict = 0.5
terrorism_security = 0.5

[[positive]]
topic = "air"
weight = 3.0
terms = ["مقاتلة", "سلاح الجو"]

[[positive]]
weight = 1.0
terms = ["الجيش"]

[[negative]]
domain = "sport"
weight = 1.5
terms = ["مباراة"]

[neutral]
phrases = ["خط الدفاع"]
"""

OUTLETS = """\
[[outlet]]
key = "reuters"
name_ar = "رويترز"
name_en = "Reuters"
kind = "agency"
country = "GB"
aliases = ["وكالة رويترز"]

[[outlet]]
key = "aljazeera"
name_ar = "الجزيرة"
name_en = "Al Jazeera"
kind = "broadcaster"
country = "QA"
guarded = ["الجزيرة"]

[context_words]
outlet_nouns = ["وكالة", "قناة"]
descriptors = ["رسمي"]
"""

STORIES = """\
[generic]
words = ["الجيش", "قصف"]
"""

SMALL = {"actors.toml": ACTORS, "topics.toml": TOPICS, "outlets.toml": OUTLETS, "stories.toml": STORIES}


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _write(tmp_path: Path, name: str, text: str) -> tuple[Path, int]:
    """The file, and the line marked "# <- here"."""
    marked = [number for number, line in enumerate(text.splitlines(), 1) if line.endswith("# <- here")]
    assert len(marked) == 1, "mark exactly one line"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, marked[0]


def _error(name: str, path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        LOADERS[name](path)
    return caught.value


@pytest.mark.parametrize("name", list(SMALL))
def test_the_small_files_are_valid(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SMALL[name], encoding="utf-8")
    LOADERS[name](path)


MISTAKES = [
    # -- TOML syntax: tomllib's own line
    (
        "syntax: no = after a key",
        "actors.toml",
        'kind = "armed_group"\nvariants = ["حماس", "حركة حماس"]',
        'kind "armed_group"  # <- here\nvariants = ["حماس", "حركة حماس"]',
        "not valid TOML",
    ),
    (
        "syntax: unclosed string",
        "topics.toml",
        'terms = ["مباراة"]',
        'terms = ["مباراة]  # <- here',
        "not valid TOML",
    ),
    (
        "syntax: a key set twice",
        "outlets.toml",
        'country = "QA"',
        'country = "QA"\ncountry = "SA"  # <- here',
        "not valid TOML",
    ),
    # -- a required key missing: the entry's header
    (
        "missing key: an actor without variants",
        "actors.toml",
        '[[actor]]\nname = "حماس"\nkind = "armed_group"\nvariants = ["حماس", "حركة حماس"]',
        '[[actor]]  # <- here\nname = "حماس"\nkind = "armed_group"',
        "the required key 'variants' is missing",
    ),
    (
        "missing key: an outlet without kind",
        "outlets.toml",
        '[[outlet]]\nkey = "aljazeera"\nname_ar = "الجزيرة"\nname_en = "Al Jazeera"\nkind = "broadcaster"\n',
        '[[outlet]]  # <- here\nkey = "aljazeera"\nname_ar = "الجزيرة"\nname_en = "Al Jazeera"\n',
        "the required key 'kind' is missing",
    ),
    (
        "missing key: a topic without a floor",
        "topics.toml",
        "[floors]\nair = 0.5\n",
        "[floors]  # <- here\n",
        "the required key 'air' is missing",
    ),
    # -- a value outside its enumeration
    (
        "wrong kind: an actor's kind",
        "actors.toml",
        'kind = "armed_group"\nvariants = ["حماس", "حركة حماس"]',
        'kind = "armed grup"  # <- here\nvariants = ["حماس", "حركة حماس"]',
        "kind 'armed grup' is not one of alliance, armed_force, armed_group, official",
    ),
    (
        "wrong kind: a state is a [[country]], not an [[actor]] of kind country",
        "actors.toml",
        'kind = "armed_group"\nvariants = ["حماس", "حركة حماس"]',
        'kind = "country"  # <- here\nvariants = ["حماس", "حركة حماس"]',
        "is not one of",
    ),
    (
        "wrong kind: an outlet's kind",
        "outlets.toml",
        'kind = "broadcaster"',
        'kind = "tv"  # <- here',
        "kind 'tv' is not one of agency, broadcaster, newspaper, site",
    ),
    (
        "wrong kind: a topic that does not exist",
        "topics.toml",
        'topic = "air"',
        'topic = "air_force"  # <- here',
        "topic 'air_force' is not one of",
    ),
    (
        "wrong kind: a negative domain that does not exist",
        "topics.toml",
        'domain = "sport"',
        'domain = "sports"  # <- here',
        "domain 'sports' is not one of",
    ),
    # -- a name or a word declared twice
    (
        "duplicate: two actors with one canonical name",
        "actors.toml",
        'name = "كتائب القسام"',
        'name = "حماس"  # <- here',
        "'حماس' is declared twice as actor name (first at line 7)",
    ),
    (
        "duplicate: a country and an actor with one name",
        "actors.toml",
        'name = "كتائب القسام"',
        'name = "مصر"  # <- here',
        "'مصر' is declared twice as actor name (first at line 2)",
    ),
    (
        "duplicate: one spelling for two actors",
        "actors.toml",
        '    "القسام",\n',
        '    "القسام",\n    "حركة حماس",  # <- here\n',
        "'حركة حماس' is declared twice as actor spelling",
    ),
    (
        "duplicate: a word listed twice in one list",
        "actors.toml",
        '    "القسام",\n',
        '    "القسام",\n    "كتائب القسام",  # <- here\n',
        "'كتائب القسام' is listed twice",
    ),
    (
        "duplicate: two outlets with one key",
        "outlets.toml",
        'key = "aljazeera"',
        'key = "reuters"  # <- here',
        "'reuters' is declared twice as outlet key",
    ),
    (
        "duplicate: a term in two groups",
        "topics.toml",
        'terms = ["الجيش"]',
        'terms = ["الجيش", "مقاتلة"]  # <- here',
        "'مقاتلة' is declared twice as positive term",
    ),
    # -- other mistakes the shape catches
    (
        "unknown key: a misspelt key",
        "actors.toml",
        'parent = "حماس"',
        'parnet = "حماس"  # <- here',
        "unknown key 'parnet'",
    ),
    (
        "wrong type: a weight in quotes",
        "topics.toml",
        "weight = 3.0",
        'weight = "3"  # <- here',
        "weight must be a number",
    ),
    (
        "out of range: a weight above 4",
        "topics.toml",
        "weight = 3.0",
        "weight = 30  # <- here",
        "weight is 30",
    ),
    (
        "empty string in a list",
        "stories.toml",
        'words = ["الجيش", "قصف"]',
        'words = ["الجيش", ""]  # <- here',
        "is empty",
    ),
    (
        "spaces around a word",
        "outlets.toml",
        'descriptors = ["رسمي"]',
        'descriptors = ["رسمي "]  # <- here',
        "has spaces around it",
    ),
    (
        "a pattern: an outlet key in capitals",
        "outlets.toml",
        'key = "reuters"',
        'key = "Reuters"  # <- here',
        "does not match",
    ),
    (
        "letters: clitics outside و ف ب ك ل",
        "actors.toml",
        'parent = "حماس"',
        'parent = "حماس"\nclitics = "وفx"  # <- here',
        "may only contain the letters",
    ),
    (
        "[name] written for [[name]]",
        "outlets.toml",
        "[context_words]",
        "[context_words]\n[outlet]  # <- here\nkey = 1",
        "not valid TOML",  # [[outlet]] and [outlet] clash: tomllib says so
    ),
    # -- references the module checks after the shape
    (
        "reference: a parent that names no actor",
        "actors.toml",
        'parent = "حماس"',
        'parent = "حمااس"  # <- here',
        "parent 'حمااس' is not a declared actor",
    ),
    (
        "reference: an army default that names no country",
        "actors.toml",
        '"جيش الاحتلال" = "مصر"',
        '"جيش الاحتلال" = "إسرائيل"  # <- here',
        "'إسرائيل' is not a [[country]]",
    ),
    (
        "reference: an exception for a phrase that is not blocked",
        "actors.toml",
        "[guards.blocked_unless_next]\n",
        '[guards.blocked_unless_next]\n"روسيا اليوم" = ["السبت"]  # <- here\n',
        "'روسيا اليوم' is not in guards.blocked",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [case[1:] for case in MISTAKES],
    ids=[case[0] for case in MISTAKES],
)
def test_a_mistake_names_the_file_and_its_line(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    path, line = _write(tmp_path, name, _edit(SMALL[name], old, new))
    error = _error(name, path)
    assert error.path == path
    assert error.line == line, str(error)
    assert f"{name}:{line}: " in str(error)
    assert message in str(error)


def test_one_table_written_for_entries(tmp_path: Path) -> None:
    text = OUTLETS[OUTLETS.index("[context_words]") :]
    text = '[outlet]  # <- here\nkey = "reuters"\nname_ar = "رويترز"\nname_en = "Reuters"\n\n' + text
    path, line = _write(tmp_path, "outlets.toml", text)
    error = _error("outlets.toml", path)
    assert error.line == line
    assert "write [[outlet]] (two brackets: one table per entry), not [outlet]" in str(error)


def test_a_missing_table_names_the_file(tmp_path: Path) -> None:
    """Nothing to point at: the error names the file and the table, without a line."""
    path = tmp_path / "stories.toml"
    path.write_text("# nothing here\n", encoding="utf-8")
    error = _error("stories.toml", path)
    assert error.line is None
    assert str(error).endswith("stories.toml: the file has no [generic] table")


def test_an_unreadable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "stories.toml"
    path.write_bytes(b'[generic]\nwords = ["\xff"]\n')
    assert "stories.toml: cannot be read" in str(_error("stories.toml", path))


# --------------------------------------------------------------------------
# The same mistakes in the shipped files (comments, long lists, many entries)
# --------------------------------------------------------------------------


def _shipped_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of a shipped file with ``old`` (met once) replaced, and the line it starts on."""
    text = tables.data_file(name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line


@pytest.mark.parametrize(
    ("name", "old", "new", "offset", "message"),
    [
        (
            "actors.toml",
            'name = "حماس"\nkind = "armed_group"',
            'name = "حماس"\nkind = "armed grup"',
            1,
            "kind 'armed grup' is not one of",
        ),
        (
            "actors.toml",
            'name = "طالبان"\nkind = "armed_group"\nvariants = ["طالبان", "حركة طالبان"]',
            'name = "طالبان"\nkind = "armed_group"\nvariants = ["طالبان", "حركة حماس"]',
            2,
            "'حركة حماس' is declared twice as actor spelling",
        ),
        (
            "actors.toml",
            'name = "فيلق القدس"\nkind = "armed_force"\nvariants = ["فيلق القدس"]\nparent = "الحرس الثوري"',
            'name = "فيلق القدس"\nkind = "armed_force"\nvariants = ["فيلق القدس"]\nparent = "الحرس الثورى"',
            3,
            "is not a declared actor",
        ),
        (
            "topics.toml",
            '    "الطب النووي",\n',
            '    "الطب النووي",\n    "خط الدفاع",\n',
            1,
            "'خط الدفاع' is listed twice",
        ),
        ("topics.toml", "nuclear = 0.5\n", "", -1, "the required key 'nuclear' is missing"),
        ("outlets.toml", 'key = "bbc"', 'key = "cnn"', 0, "'cnn' is declared twice as outlet key"),
        (
            "outlets.toml",
            'name_en = "TASS"\nkind = "agency"',
            'name_en = "TASS"\nkind = "agencyy"',
            1,
            "agencyy",
        ),
        ("stories.toml", '    "الجيش",\n', '    "الجيش",\n    "الجيش\n', 1, "not valid TOML"),
    ],
)
def test_a_mistake_in_a_shipped_file_names_its_line(
    tmp_path: Path, name: str, old: str, new: str, offset: int, message: str
) -> None:
    path, line = _shipped_with(tmp_path, name, old, new)
    if offset < 0:  # the mistake is an absence: the error points at the table's header
        text = path.read_text(encoding="utf-8").splitlines()
        line = text.index("[floors]") + 1
    else:
        line += offset
    error = _error(name, path)
    assert (error.line, message in str(error)) == (line, True), str(error)
    assert f"{name}:{line}: " in str(error)
