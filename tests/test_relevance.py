"""Defence relevance score and topics: the labelled snippets, the lexicon machinery, the model's invariants."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.relevance_eval import (
    is_heldout,
    load_snippets,
    relevance_figures,
    score_all,
    topic_figures,
)
from crawler.lens import topics as lexicon
from crawler.lens.relevance import DEFAULT_MIN_RELEVANCE, TOPIC_FLOORS, Relevance, evidence, score
from crawler.text.arabic import matching_form

SNIPPETS = load_snippets()
# Confusable snippets are named by the domain whose military-sounding words they
# use; "gen-" snippets are plain non-defence news.
CONFUSABLE_PREFIXES = ("sp-", "eco-", "ent-", "pol-", "hl-", "wx-", "cy-", "cr-")

# Floors a few points below what bench.relevance_eval measured (docs/lens.md):
# precision 1.0, recall 1.0, topic precision 0.90, topic recall 0.89.
MIN_PRECISION = 0.9
MIN_RECALL = 0.95
MIN_TOPIC_PRECISION = 0.85
MIN_TOPIC_RECALL = 0.85


def test_snippet_set_has_the_required_size_and_spread() -> None:
    ids = [s.id for s in SNIPPETS]
    assert len(ids) == len(set(ids))
    assert len(SNIPPETS) >= 180
    relevant = [s for s in SNIPPETS if s.relevant]
    other = [s for s in SNIPPETS if not s.relevant]
    assert len(relevant) >= 90
    assert len(other) >= 90
    assert sum(s.id.startswith(CONFUSABLE_PREFIXES) for s in other) >= 60
    per_topic = Counter(topic for s in relevant for topic in s.topics)
    assert set(per_topic) == set(lexicon.TOPICS)
    assert min(per_topic.values()) >= 6
    assert all(s.topics for s in relevant)
    assert not any(s.topics for s in other)
    assert all(s.title.strip() and s.body.strip() for s in SNIPPETS)


def test_heldout_split_is_about_a_third_and_fixed_by_id() -> None:
    heldout = [s for s in SNIPPETS if is_heldout(s.id)]
    assert 0.25 <= len(heldout) / len(SNIPPETS) <= 0.42
    assert is_heldout("mad-dprk-icbm") == is_heldout("mad-dprk-icbm")


def test_precision_and_recall_at_the_default_threshold() -> None:
    found = relevance_figures(score_all(SNIPPETS), DEFAULT_MIN_RELEVANCE)
    assert found.precision >= MIN_PRECISION, found
    assert found.recall >= MIN_RECALL, found


def test_heldout_precision_and_recall() -> None:
    found = relevance_figures(score_all(s for s in SNIPPETS if is_heldout(s.id)), DEFAULT_MIN_RELEVANCE)
    assert found.precision >= MIN_PRECISION, found
    assert found.recall >= MIN_RECALL - 0.05, found


def test_topic_assignment_precision_and_recall() -> None:
    found = topic_figures(score_all(SNIPPETS))
    assert found.precision >= MIN_TOPIC_PRECISION, found
    assert found.recall >= MIN_TOPIC_RECALL, found


def test_every_topic_is_found_somewhere() -> None:
    scored = score_all(SNIPPETS)
    for topic in lexicon.TOPICS:
        assert topic_figures(scored, topic).true_positives >= 3, topic


def test_a_term_in_the_title_weighs_more_than_in_the_body() -> None:
    in_title = score("وصول فرقاطة إلى الميناء", "وصلت صباح اليوم بعد رحلة طويلة.")
    in_body = score("وصول إلى الميناء", "وصلت فرقاطة صباح اليوم بعد رحلة طويلة.")
    assert in_title.relevance > in_body.relevance > 0


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("والمقاتلات حلقت فوق العاصمة", "مقاتلة"),
        ("قصفت بالصواريخ مواقع عدة", "صواريخ"),
        ("نظام جديد للدفاع الجوي", "دفاع جوي"),
        ("فللدفاعات الجوية دور حاسم", "دفاع جوي"),
        ("مُقَاتِلَةٌ جديدة", "مقاتلة"),
        ("مقاتـــلة جديدة", "مقاتلة"),
        ("مقاتله جديدة", "مقاتلة"),
        ("ﻣﻘﺎﺗﻠﺔ جديدة", "مقاتلة"),
        ("عنصر ارهابي", "إرهابي"),
        ("عنصر إرهابيّ", "إرهابي"),
        ("أطلقت صاروخاً باليستياً", "صاروخ باليستي"),
        ("مقاتلتان في الجو", "مقاتلة"),
        ("تسلمت إف-35 الأولى", "اف 35"),
        ("طائرات من دون طيار", "طائرة من دون طيار"),
        ("مركز للطب النووي", None),
    ],
)
def test_proclitics_endings_and_spelling_variants_match(text: str, phrase: str | None) -> None:
    matched = [p for p, *_ in evidence(text, "").positive]
    if phrase is None:
        assert matched == []
    else:
        assert phrase in matched


def test_sport_report_with_attack_and_defence_scores_below_threshold() -> None:
    result = score(
        "هجوم الأهلي يكتسح ودفاع الزمالك ينهار في القمة",
        "قاد هجوم الأهلي الفريق إلى فوز كبير، وارتكب خط الدفاع أخطاء قاتلة. وسدد المهاجم "
        "تسديدة صاروخية من خارج المنطقة، فيما عجز حارس المرمى عن التصدي. وقال المدرب إن "
        "الدفاع يحتاج إلى تدعيم في الانتقالات.",
    )
    assert result.relevance < DEFAULT_MIN_RELEVANCE
    assert result.topics == []


def test_stadium_named_after_air_defence_is_not_air_defence() -> None:
    stadium = score("مباراة على ملعب الدفاع الجوي", "تقام المباراة مساء الجمعة.")
    forces = score("قوات الدفاع الجوي تعترض هدفا", "اعترضت قوات الدفاع الجوي صاروخا.")
    assert stadium.relevance < DEFAULT_MIN_RELEVANCE <= forces.relevance
    assert "missiles_air_defence" in forces.topics


def test_march_is_not_a_drone_but_drones_near_an_interception_are() -> None:
    march = score("مسيرة حاشدة في العاصمة", "شارك الآلاف في المسيرة للمطالبة بزيادة الأجور.")
    drones = score("الدفاعات تعترض مسيرات", "اعترضت الدفاعات مسيرات أطلقت نحو المدينة.")
    assert march.relevance < DEFAULT_MIN_RELEVANCE
    assert "drones" not in march.topics
    assert "drones" in drones.topics


def test_empty_input_scores_zero_without_topics() -> None:
    assert score("", "") == Relevance(0.0, [])


def test_topics_are_valid_sorted_by_strength_and_above_their_floors() -> None:
    for snippet in SNIPPETS:
        result = score(snippet.title, snippet.body)
        found = evidence(snippet.title, snippet.body)
        assert set(result.topics) <= set(lexicon.TOPICS)
        strengths = [found.topic_scores[t] for t in result.topics]
        assert strengths == sorted(strengths, reverse=True)
        assert all(found.topic_scores[t] >= TOPIC_FLOORS[t] for t in result.topics)
        assert all(value <= result.relevance + 1e-9 for value in found.topic_scores.values())


def test_adding_a_strong_defence_term_never_lowers_a_score() -> None:
    for snippet in SNIPPETS:
        before = score(snippet.title, snippet.body).relevance
        after = score(snippet.title, snippet.body + " وحلقت مقاتلة فوق المنطقة.").relevance
        assert after >= before, snippet.id
        assert score(snippet.title + " فرقاطة", snippet.body).relevance >= before, snippet.id


def test_scores_stay_in_range_on_the_snippets() -> None:
    assert all(0.0 <= item.relevance <= 1.0 for item in score_all(SNIPPETS))


# Letters, tashkeel, tatweel, joiners, bidi marks, controls, odd spaces,
# presentation forms, a lone surrogate: everything matching_form treats specially.
_ALPHABET = st.sampled_from(
    [
        *"مقاتلةفرقاطدبصوريخجنسحو ال",
        *("\u064b", "\u0651", "\u0640", "\u200c", "\u200d", "\u200f", "\x00", "\x0c", "\x1c", "\x85"),
        *("\u00a0", "\n", "\t", "،", ".", "-", "F", "35", "ﻣ", "ﺔ", "\ud800", "😀", "١"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_never_raises_on_any_text(title: str, body: str) -> None:
    result = score(title, body)
    assert 0.0 <= result.relevance <= 1.0
    assert set(result.topics) <= set(lexicon.TOPICS)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_cached_chunk_words_equal_the_words_of_the_whole_matching_form(text: str) -> None:
    assert lexicon.tokens(text) == re.findall(r"[^\W_]+", matching_form(text))


def test_huge_and_control_character_input_is_scored() -> None:
    rng = random.Random(3)
    words = [s.body for s in SNIPPETS]
    huge = " ".join(rng.choice(words) for _ in range(3000))
    assert 0.0 <= score("مقاتلة", huge).relevance <= 1.0
    assert 0.0 <= score("\x00\x01\x1f", "\u202e\ufeff" * 1000).relevance <= 1.0


def test_lexicon_entries_are_well_formed() -> None:
    for term in lexicon.POSITIVE_TERMS:
        assert term.topic is None or term.topic in lexicon.TOPICS, term
        assert 0 < term.weight <= 4, term
        assert lexicon.tokens_of_phrase(term.phrase), term
    assert {t.topic for t in lexicon.POSITIVE_TERMS} >= set(lexicon.TOPICS)
    for term in lexicon.NEGATIVE_CONTEXT:
        assert term.topic is not None, term
        assert term.topic not in lexicon.TOPICS, term
    for phrase in lexicon.NEUTRAL_PHRASES:
        assert lexicon.tokens_of_phrase(phrase), phrase
    # The article is optional on every word, so "الناتو" and "ناتو" are one entry: list it once.
    for phrases in (
        [t.phrase for t in lexicon.POSITIVE_TERMS],
        [t.phrase for t in lexicon.NEGATIVE_CONTEXT],
        list(lexicon.NEUTRAL_PHRASES),
    ):
        counted = Counter(lexicon.tokens_of_phrase(phrase) for phrase in phrases)
        assert [p for p, n in counted.items() if n > 1] == []
