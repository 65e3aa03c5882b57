"""The search index of a catalogue: dense vectors, BM25, character n-grams and themes.

A derived artefact: built from offer records (reusing cached embeddings by text hash), stamped
with the catalogue fingerprint and the encoder name, safe to delete and rebuild.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

import bm25s
import numpy as np
from scipy import sparse

from catalogue.places import ALL_MUNICIPALITIES, municipality_key
from catalogue.records import OfferRecord
from catalogue.schedule import Window, parse_schedule
from catalogue.vocab import label
from matcher.artefacts import write_atomically
from matcher.dense import DenseIndex
from matcher.documents import DocumentTable, analyse
from matcher.encoder import Encoder, Progress, encode_with_cache, text_hash
from matcher.lexicon import lexicon_surface_forms
from matcher.offer_table import OfferTable
from matcher.themes import ThemeVectors, theme_vectors
from matcher.understand import SpellingRepair

INDEX_FORMAT = 12
ANALYSIS_DATA = ("needs.json", "interests.json", "stopwords_da.txt")


def offer_text(record: OfferRecord) -> str:
    """The text that represents an offer for search: what it is, for whom, by whom."""
    groups = ", ".join(label("target_groups", g) for g in record.target_groups)
    parts = [record.name + ".", record.description]
    if record.categories:
        parts.append("Kategorier: " + ", ".join(record.categories) + ".")
    if groups:
        parts.append("Målgruppe: " + groups + ".")
    parts.append(label("kind", record.kind) + (f" ved {record.provider}." if record.provider else "."))
    return " ".join(parts)


@lru_cache(maxsize=1)
def index_stamp() -> str:
    """The index format and a digest of the lexicons offers are analysed with: an index built
    with other lexicons (an upgrade) is rebuilt rather than reused."""
    digest = hashlib.sha256()
    for name in ANALYSIS_DATA:
        digest.update(resources.files("matcher").joinpath(f"data/{name}").read_bytes())
    return f"{INDEX_FORMAT}-{digest.hexdigest()[:16]}"


@dataclass
class ThemeMatrix:
    """Offer x theme membership (needs or interests) as a sparse 0/1 matrix, with each theme's
    inverse document frequency so rare themes ("heste") count more than common ones ("job")."""

    codes: list[str]
    matrix: sparse.csr_matrix
    idf: np.ndarray

    @classmethod
    def build(cls, sets: list[set[str]]) -> "ThemeMatrix":
        codes = sorted({c for s in sets for c in s})
        column = {c: i for i, c in enumerate(codes)}
        rows = [i for i, s in enumerate(sets) for _ in s]
        cols = [column[c] for s in sets for c in s]
        matrix = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                                   shape=(len(sets), max(len(codes), 1)))
        df = np.asarray(matrix.sum(axis=0)).ravel()
        idf = np.log1p(len(sets) / np.maximum(df, 1)).astype(np.float32)
        return cls(codes, matrix, idf)

    @cached_property
    def _columns(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.codes)}

    def share(self, query_codes: set[str] | dict[str, float]) -> np.ndarray:
        """For every offer, the idf-weighted share of the query's themes it has (0 to 1)."""
        weights = query_codes if isinstance(query_codes, dict) else dict.fromkeys(query_codes, 1.0)
        vector = np.zeros(self.matrix.shape[1], np.float32)
        for code, weight in weights.items():
            if (i := self._columns.get(code)) is not None:
                vector[i] = weight * self.idf[i]
        total = float(vector.sum())
        if total == 0:
            return np.zeros(self.matrix.shape[0], np.float32)
        return np.asarray(self.matrix @ vector).ravel() / total

    def of(self, position: int) -> set[str]:
        start, end = self.matrix.indptr[position], self.matrix.indptr[position + 1]
        return {self.codes[j] for j in self.matrix.indices[start:end]}


@dataclass
class CatalogueIndex:
    """Everything the matcher needs to search one catalogue, built once, queried many times."""

    records: list[OfferRecord]
    fingerprint: str
    encoder_name: str
    dense: DenseIndex
    bm25: bm25s.BM25
    documents: DocumentTable
    tfidf_postings: sparse.csr_matrix   # n-gram x offer: a query touches only its n-grams' rows
    needs: ThemeMatrix
    explicit_needs: ThemeMatrix
    interests: ThemeMatrix
    need_vectors: ThemeVectors
    interest_vectors: ThemeVectors
    table: OfferTable
    windows: list[tuple[Window, ...]]
    surface_forms: dict[str, str]
    postcode_centroids: dict[str, tuple[float, float]]
    municipality_centroids: dict[str, tuple[float, float]]
    common_terms: set[str]
    versions: list[tuple[int, str]] = field(default_factory=list)  # (offer id, content hash)
    format: str = field(default_factory=index_stamp)
    positions: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.positions = {r.id: i for i, r in enumerate(self.records)}

    @property
    def size(self) -> int:
        return len(self.records)

    def vector_cache(self) -> dict[str, np.ndarray]:
        """Every offer vector this index holds, by text hash."""
        return dict(zip(self.documents.hashes, self.dense.vectors))

    def spelling(self) -> SpellingRepair:
        return SpellingRepair({**lexicon_surface_forms(), **self.surface_forms})

    def save(self, path: Path) -> None:
        """Write atomically and durably: several workers may save the same index at once, and a
        crash during the save leaves the file that was there before."""
        write_atomically(path, lambda handle: pickle.dump(self, handle, protocol=5))

    @staticmethod
    def load(path: Path) -> "CatalogueIndex | None":
        try:
            with path.open("rb") as handle:   # the C pickler: joblib's took 20 times longer
                index = pickle.load(handle)
        except Exception:   # missing, damaged or from another version: derived data, rebuilt
            return None
        return index if getattr(index, "format", None) == index_stamp() else None


def _centroids(points: dict[str, list[tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    return {key: (float(np.mean([p[0] for p in pts])), float(np.mean([p[1] for p in pts])))
            for key, pts in points.items()}


def postcode_centroids(records: list[OfferRecord]) -> dict[str, tuple[float, float]]:
    """Mean coordinates of the catalogue's offers per postcode: where a postcode roughly is."""
    points: dict[str, list[tuple[float, float]]] = {}
    for r in records:
        if r.postcode and r.lat is not None and r.lon is not None:
            points.setdefault(r.postcode, []).append((r.lat, r.lon))
    return _centroids(points)


def municipality_centroids(records: list[OfferRecord]) -> dict[str, tuple[float, float]]:
    """Where a municipality roughly is: the mean place of offers only for its residents."""
    points: dict[str, list[tuple[float, float]]] = {}
    for r in records:
        if len(r.municipalities) == 1 and r.lat is not None and r.lon is not None:
            key = municipality_key(r.municipalities[0])
            if key != ALL_MUNICIPALITIES:
                points.setdefault(key, []).append((r.lat, r.lon))
    return _centroids(points)


def build_index(records: list[OfferRecord], encoder: Encoder, fingerprint: str,
                vector_cache: dict[str, np.ndarray] | None = None, exact_limit: int = 20_000,
                previous: CatalogueIndex | None = None,
                on_encoded: Callable[[dict[str, np.ndarray]], None] | None = None,
                progress: Progress | None = None
                ) -> tuple[CatalogueIndex, dict[str, np.ndarray]]:
    """Build the index; returns it with the newly encoded vectors (text hash -> vector).

    With ``previous`` (the index before an edit), only offers whose text changed are analysed;
    ``on_encoded`` receives offer vectors batch by batch as they are encoded.
    """
    texts = [offer_text(r) for r in records]
    hashes = [text_hash(t) for t in texts]
    cache = dict(vector_cache or {})
    if previous is not None:
        cache.update(previous.vector_cache())
    vectors, fresh = encode_with_cache(texts, encoder, cache, on_encoded, progress)
    documents = analyse(records, texts, hashes,
                        previous.documents if previous is not None else None)
    bm25 = bm25s.BM25()
    if records:  # an empty catalogue is valid: it just finds nothing
        bm25.index(documents.terms, show_progress=False)
    need_vectors, interest_vectors, fresh_themes = theme_vectors(encoder, cache, progress)
    index = CatalogueIndex(
        records=records, fingerprint=fingerprint, encoder_name=encoder.name,
        dense=DenseIndex(vectors, exact_limit), bm25=bm25, documents=documents,
        tfidf_postings=documents.tfidf_rows.T.tocsr(),
        needs=ThemeMatrix.build([set(n) for n in documents.needs]),
        explicit_needs=ThemeMatrix.build([set(r.target_groups) for r in records]),
        interests=ThemeMatrix.build([set(i) for i in documents.interests]),
        need_vectors=need_vectors, interest_vectors=interest_vectors,
        table=OfferTable.build(records),
        windows=[parse_schedule(r.schedule) for r in records],
        surface_forms=documents.surface_forms(),
        postcode_centroids=postcode_centroids(records),
        municipality_centroids=municipality_centroids(records),
        common_terms=documents.common_terms(),
    )
    return index, {**fresh, **fresh_themes}
