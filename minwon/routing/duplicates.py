"""Near-duplicate lookup: MinHash over character shingles of the masked text, LSH for candidates.

No Django. ``signature`` turns a masked text into a MinHash (stored with the case as bytes);
``DuplicateIndex`` holds signatures in a datasketch ``MinHashLSH`` and answers the cases whose
estimated Jaccard similarity is at or above the threshold; candidates are then checked on their
exact shingle Jaccard (``domain.jaccard``) when the texts are at hand.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from minwon.routing.domain import jaccard, shingles

__all__ = [
    "NUM_PERM",
    "THRESHOLD",
    "DuplicateIndex",
    "signature",
    "signature_bytes",
    "signature_from_bytes",
    "similarity",
]

NUM_PERM = 64
THRESHOLD = 0.5  # shingle Jaccard at which two complaints count as near-duplicates
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2: stored signatures must say which hash scheme made them


_permutations: Any = None


def _perms() -> Any:
    """The MinHash permutations of ``seed=1`` (datasketch draws them anew for every MinHash it
    makes, which was most of the cost of loading a stored signature: computed once here)."""
    global _permutations
    if _permutations is None:
        from datasketch import MinHash

        _permutations = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations
    return _permutations


def signature(text: str) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_perms())
    m.update_batch([s.encode("utf-8") for s in shingles(text, size=SHINGLE)])
    return m


def signature_bytes(text: str) -> bytes:
    import numpy as np

    return bytes(np.asarray(signature(text).hashvalues, dtype=np.uint64).tobytes())


def signature_from_bytes(blob: bytes) -> Any:
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(blob, dtype=np.uint64)
    return MinHash(
        num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME, permutations=_perms()
    )


def similarity(a: str, b: str) -> float:
    return jaccard(shingles(a, size=SHINGLE), shingles(b, size=SHINGLE))


class DuplicateIndex:
    """An LSH index of case signatures keyed by complaint id (thread-safe, append-mostly)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._lock = threading.Lock()
        self.last_id = 0  # highest case id loaded (the caller loads newer ones incrementally)
        self._count = 0

    def add(self, key: int, blob: bytes) -> None:
        with self._lock:
            if key not in self._lsh:
                self._lsh.insert(key, signature_from_bytes(blob))
                self._count += 1

    def add_many(self, items: Iterable[tuple[int, bytes]]) -> None:
        for key, blob in items:
            self.add(key, blob)

    def candidates(self, text: str, *, exclude: int | None = None) -> list[int]:
        with self._lock:
            found = self._lsh.query(signature(text))
        return sorted(int(k) for k in found if k != exclude)

    def __len__(self) -> int:
        return self._count
