"""The ranker: a model file anyone can load, learning that works, diversity that diversifies."""

import numpy as np
import pytest

from catalogue.settings import Settings
from matcher.features import FEATURES
from matcher.loader import bundled_ranker_path, load_scorer
from matcher.rank import FUSION_WEIGHTS, LinearScorer, PairwiseRanker, diversify


def test_fusion_weights_name_real_features():
    assert set(FUSION_WEIGHTS) <= set(FEATURES)


def test_bundled_model_loads_and_is_used(tmp_path):
    scorer = LinearScorer.from_json(bundled_ranker_path())
    assert scorer.weights.shape == (len(FEATURES),)
    assert load_scorer(Settings(instance_dir=tmp_path)).name == "learned"


def test_a_model_for_other_features_is_refused(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{"format": "brobygger-linear-ranker/1", "features": ["dense"], '
                    '"weights": [1], "mean": [0], "scale": [1]}', "utf-8")
    with pytest.raises(ValueError, match="brobygger train"):
        LinearScorer.from_json(path)


def test_pairwise_ranker_learns_which_signal_matters(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, len(FEATURES))).astype(np.float32)
    useful = FEATURES.index("tfidf")
    y = (X[:, useful] > 0.5).astype(int) + (X[:, useful] > 1.2).astype(int)
    groups = np.repeat(np.arange(30), 20)
    scorer = PairwiseRanker().fit(X, y, groups).to_scorer()
    assert int(np.argmax(np.abs(scorer.weights))) == useful and scorer.weights[useful] > 0
    scorer.with_provenance({"test": True}).to_json(tmp_path / "model.json")
    again = LinearScorer.from_json(tmp_path / "model.json")
    assert np.allclose(again.score(X[:5]), scorer.score(X[:5]), atol=1e-5)


def test_diversify_avoids_near_twins():
    # three near-identical walking groups, one different offer just below them, weaker others
    vectors = np.array([[1, 0, 0]] * 3 + [[0, 1, 0]] + [[0, 0, 1]] * 6, np.float32)
    scores = np.array([1.0, 0.99, 0.98, 0.97] + [0.5] * 6)
    chosen = diversify(np.arange(10), scores, vectors, k=2)
    assert chosen.tolist() == [0, 3]
    assert diversify(np.arange(10), scores, vectors, k=10).tolist()[:1] == [0]


def _mmr_by_the_definition(order, scores, vectors, k, trade_off=0.8):
    """MMR as written in the literature: each pick the best relevance minus redundancy."""
    pool = list(order[:3 * k])
    if not pool:
        return []
    low, spread = scores[pool].min(), (scores[pool].max() - scores[pool].min()) or 1.0
    chosen = [pool.pop(0)]
    while pool and len(chosen) < k:
        value = [trade_off * (scores[i] - low) / spread
                 - (1 - trade_off) * max(float(vectors[i] @ vectors[c]) for c in chosen) for i in pool]
        chosen.append(pool.pop(int(np.argmax(value))))
    return chosen


@pytest.mark.parametrize("seed", range(40))
def test_diversify_picks_what_mmr_defines(seed):
    """Whatever the scores (ties too) and however many candidates, the picks are MMR's."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(0, 120)), int(rng.integers(1, 12))
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = np.round(rng.normal(size=n), 1 if seed % 2 else 4).astype(np.float32)
    order = np.argsort(-scores, kind="stable")
    assert diversify(order, scores, vectors, k).tolist() == _mmr_by_the_definition(order, scores, vectors, k)
