"""The outlets a body credits: news agencies, broadcasters, papers and sites, each once.

An article says "وقالت وكالة الأنباء المركزية الكورية الشمالية", "أفادت (أ ف ب)",
"بحسب موقع أكسيوس" or "لـ"CNN""; the lens wants one name per outlet whatever
the spelling. Each :class:`Outlet` lists its Arabic and Latin forms,
abbreviations and the descriptive phrases Arabic copy uses for it.
:func:`resolve` maps a written name to its outlet and :data:`OUTLET_RE` finds
any form in running text.

Some forms are also ordinary words or places (الجزيرة "the island", العربية
"Arabic", الحياة "life", قنا the Egyptian city, روسيا اليوم "Russia today"):
they are declared ``guarded`` (they count only after an outlet noun, inside
quotes or brackets, or straight after a citing cue) or ``bound`` (only after an
outlet noun or inside quotes), so that "شبه الجزيرة الكورية" is not Al Jazeera.

The outlets are data, in crawler/lens/data/outlets.toml, loaded once at import:
adding an outlet is adding one ``[[outlet]]`` entry there (docs/lens.md,
"Editing the lens's data"); ``tests/test_cited.py`` checks that no form names
two outlets. Canonical names (``name_ar``) of the outlets the agency-credit
code knew before this module existed are kept as they were ("تاس", "رويترز",
"د ب أ"): stored attributions use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal, get_args

from crawler.lens import tables
from crawler.text.arabic import fuzzy_pattern, matching_form

OutletKind = Literal["agency", "broadcaster", "newspaper", "site"]


@dataclass(frozen=True, slots=True)
class Outlet:
    """One news outlet and every way Arabic copy writes its name."""

    key: str  # stable identifier (Latin, lower-case)
    name_ar: str  # canonical name: what attributions store
    name_en: str
    kind: OutletKind
    country: str  # ISO 3166-1 alpha-2 of the owner's seat
    aliases: tuple[str, ...] = ()
    guarded: tuple[str, ...] = ()  # forms that are also common words: need an outlet noun, quotes or a cue
    bound: tuple[str, ...] = ()  # forms that are very common words: need an outlet noun or quotes

    def forms(self) -> tuple[str, ...]:
        """Every written form: canonical names, aliases and context-bound forms."""
        return (self.name_ar, self.name_en, *self.aliases, *self.guarded, *self.bound)


DATA_FILE = tables.data_file("outlets.toml")

SHAPE: tables.Shape = {
    "outlet": tables.Entries(
        {
            "key": tables.required(tables.Text(pattern=r"[a-z0-9_]+"), unique_in="outlet key"),
            "name_ar": tables.required(tables.Text(), unique_in="outlet name"),
            "name_en": tables.required(tables.Text()),
            "kind": tables.required(tables.Text(choices=get_args(OutletKind))),
            "country": tables.required(tables.Text(pattern="[A-Z]{2}")),
            "aliases": tables.optional(tables.Words()),
            "guarded": tables.optional(tables.Words()),
            "bound": tables.optional(tables.Words()),
        }
    ),
    "context_words": tables.Section(
        {
            "outlet_nouns": tables.required(tables.Words(min_items=1)),
            "descriptors": tables.required(tables.Words(min_items=1)),
        }
    ),
}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read an outlets file and check it against :data:`SHAPE`."""
    return tables.load(path, SHAPE)


_DATA = load_data()

OUTLETS: tuple[Outlet, ...] = tuple(Outlet(**entry) for entry in _DATA["outlet"])
# Nouns that introduce an outlet's name ("وكالة رويترز", "صحيفة هآرتس"), and a
# correspondent's ("مراسل الجزيرة"): after one, a guarded or bound form is a name.
OUTLET_NOUNS: tuple[str, ...] = _DATA["context_words"]["outlet_nouns"]
# Words that describe an outlet rather than name it ("صحيفة هآرتس العبرية", "وكالة
# الأنباء الروسية الرسمية", "صحيفة إسرائيلية"), in the masculine singular: the
# feminine (ة) and the article are read off. A credited phrase that starts with
# one names no outlet ("قالت صحيفة أمريكية"); trailing ones are not part of a name.
DESCRIPTORS: tuple[str, ...] = _DATA["context_words"]["descriptors"]
# Matching forms of the proclitics a name may carry: "ورويترز", "لرويترز", "بحسب" is a cue.
# Grammar, not data an analyst extends: it stays here.
PROCLITICS: tuple[str, ...] = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
_QUOTE_CHARS = "\"'«»“”„‘’()[]"
_SPACES_RE = re.compile(r"[\s.\-]+")


@lru_cache(maxsize=16384)  # called on every word after a citing cue; words repeat
def form_key(text: str) -> str:
    """The comparison key of a written name: matching form, no quotes, dots or tatweel, one space."""
    key = matching_form(text).replace("\u0640", "")
    key = "".join(char for char in key if char not in _QUOTE_CHARS)
    return _SPACES_RE.sub(" ", key).strip()


def _context(outlet: Outlet, form: str) -> str:
    if form in outlet.bound:
        return "bound"
    if form in outlet.guarded:
        return "guarded"
    return "free"


@cache
def _index() -> dict[str, tuple[Outlet, str]]:
    """Every form's key → (outlet, context); a key seen twice keeps its first outlet."""
    index: dict[str, tuple[Outlet, str]] = {}
    for outlet in OUTLETS:
        for form in outlet.forms():
            index.setdefault(form_key(form), (outlet, _context(outlet, form)))
    return index


def lookup(form: str) -> tuple[Outlet, str] | None:
    """The outlet a form names exactly, with its context ("free", "guarded", "bound")."""
    return _index().get(form_key(form))


def _candidates(key: str) -> list[tuple[str, bool]]:
    """``key`` without a proclitic and with or without the article, each with whether the
    article was added ("أناضول" → "الأناضول"): an added article only finds distinctive forms,
    or "عربية" would be العربية."""
    stripped = [key]
    for clitic in PROCLITICS:
        if key.startswith(clitic) and len(key) > len(clitic) + 2:
            rest = key[len(clitic) :]
            stripped.append(rest)
            if clitic.endswith("ل") and rest.startswith("ل"):
                stripped.append("ا" + rest)  # ل + الأناضول is written للأناضول
    found = [(candidate, False) for candidate in stripped]
    found += [(c[2:], False) for c in stripped if c.startswith("ال") and len(c) > 4]
    found += [("ال" + c, True) for c in stripped if not c.startswith("ال")]
    return found


_NOUN_KEYS = sorted((form_key(noun) for noun in OUTLET_NOUNS), key=len, reverse=True)


def _without_noun(key: str) -> str:
    for noun in _NOUN_KEYS:
        for clitic in ("", *PROCLITICS):
            prefix = clitic + noun + " "
            if key.startswith(prefix):
                return key[len(prefix) :]
    return key


_DESCRIPTOR_KEYS = frozenset(form_key(word) for word in DESCRIPTORS)


def is_descriptor(word: str) -> bool:
    """Whether a word describes an outlet (الروسية, رسمية, العبري) instead of naming it."""
    key = form_key(word)
    for article in ("بال", "ال", "لل"):
        if key.startswith(article) and len(key) > len(article) + 2:
            key = key[len(article) :]
            break
    return key in _DESCRIPTOR_KEYS or (key.endswith("ه") and key[:-1] in _DESCRIPTOR_KEYS)


def strip_descriptors(words: list[str]) -> list[str]:
    """A name without the describing words after it: ["هآرتس", "العبرية"] → ["هآرتس"]."""
    end = len(words)
    while end > 1 and is_descriptor(words[end - 1]):
        end -= 1
    return words[:end]


def resolve(name: str) -> Outlet | None:
    """The outlet a credited name refers to, or None for a name the gazetteer does not know.

    Tolerates proclitics (ورويترز, لـ"CNN"), the article (أناضول), quotes, an
    outlet noun (وكالة تاس) and a leading description (وكالة الأنباء الروسية
    الرسمية تاس): the description is dropped word by word, and there only
    distinctive forms count, so "سكاي نيوز عربية" never resolves to العربية.
    """
    key = form_key(name)
    if not key:
        return None
    index = _index()
    bare = " ".join(strip_descriptors(_without_noun(key).split(" ")))
    for attempt in dict.fromkeys((key, _without_noun(key), bare)):
        for candidate, article_added in _candidates(attempt):
            entry = index.get(candidate)
            if entry and (entry[1] == "free" or not article_added):
                return entry[0]
    tail = _without_noun(key).split(" ")
    for start in range(1, len(tail)):
        entry = index.get(" ".join(tail[start:]))
        if entry and entry[1] == "free":
            return entry[0]
    return None


def by_name(name_ar: str) -> Outlet | None:
    """The outlet whose canonical Arabic name is ``name_ar``."""
    return next((outlet for outlet in OUTLETS if outlet.name_ar == name_ar), None)


def _form_pattern(form: str) -> str:
    """A regex for one form: Latin acronyms case-sensitive, other Latin names in any case,
    Arabic in every spelling; a leading article may be written ل after the proclitic ل."""
    if form.isascii():
        if form.upper() == form or len(form) <= 4:
            return re.escape(form)
        return "(?i:" + re.escape(form).replace(r"\ ", r"[\s\-]+") + ")"
    if form.startswith("ال"):
        pattern = "(?:[اأإآ]ل|(?<=ل)ل)" + fuzzy_pattern(form[2:], strict_spaces=True)
    else:
        pattern = fuzzy_pattern(form, strict_spaces=True)
    # channel numbers are written in ASCII, Arabic-Indic or Persian digits: "القناة ١٢"
    return re.sub(r"[0-9]", lambda digit: _DIGIT_CLASSES[digit.group()], pattern)


_DIGIT_CLASSES = {str(n): f"[{n}{chr(0x660 + n)}{chr(0x6F0 + n)}]" for n in range(10)}


def _first_letter(form: str) -> str:
    """A lookahead class for the forms that start like ``form``."""
    if form.isascii():
        return f"[{re.escape(form[0].lower())}{re.escape(form[0].upper())}]"
    if form.startswith("ال"):
        return "[اأإآل]"  # the article, or ل after the proclitic ل
    return fuzzy_pattern(form[0])


def _second_letter(form: str) -> str:
    """A lookahead for the forms that start like ``form`` to their second letter (past
    the article), or "" when that is not a letter (a space, a digit, a dot)."""
    if form.isascii():
        second = form[1:2]
        if not second.isalpha():
            return ""
        return f"[{re.escape(form[0].lower())}{re.escape(form[0].upper())}][{second.lower()}{second.upper()}]"
    if form.startswith("ال"):
        second = form[2:3]
        return "(?:[اأإآ]ل|(?<=ل)ل)" + fuzzy_pattern(second) if second.isalpha() else ""
    second = form[1:2]
    return fuzzy_pattern(form[:2]) if second.isalpha() else ""


def _forms_alternation() -> str:
    """All forms, longest first within each group of forms sharing their first letters.

    Grouping behind a one-letter lookahead, then a two-letter one, spares the regex
    engine from trying five hundred alternatives at every word (a third of them start
    with و or the article); longest first within a group makes "القناة 12 الإسرائيلية"
    win over "القناة 12".
    """
    groups: dict[str, dict[str, list[str]]] = {}
    # ties in length in alphabetical order: the same pattern whatever PYTHONHASHSEED orders the set by
    every_form = {form for outlet in OUTLETS for form in outlet.forms()}
    forms = sorted(every_form, key=lambda form: (-len(form), form))
    for form in forms:
        groups.setdefault(_first_letter(form), {}).setdefault(_second_letter(form), []).append(form)

    def branch(look: str, forms: list[str]) -> str:
        alternatives = "|".join(_form_pattern(form) for form in forms)
        return f"(?={look})(?:{alternatives})" if look else alternatives

    return "|".join(
        f"(?={first})(?:" + "|".join(branch(look, forms) for look, forms in subgroups.items()) + ")"
        for first, subgroups in groups.items()
    )


# Any outlet form as a whole word, after an optional proclitic and tatweel ("ولـ"),
# inside optional quotes or brackets. Groups: "clitic", "open", "name", "close".
OUTLET_RE = re.compile(
    r"(?<![\w\u064b-\u065f\u0670])(?P<clitic>[وف]?[بل]ـ?\s?|[وف])?"
    r"(?P<open>[\"'«“(\[]\s?)?"
    r"(?P<name>" + _forms_alternation() + ")"
    r"(?![\w\u064b-\u065f\u0670])"
    r"(?P<close>\s?[\"'»”)\]])?"
)
