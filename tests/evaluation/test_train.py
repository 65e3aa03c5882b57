"""``brobygger train``: twins never straddle folds, the affinity is learned out of fold, and the
model it writes is the one the matcher loads."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from evaluation.train import AFFINITY, TrainingData, family_folds, fit_scorer
from ingest.jsonl import write_jsonl
from matcher.features import FEATURES
from matcher.rank import LinearScorer
from tests.evaluation.test_harness import QUERIES
from tests.fixtures import small_catalogue
from catalogue.cli import main

LONELY = frozenset({"form:story", "need:ensomhed"})
VOLUNTEER = frozenset({"kind:association", "role:frivillig"})
JOB = frozenset({"kind:social_economy", "role:job"})


def lonely_citizens(n_queries: int = 20) -> TrainingData:
    """Each query: a volunteer role (good) and a job (poor) that no other feature tells apart;
    queries 2k and 2k+1 are twins."""
    rng = np.random.default_rng(0)
    rows = 2 * n_queries
    return TrainingData(
        X=rng.normal(size=(rows, len(FEATURES))).astype(np.float32),
        y=np.array([3, 0] * n_queries), groups=np.repeat(np.arange(n_queries), 2),
        families=np.arange(n_queries) // 2, query_traits=[LONELY] * n_queries,
        offer_traits=[VOLUNTEER, JOB] * n_queries)


@pytest.mark.parametrize("shuffle", [0, 1, 2])
def test_twins_stay_in_one_fold(shuffle):
    data = lonely_citizens()
    folds = list(family_folds(data, np.arange(20), 5, shuffle))
    assert len(folds) == 5
    for train, test in folds:
        assert not set(data.families[train]) & set(data.families[test])
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(20))


def test_the_ranker_learns_to_trust_the_affinity():
    scorer = fit_scorer(lonely_citizens())
    assert scorer.weights[AFFINITY] > 0
    assert scorer.affinity.lift[("need:ensomhed", "role:frivillig")] > 0
    volunteer, job = scorer.affinity.score(LONELY, [VOLUNTEER, JOB])
    row = np.zeros((2, len(FEATURES)), np.float32)
    row[:, AFFINITY] = [volunteer, job]
    assert scorer.score(row)[0] > scorer.score(row)[1]


def test_train_writes_a_model_the_matcher_loads(tmp_path):
    catalogue, queries = tmp_path / "offers.jsonl", tmp_path / "queries.jsonl"
    write_jsonl(small_catalogue(), catalogue)
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUERIES), "utf-8")
    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path / "instance")}
    result = CliRunner().invoke(main, [
        "train", "--catalogue", str(catalogue), "--queries", str(queries), "--today", "2026-11-23",
        "--repeats", "2"], env=env)
    assert result.exit_code == 0, result.output
    assert "krydsvalidering" in result.output
    assert "repeated over 2 splits" in result.output
    scorer = LinearScorer.from_json(tmp_path / "instance" / "ranker.json")
    assert scorer.name == "learned" and scorer.affinity.judged > 0

    # evaluating the instance's ranker on the queries it learned from says the figures flatter it
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, [
        "evaluate", "--catalogue", str(catalogue), "--queries", str(queries),
        "--today", "2026-11-23", "--json", str(report)], env=env)
    assert result.exit_code == 0, result.output
    assert "trænet på netop disse forespørgsler" in result.output
    assert json.loads(report.read_text("utf-8"))["trained_on_these_queries"] is True
