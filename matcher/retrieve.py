"""Candidate retrieval: dense, BM25, character n-grams and themes, each among eligible offers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from matcher.dense import top_positions
from matcher.documents import query_ngrams
from matcher.index import CatalogueIndex
from matcher.text import content_terms, fold
from matcher.understand import NAME_MATCH, Understanding

DEPTH = 100
NAME_POOL = 30          # offers by lexical score whose names are looked for in the text
MIN_NAME_LENGTH = 8     # "Løft" is a word before it is a name
_NAME_TAIL = re.compile(r"(\s+\S*\d\S*)+$")   # "Ungechatten 18-24", "Seniorklubben Sundby 65+"


@dataclass
class Signals:
    """Relevance signals for the candidate offers (positions into the index); theme signals are
    the idf-weighted share of the query's themes each offer has (interests by their weight: a
    dream counts double)."""

    positions: np.ndarray
    dense: np.ndarray
    bm25: np.ndarray
    tfidf: np.ndarray
    needs: np.ndarray
    explicit_needs: np.ndarray
    interests: np.ndarray
    semantic_needs: np.ndarray
    semantic_interests: np.ndarray
    named: np.ndarray            # offers the text names, eligible or not
    named_similarity: np.ndarray


def _masked(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    return np.where(allowed, scores, -np.inf)


def _top_positive(scores: np.ndarray, depth: int) -> np.ndarray:
    top = top_positions(scores, depth)
    return top[scores[top] > 0]


@lru_cache(maxsize=65_536)   # asked for the same offers' names on every search
def name_core(name: str) -> str:
    """The part of an offer's name people say: "Ungechatten 18-24" -> "ungechatten"."""
    return _NAME_TAIL.sub("", fold(name.split(" – ")[0])).strip()


def named_offers(index: CatalogueIndex, text: str, lexical: list[np.ndarray]) -> np.ndarray:
    """Offers the citizen names ("Jeg har hørt om Ung i Balance"), eligible or not, looked for
    among the best ``NAME_POOL`` offers by each lexical score so a large catalogue costs no more."""
    folded = fold(text)
    pool = np.unique(np.concatenate([top_positions(scores, NAME_POOL) for scores in lexical]))
    found = []
    for position in pool:
        core = name_core(index.records[int(position)].name)
        if MIN_NAME_LENGTH <= len(core) <= len(folded) and fuzz.partial_ratio(core, folded) >= NAME_MATCH:
            found.append(int(position))
    return np.array(sorted(found), np.int64)


def offer_likeness(index: CatalogueIndex, positions: np.ndarray, named: np.ndarray) -> np.ndarray:
    """How like each offer is to the most alike offer the citizen named: in meaning (centred
    cosine) plus in the interests they share (Jaccard), so "Kolonihaven Fællesjord" finds the
    other gardens rather than whatever is written in the same style."""
    offers, alike = index.interests.matrix[positions], index.interests.matrix[named]
    shared = (offers @ alike.T).toarray()
    union = (np.asarray(offers.sum(axis=1)) + np.asarray(alike.sum(axis=1)).T) - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return np.max(index.dense.likeness(positions, named) + jaccard, axis=1)


def bm25_scores(index: CatalogueIndex, terms: list[str]) -> np.ndarray:
    """Okapi BM25 of every offer for ``terms`` (a term said twice counts twice): the same as the
    ``bm25s`` model's ``get_scores``, but its posting lists are summed in one step instead of one
    term at a time (a 90-term intake note: 0.3 ms instead of 4 ms at 10,000 offers)."""
    vocabulary, postings = index.bm25.vocab_dict, index.bm25.scores
    rows = np.array([vocabulary[t] for t in terms if t in vocabulary], np.int64)
    indptr = postings["indptr"]
    starts, lengths = indptr[rows], indptr[rows + 1] - indptr[rows]
    # the position of every entry of the chosen posting lists, without a loop over them
    at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return np.bincount(postings["indices"][at], weights=postings["data"][at],
                       minlength=index.size).astype(np.float32)


@dataclass
class WordSignals:
    """Every offer's scores from the citizen's words alone, known before the query's meaning
    is: BM25 and character n-gram TF-IDF (of the text and its repaired twin) and the share of
    the text's needs and interests each offer has; ``pool`` holds the best ``DEPTH`` allowed
    offers by each lexical score."""

    bm25: np.ndarray
    tfidf: np.ndarray
    needs: np.ndarray
    explicit_needs: np.ndarray
    interests: np.ndarray
    pool: np.ndarray


def lexical_scores(index: CatalogueIndex, understanding: Understanding) -> tuple[np.ndarray, np.ndarray]:
    """BM25 and character n-gram TF-IDF of every offer for the text and its repaired twin."""
    query_text = f"{understanding.text} {understanding.repaired_text}"
    tfidf = (query_ngrams(index.documents.tfidf, fold(query_text)) @ index.tfidf_postings).toarray().ravel()
    return bm25_scores(index, content_terms(query_text)), tfidf


def word_signals(index: CatalogueIndex, understanding: Understanding,
                 lexical: tuple[np.ndarray, np.ndarray], allowed: np.ndarray,
                 depth: int = DEPTH) -> WordSignals:
    """``WordSignals`` from what ``lexical_scores`` gave and the themes ``understanding`` read."""
    needs = set(understanding.needs)
    pool = np.concatenate([_top_positive(_masked(scores, allowed), depth) for scores in lexical])
    return WordSignals(*lexical, index.needs.share(needs), index.explicit_needs.share(needs),
                       index.interests.share(understanding.interest_weights), pool)


def retrieve(index: CatalogueIndex, words: WordSignals, understanding: Understanding,
             query_vector: np.ndarray, allowed: np.ndarray, named: np.ndarray,
             depth: int = DEPTH) -> Signals:
    """Union of the best ``depth`` allowed offers by each signal, with every signal for each:
    ``words`` from ``word_signals``, the meaning's from ``query_vector`` and the themes it is
    near (``understanding.semantic_*``); ``named`` what ``named_offers`` found."""
    semantic_needs = index.explicit_needs.share(understanding.semantic_needs)
    semantic_interests = index.interests.share(understanding.semantic_interests)
    themes = words.interests + 0.5 * words.explicit_needs + 0.3 * semantic_interests + 0.01 * words.tfidf

    _, dense_top = index.dense.search(query_vector, depth, allowed)
    candidates = np.unique(np.concatenate([
        dense_top, words.pool, _top_positive(_masked(themes, allowed), depth),
    ]).astype(np.int64))
    named_similarity = (offer_likeness(index, candidates, named)
                        if len(named) and len(candidates) else np.zeros(len(candidates), np.float32))
    return Signals(
        positions=candidates,
        dense=index.dense.similarities(query_vector, candidates),
        bm25=words.bm25[candidates], tfidf=words.tfidf[candidates],
        needs=words.needs[candidates], explicit_needs=words.explicit_needs[candidates],
        interests=words.interests[candidates],
        semantic_needs=semantic_needs[candidates],
        semantic_interests=semantic_interests[candidates],
        named=named, named_similarity=named_similarity.astype(np.float32),
    )
