"""The search form and the query parser (crawler/search), measured on labelled query/text pairs.

tests/search/variant_pairs.jsonl holds queries and texts an Arabic reader would
say do or do not answer them: spelling variants (hamza, ta marbuta, alef
maqsura, tashkeel, tatweel, digits), attached clitics, phrases, and traps
(a word whose first letter only looks like a clitic: بحرية is not ب + حرية).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.search.normalise import search_tokens, stem
from crawler.search.query import any_prefix, fts5_query, matches, parse, snippet, tsquery

PAIRS = [json.loads(line) for line in (Path(__file__).parent / "search" / "variant_pairs.jsonl").open()]
# Floors under the figures measured when the rules were written (docs/benchmarks.md, "Search").
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def precision_recall() -> tuple[float, float, list[dict[str, object]]]:
    wrong = []
    tp = fp = fn = 0
    for pair in PAIRS:
        found = matches(parse(pair["query"]), pair["text"])
        tp += found and pair["match"]
        fp += found and not pair["match"]
        fn += not found and pair["match"]
        if found != pair["match"]:
            wrong.append(pair)
    return tp / (tp + fp), tp / (tp + fn), wrong


def test_the_labelled_pairs_are_varied() -> None:
    assert len(PAIRS) >= 100
    negatives = [pair for pair in PAIRS if not pair["match"]]
    assert len(negatives) >= 30  # precision is measured, not assumed
    assert sum(pair["kind"].startswith("trap") for pair in PAIRS) >= 10


def test_precision_and_recall_of_the_normalisation() -> None:
    precision, recall, wrong = precision_recall()
    assert precision >= MIN_PRECISION, wrong
    assert recall >= MIN_RECALL, wrong


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والدّفاعُ", "دفاع"),
        ("بالدفاع", "دفاع"),
        ("للدفاع", "دفاع"),
        ("وبصواريخ", "صواريخ"),
        ("للجنة", "لجنه"),  # ل + اللجنة: the article's lam is not written
        ("بحرية", "بحريه"),  # its ب is its own
        ("والبحرية", "بحريه"),
        ("وطن", "وطن"),  # three letters: nothing stripped
        ("الى", "الي"),  # what stays would be one letter
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert "".join(search_tokens(word)) == expected
    assert stem(expected) == expected or expected == "الي"


def test_fts5_expression_keeps_user_text_out_of_the_syntax() -> None:
    assert fts5_query('الدفاع "القوات الجوية" -روسيا') == '("دفاع" AND "قوات جويه") NOT "روسيا"'
    assert fts5_query("NEAR title: OR *") == '"near" AND "title" AND "or"'
    assert fts5_query('-روسيا "" ؟') == ""
    assert fts5_query("إس-400") == '"اس 400"'


def test_tsquery_expression() -> None:
    assert tsquery('الدفاع "القوات الجوية" -روسيا') == "('دفاع') & ('قوات' <-> 'جويه') & !('روسيا')"
    assert tsquery("!!") == ""


def test_any_prefix_expression_for_the_story_lookup() -> None:
    assert any_prefix(["نبط", "سوق", "نبط"], "sqlite") == '"سوق" * OR "نبط" *'
    assert any_prefix(["نبط", "سوق"], "postgresql") == "'سوق':* | 'نبط':*"
    # only words of letters: nothing else can be read as syntax
    assert any_prefix(['a"b', "x*", "15", "OR("], "sqlite") == ""


def test_snippet_marks_the_display_text() -> None:
    body = " ".join(["كلمة"] * 40) + " وتصدّت والدّفاعُ الجوّيُّ لصواريخ أُطلقت " + " ".join(["نص"] * 40)
    text = snippet(body, "الدفاع الجوي", width=12)
    assert "[والدّفاعُ] [الجوّيُّ]" in text
    assert text.startswith("…")
    assert text.endswith("…")
    assert len(text.split()) <= 14
    assert snippet("قصيرة بلا تطابق", "روسيا") == "قصيرة بلا تطابق"


def test_word_by_word_equals_the_whole_texts_matching_form() -> None:
    """search_tokens folds word by word (cached): the same tokens as folding the whole text."""
    from crawler.search.normalise import _TOKEN_RE
    from crawler.text.arabic import matching_form

    texts = [pair["text"] for pair in PAIRS] + [
        "الدفا\u200cع الجو\u00adي \ufedf\ufee0\ufe8e\ufecb\ufe8e\ufedf f-16 ٣٠٠ ـــ «بـCNN»",
    ]
    for text in texts:
        assert search_tokens(text) == [stem(word) for word in _TOKEN_RE.findall(matching_form(text))], text
