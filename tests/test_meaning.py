"""Sentence vectors: the story matcher's second reading, and how the store makes and keeps them."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from crawler.items import Block
from crawler.lens import meaning, stories
from crawler.lens.actors import find_actors
from crawler.store import ArticleStore, make_engine
from crawler.store.models import ArticleMeaningRow, ArticleRow
from crawler.store.placement import STORY_LEAD_CHARS, meaning_of, prepare_meanings, vector_text
from pipelines.dedup import dedup_keys
from tests.test_stories import (
    DEAL,
    EXERCISE,
    KHARKIV_A,
    KHARKIV_B,
    PACT,
    RUSSIA,
    STRIKE_DONETSK,
    STRIKE_ZAPORIZHZHIA,
    UKRAINE,
    article,
)

T0 = datetime(2025, 3, 7, 6, 0, tzinfo=UTC)
FRESH = Path(__file__).parent / "lens" / "story_traps_fresh.jsonl"
BOTH = ["روسيا", "أوكرانيا"]
WAR = [RUSSIA, UKRAINE]


def read(text: tuple[str, str], at: datetime, actors: list[str]) -> stories.StoryEvidence:
    """A report as the store reads it: words, and the vector of its headline and lead."""
    title, body = text
    return stories.evidence(title, body, at, actors, meaning_of(title, body[:STORY_LEAD_CHARS]).vector)


def test_a_vector_is_a_unit_vector_the_same_on_every_run_and_after_the_store() -> None:
    made = meaning_of(*KHARKIV_A).vector
    assert made.shape == (meaning.DIMENSIONS,)
    assert abs(float(np.linalg.norm(made)) - 1.0) < 1e-2
    meaning.embed_text.cache_clear()
    again = meaning_of(*KHARKIV_A).vector
    assert np.array_equal(made, again)  # one thread: no order of sums to vary
    stored = meaning.from_bytes(meaning.to_bytes(made))
    assert stored is not None
    assert np.array_equal(made, stored)
    assert meaning.from_bytes(b"\x00" * 10) is None  # not a vector of this model


def test_the_text_is_the_headline_and_the_first_words_of_the_lead() -> None:
    body = " ".join(f"كلمة{n}" for n in range(200))
    text = meaning.text_of("  عنوان الخبر ", body)
    assert text.startswith("عنوان الخبر\nكلمة0 ")
    assert len(text.split("\n", 1)[1].split()) == meaning.LEAD_WORDS
    # a changed lead is another key: a kept vector is made again
    assert meaning.key(text) != meaning.key(meaning.text_of("عنوان الخبر", "تصحيح " + body))


def test_one_event_in_other_words_is_one_story_by_the_vectors() -> None:
    """A suicide bombing at a Mogadishu recruitment camp, first report and toll update: other
    words, few shared terms (the fresh trap set, pair f3-12)."""
    [row] = [json.loads(line) for line in FRESH.read_text("utf-8").splitlines() if '"f3-12"' in line]
    first, update_ = (row[side] for side in ("a", "b"))
    at = [datetime.fromisoformat(side["published"]) for side in (first, update_)]
    actors = [[actor.name for actor in find_actors(side["title"], side["body"])] for side in (first, update_)]
    by_words = stories.compare(
        *(
            stories.evidence(side["title"], side["body"], t, names)
            for side, t, names in zip((first, update_), at, actors, strict=False)
        )
    )
    assert not by_words.same_story, by_words  # the words alone keep them apart
    match = stories.compare(
        *(
            read((side["title"], side["body"]), t, names)
            for side, t, names in zip((first, update_), at, actors, strict=False)
        )
    )
    assert match.meaning is not None
    assert match.meaning >= stories.MIN_MEANING, match
    assert match.same_story


def test_the_vectors_do_not_join_what_the_event_rules_part() -> None:
    """Same actors, one day: another action, another town, or another name in one headline
    template stay apart, however close the two sentences read."""
    exercise = read(EXERCISE, T0, ["مصر", "السعودية"])
    deal = read(DEAL, T0 + timedelta(hours=3), ["مصر", "السعودية"])
    assert stories.compare(exercise, deal).event_contrast == "action"
    assert not stories.same_story(exercise, deal)

    donetsk = read(STRIKE_DONETSK, T0, BOTH)
    zaporizhzhia = read(STRIKE_ZAPORIZHZHIA, T0 + timedelta(hours=1), BOTH)
    match = stories.compare(donetsk, zaporizhzhia)
    assert match.meaning is not None
    assert match.meaning >= stories.MIN_MEANING
    assert match.event_contrast == "place"
    assert not match.same_story

    kharkiv = read(KHARKIV_A, T0, ["روسيا", "كوريا الشمالية"])
    pact = read(PACT, T0 + timedelta(hours=3), ["روسيا", "كوريا الشمالية"])
    assert not stories.same_story(kharkiv, pact)


def test_a_template_with_another_name_is_another_event_for_the_vectors_too() -> None:
    with_saudi = read(
        (
            "الجيش المصري ينفذ مناورات مشتركة مع السعودية",
            "بدأت القوات المسلحة المصرية تنفيذ مناورات مشتركة مع القوات السعودية في المنطقة الجنوبية.",
        ),
        T0,
        ["مصر", "السعودية"],
    )
    with_greece = read(
        (
            "الجيش المصري ينفذ مناورات مشتركة مع اليونان",
            "بدأت القوات المسلحة المصرية تنفيذ مناورات مشتركة مع القوات اليونانية في البحر المتوسط.",
        ),
        T0 + timedelta(hours=2),
        ["مصر", "اليونان"],
    )
    match = stories.compare(with_saudi, with_greece)
    assert match.template_contrast, match
    assert not match.same_story


# -- the store ----------------------------------------------------------------------------


def kept(store: ArticleStore) -> dict[str, tuple[int, bytes]]:
    with store.sessions() as session:
        rows = session.execute(
            select(ArticleRow.url, ArticleMeaningRow.text_key, ArticleMeaningRow.vector).join(
                ArticleMeaningRow, ArticleMeaningRow.article_id == ArticleRow.id
            )
        )
        return {url: (text_key, vector) for url, text_key, vector in rows}


def test_the_store_keeps_the_vectors_it_compared_and_makes_a_stale_one_again(store: ArticleStore) -> None:
    a = store.save(article("https://a.example/1", KHARKIV_A, T0, WAR, "asite"), T0)
    assert kept(store) == {}  # no candidate to compare with: no vector made yet
    store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), WAR, "bsite"), T0)
    vectors = kept(store)
    assert set(vectors) == {"https://a.example/1", "https://b.example/1"}
    text_key, vector = vectors["https://a.example/1"]
    assert text_key == meaning.key(vector_text(KHARKIV_A[0], KHARKIV_A[1][:STORY_LEAD_CHARS]))
    assert len(vector) == meaning.DIMENSIONS * 2
    [story] = list(store.iter_stories())
    assert story["article_count"] == 2

    # a's vector made from another text (an older headline): the next placement makes it again
    with store.engine.begin() as connection:
        connection.execute(
            update(ArticleMeaningRow).where(ArticleMeaningRow.article_id == a.article_id).values(text_key=1)
        )
    third = article("https://c.example/1", KHARKIV_B, T0 + timedelta(hours=1), WAR, "csite")
    third.title, third.body = (
        "حاكم خاركيف: خمسة قتلى في الضربة الصاروخية الروسية",
        KHARKIV_A[1] + " وتواصل فرق الإنقاذ البحث.",
    )
    third.blocks = [Block(third.body)]
    store.save(dedup_keys(third), T0)
    assert kept(store)["https://a.example/1"][0] == text_key


def test_no_vector_is_made_for_a_page_that_will_not_be_placed(store: ArticleStore) -> None:
    first = article("https://a.example/1", KHARKIV_A, T0, WAR, "asite")
    store.save(first, T0)
    store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), WAR, "bsite"), T0)
    seen_again = article("https://a.example/1", KHARKIV_A, T0, WAR, "asite")
    assert prepare_meanings(store.engine, seen_again, T0) is None  # a known URL keeps its story
    copy = article("https://c.example/1", KHARKIV_A, T0, WAR, "csite")
    assert prepare_meanings(store.engine, copy, T0) is None  # a stored text at another URL
    revised = article("https://a.example/1", KHARKIV_A, T0, WAR, "asite")
    assert prepare_meanings(store.engine, revised, T0, revise=True) is not None  # it may move


def test_without_story_vectors_the_words_decide_and_no_vector_is_made(database_url: str) -> None:
    """settings.STORY_VECTORS = False: the word rules alone, as before the vectors."""
    store = ArticleStore(make_engine(database_url), story_vectors=False).prepare()
    try:
        store.save(article("https://a.example/1", KHARKIV_A, T0, WAR, "asite"), T0)
        store.save(article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), WAR, "bsite"), T0)
        assert kept(store) == {}
        [story] = list(store.iter_stories())  # the two reports share enough words
        assert story["article_count"] == 2
    finally:
        store.engine.dispose()


def test_vectors_made_ahead_are_the_ones_the_writer_reads(store: ArticleStore) -> None:
    """The store pipeline makes vectors on threads of its own before the writer stores the
    article: the writer then makes none, and what it decides is what it decided alone."""
    first = article("https://a.example/1", KHARKIV_A, T0, WAR, "asite")
    second = article("https://b.example/1", KHARKIV_B, T0 + timedelta(hours=2), WAR, "bsite")
    meaning.embed_text.cache_clear()
    store.make_meaning_ahead(first, T0)
    store.save(first, T0)
    store.make_meaning_ahead(second, T0)
    made_ahead = meaning.embed_text.cache_info().misses
    assert made_ahead == 2  # each report's own vector, made before it was stored
    store.save(second, T0)
    assert meaning.embed_text.cache_info().misses == made_ahead  # the writer made none
    [story] = list(store.iter_stories())
    assert story["article_count"] == 2
    # a page seen again is not placed: nothing to make ahead
    store.make_meaning_ahead(article("https://a.example/1", KHARKIV_A, T0, WAR, "asite"), T0)
    assert meaning.embed_text.cache_info().misses == made_ahead


class _Model:
    """Stands in for the C engine: counts the calls inside it at once."""

    inside = 0
    most = 0
    lock = threading.Lock()
    # calls wait for each other in groups of the limit, so that as many are inside at once as
    # the engines allow, however slowly the threads start (a sleep left that to chance)
    together = threading.Barrier(1)

    def passage(self, text: str) -> meaning.Vector:
        with self.lock:
            _Model.inside += 1
            _Model.most = max(_Model.most, _Model.inside)
        _Model.together.wait(timeout=30)
        with self.lock:
            _Model.inside -= 1
        return np.ones(meaning.DIMENSIONS, dtype=np.float32)


@pytest.mark.parametrize("limit", [1, 3])
def test_threads_embed_at_once_each_with_a_model_of_its_own_up_to_the_limit(
    monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    loaded: list[_Model] = []

    def load() -> _Model:
        loaded.append(_Model())
        return loaded[-1]

    engines = meaning._Engines(limit)
    monkeypatch.setattr(meaning, "_load", load)
    monkeypatch.setattr(_Model, "together", threading.Barrier(limit))
    _Model.most = 0

    def embed(n: int) -> None:
        with engines.model() as model:
            model.passage(str(n))

    workers = [threading.Thread(target=embed, args=(n,)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert len(loaded) == limit  # never more models than threads may use at once
    assert _Model.most == limit  # and no model serves two calls at once
    engines.allow(2)
    assert engines._limit == max(2, limit)  # the limit only ever rises


def test_reports_that_share_no_actor_state_or_place_need_a_closer_vector() -> None:
    """A candidate found by a headline word alone (actors the lens does not know) is one story
    only past a higher bar than reports that share an actor, a state or a place; by words,
    never."""
    shared = stories.StoryMatch(
        score=0.5, title=0.3, shared_actors=1, hours_apart=3.0, template_contrast=False, meaning=0.895
    )
    alone = dataclasses.replace(shared, shared_actors=0)
    assert shared.gated
    assert not alone.gated
    assert shared.same_story
    assert alone.wants_meaning
    assert not alone.same_story  # 0.895 < 0.89 + the margin
    assert dataclasses.replace(alone, meaning=0.9).same_story
    assert not dataclasses.replace(alone, meaning=None, score=1.0).same_story  # words: never
    assert dataclasses.replace(shared, meaning=None, score=1.0).same_story
    # far apart or another place: parted whatever the vector says
    assert not dataclasses.replace(alone, meaning=0.99, hours_apart=72.0).same_story
    assert not dataclasses.replace(shared, meaning=0.99, event_contrast="place").same_story


def test_reports_that_share_almost_no_wording_are_not_read_by_vectors() -> None:
    """Under a tenth of shared lead wording, two reports have a word or two in common at most:
    no vector is made for the pair, and no cosine, however high, makes it one story."""
    close = stories.StoryMatch(
        score=stories.MIN_MEANING_WORDING,
        title=0.0,
        shared_actors=1,
        hours_apart=2.0,
        template_contrast=False,
        meaning=0.95,
    )
    apart = dataclasses.replace(close, score=stories.MIN_MEANING_WORDING - 0.01)
    assert close.wants_meaning
    assert close.same_story
    assert not apart.wants_meaning
    assert not apart.same_story
    # read by words, as without vectors: the wording decides, as it always did
    assert not dataclasses.replace(apart, meaning=None).same_story


def test_a_model_that_fails_to_load_frees_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were its place kept, the next thread would wait for good and the crawl's writer hang."""

    def fail() -> _Model:
        raise MemoryError("no room for the model")

    engines = meaning._Engines(1)
    monkeypatch.setattr(meaning, "_load", fail)
    outcomes: list[str] = []

    def embed() -> None:
        try:
            with engines.model():
                outcomes.append("embedded")
        except MemoryError:
            outcomes.append("refused")

    for _ in range(2):
        worker = threading.Thread(target=embed, daemon=True)
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "a thread waits for a model that will never come"
    assert outcomes == ["refused", "refused"]
    monkeypatch.setattr(meaning, "_load", _Model)
    with engines.model() as model:  # once a model loads, it is served
        assert isinstance(model, _Model)
