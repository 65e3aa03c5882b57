"""``brobygger train``: learn how to weigh the matcher's signals from labelled queries, and
measure it honestly with cross-validation over queries (never scored on its own training data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.model_selection import GroupKFold

from evaluation.harness import build_report, run_queries
from evaluation.queries import LabelledQuery
from matcher.rank import LinearScorer, PairwiseRanker, fusion_scorer
from matcher.service import Matcher


@dataclass
class TrainingData:
    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray


def training_data(matcher: Matcher, queries: list[LabelledQuery], today: date) -> TrainingData:
    """Candidate features of every query, labelled with its graded relevance (0 if unlabelled)."""
    X, y, groups = [], [], []
    for number, query in enumerate(queries):
        rows, _ = matcher.candidates(query.text, query.citizen, today)
        ids = [matcher.index.records[int(p)].id for p in rows.positions]
        X.append(rows.matrix)
        y.extend(query.relevant.get(offer_id, 0) for offer_id in ids)
        groups.extend([number] * len(ids))
    return TrainingData(np.vstack(X), np.array(y), np.array(groups))


def fit_scorer(data: TrainingData, C: float = 0.1) -> LinearScorer:
    return PairwiseRanker(C=C).fit(data.X, data.y, data.groups).to_scorer()


def cross_validate(matcher: Matcher, queries: list[LabelledQuery], data: TrainingData,
                   today: date, folds: int = 5, C: float = 0.1) -> dict:
    """Held-out metrics of learned weights vs. the hand-set fusion, fold by fold over queries."""
    learned, fusion = [], []
    splitter = GroupKFold(n_splits=min(folds, len(queries)))
    query_index = np.arange(len(queries))
    for train_q, test_q in splitter.split(query_index, groups=query_index):
        rows = np.isin(data.groups, train_q)
        scorer = fit_scorer(TrainingData(data.X[rows], data.y[rows], data.groups[rows]), C)
        held_out = [queries[i] for i in test_q]
        learned += run_queries(Matcher(matcher.index, matcher.encoder, scorer), held_out, today, "full")
        fusion += run_queries(Matcher(matcher.index, matcher.encoder, fusion_scorer()), held_out,
                              today, "full")
    return {"learned": build_report(learned, "full", "learned"),
            "fusion": build_report(fusion, "full", "fusion"), "folds": folds}
