"""Actors an article mentions: countries, alliances, armed forces, armed groups, officials' titles.

A gazetteer declared once, in crawler/lens/data/actors.toml, matched on the
matching form (crawler.text.arabic) word by word. Story clustering compares
these names across outlets, so every spelling, metonym and inflection of an
actor must give one canonical name, and common words that look like names
(بحماس "with enthusiasm", القاعدة "the base", مالي "financial") must give
nothing. The decisions behind each rule are in docs/lens.md ("Actors"); the
labelled snippets are tests/lens/actors_snippets.jsonl.

How a mention is read, at each word (longest reading wins, then the scan goes on
after it):

* a declared name, after optional proclitics (و ف ب ك ل, and ل before ال
  written لل): "وموسكو", "بالناتو", "للحوثيين";
* a blocked phrase (an outlet, a sea, a continent, a club): nothing;
* a state head noun and a nisba adjective: "الحكومة الروسية" is روسيا,
  "القوات الروسية" is the national armed force "الجيش الروسي", and so is a
  military act: "الغارات الروسية", "هجوم صاروخي روسي";
* an official's title and its owner: "وزير الدفاع الأمريكي", "وزير خارجية
  إيران", "الأمين العام لحلف الناتو" → "وزير الدفاع (الولايات المتحدة)".

A specific actor credits its parents with the same mention: "الجيش الروسي"
counts for روسيا too, "كتائب القسام" for حماس, an official for the state or
organisation in its name, so an analyst filtering on روسيا finds the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from crawler.items import Actor
from crawler.lens import tables
from crawler.text.arabic import matching_form

COUNTRY = "country"
ALLIANCE = "alliance"
ARMED_FORCE = "armed_force"
ARMED_GROUP = "armed_group"
OFFICIAL = "official"
KINDS: tuple[str, ...] = (COUNTRY, ALLIANCE, ARMED_FORCE, ARMED_GROUP, OFFICIAL)

# Proclitics a name may carry, in matching form. ل before a name that starts
# with ال is written لل (للناتو), handled separately in _readings. Grammar, not
# data: it stays here.
ALL_CLITICS = "وفبكل"


@dataclass(frozen=True, slots=True)
class Country:
    """A state, with the words that stand for it.

    ``nisbas`` are the masculine definite adjectives ("الروسي"): feminine,
    plural and indefinite forms are derived. ``names`` are other names and
    metonyms (capital, seat of government) that count as the state itself.
    """

    name: str
    nisbas: tuple[str, ...]
    names: tuple[str, ...] = ()
    army: tuple[str, ...] = ()  # extra names of the national armed force
    plurals: tuple[str, ...] = ()  # irregular plural adjectives: الروس، الأتراك
    # False when the adjective is a common word ("المالي" is "financial"): then
    # only the army heads, which cannot take that word, read it as the state.
    state_adjective: bool = True
    # When the bare name is a common word too ("مالي"): the words after which
    # it is still the state ("في مالي"), besides a title's "مالي:" opening.
    # Empty: the bare name is always the state.
    name_only_after: tuple[str, ...] = ()
    # Next words that make a name of the state something else, and whether a
    # number does: "بقطر 155 ملم" is a diameter, not Qatar.
    not_before: tuple[str, ...] = ()
    not_before_number: bool = False

    @property
    def army_name(self) -> str:
        return f"الجيش {self.nisbas[0]}"


@dataclass(frozen=True, slots=True)
class Named:
    """An actor that is only ever written by name (alliances, groups, named forces)."""

    name: str
    kind: str
    variants: tuple[str, ...]
    parent: str | None = None  # credited with every mention of this actor
    clitics: str = ALL_CLITICS  # proclitics this actor's names may carry
    not_before: tuple[str, ...] = ()  # next words that make the name something else
    not_after: tuple[str, ...] = ()  # previous words that make the name something else


@dataclass(frozen=True, slots=True)
class Title:
    """An official's title. ``definite`` forms take a nisba or ل + owner
    ("وزير الدفاع الأمريكي", "الأمين العام للناتو"); ``construct`` forms take
    the owner's name directly ("وزير خارجية إيران", "أمين عام الناتو")."""

    name: str
    definite: tuple[str, ...] = ()
    construct: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# The gazetteer: crawler/lens/data/actors.toml
# --------------------------------------------------------------------------

DATA_FILE = tables.data_file("actors.toml")

_WORDS = tables.Words()
SHAPE: tables.Shape = {
    "country": tables.Entries(
        {
            "name": tables.required(tables.Text(), unique_in="actor name"),
            "nisbas": tables.required(tables.Words(min_items=1)),
            "names": tables.optional(_WORDS, unique_in="actor spelling"),
            "army": tables.optional(_WORDS, unique_in="actor spelling"),
            "plurals": tables.optional(_WORDS),
            "state_adjective": tables.optional(tables.Flag(), True),
            "name_only_after": tables.optional(_WORDS),
            "not_before": tables.optional(_WORDS),
            "not_before_number": tables.optional(tables.Flag(), False),
        }
    ),
    "actor": tables.Entries(
        {
            "name": tables.required(tables.Text(), unique_in="actor name"),
            # A state's kind is "country": states are [[country]] entries.
            "kind": tables.required(tables.Text(choices=(ALLIANCE, ARMED_FORCE, ARMED_GROUP, OFFICIAL))),
            "variants": tables.required(tables.Words(min_items=1), unique_in="actor spelling"),
            "parent": tables.optional(tables.Text()),
            "clitics": tables.optional(tables.Text(letters=ALL_CLITICS, allow_empty=True), ALL_CLITICS),
            "not_before": tables.optional(_WORDS),
            "not_after": tables.optional(_WORDS),
        }
    ),
    "title": tables.Entries(
        {
            "name": tables.required(tables.Text(), unique_in="title"),
            "definite": tables.optional(_WORDS, unique_in="title form"),
            "construct": tables.optional(_WORDS, unique_in="title form"),
        }
    ),
    "heads": tables.Section(
        {
            "state": tables.required(_WORDS),
            "place": tables.required(_WORDS),
            "army": tables.required(_WORDS),
            "acts": tables.required(_WORDS),
            "act_modifiers": tables.required(_WORDS),
            "army_defaults": tables.required(tables.Table(tables.Text())),
        }
    ),
    "organisation_nisbas": tables.Table(tables.Words(min_items=1)),
    "guards": tables.Section(
        {
            "blocked": tables.required(_WORDS),
            "not_state_after": tables.required(_WORDS),
            "weapon_nouns": tables.required(_WORDS),
            "adjectival_heads": tables.required(_WORDS),
            "blocked_unless_next": tables.required(tables.Table(tables.Words(min_items=1))),
        }
    ),
}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read an actors file and check its shape, then that every name it points to is declared."""
    data = tables.load(path, SHAPE)
    countries = {entry["name"] for entry in data["country"]}
    armies = {Country(**entry).army_name: entry["name"] for entry in data["country"]}
    named = {entry["name"] for entry in data["actor"]}
    for index, entry in enumerate(data["actor"]):
        label = f"[[actor]] {entry['name']!r}"
        if entry["name"] in armies:
            raise data.error(
                f"{label}: the name of the armed force of [[country]] {armies[entry['name']]!r}",
                "actor",
                index,
            )
        parent = entry["parent"]
        if parent is not None and parent not in countries | armies.keys() | named:
            raise data.error(
                f"{label}: parent {parent!r} is not a declared actor "
                '(a [[country]], a national army "الجيش …" or an [[actor]])',
                "actor",
                index,
                "parent",
            )
    for head, state in data["heads"]["army_defaults"].items():
        if state not in countries:
            raise data.error(
                f"[heads.army_defaults] {head!r}: {state!r} is not a [[country]]",
                "heads.army_defaults",
                key=head,
            )
    for organisation in data["organisation_nisbas"]:
        if organisation not in named | countries:
            raise data.error(
                f"[organisation_nisbas]: {organisation!r} is not a declared actor",
                "organisation_nisbas",
                key=organisation,
            )
    for phrase in data["guards"]["blocked_unless_next"]:
        if phrase not in data["guards"]["blocked"]:
            raise data.error(
                f"[guards.blocked_unless_next]: {phrase!r} is not in guards.blocked",
                "guards.blocked_unless_next",
                key=phrase,
            )
    return data


_DATA = load_data()

COUNTRIES: tuple[Country, ...] = tuple(Country(**entry) for entry in _DATA["country"])
NAMED: tuple[Named, ...] = tuple(Named(**entry) for entry in _DATA["actor"])
TITLES: tuple[Title, ...] = tuple(Title(**entry) for entry in _DATA["title"])
# Nouns after which a nisba adjective stands for the state itself ("الحكومة
# الروسية"), for a place in the state ("مدينة ساراتوف الروسية"), for the
# state's armed force ("القوات الروسية"), and military acts read like army
# heads ("الغارات الإسرائيلية") with one optional modifier ("هجوم صاروخي روسي").
STATE_HEADS: tuple[str, ...] = _DATA["heads"]["state"]
PLACE_HEADS: tuple[str, ...] = _DATA["heads"]["place"]
ARMY_HEADS: tuple[str, ...] = _DATA["heads"]["army"]
MILITARY_ACTS: tuple[str, ...] = _DATA["heads"]["acts"]
# Each modifier in its masculine and feminine, indefinite and definite forms.
ACT_MODIFIERS: tuple[str, ...] = tuple(
    form
    for word in _DATA["heads"]["act_modifiers"]
    for form in (word, word + "ة", "ال" + word, "ال" + word + "ة")
)
# Army heads that, without a nisba, mean one army: head -> its state.
ARMY_HEAD_DEFAULTS: dict[str, str] = _DATA["heads"]["army_defaults"]
# Adjectives of organisations, read like a state's: "البعثة الأممية".
ORGANISATION_NISBAS: dict[str, tuple[str, ...]] = _DATA["organisation_nisbas"]
# The precision guards: phrases read as nothing, words before a country name that
# make it a team or a brand, nouns that make an army head a weapon system, army
# heads that are adjectives too ("البحرية" is "maritime"), and the next words that
# make a blocked phrase plain words again ("روسيا اليوم السبت").
BLOCKED: tuple[str, ...] = _DATA["guards"]["blocked"]
NOT_STATE_AFTER: tuple[str, ...] = _DATA["guards"]["not_state_after"]
WEAPON_NOUNS: tuple[str, ...] = _DATA["guards"]["weapon_nouns"]
ADJECTIVAL_HEADS: tuple[str, ...] = _DATA["guards"]["adjectival_heads"]
_BLOCK_UNLESS_NEXT: dict[str, tuple[str, ...]] = _DATA["guards"]["blocked_unless_next"]


# --------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------

Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Name:
    """A spelling of an actor."""

    actor: str
    clitics: str
    not_before: frozenset[str]
    not_after: frozenset[str]
    only_after: frozenset[str] = frozenset()  # when set, read only after one of these
    not_before_number: bool = False  # not read before a number ("بقطر 155 ملم")


@dataclass(frozen=True, slots=True)
class _Block:
    """A phrase read as nothing, unless one of ``unless_next`` follows it."""

    unless_next: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Head:
    """A head noun waiting for a nisba: ``army`` says which actor the pair gives."""

    army: bool
    definite: bool  # "الجيش" takes "الروسي", "قوات" takes "روسية"
    default: str | None = None  # the army's state when no nisba follows
    act: bool = False  # a military act: one of ACT_MODIFIERS may come between
    place: bool = False  # a place: an indefinite head takes its name before the nisba
    adjectival: bool = False  # not read after a definite noun (ADJECTIVAL_HEADS)


@dataclass(frozen=True, slots=True)
class _TitleForm:
    """One written form of a title; ``construct`` forms take the owner's bare name."""

    title: str
    construct: bool


_Payload = _Name | _Block | _Head | _TitleForm


@dataclass(frozen=True, slots=True)
class _Nisba:
    country: str
    definite: bool


@dataclass(slots=True)
class _Index:
    """Phrases by first word, longest first, with everything the matcher needs."""

    phrases: dict[str, list[tuple[Words, _Payload]]] = field(default_factory=dict)
    nisbas: dict[str, list[tuple[Words, _Nisba]]] = field(default_factory=dict)
    # the same phrases by (first word, second word or "" for one-word phrases)
    by_words: dict[tuple[str, str], list[tuple[Words, _Payload]]] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)  # actor -> kind
    parent: dict[str, str] = field(default_factory=dict)  # actor -> actor credited with it
    army_state: dict[str, str] = field(default_factory=dict)  # national army -> its state
    state_army: dict[str, str] = field(default_factory=dict)  # state -> its national army
    adjective_states: set[str] = field(default_factory=set)

    def add(self, phrase: str, payload: _Payload) -> None:
        words = _key(phrase)
        if words:
            self.phrases.setdefault(words[0], []).append((words, payload))

    def add_nisba(self, phrase: str, nisba: _Nisba) -> None:
        words = _key(phrase)
        if words:
            self.nisbas.setdefault(words[0], []).append((words, nisba))


_TOKEN_RE = re.compile(r"[^\W_]+")
# عمّان with a shadda is Amman, the capital of Jordan; the matching form would
# drop the shadda and leave عمان (Oman), so it is rewritten before.
_AMMAN_RE = re.compile("ع\u064e?م(?=[\u064b-\u0652]*\u0651)[\u064b-\u0652]+ان(?![\u0621-\u064a])")


def _key(phrase: str) -> Words:
    """A declared phrase as the words the matcher compares."""
    return tuple(_TOKEN_RE.findall(matching_form(phrase)))


def _definite(phrase: str) -> bool:
    """Whether a head noun phrase is definite (its last word carries ال)."""
    return matching_form(phrase).split()[-1].startswith("ال")


def _nisba_forms(masculine: str) -> dict[str, tuple[str, ...]]:
    """Feminine, plural and indefinite forms of a masculine definite nisba
    ("الكوري الشمالي" → "الكورية الشمالية", "الكوريين الشماليين", "كوري شمالي" …)."""
    words = masculine.split()

    def inflect(suffix: str) -> str:
        return " ".join(w + suffix if w.endswith("ي") else w for w in words)

    definite = (masculine, inflect("ة"), inflect("ين"), inflect("ون"))
    indefinite = tuple(" ".join(w.removeprefix("ال") for w in form.split()) for form in definite)
    return {"definite": definite, "indefinite": indefinite}


def _name(
    actor: str,
    clitics: str = ALL_CLITICS,
    not_before: Iterable[str] = (),
    not_after: Iterable[str] = (),
    only_after: Iterable[str] = (),
    not_before_number: bool = False,
) -> _Name:
    return _Name(
        actor,
        clitics,
        frozenset(w for phrase in not_before for w in _key(phrase)),
        frozenset(w for phrase in not_after for w in _key(phrase)),
        frozenset(w for phrase in only_after for w in _key(phrase)),
        not_before_number,
    )


@cache
def _index() -> _Index:
    """Compile the gazetteer once (a dict lookup per word at match time)."""
    index = _Index()
    for country in COUNTRIES:
        index.kind[country.name] = COUNTRY
        army = country.army_name
        index.kind[army] = ARMED_FORCE
        index.parent[army] = country.name
        index.army_state[army] = country.name
        index.state_army[country.name] = army
        if country.state_adjective:
            index.adjective_states.add(country.name)
        # "بقطر 155 ملم": the next word can make any name of the state something else
        before, number = country.not_before, country.not_before_number
        state = _name(country.name, not_after=NOT_STATE_AFTER, not_before=before, not_before_number=number)
        for spelling in country.names:
            index.add(spelling, state)
        if country.name_only_after:
            only = country.name_only_after
            index.add(
                country.name,
                _name(country.name, "", not_before=before, only_after=only, not_before_number=number),
            )
        else:
            index.add(country.name, state)
        for spelling in (army, *country.army):
            index.add(spelling, _name(army))
        for masculine in country.nisbas:
            for definiteness, forms in _nisba_forms(masculine).items():
                for form in forms:
                    index.add_nisba(form, _Nisba(country.name, definiteness == "definite"))
        for plural in country.plurals:
            index.add_nisba(plural, _Nisba(country.name, True))
    for named in NAMED:
        index.kind[named.name] = named.kind
        if named.parent:
            index.parent[named.name] = named.parent
        spelling_payload = _name(named.name, named.clitics, named.not_before, named.not_after)
        for spelling in named.variants:
            index.add(spelling, spelling_payload)
    for head in STATE_HEADS:
        index.add(head, _Head(army=False, definite=_definite(head)))
    for head in PLACE_HEADS:
        index.add(head, _Head(army=False, definite=_definite(head), place=True))
    for organisation, nisbas in ORGANISATION_NISBAS.items():
        index.adjective_states.add(organisation)
        for masculine in nisbas:
            for definiteness, forms in _nisba_forms(masculine).items():
                for form in forms:
                    index.add_nisba(form, _Nisba(organisation, definiteness == "definite"))
    adjectival = {_key(head) for head in ADJECTIVAL_HEADS}
    for head in ARMY_HEADS:
        index.add(head, _Head(army=True, definite=_definite(head), adjectival=_key(head) in adjectival))
    for head in MILITARY_ACTS:
        index.add(head, _Head(army=True, definite=_definite(head), act=True))
    for head, default_state in ARMY_HEAD_DEFAULTS.items():
        index.add(head, _Head(army=True, definite=True, default=default_state))
    for title in TITLES:
        for form in title.definite:
            index.add(form, _TitleForm(title.name, construct=False))
        for form in title.construct:
            index.add(form, _TitleForm(title.name, construct=True))
    for phrase in BLOCKED:
        unless = _BLOCK_UNLESS_NEXT.get(phrase, ())
        index.add(phrase, _Block(frozenset(w for u in unless for w in _key(u))))
    for table in (index.phrases, index.nisbas):
        for entries in table.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    for first, entries in index.phrases.items():
        for words, payload in entries:
            second = words[1] if len(words) > 1 else ""
            index.by_words.setdefault((first, second), []).append((words, payload))
    return index


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


_BREAK = "|"  # stands for punctuation between words: no phrase spans it
_PUNCTUATION_RE = re.compile(r"[^\w\s]+|_+")


@dataclass(frozen=True, slots=True)
class _Text:
    """Words of one text in matching form, with each run of punctuation kept as
    one :data:`_BREAK` word so that no phrase, head or title spans a comma or
    a full stop."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Text:
        if "\u0651" in text:  # only a shadda can make عمان Amman
            text = _AMMAN_RE.sub("عمان الأردنية", text)
        return cls(tuple(_PUNCTUATION_RE.sub(f" {_BREAK} ", matching_form(text)).split()))

    def word(self, position: int) -> str:
        """The word at ``position`` ("" outside the text)."""
        return self.words[position] if 0 <= position < len(self.words) else ""

    def follows(self, start: int, phrase: Words) -> bool:
        """Whether ``phrase[1:]`` continues from word ``start``."""
        return self.words[start + 1 : start + len(phrase)] == phrase[1:]


@dataclass(frozen=True, slots=True)
class _Mention:
    end: int  # index after the last word
    actors: tuple[str, ...]  # the actor read first, then those it credits
    clitic: str
    source: str  # "name", "state_head", "army", "title" or "blocked"


@lru_cache(maxsize=1 << 16)
def _readings(word: str) -> tuple[tuple[str, str], ...]:
    """(core, proclitics) splits of a word, the unsplit word first (cached:
    words repeat, and the previous word is read again for context checks)."""
    found = [(word, "")]
    for size in (1, 2):
        clitic, core = word[:size], word[size:]
        if len(core) < 2 or any(c not in ALL_CLITICS for c in clitic):
            continue
        if size == 2 and clitic[0] not in "وف":
            continue  # only و/ف come before another proclitic
        found.append((core, clitic))
        if clitic.endswith("ل") and core.startswith("ل"):
            found.append(("ا" + core, clitic))  # للناتو = ل + الناتو
    return tuple(found)


def _credits(index: _Index, actor: str) -> tuple[str, ...]:
    """``actor`` and the chain of parents its mention also counts for."""
    chain = [actor]
    while (parent := index.parent.get(chain[-1])) and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def _nisba_at(
    index: _Index, text: _Text, start: int, definite: bool, *, coordinated: bool = False
) -> tuple[int, str] | None:
    """A nisba adjective at word ``start``: (end, country). ``coordinated``
    also reads one joined by و: the second of "القوات الأمريكية والبريطانية"
    (or of "غارات أمريكية بريطانية", without و)."""
    first = text.word(start)
    for word in (first, first[1:]) if coordinated and first.startswith("و") else (first,):
        for phrase, nisba in index.nisbas.get(word, ()):
            if nisba.definite == definite and text.follows(start, phrase):
                return start + len(phrase), nisba.country
    return None


def _nisbas_at(index: _Index, text: _Text, start: int, definite: bool) -> tuple[int, list[str]] | None:
    """A nisba and those coordinated with it: (end, countries)."""
    found = _nisba_at(index, text, start, definite)
    if found is None:
        return None
    end, country = found
    countries = [country]
    while (more := _nisba_at(index, text, end, definite, coordinated=True)) is not None:
        end, country = more
        countries.append(country)
    return end, countries


def _mention_at(index: _Index, text: _Text, start: int, *, titles: bool = True) -> _Mention | None:
    """The longest reading starting at word ``start``, or None."""
    best: _Mention | None = None
    following = text.word(start + 1)
    for core, clitic in _candidates(text.words[start]):
        for key in ((core, following), (core, "")):
            for phrase, payload in index.by_words.get(key, ()):
                if len(phrase) > 2 and not text.follows(start, phrase):
                    continue
                found = _resolve(index, text, start, start + len(phrase), clitic, payload, titles)
                if found is not None and (best is None or found.end > best.end):
                    best = found
    return best


@lru_cache(maxsize=1 << 16)
def _candidates(word: str) -> tuple[tuple[str, str], ...]:
    """The (core, proclitics) readings of ``word`` that start a phrase: most
    words have none, and the answer is cached because words repeat."""
    phrases = _index().phrases
    return tuple((core, clitic) for core, clitic in _readings(word) if core in phrases)


def _resolve(
    index: _Index, text: _Text, start: int, end: int, clitic: str, payload: _Payload, titles: bool
) -> _Mention | None:
    """What one phrase reading gives, after its context checks."""
    next_word, previous = text.word(end), text.word(start - 1)
    if isinstance(payload, _Block):
        after = text.word(end + 1) if next_word == _BREAK else next_word  # "روسيا اليوم، السبت"
        return None if after in payload.unless_next else _Mention(end, (), clitic, "blocked")
    if isinstance(payload, _Name):
        if any(c not in payload.clitics for c in clitic):
            return None
        if next_word in payload.not_before:
            return None
        if not clitic and any(core in payload.not_after for core, _ in _readings(previous)):
            return None
        if payload.not_before_number and next_word.isdigit():
            return None
        if payload.only_after and not (
            previous in payload.only_after or (previous in ("", _BREAK) and next_word == _BREAK)
        ):
            return None
        return _Mention(end, _credits(index, payload.actor), clitic, "name")
    if isinstance(payload, _Head):
        return _head_mention(index, text, start, end, clitic, payload)
    if titles:
        return _title_mention(index, text, end, clitic, payload)
    return None


@cache
def _words_of(phrases: tuple[str, ...]) -> frozenset[str]:
    """The matching forms of a word list, for membership tests."""
    return frozenset(w for phrase in phrases for w in _key(phrase))


def _head_mention(
    index: _Index, text: _Text, start: int, end: int, clitic: str, head: _Head
) -> _Mention | None:
    """A head noun and its nisba: "القوات الروسية" (definite), "قوات روسية" (indefinite)."""
    if head.army and not clitic:
        before = [core for core, _ in _readings(text.word(start - 1))]
        if any(core in _words_of(WEAPON_NOUNS) for core in before):
            return None
        if head.adjectival and any(core.startswith("ال") for core in before):
            return None
    found = _nisbas_at(index, text, end, head.definite)
    if found is None and head.act and text.word(end) in _words_of(ACT_MODIFIERS):
        found = _nisbas_at(index, text, end + 1, head.definite)
    if found is None and head.place and not head.definite:
        for gap in (1, 2):  # the place's name: "مدينة ساراتوف الروسية", not "قاعدة للجيش الصومالي"
            name = text.word(end + gap - 1)
            if name in ("", _BREAK) or _candidates(name):
                break
            if (found := _nisbas_at(index, text, end + gap, True)) is not None:
                break
    if found is not None:
        stop, countries = found
        if head.army:  # a state's army; an organisation's forces are the organisation
            armies = [index.state_army.get(country, country) for country in countries]
            return _Mention(stop, tuple(a for army in armies for a in _credits(index, army)), clitic, "army")
        states = tuple(country for country in countries if country in index.adjective_states)
        return _Mention(stop, states, clitic, "state_head") if states else None
    if head.default is not None:
        return _Mention(end, _credits(index, index.state_army[head.default]), clitic, "army")
    return None


def _title_mention(index: _Index, text: _Text, end: int, clitic: str, title: _TitleForm) -> _Mention | None:
    """A title and its owner: a nisba or ل + owner after a definite title, the
    bare owner after a construct one. The owner is a name or a national army
    (which stands for its state); a state head ("وزارة الخارجية الروسية") is
    not an owner: "the spokesman of the Russian foreign ministry" is not an office
    of Russia's own, and the state is still read."""
    if end >= len(text.words):
        return None
    if not title.construct:
        found = _nisba_at(index, text, end, True)
        if found is not None:
            stop, country = found
            return _Mention(stop, (f"{title.title} ({country})", country), clitic, "title")
    owner = _mention_at(index, text, end, titles=False)
    if owner is None or not owner.actors or owner.source not in ("name", "army"):
        return None
    if index.kind.get(owner.actors[0]) == OFFICIAL or owner.clitic != ("" if title.construct else "ل"):
        return None
    holder = index.army_state.get(owner.actors[0], owner.actors[0])
    return _Mention(owner.end, (f"{title.title} ({holder})", *owner.actors), clitic, "title")


def _mentions(text: str) -> Iterator[tuple[str, ...]]:
    """Actors of each mention in ``text``, in reading order."""
    index = _index()
    words = _Text.of(text)
    position = 0
    while position < len(words.words):
        if not _candidates(words.words[position]):
            position += 1
            continue
        found = _mention_at(index, words, position)
        if found is None:
            position += 1
            continue
        if found.actors:
            yield found.actors
        position = found.end


def _kind(index: _Index, name: str) -> str:
    """Every name a mention gives is declared, except officials ("title (owner)")."""
    return index.kind.get(name, OFFICIAL)


def find_actors(title: str, body: str) -> list[Actor]:
    """Actors mentioned in an article, most prominent first.

    Each mention counts once for the actor read and once for every actor it
    credits (its state, its parent group). Sorted by (in title, mentions)
    descending, then by name, so the order is stable for storage and export.
    """
    index = _index()
    found: dict[str, Actor] = {}
    for text, in_title in ((title or "", True), (body or "", False)):
        for actors in _mentions(text):
            for name in dict.fromkeys(actors):
                actor = found.get(name)
                if actor is None:
                    found[name] = Actor(name, _kind(index, name), 1, in_title)
                else:
                    actor.mentions += 1
                    actor.in_title = actor.in_title or in_title
    return sorted(found.values(), key=lambda a: (not a.in_title, -a.mentions, a.name))


def actor_kind(name: str) -> str | None:
    """The kind of a canonical actor name (None when the gazetteer does not hold it)."""
    index = _index()
    if name in index.kind:
        return index.kind[name]
    if name.endswith(")") and " (" in name:
        holder = name[name.rindex(" (") + 2 : -1]
        return OFFICIAL if holder in index.kind else None
    return None


def parent_of(name: str) -> str | None:
    """The actor a canonical name credits (its state, group or organisation), if any.

    Lets story clustering treat "الجيش الروسي" and "وزير الدفاع (روسيا)" as
    close to روسيا without re-reading the text.
    """
    index = _index()
    if name in index.parent:
        return index.parent[name]
    if name.endswith(")") and " (" in name:
        holder = name[name.rindex(" (") + 2 : -1]
        return holder if holder in index.kind else None
    return None


def canonical_names() -> dict[str, str]:
    """Every canonical actor name the gazetteer can give (officials excepted) and its kind."""
    return dict(_index().kind)
