"""Near-identical articles: one agency story reprinted by many outlets.

Each article becomes a set of word shingles (five words in a row, case and
punctuation ignored). A MinHash signature of the set is cut into bands; two
articles that share any band hash are candidates, and a candidate is a copy
when most of the shorter article's shingles are in the longer one (so a
reprint that trims the last paragraphs, or adds a line of its own, still
counts). The bands are what the ledger stores and looks up: 24 bands of 3
rows find a pair sharing a third of their shingles more often than not and a
pair sharing half almost always, while unrelated articles rarely collide.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

SHINGLE = 5
BANDS = 24
ROWS = 3
# Share of the shorter article's shingles found in the longer one.
COPY_THRESHOLD = 0.7
# Too few shingles to tell a reprint from a stock phrase.
MIN_SHINGLES = 25

_WORD = re.compile(r"\w+")
# The largest prime below 2^32: with a, b and x below it, a·x + b fits in 64 bits,
# so (a·x + b) mod p is computed exactly in uint64 and each row is a true
# random permutation-like hash (a, b must range over the whole field).
_PRIME = 4294967291
_rng = np.random.default_rng(20221124)  # fixed: signatures must agree across runs
_A = _rng.integers(1, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_MIX = _rng.integers(1, 1 << 32, size=SHINGLE, dtype=np.uint64) | np.uint64(1)


Shingles = np.ndarray  # sorted, distinct uint64 hashes: compact enough to keep many


def shingles(text: str) -> Shingles:
    """The article's five-word shingles as sorted, distinct 32-bit hashes (case
    and punctuation ignored); empty when the text is shorter than one shingle."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    # CRC-32 of each word (stable across runs and machines, as Python's hash()
    # is not), then each run of five combined with fixed odd multipliers: the
    # products wrap modulo 2^64, of which the low 32 bits are kept.
    hashed = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64,
                         count=len(words))
    n = len(words) - SHINGLE + 1
    grams = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):
        grams += hashed[k:k + n] * _MIX[k]
    return np.unique(grams & np.uint64(0xFFFFFFFF))


def as_shingles(values: set[int]) -> Shingles:
    """Shingles from a set of hashes (each below 2^32)."""
    return np.unique(np.fromiter(values, dtype=np.uint64, count=len(values)))


def bands(shingled: Shingles) -> list[int]:
    """The article's band hashes (BANDS of them, each a signed 63-bit int so any
    SQL BIGINT holds it); empty when the text is too short to compare."""
    if len(shingled) < MIN_SHINGLES:
        return []
    values = shingled % _PRIME
    signature = ((np.outer(_A, values) + _B[:, None]) % _PRIME).min(axis=1)
    out = []
    for band in range(BANDS):
        chunk = signature[band * ROWS:(band + 1) * ROWS].astype(">u8").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "big")).digest()
        out.append(int.from_bytes(digest, "big") >> 1)
    return out


def containment(a: Shingles, b: Shingles) -> float:
    """The share of the smaller shingle set found in the other (0 for empty)."""
    smaller = min(len(a), len(b))
    if not smaller:
        return 0.0
    return np.intersect1d(a, b, assume_unique=True).size / smaller


def is_copy(a: Shingles, b: Shingles) -> bool:
    """Whether two articles' shingle sets make them copies of one story."""
    return min(len(a), len(b)) >= MIN_SHINGLES and containment(a, b) >= COPY_THRESHOLD
