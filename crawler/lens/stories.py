"""Stories: articles from several outlets about one event within 48 hours.

Near-duplicates (crawler/text/neardup.py) are one text copied; a story is one event
written up differently by each outlet: other headline, other lead, other
sources. Two articles belong to one story when they were published at most
:data:`STORY_WINDOW` apart, share an actor (crawler/lens/actors.py), a state their
words name or a place, tell no different action or place (nor one headline
template with another name), and their headlines and leads say the same thing:
read as sentence vectors (crawler/lens/meaning.py) when both have one, else in
enough of the same words. The event decides; actors and states only say which
reports to compare.

"The same words" is measured on *terms*: the matching form of each word, with
the proclitics and the nisba/plural endings that Arabic headlines vary freely
stripped (روسيا, الروسية and الروس are one term; so are صاروخ and بالصاروخ).
Written by hand: the Arabic light stemmers on PyPI (ISRI in NLTK, Tashaphyne)
reduce words to roots aggressively, which merges unrelated headlines (قصف and
قصيف, حرب and حربي), and pull in dependencies the project does not otherwise
need; this needs only the few affixes that vary between two write-ups of one
event.

The thresholds were chosen on the labelled pairs in tests/lens/ (the own pairs and
the trap sets tune to blind4; ``python -m bench.story_eval``; figures in docs/lens.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from crawler.lens import meaning as meanings
from crawler.lens import tables
from crawler.lens.actors import COUNTRIES
from crawler.search.normalise import stem as search_stem
from crawler.text.arabic import matching_form

STORY_WINDOW = timedelta(hours=48)
# How much of the body is the lead: what an outlet says first is the event itself;
# further down come background paragraphs that every article on the topic shares.
LEAD_WORDS = 60
# A pair is one story when the weighted share of lead terms reaches this
# (bench/story_eval.py --sweep): chosen for precision, since a wrong merge
# misleads an analyst and a missed one only leaves two stories.
MIN_STORY_SCORE = 0.28
# Reports of one event come in a burst: within CLOSE_HOURS of each other less
# shared wording is needed (the threshold is this much lower); a day apart, a
# report on the same actors is as likely to be the next event.
CLOSE_HOURS = 12
CLOSE_DISCOUNT = 0.08
# Headlines this close in their terms are the same template ("الجيش المصري ينفذ
# مناورات مشتركة مع ..."): then a specific name in each that the other never
# mentions (السعودية here, اليونان there) means two events.
TEMPLATE_TITLE_OVERLAP = 0.5
# The most headline terms a template's slot holds: a name of one or two words (ميغ,
# لوكهيد مارتن, الأسد المتأهب). 1, 2 and 3 gave the same figures on the labelled sets.
TEMPLATE_SLOT_TERMS = 2
# Terms every defence report uses (army, strike, killed, ministry, north ...)
# count this much of a specific term (a place, a person, a ship, a number):
# two reports of one event share names; two reports of a war share vocabulary.
GENERIC_WEIGHT = 0.2
# Two reports naming one kind of action at one place (crawler/lens/data/events.toml)
# need this much less shared wording, and a headline template does not part them:
# the event is the same, told in other words.
AGREEMENT_DISCOUNT = 0.12
# When both reports carry a sentence vector (crawler/lens/meaning.py), it decides in place
# of the shared words: one story at this cosine or more, once the window and the contrasts
# (action, place, headline template) let the pair through and the two share an actor, a
# state or a place. Chosen for precision on the own pairs and the trap sets tune to blind4
# (docs/lens.md): pairs P 0.82 / R 0.57 there; at 0.88, 0.76 / 0.67; at 0.90, 0.89 / 0.45.
MIN_MEANING = 0.89
# Two reports that share none of these (a candidate found by a headline word, the actors
# unknown to the lens: "مسيرة معادية") need this much more: on tune to blind4, of such pairs
# inside the window, 8 true and 1 false reach 0.90, 11 true and 4 false 0.89 (docs/lens.md).
UNGATED_MARGIN = 0.01
# Two reports that share less wording than this (the weighted share of lead terms, as
# ``score``) have a word or two of their leads in common at most: the vectors are not
# asked, and the pair is not one story. Two write-ups of one event in other words still
# share the place and the object ("عدوان أمريكي يستهدف ميناء رأس عيسى" / "واشنطن تضرب
# رأس عيسى ..."). On tune to blind4, 179 of the 973 pairs the vectors would read fall below
# 0.1: none is one event at the vectors' bar, four of two events are (docs/lens.md). A pair
# left out needs no vector.
MIN_MEANING_WORDING = 0.1

# Words that carry no event: prepositions, conjunctions, reporting verbs,
# time words. In matching form (crawler.text.arabic.matching_form), stripped of affixes.
# Grammar, not data an analyst extends: it stays here (the generic defence
# vocabulary, which is data, is in crawler/lens/data/stories.toml).
_STOPWORDS = frozenset(
    matching_form(word)
    for word in (
        "في من على الى إلى عن مع بعد قبل خلال حول ضد بين منذ حتى عند لدى نحو عبر دون غير "
        "ان أن إن انه أنه كان كانت يكون هذا هذه ذلك تلك التي الذي الذين اللذين هو هي هم "
        "ما لا لم لن قد ثم او أو أي كل بعض اي كما اذا إذا لكن بل وقد فقد "
        "قال قالت يقول تقول اكد أكد أكدت أعلن أعلنت اعلن اعلنت ذكر ذكرت أفاد أفادت "
        "وفق وفقا حسب بحسب نقلا اليوم أمس غدا الأحد الاثنين الثلاثاء الأربعاء الخميس "
        "الجمعة السبت صباح مساء الماضي المقبل الجاري العام عام يوم ساعة ساعات أيام "
        "جديد جديدة أول خبر عاجل فيديو صور بالصور شاهد"
    ).split()
)
_WORD_RE = re.compile(r"[\w\u0600-\u06ff]+")
# Proclitics in front of a word, longest first; a stem keeps at least three letters.
_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")
# Endings that two write-ups of one event vary: nisba (روسي/روسيه/روسيا),
# plurals and duals (صواريخ is a broken plural and stays apart), pronoun suffixes.
_SUFFIXES = ("يون", "يين", "يه", "يا", "ات", "ون", "ين", "ان", "ها", "ه", "ي")
_MIN_STEM = 3


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The term of one matching-form word: proclitics and variable endings removed."""
    stem = word
    for prefix in _PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= _MIN_STEM:
            stem = stem[len(prefix) :]
            break
    return _without_ending(stem)


def _without_ending(stem: str) -> str:
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    return stem


def terms(text: str, limit: int | None = None) -> frozenset[str]:
    """The content terms of a text (its first ``limit`` words), stopwords left out."""
    words = _WORD_RE.findall(matching_form(text))
    return _content_terms(words if limit is None else words[:limit])


def _content_terms(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_content_sequence(words))


def _content_sequence(words: Iterable[str]) -> tuple[str, ...]:
    """The content terms of these words in their order, stopwords left out."""
    found = []
    for word in words:
        if word in _STOPWORDS or len(word) < 2:
            continue
        stem = term(word)
        if stem not in _STOPWORDS:
            found.append(stem)
    return tuple(found)


DATA_FILE = tables.data_file("stories.toml")
SHAPE: tables.Shape = {"generic": tables.Section({"words": tables.required(tables.Words(min_items=1))})}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read a story-vocabulary file and check it against :data:`SHAPE`."""
    return tables.load(path, SHAPE)


# Terms every defence report uses (army, strike, killed, ministry, north ...):
# data, in crawler/lens/data/stories.toml ([generic]).
GENERIC_TERMS: frozenset[str] = terms(" ".join(load_data()["generic"]["words"]))


EVENTS_FILE = tables.data_file("events.toml")
_PLACE_WORDS = tables.Words(min_items=1)
EVENTS_SHAPE: tables.Shape = {
    "actions": tables.Table(tables.Words(min_items=1)),
    "places": tables.Section(
        {
            "town": tables.required(_PLACE_WORDS),
            "near": tables.required(_PLACE_WORDS),
            "region": tables.required(_PLACE_WORDS),
            "directions": tables.required(_PLACE_WORDS),
            "compound": tables.required(_PLACE_WORDS),
            "not_names": tables.required(_PLACE_WORDS),
            "spelled_freely": tables.required(_PLACE_WORDS),
            "spelled_alike": tables.required(_PLACE_WORDS),
        }
    ),
    "recall": tables.Section(
        {"phrases": tables.required(tables.Words(min_items=1)), "not": tables.required(tables.Words())}
    ),
}


def load_events(path: Path = EVENTS_FILE) -> tables.Data:
    """Read an event-vocabulary file (actions, place cues) and check it against :data:`EVENTS_SHAPE`."""
    return tables.load(path, EVENTS_SHAPE)


def _term_set(words: Iterable[str]) -> frozenset[str]:
    """Each word's term, stopwords kept."""
    return frozenset(term(word) for phrase in words for word in _WORD_RE.findall(matching_form(phrase)))


def _form_set(words: Iterable[str]) -> frozenset[str]:
    """Each word's matching form, its article kept: a cue is the construct noun (مدينة
    خاركيف), not the definite one (المدينة بوابة ...), unless listed so (البحر الأحمر)."""
    return frozenset(word for phrase in words for word in _WORD_RE.findall(matching_form(phrase)))


_EVENTS = load_events()
# The kind of action each term names (crawler/lens/data/events.toml [actions]).
ACTION_KINDS: dict[str, frozenset[str]] = {}
for _kind, _words in _EVENTS["actions"].items():
    for _term in _term_set(_words):
        ACTION_KINDS[_term] = ACTION_KINDS.get(_term, frozenset()) | {_kind}
_PLACES = _EVENTS["places"]
_TOWN_CUES = _form_set(_PLACES["town"]) | _form_set(_PLACES["near"])
_REGION_CUES = _form_set(_PLACES["region"]) | _form_set(_PLACES["directions"])
_CUES = _TOWN_CUES | _REGION_CUES
_COMPOUND_HEADS = _form_set(_PLACES["compound"])
# Words after في/على/ب in a headline are a place unless they are one of these.
_NOT_A_NAME = (
    GENERIC_TERMS | _STOPWORDS | _term_set(_PLACES["not_names"]) | _term_set(_CUES) | frozenset(ACTION_KINDS)
)
_CLITICS = "وفبلك"
# A country after a town cue ("موانئ إسرائيل", "قرب سواحل إيران") is a region: the
# names of the states the actor list knows (crawler/lens/data/actors.toml).
_COUNTRY_TERMS = _term_set(name for country in COUNTRIES for name in (country.name, *country.names))
# The state each of its names and adjectives stands for, by the written word with any
# proclitic (روسيا, الروسية, والروس → روسيا): a report says which states an event involves
# in words the actor list leaves alone on purpose ("مسيرات روسية" is a weapon, not Russia
# acting), and two reports of one event name the same states even when one names no actor.
# Whole words, not terms: a term strips endings that are part of a name (البحرين is not
# بحر, a sea; الألباني is not بان). One-word names only: a word of "كوريا الشمالية" or
# "الولايات المتحدة" alone names no state.
# Feminine and plural of a nisba (الروسي: روسية, روسيون, روسيين).
_NISBA_ENDINGS = ("", "ه", "ون", "ين")


def _bare_forms(word: str) -> set[str]:
    """A matching-form word as written and without each proclitic it may carry: بلبنان
    is لبنان after ب, والروسيه is روسيه after وال; لبنان itself does not lose its ل."""
    bare = (word[len(prefix) :] for prefix in _PREFIXES if word.startswith(prefix))
    return {word} | {form for form in bare if len(form) >= _MIN_STEM}


_NATION_OF: dict[str, str] = {
    form + ending: country.name
    for country in COUNTRIES
    for phrases, endings in (
        ((country.name, *country.names, *country.plurals), ("",)),
        (country.nisbas, _NISBA_ENDINGS),
    )
    for phrase in phrases
    if len(words := _WORD_RE.findall(matching_form(phrase))) == 1
    # the name as listed, and without its article (الروسي is written روسيه too)
    for form in {words[0], words[0].removeprefix("ال")}
    if len(form) >= _MIN_STEM
    for ending in endings
}


# The same, as terms: what a search for an event leaves out (every report of a war names its states).
_NATION_TERMS = frozenset(term(form) for form in _NATION_OF)


def _nations(words: Iterable[str]) -> frozenset[str]:
    """The states these matching-form words name."""
    return frozenset(
        nation for word in words for form in _bare_forms(word) if (nation := _NATION_OF.get(form)) is not None
    )


def _phrase_forms(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as its matching-form words: any spelling (ردا, ردًا, رداً) reads alike."""
    return tuple(tuple(_WORD_RE.findall(matching_form(phrase))) for phrase in phrases)


# The openings of a clause that recalls an earlier event ([recall]).
_RECALL_PHRASES = _phrase_forms(_EVENTS["recall"]["phrases"])
_RECALL_TEXTS = tuple(" ".join(phrase) for phrase in _RECALL_PHRASES)
# Openings that look like one and recall nothing ("ردا على سؤال": answering a question).
_NOT_RECALLS = _phrase_forms(_EVENTS["recall"]["not"])
# What ends a clause: a stop, a comma, a colon, an ellipsis, a headline's ".." or "|", a
# dash between parts, the end of a line; a closing quote or bracket after the mark is
# part of it ("«… الضربة.»").
_CLAUSE_MARKS = frozenset({"-", "–", "—", "|"})
_CLAUSE_ENDINGS = (".", "،", "؛", ":", "|", "!", "?", "؟", "…")
_CLOSERS = "»\"'”’)]"


def _ends_clause(token: str) -> bool:
    return token in _CLAUSE_MARKS or token.rstrip(_CLOSERS).endswith(_CLAUSE_ENDINGS)


def _starts(forms: list[str], ends: list[bool], position: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether one of ``phrases`` is written at ``position``, within one clause."""
    return any(
        tuple(forms[position : position + len(phrase)]) == phrase
        and not any(ends[position : position + len(phrase) - 1])
        for phrase in phrases
    )


@lru_cache(maxsize=16384)
def own_event(text: str) -> str:
    """A headline or lead without the clauses that recall an earlier event ("… غداة ضرب
    محطة كهرباء في أم درمان", "… بعد ساعات من إعلان الجماعة استهداف سفينة", "… ردا على
    ضربة كرمانشاه"), each cut from its opening phrase to the end of the clause. Such a
    clause names the other event's place and action; read as this report's, it parted
    the report from its own event's reports and joined it to the one it recalls.

    A clause that opens the text or one of its parts and that no mark ends is kept: where
    it ends and the report's own event begins is not written ("عاجل | بعد ساعات من
    التهديد الحوثيون يستهدفون سفينة").

    Chosen on the sets tune to blind4 (pooled clusters 0.880 / 0.585 to 0.914 / 0.594,
    docs/lens.md). Cached: each stored report is read again by every later one that
    meets it."""
    # whitespace as str.split reads it, which matching_form would delete in places
    folded = " ".join(_WORD_RE.findall(matching_form(" ".join(text.split()))))
    if not any(phrase in folded for phrase in _RECALL_TEXTS):
        return text  # most texts: one pass over the whole, not a form per word
    tokens: list[str] = []
    marked: list[bool] = []  # whether a mark ends the clause at this token
    ends: list[bool] = []  # ... a mark or the end of a line
    for line in text.splitlines():
        words = line.split()
        tokens += words
        line_marks = [_ends_clause(word) for word in words]
        marked += line_marks
        ends += line_marks[:-1] + [True] * bool(words)
    forms = [" ".join(_WORD_RE.findall(matching_form(token))) for token in tokens]
    kept: list[str] = []
    position = 0
    while position < len(tokens):
        if _starts(forms, ends, position, _RECALL_PHRASES) and not _starts(
            forms, ends, position, _NOT_RECALLS
        ):
            end = next(i for i in range(position, len(tokens)) if ends[i])
            opens_part = position == 0 or ends[position - 1]
            if not opens_part or marked[end]:
                position = end + 1  # the clause, with the mark that ends it
                continue
        kept.append(tokens[position])
        position += 1
    if len(kept) == len(tokens) or not any(char.isalnum() for token in kept for char in token):
        return text
    return " ".join(kept)


_TITLE_PREPOSITIONS = frozenset(matching_form(word) for word in ("في", "على", "قرب", "داخل"))


def _kinds(found: Iterable[str]) -> frozenset[str]:
    return frozenset(kind for t in found for kind in ACTION_KINDS.get(t, ()))


# Each written form of a cue, one proclitic allowed (بمدينة, وقرب): the cue it is.
_CUE_OF = {
    clitic + cue: cue for cue in _CUES for clitic in ("", *_CLITICS) if len(clitic + cue) > 3 or not clitic
}


def _name_at(words: list[str], position: int) -> str | None:
    """The place name starting at ``position``: its term, two words joined after a compound head."""
    if position >= len(words):
        return None
    word = words[position]
    if word in _COMPOUND_HEADS and position + 1 < len(words):
        return term(word) + term(words[position + 1])
    if word.startswith("لل") or word.isdigit():
        return None
    name = term(word)
    if name in _NOT_A_NAME or len(name) < 3:
        return None
    return name


def places(text: str, limit: int | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """Town-sized places and regions a text names after a cue (مدينة X, قرب X / محافظة X, شمال X).

    No gazetteer: the towns of a war are too many and new ones come with every front;
    the cue words are what Arabic copy puts before a place name.
    """
    words = _WORD_RE.findall(matching_form(text))
    return _places_in(words if limit is None else words[:limit])


def _places_in(words: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    towns: set[str] = set()
    regions: set[str] = set()
    for position, word in enumerate(words):
        cue = _CUE_OF.get(word)
        if cue is None:
            continue
        following = position + 1
        while following < len(words) and (later := _CUE_OF.get(words[following])) is not None:
            cue = later  # the last cue says what comes: "قرب مدينة X" a town, "قرب سواحل X" a coast
            following += 1
        name = _name_at(words, following)
        if name is not None:
            (towns if cue in _TOWN_CUES and name not in _COUNTRY_TERMS else regions).add(name)
    return frozenset(towns), frozenset(regions)


def title_places(title: str) -> frozenset[str]:
    """The places a headline names: after a cue, or after في/على/قرب or a ب proclitic."""
    return _title_places_in(_WORD_RE.findall(matching_form(title)))


def _title_places_in(words: list[str]) -> frozenset[str]:
    towns, regions = _places_in(words)
    found = set(towns | regions)
    for position, word in enumerate(words):
        if word in _TITLE_PREPOSITIONS:
            name = _name_at(words, position + 1)
        elif word.startswith("بال") and len(word) > 5:
            name = _name_at([word[1:], *words[position + 1 : position + 2]], 0)
        else:
            continue
        if name is not None:
            found.add(name)
    return frozenset(found)


# A name's skeleton: the letters its spellings share ([places] spelled_freely and
# spelled_alike), each group of letters for one sound written as its first. The first
# letter is kept as written.
_SKELETON = str.maketrans(
    {matching_form(letter): None for letter in _PLACES["spelled_freely"]}
    | {
        letter: letters[0]
        for group in _PLACES["spelled_alike"]
        for letters in [matching_form(group).split()]
        for letter in letters[1:]
    }
)
# Names shorter than this are compared only as written: at four letters or fewer, one
# letter apart is as often another town (حمص / حماة) as another spelling (موطا / موتا).
_MIN_LOOSE_NAME = 5
# Skeletons of four letters leave too few for one of them to be a mere spelling
# (فوهليدار / سوليدار, دنيبرو / دونباس, كورسك / كركوك are one letter apart there):
# they must be equal, or one the other and a last letter (فاراتشين / فاراتشينو).
_MIN_SKELETON = 4
_MIN_EDITED_SKELETON = 5


def _skeleton(name: str) -> str:
    return name[:1] + name[1:].translate(_SKELETON)


def _close(a: str, b: str) -> bool:
    """At most one letter inserted, dropped or changed (خاركيف/خاركوف, كيسمايو/كسمايو), for
    names of five letters or more."""
    return a == b or (min(len(a), len(b)) >= _MIN_LOOSE_NAME and _one_edit(a, b))


def _spelt_alike(a: str, b: str) -> bool:
    """Two spellings of one foreign name, for place names of five letters or more: their
    skeletons equal (زابوريجيا / زاباروجيا: ز ب ر ك both), one the other and a last letter,
    or, long enough, one letter apart. Only ever between two places a text names, never a
    place and any other word: a loose match against every headline word found towns in
    "مقذوف" and "عناصر"."""
    if min(len(a), len(b)) < _MIN_LOOSE_NAME:
        return False
    shorter, longer = sorted((_skeleton(a), _skeleton(b)), key=len)
    if len(shorter) < _MIN_SKELETON:
        return False
    if shorter == longer or (len(longer) == len(shorter) + 1 and longer.startswith(shorter)):
        return True
    return len(shorter) >= _MIN_EDITED_SKELETON and _one_edit(shorter, longer)


def _one_edit(a: str, b: str) -> bool:
    """At most one letter inserted, dropped or changed. By hand: one bounded comparison, not
    worth a library."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        return a[start + 1 :] == b[start + 1 :]
    return a[start:] == b[start + 1 :]


def _named_in(place: str, other: StoryEvidence) -> bool:
    """Whether the other report names this place: among its terms, close to one of its
    places or headline terms, or spelt alike with one of its places."""
    if place in other.lead_terms or place in other.lead_pairs:
        return True
    if any(_close(place, theirs) for theirs in other.towns | other.regions | other.title_terms):
        return True
    return any(_spelt_alike(place, theirs) for theirs in other.towns | other.regions | other.title_places)


def _weight(found: Iterable[str]) -> float:
    # fsum: a plain sum over a set depends on the set's (hash-seeded) order in its last
    # bits, and a score on the threshold then passed in one process and not in the next.
    return math.fsum(GENERIC_WEIGHT if t in GENERIC_TERMS else 1.0 for t in found)


def _weighted_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted shared terms over the lighter set: a terse report inside a long one counts fully."""
    if not a or not b:
        return 0.0
    return _weight(a & b) / min(_weight(a), _weight(b))


def _specific_missing(mine: StoryEvidence, other: StoryEvidence) -> frozenset[str]:
    """Specific headline terms (not generic, not numbers, not a verb of action: تضرب and
    تستهدف name no other event) the other report never uses. A state counts only when the
    other report names states too (Saudi Arabia here, Greece there): a local report that
    names none ("shells on the market of X") leaves it out, it does not contradict it."""
    return frozenset(
        t
        for t in mine.title_terms
        if t not in GENERIC_TERMS
        and t not in ACTION_KINDS
        and not t.isdigit()
        and t not in other.lead_terms
        and (other.nations or t not in _NATION_TERMS)
    )


def _names(mine: StoryEvidence, found: frozenset[str]) -> bool:
    """Whether some of these terms name a state, or a place this report names (a name of
    two words is kept joined, خانيونس, and its headline terms are its words)."""
    places = mine.towns | mine.regions | mine.title_places
    return any(
        t in _NATION_TERMS or t in places or any(len(t) >= _MIN_STEM and t in place for place in places)
        for t in found
    )


def _swapped(a: StoryEvidence, b: StoryEvidence, mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """One headline with a word or two in one place replaced by others, each missing from
    the other report: a name in a template slot (رافال / ميغ, حسم الصحراء / الأسد
    المتأهب), whatever it names. A write-up of the same event rewords more than a slot."""
    steps = SequenceMatcher(None, a.title_sequence, b.title_sequence, autojunk=False).get_opcodes()
    return any(
        op == "replace"
        and i2 - i1 <= TEMPLATE_SLOT_TERMS
        and j2 - j1 <= TEMPLATE_SLOT_TERMS
        and any(t in mine for t in a.title_sequence[i1:i2])
        and any(t in theirs for t in b.title_sequence[j1:j2])
        for op, i1, i2, j1, j2 in steps
    )


def _template_contrast(a: StoryEvidence, b: StoryEvidence) -> bool:
    """One headline template with another name in it: each headline has a specific term
    the other report never uses, and in one of them that term is a state or a place
    ("… مع السعودية" / "… مع اليونان"), or the two differ by a word or two in one slot.
    Other words alone on both sides ("تفاصيل العملية …" / "القضاء على إرهابيين في العملية
    …") are two write-ups of one event (docs/lens.md, "The headline template")."""
    mine, theirs = _specific_missing(a, b), _specific_missing(b, a)
    if not (mine and theirs):
        return False
    return _names(a, mine) or _names(b, theirs) or _swapped(a, b, mine, theirs)


@dataclass(frozen=True)
class StoryEvidence:
    """What the matcher knows of one article."""

    title_terms: frozenset[str]
    lead_terms: frozenset[str]  # headline and lead
    actors: frozenset[str]
    published_at: datetime | None
    title_kinds: frozenset[str] = frozenset()  # the kinds of action the headline names
    lead_kinds: frozenset[str] = frozenset()  # ... the headline and lead
    towns: frozenset[str] = frozenset()  # town-sized places of headline and lead
    regions: frozenset[str] = frozenset()
    title_places: frozenset[str] = frozenset()  # places the headline names
    lead_pairs: frozenset[str] = frozenset()  # two neighbouring terms joined: two-word names
    nations: frozenset[str] = frozenset()  # the states headline and lead name, adjectives too
    # the event words as the search index writes them (see lookup_words)
    search_forms: frozenset[str] = frozenset()
    title_sequence: tuple[str, ...] = ()  # the headline's content terms in their order
    # headline and lead as a sentence vector, when known (an array: left out of == and hash)
    meaning: meanings.Vector | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Read:
    title_terms: frozenset[str]
    title_sequence: tuple[str, ...]
    lead_terms: frozenset[str]
    title_kinds: frozenset[str]
    lead_kinds: frozenset[str]
    towns: frozenset[str]
    regions: frozenset[str]
    title_places: frozenset[str]
    lead_pairs: frozenset[str]
    nations: frozenset[str]
    search_forms: frozenset[str]


@lru_cache(maxsize=8192)
def _headline_and_lead(title: str, body: str) -> _Read:
    """Cached: the store compares each new article with up to a hundred stored ones, and
    the same stored articles come up again and again within a story window."""
    title_words = _WORD_RE.findall(matching_form(title))
    words = title_words + _WORD_RE.findall(matching_form(body))[:LEAD_WORDS]
    title_sequence = _content_sequence(title_words)
    title_terms = frozenset(title_sequence)
    lead_terms = _content_terms(words[len(title_words) :]) | title_terms
    towns, regions = _places_in(words)
    stems = [term(word) for word in words]
    pairs = [first + second for first, second in pairwise(stems)]  # pair i starts at word i
    lead_body = frozenset(stems[len(title_words) :]) | frozenset(pairs[len(title_words) :])
    title_places = frozenset(
        place for place in _title_places_in(title_words) if place in lead_body or place in towns | regions
    )
    return _Read(
        title_terms=title_terms,
        title_sequence=title_sequence,
        lead_terms=lead_terms,
        title_kinds=_kinds(title_terms),
        lead_kinds=_kinds(lead_terms),
        towns=towns,
        regions=regions,
        title_places=title_places,
        lead_pairs=frozenset(pairs),
        nations=_nations(words),
        search_forms=_search_forms(words, stems, _event_terms(title_terms, towns, title_places)),
    )


def _search_forms(words: list[str], stems: list[str], wanted: frozenset[str]) -> frozenset[str]:
    """The written words that ``wanted`` terms were read from, in the search index's form
    (crawler/search/normalise.py) without their endings: the index strips ب ل ك as
    prepositions where a term keeps ك (كوستيانتينيفكا is indexed as وستيانتينيفكا) or
    strips ب ل where the index keeps them (بغداد), and it holds the two words of a name a
    term joins (خان يونس) apart, so a lookup by terms alone misses them. A joined name is
    looked up by its second word."""
    found: set[str] = set()
    for position, word in enumerate(words):
        if stems[position] in wanted:
            found.add(word)
        if position + 1 < len(words) and stems[position] + stems[position + 1] in wanted:
            found.add(words[position + 1])
    return frozenset(form for word in found if len(form := _without_ending(search_stem(word))) >= _MIN_STEM)


def event_words(evidence: StoryEvidence) -> frozenset[str]:
    """The words that find other reports of this event where actors cannot: the places it
    names and its headline's specific terms (a ship's name, a weapon, a unit), without
    generic vocabulary, kinds of action, states or numbers, which every report of a war
    shares. Terms: the store's locks key on them, and its lookup searches them, with their
    written forms, as prefixes (:func:`lookup_words`; النبط finds النبطية)."""
    return _event_terms(evidence.title_terms, evidence.towns, evidence.title_places)


def lookup_words(evidence: StoryEvidence) -> frozenset[str]:
    """What the store searches its index by for candidates: the event words as terms (a
    prefix of every form the word takes, النبط for النبطية) and as the index writes them."""
    return event_words(evidence) | evidence.search_forms


def _event_terms(
    title_terms: frozenset[str], towns: frozenset[str], title_places: frozenset[str]
) -> frozenset[str]:
    specific = {
        t
        for t in title_terms
        if t not in GENERIC_TERMS and t not in ACTION_KINDS and t not in _NATION_TERMS and not t.isdigit()
    }
    return frozenset(w for w in specific | towns | title_places if len(w) >= _MIN_STEM)


def evidence(
    title: str,
    body: str,
    published_at: datetime | None,
    actors: Iterable[str],
    meaning: meanings.Vector | None = None,
) -> StoryEvidence:
    # the report's own event: its headline and lead without clauses recalling another
    read = _headline_and_lead(own_event(title), own_event(body))
    return StoryEvidence(actors=frozenset(actors), published_at=published_at, meaning=meaning, **vars(read))


@dataclass(frozen=True)
class StoryMatch:
    score: float  # weighted overlap of headline + lead terms
    title: float  # weighted overlap of the headlines alone
    shared_actors: int
    hours_apart: float | None
    template_contrast: bool  # one headline template, another name in it
    event_contrast: str = ""  # "action" or "place" when the two tell different events
    place_contrast: bool = False  # each names a town the other never names (also under "action")
    event_agreement: bool = False  # one kind of action at one place
    shared_nations: int = 0  # states both name, as actors or in any word (روسية)
    shared_place: bool = False  # a town both name, or a place both headlines name
    meaning: float | None = None  # cosine of the two sentence vectors, when both have one

    @property
    def same_story(self) -> bool:
        return self.same_story_at(MIN_STORY_SCORE)

    @property
    def parted(self) -> bool:
        """Two events, whatever the wording: no time, another action or place, or further
        apart than the window."""
        if self.hours_apart is None or self.event_contrast:
            return True
        return self.hours_apart > STORY_WINDOW.total_seconds() / 3600

    @property
    def gated(self) -> bool:
        """Something the two share: an actor, a state or a place. Actors narrow the
        candidates; a report naming none the lens knows ("مسيرة معادية") still meets the
        others by the states its words name or by its place. By words, an ungated pair is
        never one story; by vectors, only past a higher bar (:data:`UNGATED_MARGIN`)."""
        return bool(self.shared_actors or self.shared_nations or self.shared_place)

    @property
    def wants_meaning(self) -> bool:
        """Whether the sentence vectors would decide this pair: nothing the words read parts
        it, and the two share some wording (:data:`MIN_MEANING_WORDING`). The store makes
        vectors only for such pairs (crawler/store/placement.py)."""
        # the vectors read the event in other words, but not one name against another in
        # one headline template ("... مع السعودية" / "... مع اليونان": cosine 0.93 on the
        # own pairs): the template still parts two reports unless they agree on one action
        # at one place
        if self.parted or self.score < MIN_MEANING_WORDING:
            return False
        return not (self.template_contrast and not self.event_agreement)

    def same_story_at(self, threshold: float, min_meaning: float = MIN_MEANING) -> bool:
        """The decision at other thresholds (bench/story_eval.py sweeps them)."""
        if self.parted:
            return False
        if self.meaning is not None:
            # rounded as the cosine is (crawler/lens/meaning.py): 0.89 + 0.01 is 0.9 exactly
            bar = min_meaning if self.gated else round(min_meaning + UNGATED_MARGIN, 4)
            return self.wants_meaning and self.meaning >= bar
        if not self.gated:
            return False
        assert self.hours_apart is not None  # not parted
        if self.hours_apart <= CLOSE_HOURS:
            threshold -= CLOSE_DISCOUNT
        if self.event_agreement:
            return self.score >= threshold - AGREEMENT_DISCOUNT
        if self.template_contrast:
            return False
        return self.score >= threshold


def _action_contrast(a: StoryEvidence, b: StoryEvidence) -> bool:
    """Each headline names a kind of action the other report never mentions, and none in common."""
    return bool(
        a.title_kinds
        and b.title_kinds
        and not a.title_kinds & b.lead_kinds
        and not b.title_kinds & a.lead_kinds
    )


def _missing(places: frozenset[str], other: StoryEvidence) -> bool:
    """Some places, none of which the other report names."""
    return bool(places) and not any(_named_in(place, other) for place in places)


def _place_contrast(a: StoryEvidence, b: StoryEvidence) -> bool:
    """Each names a town-sized place, or its headline a place, and neither names any of the other's."""
    return any(
        _missing(mine, b) and _missing(theirs, a)
        for mine, theirs in (
            (a.towns, b.towns),
            (a.title_places, b.title_places),
            # a town in one, the headline's place in the other ("في النبطية" / "بلدة المطلة")
            (a.towns | a.title_places, b.towns | b.title_places),
        )
    )


def _in_title(place: str, other: StoryEvidence) -> bool:
    return place in other.title_terms or any(
        _close(place, theirs) or _spelt_alike(place, theirs) for theirs in other.title_places
    )


def _one_place(a: StoryEvidence, b: StoryEvidence) -> bool:
    """Both name one place: a town one names and the other too, or a place both headlines
    name (a region in one lead only, "after yesterday's attack in the Gulf of Aden", is
    background, not one place)."""
    return (
        any(_named_in(place, b) for place in a.towns)
        or any(_named_in(place, a) for place in b.towns)
        or any(_in_title(place, b) for place in a.title_places)
    )


def _one_action(a: StoryEvidence, b: StoryEvidence) -> bool:
    """One kind of action, named in the headline of one and the headline or lead of the other."""
    return bool(a.title_kinds & b.lead_kinds or b.title_kinds & a.lead_kinds)


def compare(a: StoryEvidence, b: StoryEvidence) -> StoryMatch:
    hours = None
    if a.published_at is not None and b.published_at is not None:
        hours = abs((a.published_at - b.published_at).total_seconds()) / 3600
    title = _weighted_overlap(a.title_terms, b.title_terms)
    contrast = title >= TEMPLATE_TITLE_OVERLAP and _template_contrast(a, b)
    place_contrast = _place_contrast(a, b)
    event_contrast = "action" if _action_contrast(a, b) else "place" if place_contrast else ""
    one_place = not event_contrast and _one_place(a, b)
    return StoryMatch(
        score=_weighted_overlap(a.lead_terms, b.lead_terms),
        title=title,
        shared_actors=len(a.actors & b.actors),
        hours_apart=hours,
        template_contrast=contrast,
        event_contrast=event_contrast,
        place_contrast=place_contrast,
        event_agreement=not event_contrast and one_place and _one_action(a, b),
        shared_nations=len(a.nations & b.nations),
        shared_place=one_place,
        meaning=None if a.meaning is None or b.meaning is None else meanings.similarity(a.meaning, b.meaning),
    )


def same_story(a: StoryEvidence, b: StoryEvidence) -> bool:
    return compare(a, b).same_story
