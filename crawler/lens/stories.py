"""Stories: articles from several outlets about one event within 48 hours.

Near-duplicates (crawler/neardup.py) are one text copied; a story is one event
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

from crawler.arabic import matching_form

STORY_WINDOW = timedelta(hours=48)
# How much of the body is the lead: what an outlet says first is the event itself;
# further down come background paragraphs that every article on the topic shares.
LEAD_WORDS = 60
# A pair is one story when its score reaches this (bench/story_eval.py --sweep).
MIN_STORY_SCORE = 0.34
# Weights of the three signals in the score.
TITLE_WEIGHT = 0.5
LEAD_WEIGHT = 0.35
ACTOR_WEIGHT = 0.15
# Shared actors beyond this add nothing: the score must not let three big
# countries mentioned in passing outweigh what the headlines say.
ACTORS_SATURATE = 3

# Words that carry no event: prepositions, conjunctions, reporting verbs,
# time words. In matching form (crawler.arabic.matching_form), stripped of affixes.
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


@dataclass(frozen=True)
class StoryEvidence:
    """What the matcher knows of one article."""

    title_terms: frozenset[str]
    lead_terms: frozenset[str]
    actors: frozenset[str]
    published_at: datetime | None


def evidence(title: str, body: str, published_at: datetime | None, actors: Iterable[str]) -> StoryEvidence:
    title_terms = terms(title)
    return StoryEvidence(
        title_terms=title_terms,
        lead_terms=terms(body, LEAD_WORDS) | title_terms,
        actors=frozenset(actors),
        published_at=published_at,
    )


@dataclass(frozen=True)
class StoryMatch:
    title: float  # overlap of the headlines' terms
    lead: float  # overlap of headline + lead terms
    shared_actors: int
    hours_apart: float | None
    score: float

    @property
    def same_story(self) -> bool:
        return (
            self.shared_actors > 0
            and self.hours_apart is not None
            and self.hours_apart <= STORY_WINDOW.total_seconds() / 3600
            and self.score >= MIN_STORY_SCORE
        )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over the smaller set: a terse headline inside a long one counts fully."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over the mean size: two long leads must share much of both."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def compare(a: StoryEvidence, b: StoryEvidence) -> StoryMatch:
    hours = None
    if a.published_at is not None and b.published_at is not None:
        hours = abs((a.published_at - b.published_at).total_seconds()) / 3600
    title = _overlap(a.title_terms, b.title_terms)
    lead = _dice(a.lead_terms, b.lead_terms)
    shared = len(a.actors & b.actors)
    actors = min(shared, ACTORS_SATURATE) / ACTORS_SATURATE
    score = TITLE_WEIGHT * title + LEAD_WEIGHT * lead + ACTOR_WEIGHT * actors
    return StoryMatch(title=title, lead=lead, shared_actors=shared, hours_apart=hours, score=score)


def same_story(a: StoryEvidence, b: StoryEvidence) -> bool:
    return compare(a, b).same_story
