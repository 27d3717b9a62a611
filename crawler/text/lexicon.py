"""Word lists shared by the extractor and the pipelines, each in one place.

The lists themselves are data, in crawler/text/data/lexicon.toml, read once at
import and checked against :data:`SHAPE`; this module builds the regexes from
them. Phrases are written once in their usual spelling;
:func:`crawler.text.arabic.fuzzy_pattern` makes them match hamza/ya/ta-marbuta
variants, tashkeel, tatweel and missing or doubled spaces.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from crawler.lens import tables
from crawler.lens.gazetteer import OUTLETS, Outlet, form_key
from crawler.text.arabic import fuzzy_pattern

DATA_FILE = Path(__file__).resolve().parent / "data" / "lexicon.toml"

_LIST = tables.Words(min_items=1)
SHAPE: tables.Shape = {
    "read_also": tables.Section(
        {
            key: tables.required(_LIST)
            for key in ("labels", "nouns", "relations", "verbs", "also", "may", "interests")
        }
    ),
    "not_related": tables.Section({"labels": tables.required(_LIST)}),
    "sources": tables.Section(
        {
            key: tables.required(_LIST)
            for key in (
                "labels",
                "prepositions",
                "contributed_after",
                "contributed_before",
                "contributed_object",
            )
        }
    ),
    "credits": tables.Section(
        {
            "line_exceptions": tables.required(tables.Words()),
            "generic": tables.required(tables.Table(_LIST)),
        }
    ),
    "citing": tables.Section(
        {key: tables.required(_LIST) for key in ("verbs", "prepositions", "nouns", "qualifiers")}
    ),
    "boilerplate": tables.Entries(
        {
            "phrase": tables.required(tables.Text()),
            "within": tables.optional(tables.Number(0, 500, integer=True)),
            "then": tables.optional(_LIST),
        }
    ),
}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read a lexicon file and check its shape, then that each boilerplate "then" has its "within"."""
    data = tables.load(path, SHAPE)
    for index, entry in enumerate(data["boilerplate"]):
        if (entry["within"] is None) != (not entry["then"]):
            missing = "within" if entry["within"] is None else "then"
            raise data.error(
                f"[[boilerplate]] {entry['phrase']!r}: 'within' and 'then' go together "
                f"({missing!r} is missing)",
                "boilerplate",
                index,
            )
    return data


_DATA = load_data()

# Labels that open a read-also chain (a list of related article titles) or
# introduce a whole appended article on aggregator pages.
READ_ALSO_LABELS: tuple[str, ...] = _DATA["read_also"]["labels"]

# Labels are also built from their parts, the way outlets compose them: a noun of
# articles and a word of relation ("مواضيع مرتبطة", "قصص ذات صلة"), a reading verb
# and "also" ("طالع كذلك"), a "may" and an interest ("ربما يهمك"). The parts are the
# grammar of the label; the list above keeps the set phrases and other languages.
LABEL_NOUNS: tuple[str, ...] = _DATA["read_also"]["nouns"]
LABEL_RELATIONS: tuple[str, ...] = _DATA["read_also"]["relations"]
LABEL_VERBS: tuple[str, ...] = _DATA["read_also"]["verbs"]
LABEL_ALSO: tuple[str, ...] = _DATA["read_also"]["also"]
LABEL_MAY: tuple[str, ...] = _DATA["read_also"]["may"]
LABEL_INTERESTS: tuple[str, ...] = _DATA["read_also"]["interests"]


def _either(words: tuple[str, ...], *, article: bool = False) -> str:
    """One alternation of fuzzy word patterns, longest first (with the article "ال" if asked)."""
    forms = [
        form for word in words for form in ((word, "ال" + word) if article and " " not in word else (word,))
    ]
    return "(?:" + "|".join(fuzzy_pattern(form) for form in sorted(forms, key=len, reverse=True)) + ")"


# Composed labels as three pairs of alternations: compact, and as fast to match as a
# set phrase, however many parts the lists grow to.
_COMPOSED = (
    rf"{_either(LABEL_NOUNS, article=True)}\s*{_either(LABEL_RELATIONS, article=True)}"
    rf"|{_either(LABEL_VERBS)}\s*{_either(LABEL_ALSO)}"
    rf"|{_either(LABEL_MAY)}\s*{_either(LABEL_INTERESTS)}"
)
# A label at the start of a line, optionally after a bullet, followed by its
# punctuation. Longest phrases first so "اقرأ أيضا" wins over "اقرأ في".
_LABEL_ALTERNATION = (
    "|".join(fuzzy_pattern(label) for label in sorted(READ_ALSO_LABELS, key=len, reverse=True))
    + "|"
    + _COMPOSED
)
READ_ALSO_RE = re.compile(
    r"^\s*(?:[-–—•▪■►◄◀▶*|»«>]\s*)?(?:" + _LABEL_ALTERNATION + r")\s*[:：\-–—.…|»«>]*\s*",
    re.IGNORECASE,
)

# Labels of link lists that are not the article's related module: a module headed
# by one of these is never taken as a read-also chain, wherever it sits.
NOT_RELATED_LABELS: tuple[str, ...] = _DATA["not_related"]["labels"]
NOT_RELATED_RE = re.compile(
    r"^\s*(?:"
    + "|".join(fuzzy_pattern(label) for label in sorted(NOT_RELATED_LABELS, key=len, reverse=True))
    + r")",
    re.IGNORECASE,
)


def is_not_related_label(text: str) -> bool:
    """A heading that names another kind of list ("الأكثر قراءة", "Related topics").

    The longer label wins where both lists know the text: "Related topics" is a tag
    list although it starts with "Related"; "مواضيع ذات صلة" is related although it
    starts with "مواضيع".
    """
    other = NOT_RELATED_RE.match(text)
    if other is None:
        return False
    related = READ_ALSO_RE.match(text)
    return related is None or len(other.group(0).strip()) > len(related.group(0).strip(" :：-–—.…|»«>"))


# Labels of a source line: "المصدر: الأسبوع", "المصدر : وكالات", "مصدر الخبر: ...".
SOURCE_LABELS: tuple[str, ...] = _DATA["sources"]["labels"]
# The same label with or without its punctuation, for a label printed in an element of its own.
SOURCE_LABEL_RE = re.compile(
    r"^\s*(?:" + "|".join(fuzzy_pattern(label) for label in SOURCE_LABELS) + r")\s*[:：\-–—]?\s*",
    re.IGNORECASE,
)
# Labels that are prepositions: the name follows them without punctuation ("نقلاً عن
# الوكالة الوطنية للإعلام" on a line of its own).
SOURCE_PREPOSITIONS: tuple[str, ...] = _DATA["sources"]["prepositions"]
SOURCE_LINE_RE = re.compile(
    r"^\s*(?:(?:"
    + "|".join(fuzzy_pattern(label) for label in SOURCE_LABELS)
    + r")\s*[:：\-–—]\s*|(?:"
    + "|".join(fuzzy_pattern(label) for label in SOURCE_PREPOSITIONS)
    + r")\s*[:：\-–—]?\s+)",
    re.IGNORECASE,
)

# A closing line crediting the outlets that contributed to the story; group "name" holds
# them ("The Associated Press contributed to this report.", "ساهمت رويترز في إعداد هذا التقرير").
_CONTRIBUTED = _DATA["sources"]
CONTRIBUTED_RE = re.compile(
    r"^\s*(?:(?:The\s+)?(?P<after>[^.\n]{2,60}?)\s+(?:"
    + "|".join(fuzzy_pattern(phrase) for phrase in _CONTRIBUTED["contributed_after"])
    + r")|(?:و|ف)?(?:"
    + "|".join(fuzzy_pattern(verb) for verb in _CONTRIBUTED["contributed_before"])
    + r")\s+(?P<before>[^.\n]{2,60}?)\s+(?:"
    + "|".join(fuzzy_pattern(phrase) for phrase in _CONTRIBUTED["contributed_object"])
    + r"))\s*[.。]?\s*$",
    re.IGNORECASE,
)

# News agencies and outlets, as (canonical name, spellings), built from the
# gazetteer (crawler/lens/gazetteer.py, where an outlet is added). Used for
# agency credits ("(رويترز)", "- أ ف ب", "دمشق (CNN) --"), which hold nothing
# but the name: there an agency's guarded forms count too (a line "(قنا)" is a
# credit), while other outlets' common-word forms could be a subheading
# ("الشرق الأوسط", "الحياة") and bound forms a person or a word ("فارس", "كان").
# Bound forms credited as a line all the same (the gazetteer marks them bound).
_LINE_CREDIT_EXCEPTIONS: tuple[str, ...] = _DATA["credits"]["line_exceptions"]


def _credit_forms(outlet: Outlet) -> tuple[str, ...]:
    context_bound = set(outlet.bound) | (set() if outlet.kind == "agency" else set(outlet.guarded))
    forms = (form for form in outlet.forms() if form not in context_bound or form in _LINE_CREDIT_EXCEPTIONS)
    return tuple(dict.fromkeys(forms))


# Credits that name no single outlet but are credits all the same ("المصدر: وكالات").
_GENERIC_CREDITS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(_DATA["credits"]["generic"].items())
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    tuple((outlet.name_ar, forms) for outlet in OUTLETS if (forms := _credit_forms(outlet)))
    + _GENERIC_CREDITS
)

_AGENCY_SPELLINGS: list[tuple[str, str]] = sorted(
    ((spelling, name) for name, spellings in AGENCIES for spelling in spellings),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
# Whole-word match of any spelling, after an optional proclitic (و ف ب ل: "ورويترز");
# Latin acronyms are case-sensitive (AP, not "ap"). The name is group "name".
AGENCY_RE = re.compile(
    r"(?<![\w\u064b-\u065f\u0670])[وفبل]?(?P<name>"
    + "|".join(
        fuzzy_pattern(spelling, strict_spaces=True) if not spelling.isascii() else re.escape(spelling)
        for spelling, _ in _AGENCY_SPELLINGS
    )
    + r")(?![\w\u064b-\u065f\u0670])"
)
_AGENCY_BY_KEY: dict[str, str] = {}
for _spelling, _name in reversed(_AGENCY_SPELLINGS):
    _AGENCY_BY_KEY[form_key(_spelling)] = _name


def agency_name(spelling: str) -> str:
    """The canonical name of an agency spelling matched by :data:`AGENCY_RE`."""
    return _AGENCY_BY_KEY.get(form_key(spelling), spelling)


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(fuzzy_pattern(phrase) for phrase in sorted(phrases, key=len, reverse=True))


# Verbs that credit what follows ("أفادت وكالة ...", "وقالت صحيفة ...", "نقلت رويترز عن"),
# in the past and present forms news copy uses; an object pronoun may follow
# ("بحسب ما أوردته الوكالة").
CITING_VERBS: tuple[str, ...] = _DATA["citing"]["verbs"]
# Prepositions of attribution. Those ending in ل are matched without it: the
# ل is written on the name ("وفقا لرويترز", "وفقاً لـ"CNN"") and read with it.
CITING_PREPOSITIONS: tuple[str, ...] = _DATA["citing"]["prepositions"]
# Nouns after which "لـ X" or "مع X" names the outlet spoken to or published in:
# "في تصريحات لـ"سبوتنيك"", "في مقابلة مع CNN", "في تقرير لصحيفة هآرتس".
CITING_NOUNS: tuple[str, ...] = _DATA["citing"]["nouns"]
# Words that may follow such a noun: "في مقابلة خاصة مع", "في تصريح صحفي لـ".
CITING_QUALIFIERS: tuple[str, ...] = _DATA["citing"]["qualifiers"]
_CUE_BOUNDARY = r"(?<![\w\u064b-\u065f\u0670])"
_CUE_END = r"(?![\w\u064b-\u065f\u0670])"
# One citing cue; what it credits starts at the match's end.
CITING_RE = re.compile(
    _CUE_BOUNDARY
    + r"[وف]?(?:"
    + "(?:"
    + _alternation(CITING_VERBS)
    + r")(?:ه|ها|وه)?"
    + "|(?:"
    + _alternation(CITING_PREPOSITIONS)
    + ")"
    + "|(?:"
    + _alternation(CITING_NOUNS)
    + r")(?:\s+(?:"
    + _alternation(CITING_QUALIFIERS)
    + r"))?(?:\s+مع)?"
    + ")"
    + _CUE_END
)


def _literal(text: str) -> str:
    """``text`` matched as written: escaped, a space left as it is (it needs no escape)."""
    return re.escape(text).replace("\\ ", " ")


def _furniture(entry: dict[str, Any]) -> str:
    """One [[boilerplate]] entry: its phrase, then (if given) one of its words within a few characters."""
    pattern = fuzzy_pattern(entry["phrase"])
    if entry["then"]:
        words = [_literal(word) if word.isascii() else fuzzy_pattern(word) for word in entry["then"]]
        pattern += f".{{0,{entry['within']}}}"
        pattern += words[0] if len(words) == 1 else "(?:" + "|".join(words) + ")"
    return pattern


# Site furniture that CMSs put inside the body container: comment policies,
# copyright lines, "follow us" promos. A block matching one is not article text.
BOILERPLATE_RE = re.compile("|".join(_furniture(entry) for entry in _DATA["boilerplate"]), re.IGNORECASE)
