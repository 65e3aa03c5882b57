"""Ranking: a linear scorer over ``FEATURES``, either hand-set (fusion) or learned pairwise,
plus MMR diversification so one kind of activity does not crowd out the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression

from matcher.affinity import ThemeAffinity
from matcher.features import FEATURES

MODEL_FORMAT = "brobygger-linear-ranker/2"

# The transparent fallback: how much each signal counts when no model has been trained.
FUSION_WEIGHTS = {
    "dense": 2.0, "dense_rrf": 0.6, "bm25": 0.6, "bm25_rrf": 0.3, "tfidf": 0.8,
    "tfidf_rrf": 0.3, "fuzzy_name": 0.2, "need_overlap": 0.3, "explicit_need_overlap": 0.4,
    "interest_overlap": 0.5, "semantic_need": 0.2, "semantic_interest": 0.4, "named_similarity": 0.5,
    "role_match": 0.3, "language": 0.5, "distance": 0.5,
    "schedule": 0.6, "cost": 0.5, "accessibility": 0.6, "capacity": 0.5,
    "referral_blocked": -0.2, "stale": -0.05,
}


# Rules added to any scorer's score, each in spreads (standard deviations) of the query's
# candidate scores, so they weigh alike for the learned ranker and the fusion: offers whose
# bridges answer all the citizen's barriers rise, a role the citizen wishes for (volunteer, job)
# rises, and a listing nobody has confirmed for a year sinks.
BRIDGE_WEIGHT = 1.0
ROLE_WEIGHT = 0.3
UNCONFIRMED_WEIGHT = 0.3


def rule_scores(scores: np.ndarray, answered: np.ndarray, wished_role: np.ndarray,
                unconfirmed: np.ndarray) -> np.ndarray:
    """What the rules add to each candidate's score: ``answered`` is the share of the citizen's
    barriers its bridges answer, ``wished_role`` whether it has a role the citizen wishes for,
    ``unconfirmed`` whether the listing is unconfirmed for over a year."""
    spread = float(scores.std()) if len(scores) > 1 else 0.0
    return (spread or 1.0) * (BRIDGE_WEIGHT * answered + ROLE_WEIGHT * wished_role
                              - UNCONFIRMED_WEIGHT * unconfirmed)


@dataclass(frozen=True)
class LinearScorer:
    """score = sum(weight * (feature - mean) / scale); weights are readable and explainable.
    ``affinity`` is the learned theme affinity that the ``theme_affinity`` feature reads."""

    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    name: str
    affinity: ThemeAffinity = field(default_factory=ThemeAffinity)
    trained_on: dict = field(default_factory=dict)

    def score(self, matrix: np.ndarray) -> np.ndarray:
        return ((matrix - self.mean) / self.scale) @ self.weights

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        values = (row - self.mean) / self.scale * self.weights
        return dict(zip(FEATURES, values.tolist()))

    def to_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({
            "format": MODEL_FORMAT, "name": self.name, "features": list(FEATURES),
            "weights": self.weights.tolist(), "mean": self.mean.tolist(),
            "scale": self.scale.tolist(), "affinity": self.affinity.to_json(),
            "trained_on": self.trained_on,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }, indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> "LinearScorer":
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MODEL_FORMAT or data.get("features") != list(FEATURES):
            raise ValueError(f"{path}: rangeringsmodellen passer ikke til denne version "
                             f"/ the ranking model does not fit this version; run brobygger train")
        return cls(np.array(data["weights"], np.float32), np.array(data["mean"], np.float32),
                   np.array(data["scale"], np.float32), data.get("name", "learned"),
                   ThemeAffinity.from_json(data.get("affinity")), data.get("trained_on", {}))

    def with_affinity(self, affinity: ThemeAffinity) -> "LinearScorer":
        return replace(self, affinity=affinity)

    def with_provenance(self, trained_on: dict) -> "LinearScorer":
        """The same model, recording what it was trained on (written to its file)."""
        return replace(self, trained_on=trained_on)


def fusion_scorer() -> LinearScorer:
    weights = np.array([FUSION_WEIGHTS.get(name, 0.0) for name in FEATURES], np.float32)
    zeros, ones = np.zeros(len(FEATURES), np.float32), np.ones(len(FEATURES), np.float32)
    return LinearScorer(weights, zeros, ones, "fusion")


class PairwiseRanker(BaseEstimator):
    """RankSVM-style logistic regression on feature differences of offers within one query."""

    def __init__(self, C: float = 0.1, max_pairs_per_query: int = 400, random_state: int = 0):
        self.C = C
        self.max_pairs_per_query = max_pairs_per_query
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray, groups: np.ndarray) -> "PairwiseRanker":
        rng = np.random.default_rng(self.random_state)
        self.mean_ = X.mean(axis=0)
        self.scale_ = np.where(X.std(axis=0) > 1e-6, X.std(axis=0), 1.0)
        Z = (X - self.mean_) / self.scale_
        diffs, labels = [], []
        for group in np.unique(groups):
            rows = np.flatnonzero(groups == group)
            pairs = [(i, j) for i in rows for j in rows if y[i] > y[j]]
            if len(pairs) > self.max_pairs_per_query:
                pairs = [pairs[k] for k in rng.choice(len(pairs), self.max_pairs_per_query,
                                                      replace=False)]
            for i, j in pairs:   # alternate the sign over all pairs so both classes occur
                sign = 1 if len(diffs) % 2 == 0 else -1
                diffs.append(sign * (Z[i] - Z[j]))
                labels.append(1 if sign > 0 else 0)
        model = LogisticRegression(C=self.C, fit_intercept=False, max_iter=2000)
        model.fit(np.array(diffs), np.array(labels))
        self.coef_ = model.coef_.ravel()
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean_) / self.scale_) @ self.coef_

    def to_scorer(self) -> LinearScorer:
        return LinearScorer(self.coef_.astype(np.float32), self.mean_.astype(np.float32),
                            self.scale_.astype(np.float32), "learned")


def diversify(order: np.ndarray, scores: np.ndarray, vectors: np.ndarray, k: int,
              trade_off: float = 0.8) -> np.ndarray:
    """Maximal marginal relevance over the best candidates: relevance minus redundancy (the
    closest already chosen), taking the best by that each time, the earlier on a tie."""
    pool = np.asarray(order[: max(3 * k, k)], np.int64)
    if len(pool) <= 1:
        return pool
    spread = float(scores[pool].max() - scores[pool].min()) or 1.0
    relevance = (scores[pool] - scores[pool].min()) / spread
    similarity = vectors[pool] @ vectors[pool].T          # each pair once, not once per pick
    chosen = [0]
    redundancy = similarity[:, 0].copy()
    open_ = np.ones(len(pool), bool)
    open_[0] = False
    while open_.any() and len(chosen) < k:
        mmr = np.where(open_, trade_off * relevance - (1 - trade_off) * redundancy, -np.inf)
        best = int(np.argmax(mmr))
        chosen.append(best)
        open_[best] = False
        np.maximum(redundancy, similarity[:, best], out=redundancy)
    return pool[chosen]


def settle_places(order: np.ndarray, tiers: np.ndarray) -> np.ndarray:
    """``order`` with offers of a lower place tier first (``matcher.eligibility.place_tier``),
    the ranking kept within each tier: a full offer is never first."""
    return order[np.argsort(tiers, kind="stable")]
