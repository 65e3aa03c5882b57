"""``brobygger bench``: speed and memory at 1,000 / 10,000 / 100,000 offers.

Catalogues are generated from the demo catalogue. Encoding is measured on real, unique texts;
larger catalogues reuse the encodings of repeated texts with a little noise added to each
vector (so the approximate index still sees distinct points). The report says so.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from datetime import date
from pathlib import Path

import numpy as np

from catalogue.db import init_db, make_engine, session_factory
from catalogue.records import OfferRecord
from catalogue.repository import load_records
from catalogue.settings import Settings
from ingest.importer import import_catalogue, read_catalogue
from ingest.jsonl import write_jsonl
from matcher.citizen import Citizen
from matcher.encoder import Encoder, Progress, encode_with_cache, text_hash, threads_per_encoding
from matcher.index import build_index, offer_text
from matcher.loader import ensure_index, load_scorer
from matcher.service import Matcher

DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Centrum", "Havnen", "Bakken", "Parken", "Engen",
             "Skoven", "Søen", "Torvet", "Stationen", "Marken", "Åen", "Strandvejen")
CITIZENS = (Citizen(age=34, municipality="Aarhus"), Citizen(age=67, municipality="Odense"),
            Citizen(age=22, municipality="Esbjerg", has_referral=True), Citizen())
TODAY = date(2026, 11, 23)
TARGETS = {"p50": 1.3, "p95": 1.5, "long_over_short_p50": 2.0}   # issue 17
# Each query is timed this many times. With three intake notes, three rounds gave the notes'
# median from nine times, and on this shared machine a note over a short search ranged from
# 1.6x to 2.2x over nine runs at 10,000 offers; seven rounds (21 times) cost a few seconds
# more per catalogue size.
LATENCY_ROUNDS = 7


@dataclass(frozen=True)
class BenchQuery:
    kind: str      # short (at most three words), mid, or long (an intake note of ~600 characters)
    text: str


def bench_queries(path: Path | None = None) -> list[BenchQuery]:
    """The benchmark's queries, from ``evaluation/data/bench_queries.jsonl`` by default."""
    path = path or Path(str(resources.files("evaluation") / "data" / "bench_queries.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines()
    return [BenchQuery(**json.loads(line)) for line in lines if line.strip()]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def generate(base: list[OfferRecord], n: int, seed: int = 7) -> list[OfferRecord]:
    """``n`` offers varied from ``base``: new ids, district names, nearby coordinates, ages."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = base[i % len(base)]
        district = DISTRICTS[(i // len(base)) % len(DISTRICTS)]
        copy = i // (len(base) * len(DISTRICTS))
        name = f"{r.name} {district}" + (f" {copy + 1}" if copy else "")
        jitter = (rng.uniform(-0.02, 0.02), rng.uniform(-0.03, 0.03))
        out.append(dataclasses.replace(
            r, id=f"gen-{i:06d}", name=name,
            lat=None if r.lat is None else round(r.lat + jitter[0], 5),
            lon=None if r.lon is None else round(r.lon + jitter[1], 5)))
    return out


def seeded_vectors(records: list[OfferRecord], base_vectors: dict[str, np.ndarray],
                   base: list[OfferRecord], seed: int = 11) -> dict[str, np.ndarray]:
    """Vectors for generated texts without encoding them: the source text's vector blended with
    another offer's and some noise, so that generated offers spread out like real ones instead
    of piling up as near-copies."""
    rng = np.random.default_rng(seed)
    matrix = np.vstack([base_vectors[text_hash(offer_text(r))] for r in base])
    cache = {}
    for i, r in enumerate(records):
        partner = rng.integers(len(base))
        mixed = matrix[i % len(base)] + rng.uniform(0.1, 0.4) * matrix[partner]
        mixed += rng.normal(0, 0.02, mixed.shape).astype(np.float32)
        cache[text_hash(offer_text(r))] = (mixed / np.linalg.norm(mixed)).astype(np.float32)
    return cache


def _spread(times: list[float]) -> dict:
    return {"p50_ms": float(np.percentile(times, 50)) if times else 0.0,
            "p95_ms": float(np.percentile(times, 95)) if times else 0.0, "queries": len(times)}


def _ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def latency(matcher: Matcher, queries: list[BenchQuery], rounds: int = LATENCY_ROUNDS) -> dict:
    """Each query answered in full (``Matcher.suggest``: ranked, grouped and explained) and its
    floor, the encoding of the query alone, timed one right after the other in alternating order,
    so that other work on a shared machine weighs on both alike and their ratio stays fair."""
    def full(i: int, query: BenchQuery):
        return lambda: matcher.suggest(query.text, CITIZENS[i % len(CITIZENS)], 10, TODAY)

    def floor(query: BenchQuery):
        return lambda: matcher.encoder.encode_queries([query.text])

    for i, query in enumerate(queries[:2]):   # warm up caches: a running service is measured
        full(i, query)()
        floor(query)()
    times: dict[str, list[float]] = {"full": [], "floor": []}
    by_kind: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        for i, query in enumerate(queries):
            calls = [("full", full(i, query)), ("floor", floor(query))]
            for what, call in calls[::-1] if (i + round_) % 2 else calls:
                elapsed = _ms(call)
                times[what].append(elapsed)
                by_kind.setdefault((query.kind, what), []).append(elapsed)
    # each query over its own floor, timed next to it: a mix of short searches and long notes
    # has two clusters of times, and the ratio of their medians jumps with which cluster holds
    # the median, while these ratios do not
    paired = np.array(times["full"]) / np.array(times["floor"])
    report = {**_spread(times["full"]), "floor": _spread(times["floor"]), "rounds": rounds}
    for kind in dict.fromkeys(q.kind for q in queries):
        own = np.array(by_kind[(kind, "full")]) / np.array(by_kind[(kind, "floor")])
        report[kind] = {**_spread(by_kind[(kind, "full")]), "floor": _spread(by_kind[(kind, "floor")]),
                        "over_own_floor_p50": float(np.percentile(own, 50))}
    short, long = report.get("short"), report.get("long")
    report["ratios"] = {
        "p50": report["p50_ms"] / report["floor"]["p50_ms"],
        "p95": report["p95_ms"] / report["floor"]["p95_ms"],
        "long_over_short_p50": long["p50_ms"] / short["p50_ms"] if short and long else None,
        "long_floor_over_short_floor_p50":
            long["floor"]["p50_ms"] / short["floor"]["p50_ms"] if short and long else None,
        # what a note costs beyond its own encoding against what a short search does: the part
        # of "long/short" that is not the encoder's (a note's 18 tokens against a search's ~8)
        "long_over_short_beyond_floor_p50":
            long["over_own_floor_p50"] / short["over_own_floor_p50"] if short and long else None,
        "per_query_p50": float(np.percentile(paired, 50)),
        "per_query_p95": float(np.percentile(paired, 95)),
    }
    return report


def ann_recall(matcher: Matcher, encoder: Encoder) -> float | None:
    """Recall@10 of the approximate index against exact search, over the benchmark queries,
    both unfiltered and filtered to what one citizen may use."""
    dense = matcher.index.dense
    if not dense.approximate:
        return None
    masks = [np.ones(matcher.index.size, dtype=bool),
             matcher.index.table.hard_mask(Citizen(age=34, municipality="Aarhus"), date(2026, 11, 23))]
    recalls = []
    for query in bench_queries():
        vector = encoder.encode_queries([query.text])[0]
        for allowed in masks:
            _, approx = dense.search(vector, 10, allowed)
            _, exact = dense.search(vector, 10, allowed, exact=True)
            recalls.append(len(set(approx) & set(exact)) / 10)
    return float(np.mean(recalls))


def db_lifecycle(records: list[OfferRecord], cache: dict[str, np.ndarray], encoder: Encoder,
                 settings: Settings, tmp: Path) -> dict:
    """Import from a file, first index build, restart (index from disk), one edited offer."""
    path = tmp / "catalogue.jsonl"
    write_jsonl(records, path)
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    init_db(engine)
    sessions = session_factory(engine)
    started = time.perf_counter()
    import_catalogue(sessions, path, "jsonl", "bench", max_bytes=1 << 30)
    import_s = time.perf_counter() - started
    settings = dataclasses.replace(settings, instance_dir=tmp / "instance")
    seeded = _SeededEncoder(encoder, cache)
    first = ensure_index(sessions, settings, seeded)[1]
    restarted, restart = ensure_index(sessions, settings, seeded)
    index_file_mb = restart.path.stat().st_size / 1024 / 1024
    with sessions() as session:
        stored = load_records(session)
    edited = dataclasses.replace(stored[0], description=stored[0].description + " Nu også om aftenen.")
    import_path = tmp / "one.jsonl"
    write_jsonl([edited], import_path)
    started = time.perf_counter()
    import_catalogue(sessions, import_path, "jsonl", "bench")
    _, after_edit = ensure_index(sessions, settings, seeded, previous=restarted)
    edit_s = time.perf_counter() - started
    engine.dispose()
    return {"import_s": import_s, "import_offers_per_s": len(records) / import_s,
            "first_index_s": first.seconds, "restart_ready_s": restart.seconds,
            "restart_reused_file": restart.reused_file, "edit_searchable_s": edit_s,
            "edit_encoded": after_edit.encoded,
            "index_file_mb": index_file_mb}


class _SeededEncoder:
    """The real encoder, but generated texts are looked up in the seeded vector table."""

    def __init__(self, encoder: Encoder, seeded: dict[str, np.ndarray]):
        self.inner, self.seeded = encoder, seeded
        self.name, self.dim = encoder.name, encoder.dim

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def fits(self, text):
        return self.inner.fits(text)

    def encode_passages(self, texts):
        known = [self.seeded.get(text_hash(t)) for t in texts]
        missing = [t for t, v in zip(texts, known) if v is None]
        fresh = iter(self.inner.encode_passages(missing)) if missing else iter(())
        return np.vstack([v if v is not None else next(fresh) for v in known])


def run_bench(base_path: Path, encoder: Encoder, settings: Settings,
              sizes: tuple[int, ...] = (1_000, 10_000, 100_000), lifecycle_limit: int = 10_000,
              say: Callable[[str], None] = lambda _: None, progress: Progress | None = None
              ) -> dict:
    """The benchmark report; ``say`` hears each step as it starts, ``progress`` the encoding."""
    base, _ = read_catalogue(base_path, source="bench")
    say(f"Koder demokataloget / encoding the demo catalogue ({len(base)} tekster / texts)")
    queries = bench_queries()
    started = time.perf_counter()
    base_vectors_list, _ = encode_with_cache([offer_text(r) for r in base], encoder, {},
                                             progress=progress)
    encode_s = time.perf_counter() - started
    base_vectors = {text_hash(offer_text(r)): v for r, v in zip(base, base_vectors_list)}
    chars = float(np.mean([len(offer_text(r)) for r in base]))
    report = {"encoder": encoder.name, "cores": os.cpu_count(),
              "encoder_threads": threads_per_encoding(),
              "encoding": {"texts": len(base), "seconds": encode_s,
                           "offers_per_s": len(base) / encode_s, "mean_chars": chars},
              "note": "Encoding is measured on the demo catalogue's unique texts. Generated catalogues "
                      "reuse those encodings (each blended with another offer's vector plus noise) "
                      "instead of encoding 100,000 texts at this rate. Latency is that of "
                      "Matcher.suggest (ranked by the shipped ranker and explained), each query "
                      "timed next to its floor, the encoding of the same query alone; the encoder "
                      "uses as many threads as each of serve's default workers gets.",
              "targets": TARGETS,
              "sizes": []}
    for n in sizes:
        say(f"{n:,} tilbud / offers: indeks, svartider, hukommelse / index, latency, memory")
        records = generate(base, n)
        cache = seeded_vectors(records, base_vectors, base)
        before = rss_mb()
        started = time.perf_counter()
        index, fresh = build_index(records, encoder, f"bench-{n}", cache, settings.exact_index_limit)
        build_s = time.perf_counter() - started
        matcher = Matcher(index, encoder, load_scorer(settings))
        row = {"offers": n, "index": index.dense.kind, "build_s": build_s,
               "rss_growth_mb": rss_mb() - before, "encoded_during_build": len(fresh),
               "latency": latency(matcher, queries), "ann_recall@10": ann_recall(matcher, encoder)}
        if n <= lifecycle_limit:
            say(f"{n:,} tilbud / offers: import, genstart, redigering / import, restart, edit")
            with tempfile.TemporaryDirectory(prefix="brobygger-bench-") as tmp:
                row["lifecycle"] = db_lifecycle(records, cache, encoder, settings, Path(tmp))
        report["sizes"].append(row)
        del matcher, index
    return report


def markdown(report: dict) -> str:
    enc = report["encoding"]
    threads = report.get("encoder_threads")
    lines = [f"# Brobygger benchmark ({report['encoder']}, {report['cores']} cores"
             + (f", {threads} encoder thread{'s' if threads > 1 else ''})" if threads else ")"), "",
             f"Encoding: {enc['offers_per_s']:.1f} offers/s ({enc['texts']} texts, "
             f"mean {enc['mean_chars']:.0f} characters).", "", report["note"], "",
             "| offers | index | build s | RSS +MB | p50 ms | p95 ms | ANN recall@10 | import offers/s | restart s | edit searchable s |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in report["sizes"]:
        life = row.get("lifecycle", {})
        recall = row["ann_recall@10"]
        lines.append(
            f"| {row['offers']:,} | {row['index']} | {row['build_s']:.1f} | {row['rss_growth_mb']:.0f} "
            f"| {row['latency']['p50_ms']:.1f} | {row['latency']['p95_ms']:.1f} "
            f"| {'exact' if recall is None else f'{recall:.3f}'} "
            f"| {_cell(life, 'import_offers_per_s', '{:.0f}')} "
            f"| {_cell(life, 'restart_ready_s', '{:.2f}')} "
            f"| {_cell(life, 'edit_searchable_s', '{:.2f}')} |")
    targets = report.get("targets", TARGETS)
    lines += ["", "Svartid mod gulvet (at kode forespørgslen alene), målt side om side i samme kørsel "
              "/ latency against the floor (encoding the query alone), measured side by side in "
              f"one run. Mål / targets: p50 ≤ {targets['p50']}× and p95 ≤ {targets['p95']}× the "
              f"floor, long p50 ≤ {targets['long_over_short_p50']}× short p50. Per query: "
              "p50 and p95 of each query's time over its own floor, timed next to it.", "",
              "| offers | floor p50 | floor p95 | p50 | p95 | p50/floor | p95/floor "
              "| per query p50 | per query p95 "
              "| short p50 (floor) | short p95 (floor) | long p50 (floor) | long p95 (floor) | long/short p50 |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in report["sizes"]:
        lat = row["latency"]
        if "ratios" not in lat:
            continue
        ratios, floor = lat["ratios"], lat["floor"]
        long_short = ratios["long_over_short_p50"]
        lines.append(
            f"| {row['offers']:,} | {floor['p50_ms']:.1f} | {floor['p95_ms']:.1f} "
            f"| {lat['p50_ms']:.1f} | {lat['p95_ms']:.1f} | {ratios['p50']:.2f}× | {ratios['p95']:.2f}× "
            f"| {_ratio(ratios, 'per_query_p50')} | {_ratio(ratios, 'per_query_p95')} "
            f"| {_kind(lat, 'short', 'p50_ms')} | {_kind(lat, 'short', 'p95_ms')} "
            f"| {_kind(lat, 'long', 'p50_ms')} | {_kind(lat, 'long', 'p95_ms')} "
            f"| {'–' if long_short is None else f'{long_short:.2f}×'} |")
    lines += ["", "Korte søgninger og noter, hver over sit eget gulv / short searches and intake "
              "notes, each over its own floor (p50 of each query's time over the encoding of "
              "the same query, timed next to it). Long/short is about the floors' ratio times "
              "the ratio of what each costs beyond its floor.", "",
              "| offers | floors long/short | short over its floor | long over its floor "
              "| long/short beyond the floors | long/short p50 |",
              "|---:|---:|---:|---:|---:|---:|"]
    for row in report["sizes"]:
        lat = row["latency"]
        ratios = lat.get("ratios", {})
        if ratios.get("long_over_short_beyond_floor_p50") is None:
            continue
        lines.append(
            f"| {row['offers']:,} | {ratios['long_floor_over_short_floor_p50']:.2f}× "
            f"| {lat['short']['over_own_floor_p50']:.2f}× | {lat['long']['over_own_floor_p50']:.2f}× "
            f"| {ratios['long_over_short_beyond_floor_p50']:.2f}× "
            f"| {ratios['long_over_short_p50']:.2f}× |")
    return "\n".join(lines) + "\n"


def _ratio(ratios: dict, key: str) -> str:
    return f"{ratios[key]:.2f}×" if key in ratios else "–"   # reports from before they were kept


def _kind(latency: dict, kind: str, key: str) -> str:
    """A kind's time with its floor's in brackets: "41.2 (30.1)"."""
    if kind not in latency:
        return "–"
    return f"{latency[kind][key]:.1f} ({latency[kind]['floor'][key]:.1f})"


def _cell(row: dict, key: str, fmt: str) -> str:
    return fmt.format(row[key]) if key in row else "–"


def write_report(report: dict, text: str, output: Path, name: str) -> tuple[Path, Path]:
    """``report`` as ``NAME.json`` and its markdown ``text`` as ``NAME.md`` in ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    json_path, md_path = output / f"{name}.json", output / f"{name}.md"
    json_path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    md_path.write_text(text, encoding="utf-8")
    return json_path, md_path


def write_bench(report: dict, output: Path) -> tuple[Path, Path]:
    return write_report(report, markdown(report), output, "bench")
