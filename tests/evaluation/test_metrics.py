"""The contract's metrics on hand-computed cases."""

import math

import pytest

from evaluation.metrics import mean, ndcg_at_k, recall_at_k, reciprocal_rank, violations


def test_ndcg_perfect_and_reversed():
    relevant = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], relevant) == pytest.approx(1.0)
    reversed_dcg = 1 + 2 / math.log2(3) + 3 / math.log2(4)
    ideal = 3 + 2 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(["c", "b", "a"], relevant) == pytest.approx(reversed_dcg / ideal)
    assert ndcg_at_k(["x", "y"], relevant) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0


def test_only_the_top_ten_count():
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg_at_k(ranked, {"a": 3}) == 0.0
    assert recall_at_k(ranked, {"a": 3}) == 0.0


def test_recall_and_mrr_use_grade_two_and_up():
    relevant = {"a": 3, "b": 2, "c": 1}
    assert recall_at_k(["c", "b"], relevant) == 0.5
    assert reciprocal_rank(["c", "x", "b"], relevant) == pytest.approx(1 / 3)
    assert recall_at_k(["c"], {"c": 1}) is None           # nothing graded 2+: not counted
    assert reciprocal_rank(["c"], {"c": 1}) is None
    assert mean([1.0, None, 0.0]) == 0.5


def test_violations():
    assert violations(["a", "b", "c"], ["b", "z"]) == ["b"]
    assert violations(["a"], []) == []
