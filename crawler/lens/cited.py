"""Outlets a body cites: "أفادت وكالة ... تاس", "بحسب صحيفة هآرتس", "في تصريحات لـ"سبوتنيك"".

Each becomes a ``cited`` attribution under its gazetteer name
(crawler/lens/gazetteer.py) or, for an outlet the gazetteer does not know, as
written after its outlet noun. The publisher's own name after a citing verb is
an interview it gave the publisher, not a citation (:func:`own_names`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from crawler.items import Attribution, Block
from crawler.lens.gazetteer import (
    OUTLET_NOUNS,
    OUTLET_RE,
    OUTLETS,
    PROCLITICS,
    Outlet,
    form_key,
    is_descriptor,
    lookup,
    resolve,
    strip_descriptors,
)
from crawler.text.arabic import matching_form
from crawler.text.lexicon import CITING_RE

# Words of the credited phrase after a cue: an outlet named further on is part of
# the reported clause, not the credit ("وقالت وكالة الأنباء المركزية الكورية الشمالية إن").
CITED_SPAN_WORDS = 10
# An outlet the gazetteer does not know is kept as written when it follows an
# outlet noun and ends within this many words ("ذكرت صحيفة كومرسانت الروسية أن").
UNKNOWN_NAME_WORDS = 5

# Words that end the credited phrase: the reported clause or an adverbial starts.
_SPAN_STOPS = frozenset(
    form_key(word)
    for word in (
        *("إن", "أن", "بأن", "إنه", "أنه", "بأنه", "إنها", "أنها", "بأنها", "أنهم", "إنهم"),
        *("في", "عن", "على", "إلى", "خلال", "مع", "حول", "عبر", "منذ", "بعد", "قبل", "من"),
        *("التي", "الذي", "الذين", "ما", "كما", "لكن", "حيث", "أمس", "اليوم", "الليلة"),
    )
)
# Words that end an unknown outlet's name but may sit inside a known one
# ("المصري اليوم", "روسيا اليوم"): times and days.
_NAME_STOPS = _SPAN_STOPS | frozenset(
    form_key(word)
    for word in (
        *("صباح", "مساء", "فجر", "ظهر", "يوم", "مؤخرا", "سابقا", "حاليا", "أيضا", "الأحد"),
        *("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "نقلا", "وفق", "حسب"),
    )
)
# Outlet nouns after which any name is an outlet's, and those after which only a
# news name is ("وكالة الفضاء", "شبكة الدفاع الجوي", "منصة إطلاق" are not outlets).
_OPEN_NOUNS = frozenset(
    form_key(noun)
    for noun in ("صحيفة", "جريدة", "مجلة", "إذاعة", "راديو", "تلفزيون", "قناة", "موقع", "وكالة أنباء")
)
_NEWS_ONLY_NOUNS = frozenset(form_key(noun) for noun in ("وكالة", "شبكة", "منصة"))
_NOUN_KEYS = frozenset(form_key(noun) for noun in OUTLET_NOUNS)
# Words that make a name after "وكالة" or "شبكة" a news outlet's.
_NEWS_WORDS = frozenset(
    form_key(word)
    for word in ("أنباء", "الأنباء", "للأنباء", "الإخبارية", "إخبارية", "نيوز", "news", "press")
)
# A name made of these (after describing words are dropped) names no outlet:
# "وكالة الأنباء الرسمية", "وكالة أنباء روسية", "موقع الإعلام الحربي".
_GENERIC_NAMES = frozenset(
    form_key(word) for word in ("الأنباء", "أنباء", "الإعلام", "إعلام", "الإعلام الحربي")
)
# First words of what follows an outlet noun when it is no outlet: the site of a
# strike, the Suez Canal, a ministry's or an army's own website, a messaging app.
_NOT_OUTLET_HEADS = frozenset(
    form_key(word)
    for word in (
        *("الهجوم", "الحادث", "الانفجار", "الضربة", "التفجير", "القصف", "الاستهداف", "السقوط", "التحطم"),
        *("السويس", "بنما", "وزارة", "الوزارة", "الجيش", "جيش", "الحكومة", "الرئاسة", "رئاسة", "القيادة"),
        *("القوات", "قوات", "هيئة", "مكتب", "البيت", "الكرملين", "البنتاغون", "حلف", "الناتو", "الأمم"),
        *("منظمة", "شركة", "مركز", "معهد", "تلغرام", "تليغرام", "يوتيوب", "إكس", "فيسبوك", "الفضاء"),
        *("الطاقة", "الاستخبارات", "المخابرات", "الأمن", "الحماية", "الأونروا", "التواصل"),
    )
)
_OPEN_QUOTES = "\"«“'("
_CLOSE_QUOTES = "\"»”')"
_CLAUSE_END = "،,.:;؛!?…"
_TOKEN_RE = re.compile(r"\S+")
# How far past a name _known_outlets reads OUTLET_RE (it stops there: ``endpos``).
_LOOKAHEAD_CHARS = 80
# Characters an OUTLET_RE match may take any number of: tashkeel and tatweel
# after a letter, and the spaces, dots or hyphens between a form's words.
_LOOSE_RE = re.compile(r"[\s.\-\u064b-\u065f\u0670\u0640]+")
# Other characters one OUTLET_RE attempt can take at most: one per character of
# the longest form, plus a proclitic, tatweel and space (4), quotes (2 and 2).
_MAX_SOLID_REACH = max(len(form) for outlet in OUTLETS for form in outlet.forms()) + 8


class _Word(NamedTuple):
    """A word of the text after a cue, as written and as compared."""

    text: str  # without trailing punctuation
    key: str  # crawler.lens.gazetteer.form_key of the text
    start: int
    end: int
    closes: bool  # a comma or full stop follows: the phrase ends here


def _words(text: str, start: int, count: int) -> list[_Word]:
    words: list[_Word] = []
    for match in _TOKEN_RE.finditer(text, start, start + 60 * count):
        raw = match.group()
        bare = raw.rstrip(_CLAUSE_END)
        if bare:
            begin = match.start()
            words.append(_Word(bare, form_key(bare), begin, begin + len(bare), bare != raw))
        if len(words) >= count:
            break
    return words


def _is_in(key: str, vocabulary: frozenset[str]) -> bool:
    """``key`` is in ``vocabulary``, bare or after a proclitic ("لصحيفة", "وبحسب")."""
    return key in vocabulary or any(
        key.startswith(clitic) and key[len(clitic) :] in vocabulary for clitic in PROCLITICS
    )


def _after_outlet_noun(before: str) -> bool:
    """Whether the text before a name ends with an outlet noun ("قناة الجزيرة", "لصحيفة الحياة")."""
    keys = form_key(before).split()
    return bool(keys) and (_is_in(keys[-1], _NOUN_KEYS) or _is_in(" ".join(keys[-2:]), _NOUN_KEYS))


def _span_limit(words: list[_Word]) -> int:
    """Where a credited outlet may no longer start: at the first clause word or punctuation."""
    for word in words:
        if word.key in _SPAN_STOPS or CITING_RE.fullmatch(word.text):
            return word.start
        if word.closes:
            return word.end
    return words[-1].end if words else 0


def _span_matches(
    text: str, start: int, limit: int, scanned: list[re.Match[str]]
) -> list[re.Match[str]] | None:
    """The OUTLET_RE matches of ``text`` from ``start`` up to ``endpos`` ``limit`` + 80 that
    start by ``limit``, read off ``scanned`` (every match from a position before ``start``
    to the end of the text); None when they may differ and the span must be scanned.

    They are the same when no attempt starting by ``limit`` can read as far as that
    ``endpos`` and, unless none of ``scanned`` reaches into the span, none runs across
    ``start``.
    """
    endpos = min(len(text), limit + _LOOKAHEAD_CHARS)
    if endpos < len(text):
        tail = text[limit:endpos]
        if len(tail) - sum(len(loose) for loose in _LOOSE_RE.findall(tail)) <= _MAX_SOLID_REACH:
            return None
    reaching = [match for match in scanned if match.end() > start and match.start() <= limit]
    if not reaching:
        return []
    if reaching[0].start() < start:
        return None
    return reaching


def _known_outlets(
    text: str, start: int, limit: int, scanned: list[re.Match[str]] | None = None
) -> list[tuple[str, int]]:
    """Gazetteer outlets named from ``start`` to ``limit``: (canonical name, end of the name).

    A form that is also a common word counts only inside quotes, after an outlet
    noun, or straight after the cue or a name already credited ("نقلا عن رويترز
    والجزيرة"); the most common words only inside quotes or after a noun.
    ``scanned``, OUTLET_RE's matches from before ``start`` to the end of the text,
    spares scanning the span again where that gives the same matches.
    """
    found: list[tuple[str, int]] = []
    previous_end = start
    known = None if scanned is None else _span_matches(text, start, limit, scanned)
    endpos = min(len(text), limit + _LOOKAHEAD_CHARS)
    matches: Iterable[re.Match[str]] = known if known is not None else OUTLET_RE.finditer(text, start, endpos)
    for match in matches:
        if match.start() > limit:
            break
        entry = _entry(match)
        if entry is None:
            continue
        outlet, context = entry
        adjacent = not text[previous_end : match.start()].strip(" ،,") and _ends_phrase(text, match.end())
        if _in_context(text, start, match, context) or (context == "guarded" and adjacent):
            found.append((outlet.name_ar, match.end()))
            previous_end = match.end()
    return found


def _entry(match: re.Match[str]) -> tuple[Outlet, str] | None:
    """The gazetteer entry of an OUTLET_RE match."""
    name = match.group("name")
    entry = lookup(name)
    if entry is None and name.startswith("ل"):
        entry = lookup("ا" + name)  # the article written ل after the proclitic ل: "للقناة 12"
    return entry


def _in_context(text: str, start: int, match: re.Match[str], context: str) -> bool:
    """Whether a form counts where it stands: a distinctive form anywhere, a common
    word only in quotes or brackets or after an outlet noun ("قناة الجزيرة")."""
    quoted = bool(match.group("open") and match.group("close"))
    return context == "free" or quoted or _after_outlet_noun(text[start : match.start()])


def _ends_phrase(text: str, position: int) -> bool:
    """Whether the credited phrase may end at ``position``: "ذكرت العربية أن" credits Al
    Arabiya, "أكدت العربية السعودية" does not."""
    following = _words(text, position, 1)
    if not following or following[0].start > position + 2 or text[position : following[0].start].strip():
        return True
    word = following[0]
    return word.key in _SPAN_STOPS or is_descriptor(word.text) or bool(CITING_RE.fullmatch(word.text))


def _addressed(match: re.Match[str], before: str) -> bool:
    """Whether an outlet is written with ل, on its name or its noun ("لرويترز", "لوكالة تاس")."""
    if "ل" in (match.group("clitic") or ""):
        return True
    keys = form_key(before).split()
    for size in (1, 2):
        last = " ".join(keys[-size:])
        for clitic in ("ل", "ول", "فل"):
            if len(keys) >= size and last.startswith(clitic) and last[len(clitic) :] in _NOUN_KEYS:
                return True
    return False


def _spoken_to(
    text: str, first_cue: int = 0, scanned: list[re.Match[str]] | None = None
) -> list[tuple[str, str]]:
    """Outlets a speaker addressed further on in the clause than the credited phrase:
    "وقال ضابط في الجيش اللبناني لـ(أ ف ب) إن" → فرانس برس. Only names after the
    first cue (at ``first_cue``) can follow one; ``scanned`` is OUTLET_RE's matches
    from there when already found."""
    found: list[tuple[str, str]] = []
    for match in OUTLET_RE.finditer(text, first_cue) if scanned is None else scanned:
        marks = (text.rfind(mark, 0, match.start()) + 1 for mark in ".!?؟\n")
        clause_start = max(match.start() - 120, *marks)
        before = text[clause_start : match.start()]
        entry = _entry(match) if _addressed(match, before) else None
        if entry is None or not _in_context(text, clause_start, match, entry[1]):
            continue
        cues = list(CITING_RE.finditer(before))
        if cues:
            found.append((entry[0].name_ar, text[clause_start + cues[-1].start() : match.end()].strip()))
    return found


def _quoted_name(text: str, words: list[_Word]) -> tuple[list[str], int] | None:
    """A name in quotes right after the noun ('صحيفة "الوطن" السورية'): its words and end."""
    if not words or words[0].text[:1] not in _OPEN_QUOTES:
        return None
    for index, word in enumerate(words[:UNKNOWN_NAME_WORDS]):
        if word.text[-1:] in _CLOSE_QUOTES and (index or len(word.text) > 1):
            inner = text[words[0].start + 1 : word.end - 1].split()
            return (inner, word.end) if inner else None
    return None


def _plain_name(words: list[_Word]) -> tuple[list[str], int] | None:
    """The words of a name up to a stop; None when no stop comes within the name's length."""
    taken: list[_Word] = []
    for word in words:
        if word.key in _NAME_STOPS or CITING_RE.fullmatch(word.text):
            break
        taken.append(word)
        if word.closes:
            break
        if len(taken) > UNKNOWN_NAME_WORDS:
            return None  # a clause, not a name
    return ([word.text for word in taken], taken[-1].end) if taken else None


def _without_clitic(noun: str) -> str:
    """An outlet noun as written without its proclitic: "لوكالة" → "وكالة"."""
    for clitic in sorted(PROCLITICS, key=len, reverse=True):
        rest = noun[len(clitic) :].lstrip("\u0640")
        if noun.startswith(clitic) and form_key(rest).split(" ")[0] in _NOUN_KEYS:
            return rest
    return noun


def _unknown_outlet(text: str, words: list[_Word]) -> tuple[str, int] | None:
    """An outlet the gazetteer does not know, named after an outlet noun: (name, end).

    "ذكرت صحيفة كومرسانت الروسية أن" → "كومرسانت"; a news agency keeps its noun
    ("وكالة الأنباء الفيتنامية"); a described one names none ("صحيفة أمريكية").
    """
    if not words:
        return None
    noun_words = 2 if len(words) > 1 and _is_in(f"{words[0].key} {words[1].key}", _NOUN_KEYS) else 1
    noun = " ".join(word.key for word in words[:noun_words])
    if not (_is_in(noun, _OPEN_NOUNS) or _is_in(noun, _NEWS_ONLY_NOUNS)):
        return None
    rest = words[noun_words:]
    quoted = _quoted_name(text, rest)
    name = quoted or _plain_name(rest)
    if name is None:
        return None
    written = [bare for word in name[0] if (bare := word.strip(_OPEN_QUOTES + _CLOSE_QUOTES))]
    end = name[1]
    if not any(char.isalpha() for word in written for char in word):
        return None  # a stray quote or number after the noun
    keys = [form_key(word) for word in written]
    if not quoted and (is_descriptor(written[0]) or _is_in(keys[0], _NOT_OUTLET_HEADS)):
        return None
    news = noun_words == 2 or any(key in _NEWS_WORDS for key in keys)
    if " ".join(form_key(word) for word in strip_descriptors(written)) in _GENERIC_NAMES:
        return None
    if _is_in(noun, _NEWS_ONLY_NOUNS) and not (quoted or news):
        return None
    described = written + [word.text for word in _descriptors_after(rest, end)]
    known = resolve(" ".join(described)) or resolve(" ".join(written))
    if known is not None:
        return known.name_ar, end
    core = " ".join(strip_descriptors(written))
    if news:  # "وكالة الأنباء الفيتنامية": the noun is part of the name
        return f"{_without_clitic(text[words[0].start : words[noun_words - 1].end])} {core}", end
    return core, end


def _descriptors_after(words: list[_Word], end: int) -> list[_Word]:
    """The describing words right after a name ('"الوطن" السورية' → ["السورية"])."""
    following = [word for word in words if word.start >= end]
    taken: list[_Word] = []
    for word in following:
        if not is_descriptor(word.text):
            break
        taken.append(word)
    return taken


def cited_outlets(text: str) -> list[tuple[str, str]]:
    """Outlets a text credits, each once: (canonical or written name, the citing phrase as written).

    A cue (a verb such as أفادت, a preposition such as بحسب or "وفقا لـ", a noun
    such as "في تصريحات لـ") is followed by the credited phrase; an outlet named
    there is cited. Ministries, armies, officials, sources and "وسائل الإعلام"
    are not outlets and are never returned.
    """
    cues = list(CITING_RE.finditer(text))
    if not cues:
        return []  # every credit hangs on a cue; most paragraphs have none
    found: list[tuple[str, str]] = []
    scanned = list(OUTLET_RE.finditer(text, cues[0].start()))
    for cue in cues:
        words = _words(text, cue.end(), CITED_SPAN_WORDS)
        if not words:
            continue
        limit = _span_limit(words)
        named = _known_outlets(text, words[0].start, limit, scanned)
        if not named:
            unknown = _unknown_outlet(text, words)
            named = [unknown] if unknown else []
        found += [(name, text[cue.start() : end].strip()) for name, end in named]
    found += _spoken_to(text, cues[0].start(), scanned)
    first: dict[str, tuple[str, str]] = {}
    for name, phrase in found:
        first.setdefault(form_key(name), (name, phrase))
    return list(first.values())


def cited_attributions(blocks: list[Block]) -> list[Attribution]:
    """A ``cited`` attribution for each outlet each block cites, in order."""
    return [
        Attribution("cited", name, phrase) for block in blocks for name, phrase in cited_outlets(block.text)
    ]


@lru_cache(maxsize=64)
def own_names(publisher: str) -> frozenset[str]:
    """The publisher's names in matching form: its own name after a citing verb is not a citation."""
    names = {matching_form(publisher)}
    outlet = resolve(publisher)
    if outlet is not None:
        names.update(matching_form(form) for form in (outlet.name_ar, outlet.name_en))
    return frozenset(names)
