"""``brobygger evaluate``: the report and run file of the interchange contract, on a small
catalogue, never touching the user's database."""

import json

from click.testing import CliRunner

from ingest.jsonl import write_jsonl
from tests.fixtures import small_catalogue
from catalogue.cli import main

QUERIES = [
    {"id": "q1", "kind": "short", "text": "gældsrådgivning", "citizen": {
        "age": 40, "municipality": "Odense", "has_referral": False, "languages": ["da"]},
     "relevant": {"odense-gaeldsraadgivning": 3}, "must_exclude": ["sommerhoejskole-paaroerende"]},
    {"id": "q2", "kind": "misspelled", "twin": "q1", "text": "gælsrådgivning", "citizen": {
        "age": 40, "municipality": "Odense", "has_referral": False, "languages": ["da"]},
     "relevant": {"odense-gaeldsraadgivning": 3}, "must_exclude": []},
    {"id": "q3", "text": "gåtur i skoven for ældre", "citizen": {
        "age": 72, "municipality": "Aarhus", "has_referral": False, "languages": ["da"]},
     "relevant": {"aarhus-gaagruppe": 3}, "must_exclude": []},
]


def test_evaluate_writes_report_and_run(tmp_path):
    catalogue, queries = tmp_path / "offers.jsonl", tmp_path / "queries.jsonl"
    write_jsonl(small_catalogue(), catalogue)
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUERIES), "utf-8")
    user_db = tmp_path / "instance" / "brobygger.db"
    result = CliRunner().invoke(main, [
        "evaluate", "--catalogue", str(catalogue), "--queries", str(queries),
        "--today", "2026-11-23", "--json", str(tmp_path / "r.json"), "--run", str(tmp_path / "run.tsv")],
        env={"BROBYGGER_INSTANCE_DIR": str(tmp_path / "instance")})
    assert result.exit_code == 0, result.output
    assert "nDCG@10" in result.output and "misspelled" in result.output

    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    for key in ("method", "n_queries", "ndcg@10", "recall@10", "mrr", "violation_rate",
                "latency_ms", "per_query"):
        assert key in report
    assert report["n_queries"] == 3 and report["violation_rate"] == 0.0
    assert set(report["latency_ms"]) == {"p50", "p95"}
    assert {q["id"] for q in report["per_query"]} == {"q1", "q2", "q3"}
    assert report["per_query"][0]["ndcg@10"] > 0.5       # the debt offer is found
    assert report["twins"]["misspelled"]["n"] == 1

    lines = (tmp_path / "run.tsv").read_text("utf-8").splitlines()
    first = lines[0].split("\t")
    assert first[0] == "q1" and first[1] == "Q0" and first[3] == "1" and first[5] == "full"
    ranks = [int(line.split("\t")[3]) for line in lines if line.startswith("q1\t")]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 10
    assert not user_db.exists()                              # a database of its own


def test_baselines_run_through_the_same_harness(tmp_path):
    catalogue, queries = tmp_path / "offers.jsonl", tmp_path / "queries.jsonl"
    write_jsonl(small_catalogue(), catalogue)
    queries.write_text(json.dumps(QUERIES[0], ensure_ascii=False), "utf-8")
    for method in ("bm25", "tfidf", "dense", "hybrid"):
        result = CliRunner().invoke(main, [
            "evaluate", "--catalogue", str(catalogue), "--queries", str(queries),
            "--today", "2026-11-23", "--method", method, "--json", str(tmp_path / f"{method}.json")],
            env={"BROBYGGER_INSTANCE_DIR": str(tmp_path / "instance")})
        assert result.exit_code == 0, result.output
        report = json.loads((tmp_path / f"{method}.json").read_text("utf-8"))
        assert report["method"] == method and report["violation_rate"] == 0.0


def test_bad_query_file_names_the_line(tmp_path):
    catalogue, queries = tmp_path / "offers.jsonl", tmp_path / "queries.jsonl"
    write_jsonl(small_catalogue(), catalogue)
    queries.write_text(json.dumps(QUERIES[0]) + "\n{not json\n", "utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--catalogue", str(catalogue),
                                       "--queries", str(queries)],
                                env={"BROBYGGER_INSTANCE_DIR": str(tmp_path / "instance")})
    assert result.exit_code == 1
    assert "queries.jsonl:2" in result.output
