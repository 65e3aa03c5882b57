"""Dense vector search with FAISS: exact inner product for small catalogues, HNSW above a size.

Eligibility is applied inside the search (an ID selector), so the top k is never cut before
ineligible offers are removed.
"""

from __future__ import annotations

import os

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 200
GATHER_SHARE = 0.2     # below this share of eligible offers their rows are copied out and searched
HALF_PRECISION_FROM = 4096   # from this many offers a first pass reads half-precision copies
HNSW_EF_SEARCH = 600   # measured: recall@10 0.99 of exact at 100,000 offers, about 1 ms

# One thread for FAISS and for BLAS: a single query gains nothing from more, and their idle
# threads spin and steal the cores the encoder's own OpenMP pool needs (measured: a 10,000-offer
# query took 35 ms with them, 18 ms without).
faiss.omp_set_num_threads(1)
threadpool_limits(1, user_api="blas")


class DenseIndex:
    """Inner-product search over L2-normalised vectors (so scores are cosines)."""

    def __init__(self, vectors: np.ndarray, exact_limit: int):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        # the catalogue's mean direction: e5 vectors all share much of it, so cosines between
        # offers crowd into 0.8-0.9 until it is taken away (see ``likeness``)
        self.centre = self.vectors.mean(axis=0) if len(self.vectors) else np.zeros(0, np.float32)
        self.approximate = len(self.vectors) > exact_limit
        self.exact_limit = exact_limit
        self._hnsw = self._build_hnsw() if self.approximate else None
        self._half = _half_precision(self.vectors)

    def _build_hnsw(self) -> faiss.Index:
        index = faiss.IndexHNSWFlat(self.vectors.shape[1], HNSW_NEIGHBOURS,
                                    faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            index.add(self.vectors)
        finally:
            faiss.omp_set_num_threads(1)
        return index

    @property
    def kind(self) -> str:
        return "hnsw" if self.approximate else "exact"

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray,
               exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` allowed offers by cosine: (scores, offer positions), best first."""
        allowed_ids = np.flatnonzero(allowed)
        if len(allowed_ids) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        if exact or not self.approximate or len(allowed_ids) <= self.exact_limit:
            if len(allowed_ids) < GATHER_SHARE * len(allowed):
                scores = self.vectors[allowed_ids] @ query
                top = top_positions(scores, k)
                return scores[top], allowed_ids[top]
            k = min(k, len(allowed_ids))
            if self._half is not None and not exact:
                return self._two_passes(query, k, allowed)
            # one product over every offer, then the ineligible left out: cheaper than copying
            # many eligible rows out first
            scores = np.where(allowed, self.vectors @ query, -np.inf)
            top = top_positions(scores, k)
            return scores[top], top.astype(np.int64)
        bitmap = np.packbits(allowed, bitorder="little")  # must outlive the search call
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
        scores, ids = self._hnsw.search(query[None, :].astype(np.float32), k, params=params)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep].astype(np.int64)

    def _two_passes(self, query: np.ndarray, k: int, allowed: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
        """The search is bound by memory: a first pass reads the vectors in half precision
        (half the bytes) for twice ``k`` offers, and their cosines are then computed exactly."""
        bitmap = np.packbits(allowed, bitorder="little")  # must outlive the search call
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        _, ids = self._half.search(query[None, :].astype(np.float32), 2 * k,
                                   params=faiss.SearchParameters(sel=selector))
        found = np.sort(ids[0][ids[0] >= 0]).astype(np.int64)   # ties broken by position
        scores = self.vectors[found] @ query
        top = top_positions(scores, k)
        return scores[top], found[top]

    def similarities(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        return self.vectors[positions] @ query

    def likeness(self, positions: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Cosine of offers around the catalogue's mean: each of ``positions`` against each of
        ``others``, spread over -1..1 instead of crowding into 0.8-0.9."""
        a = _unit(self.vectors[positions] - self.centre)
        b = _unit(self.vectors[others] - self.centre)
        return a @ b.T

    def __getstate__(self):
        state = self.__dict__.copy()
        if self._hnsw is not None:
            state["_hnsw"] = faiss.serialize_index(self._hnsw)
        state.pop("_half")   # made again from the vectors on loading
        return state

    def __setstate__(self, state):
        if state.get("_hnsw") is not None:
            state["_hnsw"] = faiss.deserialize_index(state["_hnsw"])
        self.__dict__.update(state)
        self._half = _half_precision(self.vectors)


def _half_precision(vectors: np.ndarray) -> faiss.Index | None:
    """A half-precision copy of ``vectors`` for the first pass of an exact search, from
    ``HALF_PRECISION_FROM`` offers on (smaller catalogues fit in the caches as they are)."""
    if len(vectors) < HALF_PRECISION_FROM:
        return None
    index = faiss.IndexScalarQuantizer(vectors.shape[1], faiss.ScalarQuantizer.QT_fp16,
                                       faiss.METRIC_INNER_PRODUCT)
    index.add(vectors)
    return index


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first, ties broken by position (stable)."""
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]

