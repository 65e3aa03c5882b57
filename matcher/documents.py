"""Per-offer text analysis (BM25 terms, character n-grams, themes, words), kept with the index
so that a rebuild after an edit analyses only the offers whose text changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from catalogue.records import OfferRecord
from matcher.lexicon import interests_lexicon, needs_lexicon
from matcher.text import content_terms, fold, lower_words

# Above this share of new texts the n-gram weights are learned again from the whole catalogue.
REFIT_SHARE = 0.1


def new_vectorizer(n_texts: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1,
                           max_df=0.5 if n_texts > 1 else 1.0, dtype=np.float32)


@lru_cache(maxsize=100_000)   # the same words in search after search
def _word_ngrams(word: str) -> tuple[str, ...]:
    """The character n-grams ``new_vectorizer`` reads in one word (edges marked by a space)."""
    return tuple(_analyzer()(word))


@lru_cache(maxsize=1)
def _analyzer():
    return new_vectorizer(2).build_analyzer()


def query_ngrams(tfidf: TfidfVectorizer, text: str) -> sparse.csr_matrix:
    """One text's row of n-gram weights, the same as ``tfidf.transform([text])`` (sublinear
    counts times the learned idf, unit length: the settings of ``new_vectorizer``) but
    computed directly: scikit-learn's checks around a single short text cost 1-2 ms a search,
    the arithmetic a twentieth of that."""
    vocabulary, counts = tfidf.vocabulary_, Counter()
    for word, times in Counter(text.split()).items():   # n-grams never cross a word's edge
        for gram in _word_ngrams(word):
            if gram in vocabulary:
                counts[gram] += times
    columns = np.fromiter((vocabulary[g] for g in counts), np.int32, len(counts))
    weights = (1 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) \
        * tfidf.idf_[columns].astype(np.float32)
    length = float(np.linalg.norm(weights))
    order = np.argsort(columns)
    return sparse.csr_matrix(((weights / (length or 1.0))[order], columns[order], [0, len(columns)]),
                             shape=(1, len(tfidf.idf_)), dtype=np.float32)


@dataclass
class DocumentTable:
    """What was read out of each offer's text, in catalogue order."""

    hashes: list[str]
    terms: list[list[str]]
    tfidf: TfidfVectorizer
    tfidf_rows: sparse.csr_matrix          # offer x n-gram
    needs: list[frozenset[str]]
    interests: list[frozenset[str]]
    words: list[frozenset[str]]            # lower-case words as written (æøå kept)

    def row_of(self) -> dict[str, int]:
        return {h: i for i, h in enumerate(self.hashes)}

    def surface_forms(self) -> dict[str, str]:
        """Folded word -> how the catalogue writes it, preferring the spelling with æøå."""
        surface: dict[str, str] = {}
        for word in sorted(set().union(*self.words)) if self.words else ():
            key = fold(word)
            if key not in surface or (surface[key] == key and word != key):
                surface[key] = word
        return surface

    def common_terms(self, share: float = 0.15) -> set[str]:
        """Terms in more than ``share`` of the offers: too common to explain a match."""
        if len(self.terms) < 20:
            return set()
        df = Counter(t for terms in self.terms for t in set(terms))
        return {t for t, n in df.items() if n > share * len(self.terms)}


def _analyse_one(record: OfferRecord, text: str) -> tuple[list[str], frozenset, frozenset, frozenset]:
    return (content_terms(f"{record.name} {text}") or ["_"],
            frozenset(needs_lexicon().detect(text)), frozenset(interests_lexicon().detect(text)),
            frozenset(lower_words(text)))


def analyse(records: list[OfferRecord], texts: list[str], hashes: list[str],
            previous: DocumentTable | None = None) -> DocumentTable:
    """Analyse every text, reusing ``previous`` for texts it has already seen."""
    known = previous.row_of() if previous is not None else {}
    new = [i for i, h in enumerate(hashes) if h not in known]
    refit = (previous is None or not previous.hashes     # an empty catalogue learned no n-grams
             or len(new) > max(REFIT_SHARE * len(texts), 50))
    if refit:
        known, new = {}, list(range(len(texts)))
    parts = {i: _analyse_one(records[i], texts[i]) for i in new}

    if refit:
        tfidf = new_vectorizer(len(texts))
        rows = tfidf.fit_transform([fold(t) for t in texts]).tocsr() if texts else \
            sparse.csr_matrix((0, 0), dtype=np.float32)
    else:
        tfidf = previous.tfidf
        # nothing new (offers ended, paused or left out) must still give a valid table
        fresh_rows = tfidf.transform([fold(texts[i]) for i in new]).tocsr() if new else \
            sparse.csr_matrix((0, previous.tfidf_rows.shape[1]), dtype=np.float32)
        fresh_at = {i: len(previous.hashes) + j for j, i in enumerate(new)}
        order = [fresh_at[i] if i in fresh_at else known[h] for i, h in enumerate(hashes)]
        rows = sparse.vstack([previous.tfidf_rows, fresh_rows]).tocsr()[order]

    def pick(i: int, field: int, old: list):
        return parts[i][field] if i in parts else old[known[hashes[i]]]

    return DocumentTable(
        hashes=list(hashes),
        terms=[pick(i, 0, previous.terms if previous else []) for i in range(len(texts))],
        tfidf=tfidf, tfidf_rows=rows.astype(np.float32),
        needs=[pick(i, 1, previous.needs if previous else []) for i in range(len(texts))],
        interests=[pick(i, 2, previous.interests if previous else []) for i in range(len(texts))],
        words=[pick(i, 3, previous.words if previous else []) for i in range(len(texts))],
    )
