"""Stories: articles from several outlets about one event within 48 hours.

Near-duplicates (crawler/text/neardup.py) are one text copied; a story is one event
written up differently by each outlet: other headline, other lead, other
sources. Two articles belong to one story when they were published at most
:data:`STORY_WINDOW` apart, share at least one actor (crawler/lens/actors.py)
and their headlines and leads say the same thing in enough of the same words.

"The same words" is measured on *terms*: the matching form of each word, with
the proclitics and the nisba/plural endings that Arabic headlines vary freely
stripped (روسيا, الروسية and الروس are one term; so are صاروخ and بالصاروخ).
Written by hand: the Arabic light stemmers on PyPI (ISRI in NLTK, Tashaphyne)
reduce words to roots aggressively, which merges unrelated headlines (قصف and
قصيف, حرب and حربي), and pull in dependencies the project does not otherwise
need; this needs only the few affixes that vary between two write-ups of one
event.

The thresholds were chosen on the labelled pairs in tests/lens/story_pairs.jsonl
(``python -m bench.story_eval``; figures in docs/lens.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from crawler.lens import tables
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
# Terms every defence report uses (army, strike, killed, ministry, north ...)
# count this much of a specific term (a place, a person, a ship, a number):
# two reports of one event share names; two reports of a war share vocabulary.
GENERIC_WEIGHT = 0.2

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
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    return stem


def terms(text: str, limit: int | None = None) -> frozenset[str]:
    """The content terms of a text (its first ``limit`` words), stopwords left out."""
    words = _WORD_RE.findall(matching_form(text))
    if limit is not None:
        words = words[:limit]
    found = set()
    for word in words:
        if word in _STOPWORDS or len(word) < 2:
            continue
        stem = term(word)
        if stem not in _STOPWORDS:
            found.add(stem)
    return frozenset(found)


DATA_FILE = tables.data_file("stories.toml")
SHAPE: tables.Shape = {"generic": tables.Section({"words": tables.required(tables.Words(min_items=1))})}


def load_data(path: Path = DATA_FILE) -> tables.Data:
    """Read a story-vocabulary file and check it against :data:`SHAPE`."""
    return tables.load(path, SHAPE)


# Terms every defence report uses (army, strike, killed, ministry, north ...):
# data, in crawler/lens/data/stories.toml ([generic]).
GENERIC_TERMS: frozenset[str] = terms(" ".join(load_data()["generic"]["words"]))


def _weight(found: Iterable[str]) -> float:
    return sum(GENERIC_WEIGHT if t in GENERIC_TERMS else 1.0 for t in found)


def _weighted_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted shared terms over the lighter set: a terse report inside a long one counts fully."""
    if not a or not b:
        return 0.0
    return _weight(a & b) / min(_weight(a), _weight(b))


def _specific_missing(title_terms: frozenset[str], other_lead: frozenset[str]) -> int:
    """Specific headline terms (not generic, not numbers) the other report never uses."""
    return sum(1 for t in title_terms if t not in GENERIC_TERMS and not t.isdigit() and t not in other_lead)


@dataclass(frozen=True)
class StoryEvidence:
    """What the matcher knows of one article."""

    title_terms: frozenset[str]
    lead_terms: frozenset[str]  # headline and lead
    actors: frozenset[str]
    published_at: datetime | None


@lru_cache(maxsize=8192)
def _headline_and_lead(title: str, body: str) -> tuple[frozenset[str], frozenset[str]]:
    """Cached: the store compares each new article with up to a hundred stored ones, and
    the same stored articles come up again and again within a story window."""
    title_terms = terms(title)
    return title_terms, terms(body, LEAD_WORDS) | title_terms


def evidence(title: str, body: str, published_at: datetime | None, actors: Iterable[str]) -> StoryEvidence:
    title_terms, lead_terms = _headline_and_lead(title, body)
    return StoryEvidence(
        title_terms=title_terms,
        lead_terms=lead_terms,
        actors=frozenset(actors),
        published_at=published_at,
    )


@dataclass(frozen=True)
class StoryMatch:
    score: float  # weighted overlap of headline + lead terms
    title: float  # weighted overlap of the headlines alone
    shared_actors: int
    hours_apart: float | None
    template_contrast: bool  # same headline template, a different specific name in each

    @property
    def same_story(self) -> bool:
        return self.same_story_at(MIN_STORY_SCORE)

    def same_story_at(self, threshold: float) -> bool:
        """The decision at another threshold (bench/story_eval.py sweeps it)."""
        if self.shared_actors == 0 or self.hours_apart is None or self.template_contrast:
            return False
        if self.hours_apart > STORY_WINDOW.total_seconds() / 3600:
            return False
        if self.hours_apart <= CLOSE_HOURS:
            threshold -= CLOSE_DISCOUNT
        return self.score >= threshold


def compare(a: StoryEvidence, b: StoryEvidence) -> StoryMatch:
    hours = None
    if a.published_at is not None and b.published_at is not None:
        hours = abs((a.published_at - b.published_at).total_seconds()) / 3600
    title = _weighted_overlap(a.title_terms, b.title_terms)
    contrast = (
        title >= TEMPLATE_TITLE_OVERLAP
        and _specific_missing(a.title_terms, b.lead_terms) > 0
        and _specific_missing(b.title_terms, a.lead_terms) > 0
    )
    return StoryMatch(
        score=_weighted_overlap(a.lead_terms, b.lead_terms),
        title=title,
        shared_actors=len(a.actors & b.actors),
        hours_apart=hours,
        template_contrast=contrast,
    )


def same_story(a: StoryEvidence, b: StoryEvidence) -> bool:
    return compare(a, b).same_story
