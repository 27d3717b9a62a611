"""Near-duplicate detection: the same story syndicated by several outlets, lightly edited.

Two steps, as in every MinHash/LSH system, with the index kept in the database
so that any process finds what any other stored:

1. **Candidates** come from *keys*: the LSH band hashes of the story's MinHash
   signature (datasketch computes the signature; the banding is written here
   because datasketch's LSH keeps its index in memory or Redis/Cassandra, not
   in an SQL table), plus one key per paragraph and per sentence of 8 words or
   more. Band keys find copies with edits spread everywhere (synonyms, stripped
   hamza and punctuation); passage keys find copies that kept only part of the
   story intact (cut, truncated), which a Jaccard-based LSH misses because
   cutting the story lowers the Jaccard.
2. **Verification** on the exact word-trigram sets of the two bodies: a copy
   shares most of the shorter text's trigrams (containment), a different
   story about the same event shares names and places but not sentences.

Thresholds are chosen by measurement on the labelled pairs in
``devsite/dedup_pairs.py``; ``docs/dedup.md`` has the figures.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from crawler.text.arabic import matching_form

_WORD_RE = re.compile(r"[\w\u0600-\u06ff]+")  # as crawler.text.arabic.words, on a form already matched

# 25 bands of 5 rows: P(candidate) = 1 - (1 - J^5)^25, 0.5 at J ≈ 0.5. Measured
# on devsite/dedup_pairs.py (docs/dedup.md): with passage keys 641 of 642
# syndicated copies are candidates, while an unrelated story collides with
# ~2e-5 of the store (4 rows per band: ~3.5e-4, so lookups would grow).
BANDS = 25
ROWS = 5
NUM_PERM = BANDS * ROWS
SHINGLE_WORDS = 3
MIN_SHINGLES = 20  # bodies shorter than this are left to the exact hash
PASSAGE_KEY_MIN_WORDS = 8
# Verification thresholds, chosen on devsite/dedup_pairs.py (docs/dedup.md): copies
# keep 0.80 or more of the shorter text's trigrams, different reports of one event
# at most 0.52 (with a whole agency paragraph in common); 0.65 sits in the gap.
# The Jaccard floor stops a short text from merging into a long one because both
# are made of stock phrases: copies have 0.38 or more, different stories at most
# 0.27 in the labelled set; 0.33 sits in that gap (the test mirror's generated
# text, made of stock sentences, once had different stories at 0.21-0.36).
MIN_CONTAINMENT = 0.65
MIN_JACCARD = 0.33
MAX_CANDIDATES = 8  # verified per article, most shared keys first
# A candidate must share two keys or more. Measured (docs/dedup.md): unrelated
# stories that collide share exactly one key (a stray band or a stock sentence),
# copies share five or more in 97% of pairs; one key alone would make every
# lookup verify more bodies as the store grows.
MIN_SHARED_KEYS = 2
_SEED = 20250119


@dataclass(frozen=True)
class Fingerprint:
    """What the store needs to find and verify near-duplicates of one body."""

    shingles: frozenset[int]
    keys: tuple[int, ...]  # signed 64-bit, for an indexed BIGINT column


def _hash64(data: bytes) -> int:
    value: int = struct.unpack("<q", hashlib.blake2b(data, digest_size=8).digest())[0]
    return value


def text_key(value: str) -> int:
    """A 64-bit key for any string (lock names)."""
    return _hash64(value.encode("utf-8"))


def _paragraph_forms(body: str) -> list[str]:
    """The matching form of each paragraph, computed once for every key and shingle."""
    return [form for form in (matching_form(p) for p in body.split("\n\n")) if form]


# Stored bodies verified as candidates recur (a story syndicated ten times is a
# candidate for each new copy); a few hundred sets of ~1,000 ints stay under
# 20 MB, and the cache is keyed by the body text itself, so an edited body is
# never served stale shingles.
@functools.lru_cache(maxsize=256)
def shingles(text: str) -> frozenset[int]:
    """Word trigrams of the matching form, hashed to 64 bits.

    The matching form already removes what syndication changes without
    changing the story: hamza and alef variants, tashkeel, punctuation, digits'
    script. Trigrams keep word order (names alone do not make a copy).
    """
    return _shingles([token for form in _paragraph_forms(text) for token in _WORD_RE.findall(form)])


def _shingles(tokens: list[str]) -> frozenset[int]:
    if len(tokens) < SHINGLE_WORDS:
        return frozenset()
    return frozenset(
        _hash64(" ".join(tokens[i : i + SHINGLE_WORDS]).encode("utf-8"))
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    )


# The permutations depend on the seed alone; datasketch would draw them again
# for every MinHash (a quarter of a fingerprint's cost), so they are drawn once.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def signature(shingle_set: frozenset[int]) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    minhash.update_batch([value.to_bytes(8, "little", signed=True) for value in shingle_set])
    hashvalues: np.ndarray = minhash.hashvalues
    return hashvalues


def band_keys(hashvalues: np.ndarray) -> list[int]:
    return [
        _hash64(band.to_bytes(1, "little") + hashvalues[band * ROWS : (band + 1) * ROWS].tobytes())
        for band in range(BANDS)
    ]


_SENTENCE_END_RE = re.compile(r"[.!؟?]+(?:\s|$)|\n+")


def _passage_keys(forms: list[str]) -> list[int]:
    """One key per paragraph and per sentence long enough to be distinctive.

    Sentence keys survive cut, merged and truncated paragraphs; paragraph keys
    survive stripped punctuation, which erases sentence boundaries.
    """
    keys: list[int] = []
    for form in forms:
        passages = [(b"p", form), *((b"s", sentence) for sentence in _SENTENCE_END_RE.split(form))]
        for kind, passage in passages:
            tokens = _WORD_RE.findall(passage)
            if len(tokens) >= PASSAGE_KEY_MIN_WORDS:
                keys.append(_hash64(kind + " ".join(tokens).encode("utf-8")))
    return keys


def fingerprint(body: str) -> Fingerprint | None:
    """None for a body too short to compare (the exact hash still applies)."""
    forms = _paragraph_forms(body)
    shingle_set = _shingles([token for form in forms for token in _WORD_RE.findall(form)])
    if len(shingle_set) < MIN_SHINGLES:
        return None
    keys = dict.fromkeys([*band_keys(signature(shingle_set)), *_passage_keys(forms)])
    return Fingerprint(shingle_set, tuple(keys))


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # of the shorter text in the longer

    @property
    def is_duplicate(self) -> bool:
        return self.containment >= MIN_CONTAINMENT and self.jaccard >= MIN_JACCARD


def is_candidate(a: Fingerprint, b: Fingerprint) -> bool:
    return len(set(a.keys).intersection(b.keys)) >= MIN_SHARED_KEYS


def near_duplicates(a: Fingerprint, b: Fingerprint) -> bool:
    """The store's decision for one pair: found as a candidate by shared keys, then verified."""
    return is_candidate(a, b) and similarity(a.shingles, b.shingles).is_duplicate


def similarity(a: frozenset[int], b: frozenset[int]) -> Similarity:
    if not a or not b:
        return Similarity(0.0, 0.0)
    common = len(a & b)
    return Similarity(common / len(a | b), common / min(len(a), len(b)))
