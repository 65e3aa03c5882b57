"""``brobygger bench``: the report sets each query next to its floor (encoding it alone), for
short searches and long intake notes, on a tiny catalogue with a stand-in encoder."""

import hashlib
import json

import numpy as np

from catalogue.demo import demo_catalogue_path
from catalogue.settings import Settings
from evaluation.bench import bench_queries, markdown, run_bench, write_bench


class HashEncoder:
    """Deterministic vectors from a text's hash: fast, and enough to exercise the report."""

    name, dim = "test/hash", 16

    def _encode(self, texts):
        vectors = np.array([np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], np.uint8)
                            for t in texts], np.float32).reshape(len(texts), self.dim) + 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    encode_passages = _encode

    def encode_queries(self, texts):
        return self._encode(texts)

    def fits(self, text):   # a hash reads the whole text
        return True


def test_bench_queries_have_short_searches_and_long_intake_notes():
    queries = bench_queries()
    short = [q for q in queries if q.kind == "short"]
    long = [q for q in queries if q.kind == "long"]
    assert short and all(len(q.text.split()) <= 3 for q in short)
    assert len(long) >= 2 and all(500 <= len(q.text) <= 700 for q in long)


def test_report_sets_latency_beside_the_floor(tmp_path):
    report = run_bench(demo_catalogue_path(), HashEncoder(), Settings(instance_dir=tmp_path),
                       sizes=(60,), lifecycle_limit=0)
    latency = report["sizes"][0]["latency"]
    for part in (latency, latency["short"], latency["long"]):
        assert part["p50_ms"] > 0 and part["p95_ms"] >= part["p50_ms"]
        assert part["floor"]["p50_ms"] > 0 and part["floor"]["queries"] == part["queries"]
    ratios = latency["ratios"]
    assert ratios["p50"] == latency["p50_ms"] / latency["floor"]["p50_ms"]
    assert ratios["p95"] == latency["p95_ms"] / latency["floor"]["p95_ms"]
    assert ratios["long_over_short_p50"] == latency["long"]["p50_ms"] / latency["short"]["p50_ms"]
    assert 0 < ratios["per_query_p50"] <= ratios["per_query_p95"]
    # the note against a short search, split into the floors' part and the rest
    assert ratios["long_over_short_beyond_floor_p50"] == \
        latency["long"]["over_own_floor_p50"] / latency["short"]["over_own_floor_p50"]
    assert latency["long"]["over_own_floor_p50"] > 0 and latency["rounds"] == 7

    json_path, md_path = write_bench(report, tmp_path / "out")
    assert json.loads(json_path.read_text("utf-8"))["sizes"][0]["latency"]["ratios"] == ratios
    text = md_path.read_text("utf-8")
    assert text == markdown(report)
    assert "p50/floor" in text and "long/short p50" in text and f"{ratios['p50']:.2f}×" in text
    assert "per query p95" in text and f"{ratios['per_query_p95']:.2f}×" in text
    assert "long/short beyond the floors" in text
    assert f"{ratios['long_over_short_beyond_floor_p50']:.2f}×" in text
