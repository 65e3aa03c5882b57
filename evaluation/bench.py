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
from matcher.encoder import Encoder, Progress, encode_with_cache, text_hash
from matcher.index import build_index, offer_text
from matcher.loader import ensure_index
from matcher.service import Matcher

DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Centrum", "Havnen", "Bakken", "Parken", "Engen",
             "Skoven", "Søen", "Torvet", "Stationen", "Marken", "Åen", "Strandvejen")
QUERIES = (
    "jeg er ensom og vil gerne møde nogen", "gældsrådgivning", "gaeldsraadgivning",
    "job i et køkken", "min søn har ADHD og jeg er pårørende", "vil gerne passe dyr",
    "angst og depression, har brug for at tale med nogen der forstår", "cykelværksted",
    "I would like to volunteer", "hjemløs og har brug for et sted at sove i nat",
    "Borgeren er 45 år, har været ledig i to år, drikker for meget og har gæld. Han drømmer "
    "om at arbejde med sine hænder og komme ud i naturen.", "kor", "lektiecafé frivillig",
)


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


def latency(matcher: Matcher, rounds: int = 3) -> dict:
    citizens = [Citizen(age=34, municipality="Aarhus"), Citizen(age=67, municipality="Odense"),
                Citizen(age=22, municipality="Esbjerg", has_referral=True), Citizen()]
    matcher.rank(QUERIES[0], citizens[0], 10, date(2026, 11, 23))
    times = []
    for _ in range(rounds):
        for i, query in enumerate(QUERIES):
            started = time.perf_counter()
            matcher.rank(query, citizens[i % len(citizens)], 10, date(2026, 11, 23))
            times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)),
            "queries": len(times)}


def ann_recall(matcher: Matcher, encoder: Encoder) -> float | None:
    """Recall@10 of the approximate index against exact search, over the benchmark queries,
    both unfiltered and filtered to what one citizen may use."""
    dense = matcher.index.dense
    if not dense.approximate:
        return None
    masks = [np.ones(matcher.index.size, dtype=bool),
             matcher.index.table.hard_mask(Citizen(age=34, municipality="Aarhus"), date(2026, 11, 23))]
    recalls = []
    for query in QUERIES:
        vector = encoder.encode_queries([query])[0]
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
    started = time.perf_counter()
    base_vectors_list, _ = encode_with_cache([offer_text(r) for r in base], encoder, {}, progress)
    encode_s = time.perf_counter() - started
    base_vectors = {text_hash(offer_text(r)): v for r, v in zip(base, base_vectors_list)}
    chars = float(np.mean([len(offer_text(r)) for r in base]))
    report = {"encoder": encoder.name, "cores": os.cpu_count(),
              "encoding": {"texts": len(base), "seconds": encode_s,
                           "offers_per_s": len(base) / encode_s, "mean_chars": chars},
              "note": "Encoding is measured on the demo catalogue's unique texts. Generated catalogues "
                      "reuse those encodings (each blended with another offer's vector plus noise) "
                      "instead of encoding 100,000 texts at this rate.",
              "sizes": []}
    for n in sizes:
        say(f"{n:,} tilbud / offers: indeks, svartider, hukommelse / index, latency, memory")
        records = generate(base, n)
        cache = seeded_vectors(records, base_vectors, base)
        before = rss_mb()
        started = time.perf_counter()
        index, fresh = build_index(records, encoder, f"bench-{n}", cache, settings.exact_index_limit)
        build_s = time.perf_counter() - started
        matcher = Matcher(index, encoder)
        row = {"offers": n, "index": index.dense.kind, "build_s": build_s,
               "rss_growth_mb": rss_mb() - before, "encoded_during_build": len(fresh),
               "latency": latency(matcher), "ann_recall@10": ann_recall(matcher, encoder)}
        if n <= lifecycle_limit:
            say(f"{n:,} tilbud / offers: import, genstart, redigering / import, restart, edit")
            with tempfile.TemporaryDirectory(prefix="brobygger-bench-") as tmp:
                row["lifecycle"] = db_lifecycle(records, cache, encoder, settings, Path(tmp))
        report["sizes"].append(row)
        del matcher, index
    return report


def markdown(report: dict) -> str:
    enc = report["encoding"]
    lines = [f"# Brobygger benchmark ({report['encoder']}, {report['cores']} cores)", "",
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
    return "\n".join(lines) + "\n"


def _cell(row: dict, key: str, fmt: str) -> str:
    return fmt.format(row[key]) if key in row else "–"


def write_bench(report: dict, output: Path) -> tuple[Path, Path]:
    output.mkdir(parents=True, exist_ok=True)
    json_path, md_path = output / "bench.json", output / "bench.md"
    json_path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path
