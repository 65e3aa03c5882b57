"""``brobygger evaluate``: load a catalogue into a throwaway database, run labelled queries,
report the contract's metrics overall and per query kind, and optionally a TREC run file."""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from catalogue.db import init_db, make_engine, session_factory
from catalogue.repository import fingerprint, load_records
from catalogue.settings import Settings
from evaluation.metrics import (mean, ndcg_at_k, percentile, recall_at_k, reciprocal_rank,
                                violations)
from evaluation.queries import LabelledQuery, queries_digest, read_queries
from ingest.importer import import_catalogue
from matcher.demo_vectors import shipped_demo_vectors
from matcher.encoder import Encoder, Progress, load_encoder
from matcher.index import CatalogueIndex, build_index
from matcher.loader import load_scorer, vector_file
from matcher.rank import LinearScorer
from matcher.service import Matcher
from matcher.vector_cache import load_vector_file, save_vector_file

K = 10


@dataclass
class QueryResult:
    query: LabelledQuery
    ranked: list[str]
    scores: list[float]
    latency_ms: float

    @property
    def ndcg(self) -> float:
        return ndcg_at_k(self.ranked, self.query.relevant, K)

    @property
    def violations(self) -> list[str]:
        return violations(self.ranked, self.query.must_exclude, K)


def index_catalogue(catalogue: Path, settings: Settings, encoder: Encoder,
                    progress: Progress | None = None) -> CatalogueIndex:
    """Import ``catalogue`` into a temporary SQLite database and index it (cached vectors, and
    the demo catalogue's shipped ones for offers whose text they match)."""
    with tempfile.TemporaryDirectory(prefix="brobygger-eval-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'evaluation.db'}")
        init_db(engine)
        sessions = session_factory(engine)
        import_catalogue(sessions, catalogue, source="evaluation")
        with sessions() as session:
            records, current = load_records(session), fingerprint(session)
        engine.dispose()
    cache_path = vector_file(settings, encoder.name, "evaluation")
    cache = load_vector_file(cache_path)
    index, fresh = build_index(records, encoder, current,
                               {**shipped_demo_vectors(encoder.name), **cache},
                               settings.exact_index_limit, progress=progress)
    if fresh:
        save_vector_file(cache_path, {**cache, **fresh})
    return index


def run_queries(matcher: Matcher, queries: list[LabelledQuery], today: date, method: str
                ) -> list[QueryResult]:
    if queries:  # warm up caches so latency figures describe a running service
        matcher.rank(queries[0].text, queries[0].citizen, K, today, method)
    results = []
    for query in queries:
        started = time.perf_counter()
        ranking = matcher.rank(query.text, query.citizen, K, today, method)
        elapsed = (time.perf_counter() - started) * 1000
        ranked = [matcher.index.records[int(p)].id for p in ranking.positions]
        results.append(QueryResult(query, ranked, [float(s) for s in ranking.scores], elapsed))
    return results


def summarise(results: list[QueryResult]) -> dict:
    latencies = [r.latency_ms for r in results]
    return {
        "n_queries": len(results),
        "ndcg@10": mean([r.ndcg for r in results]),
        "recall@10": mean([recall_at_k(r.ranked, r.query.relevant, K) for r in results]),
        "mrr": mean([reciprocal_rank(r.ranked, r.query.relevant, K) for r in results]),
        "violation_rate": mean([1.0 if r.violations else 0.0 for r in results]),
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
    }


def build_report(results: list[QueryResult], method: str, scorer_name: str) -> dict:
    """The report of the interchange contract, with per-kind figures added."""
    by_kind: dict[str, list[QueryResult]] = defaultdict(list)
    for r in results:
        if r.query.kind:
            by_kind[r.query.kind].append(r)
    report = {"method": method, **summarise(results), "ranker": scorer_name}
    report["per_kind"] = {kind: summarise(rs) for kind, rs in sorted(by_kind.items())}
    report["twins"] = twin_gaps(results)
    report["per_query"] = [{"id": r.query.id, "kind": r.query.kind, "ndcg@10": r.ndcg,
                            "violations": r.violations, "latency_ms": r.latency_ms}
                           for r in results]
    return report


def twin_gaps(results: list[QueryResult]) -> dict:
    """Per kind of twin (misspelled, no æøå...): its nDCG against its clean twin's."""
    by_id = {r.query.id: r for r in results}
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in results:
        if r.query.twin in by_id:
            pairs[r.query.kind or "twin"].append((r.ndcg, by_id[r.query.twin].ndcg))
    return {kind: {"n": len(p), "ndcg@10": mean([a for a, _ in p]),
                   "clean_ndcg@10": mean([b for _, b in p]),
                   "gap": mean([b - a for a, b in p])}
            for kind, p in sorted(pairs.items())}


def write_run(results: list[QueryResult], path: Path, method: str) -> None:
    """TREC run file: query, Q0, offer id, rank, score, method; top 10 per query."""
    with path.open("w", encoding="utf-8") as out:
        for r in results:
            for rank, (offer_id, score) in enumerate(zip(r.ranked, r.scores), start=1):
                out.write(f"{r.query.id}\tQ0\t{offer_id}\t{rank}\t{score:.6f}\t{method}\n")


def evaluate(catalogue: Path, queries_path: Path, settings: Settings, today: date,
             method: str = "full", encoder: Encoder | None = None,
             scorer: LinearScorer | None = None) -> tuple[dict, list[QueryResult]]:
    encoder = encoder or load_encoder(settings.embedding_model)
    queries = read_queries(queries_path)
    index = index_catalogue(catalogue, settings, encoder)
    scorer = scorer or load_scorer(settings)
    matcher = Matcher(index, encoder, scorer)
    results = run_queries(matcher, queries, today, method)
    report = build_report(results, method, scorer.name)
    if method == "full" and scorer.trained_on.get("queries_digest") == queries_digest(queries):
        report["trained_on_these_queries"] = True
    return report, results


def format_report(report: dict) -> str:
    lines = [f"Metode / method: {report['method']} (ranker: {report['ranker']}), "
             f"{report['n_queries']} forespørgsler / queries",
             f"{'':<22}{'nDCG@10':>9}{'recall@10':>11}{'MRR':>7}{'viol.':>7}{'p50 ms':>8}{'p95 ms':>8}"]

    def row(name: str, s: dict) -> str:
        return (f"{name:<22}{s['ndcg@10']:>9.3f}{s['recall@10']:>11.3f}{s['mrr']:>7.3f}"
                f"{s['violation_rate']:>7.3f}{s['latency_ms']['p50']:>8.1f}{s['latency_ms']['p95']:>8.1f}")

    if report.get("trained_on_these_queries"):
        lines.append("OBS: rangeringsmodellen er trænet på netop disse forespørgsler, så tallene er for "
                     "gode; se krydsvalideringen fra brobygger train / the ranker was trained on "
                     "these queries, so the figures flatter it; see the cross-validation")
    lines.append(row("alle / all", report))
    for kind, s in report["per_kind"].items():
        lines.append(row(f"  {kind} ({s['n_queries']})", s))
    for kind, t in report["twins"].items():
        lines.append(f"Tvillinger / twins {kind} ({t['n']}): nDCG@10 {t['ndcg@10']:.3f} mod / vs "
                     f"ren / clean {t['clean_ndcg@10']:.3f}, forskel / gap {t['gap']:+.3f}")
    return "\n".join(lines)


def write_report(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
