"""Turn retrieval signals and rule verdicts into one feature row per candidate offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz

from catalogue.records import KINDS
from matcher.affinity import ThemeAffinity, offer_tokens, query_tokens
from matcher.citizen import Citizen
from matcher.eligibility import Verdict, check_referral, soft_verdicts
from matcher.index import CatalogueIndex
from matcher.lexicon import is_search
from matcher.retrieve import Signals
from matcher.text import fold
from matcher.understand import Understanding

RRF_K = 20
FEATURES = (
    "dense", "dense_rrf", "bm25", "bm25_rrf", "tfidf", "tfidf_rrf", "fuzzy_name",
    "need_overlap", "explicit_need_overlap", "interest_overlap", "semantic_need",
    "semantic_interest", "named_similarity", "for_everyone", "role_match",
    "kind_municipal", "kind_association", "kind_social_economy",
    "language", "distance", "schedule", "cost", "accessibility", "capacity",
    "referral_blocked", "stale", "short_query", "theme_affinity",
)


@dataclass
class CandidateRows:
    """Features for every candidate, plus the verdicts that explain them."""

    positions: np.ndarray
    matrix: np.ndarray
    soft: list[list[Verdict]]
    referral: list[Verdict]
    named: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # offers the text names

    @classmethod
    def empty(cls) -> "CandidateRows":
        return cls(np.zeros(0, np.int64), np.zeros((0, len(FEATURES)), np.float32), [], [])

    def column(self, name: str) -> np.ndarray:
        return self.matrix[:, FEATURES.index(name)]


def _rrf(scores: np.ndarray) -> np.ndarray:
    """Reciprocal rank of each score within the candidates (1 / (k + rank))."""
    ranks = np.empty(len(scores), np.float32)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return (1.0 + RRF_K) / (RRF_K + ranks)


def traits_of(index: CatalogueIndex, position: int) -> frozenset[str]:
    """The offer's traits that theme affinity is learned over."""
    return offer_tokens(index.records[position], index.documents.needs[position],
                        index.documents.interests[position])


def build_features(index: CatalogueIndex, signals: Signals, understanding: Understanding,
                   citizen: Citizen, origin: tuple[float, float] | None, today: date,
                   affinity: ThemeAffinity) -> CandidateRows:
    """One row of ``FEATURES`` per candidate, in the order of ``signals.positions``."""
    positions = signals.positions
    bm25_max = float(signals.bm25.max()) if len(positions) and signals.bm25.max() > 0 else 1.0
    query_folded = fold(understanding.repaired_text)
    short = 1.0 if is_search(understanding.text) else 0.0
    columns: dict[str, list[float]] = {name: [] for name in FEATURES}
    soft_all, referral_all = [], []
    for position in positions:
        record = index.records[position]
        soft = soft_verdicts(record, index.windows[position], citizen, origin)
        referral = check_referral(record, citizen)
        soft_all.append(soft)
        referral_all.append(referral)
        for verdict in soft:
            columns[verdict.rule].append(verdict.score)
        stale_days = (today - record.assured_date).days if record.assured_date else 730
        columns["referral_blocked"].append(0.0 if referral.passed else 1.0)
        columns["stale"].append(min(max(stale_days, 0) / 365.0, 2.0))
        columns["short_query"].append(short)
        columns["fuzzy_name"].append(fuzz.token_set_ratio(query_folded, fold(record.name)) / 100.0)
        columns["for_everyone"].append(1.0 if "alle" in record.target_groups else 0.0)
        columns["role_match"].append(1.0 if understanding.roles & set(record.roles) else 0.0)
        for kind in KINDS:
            columns[f"kind_{kind}"].append(1.0 if record.kind == kind else 0.0)
    columns.update({
        "dense": signals.dense, "dense_rrf": _rrf(signals.dense),
        "bm25": signals.bm25 / bm25_max, "bm25_rrf": _rrf(signals.bm25),
        "tfidf": signals.tfidf, "tfidf_rrf": _rrf(signals.tfidf),
        "need_overlap": signals.needs,
        "explicit_need_overlap": signals.explicit_needs,
        "interest_overlap": signals.interests,
        "semantic_need": signals.semantic_needs,
        "semantic_interest": signals.semantic_interests,
        "named_similarity": signals.named_similarity,
        "theme_affinity": affinity.score(query_tokens(understanding),
                                         [traits_of(index, int(p)) for p in positions]),
    })
    matrix = np.column_stack([np.asarray(columns[name], np.float32) for name in FEATURES]) \
        if len(positions) else np.zeros((0, len(FEATURES)), np.float32)
    return CandidateRows(positions, matrix, soft_all, referral_all, signals.named)
