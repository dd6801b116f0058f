"""The MinHash signatures (routing.duplicates): the fast path gives datasketch's own values."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from minwon.routing import duplicates
from minwon.routing.domain import shingles

TEXTS = [
    "우리 마을 앞 공장 건설을 반대합니다. 주민 건강과 환경을 위해 허가를 취소해 주세요.",
    "버스 정류장 의자가 부서졌어요 고쳐주세요",
    "가",
    "",
    "XPHONE 으로 연락 주세요 XNUM 번 버스",
]


def _one_by_one(text: str) -> MinHash:
    """How a signature was made before: a fresh MinHash, one update per shingle."""
    m = MinHash(num_perm=duplicates.NUM_PERM, seed=1, scheme=duplicates.SCHEME)
    for s in shingles(text, size=duplicates.SHINGLE):
        m.update(s.encode("utf-8"))
    return m


def test_signatures_equal_datasketchs_one_update_per_shingle():
    for text in TEXTS:
        assert np.array_equal(duplicates.signature(text).hashvalues, _one_by_one(text).hashvalues)


def test_a_stored_signature_loads_with_the_same_permutations_and_is_found():
    blob = duplicates.signature_bytes(TEXTS[0])
    loaded = duplicates.signature_from_bytes(blob)
    fresh = _one_by_one(TEXTS[0])
    assert np.array_equal(loaded.permutations, fresh.permutations)
    assert loaded.jaccard(fresh) == 1.0
    index = duplicates.DuplicateIndex()
    index.add(1, blob)
    index.add(2, duplicates.signature_bytes(TEXTS[1]))
    assert index.candidates(TEXTS[0] + " 부탁드립니다") == [1]
    assert index.candidates(TEXTS[0], exclude=1) == []
