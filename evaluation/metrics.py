"""Ranking metrics of the interchange contract: nDCG@10, recall@10, MRR, violations."""

from __future__ import annotations

import math

import numpy as np

RELEVANT_GRADE = 2


def ndcg_at_k(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Graded nDCG with linear gains (as trec_eval's ndcg_cut); 0 when nothing is relevant."""
    gains = [relevant.get(offer_id, 0) for offer_id in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float | None:
    """Share of offers graded >= 2 found in the top k; None when the query has none."""
    wanted = {o for o, g in relevant.items() if g >= RELEVANT_GRADE}
    if not wanted:
        return None
    return len(wanted & set(ranked[:k])) / len(wanted)


def reciprocal_rank(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float | None:
    """1 / rank of the first offer graded >= 2 in the top k; None when the query has none."""
    if not any(g >= RELEVANT_GRADE for g in relevant.values()):
        return None
    for i, offer_id in enumerate(ranked[:k], start=1):
        if relevant.get(offer_id, 0) >= RELEVANT_GRADE:
            return 1.0 / i
    return 0.0


def violations(ranked: list[str], must_exclude: list[str], k: int = 10) -> list[str]:
    excluded = set(must_exclude)
    return [offer_id for offer_id in ranked[:k] if offer_id in excluded]


def mean(values: list[float | None]) -> float:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else 0.0


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0
