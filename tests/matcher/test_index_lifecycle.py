"""The index is derived from the database: a restart re-encodes nothing, an edit re-encodes
only the edited offer, and the embedding cache lives in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses

from catalogue.settings import Settings
from ingest.writer import upsert_records
from matcher.citizen import Citizen
from matcher.index import index_stamp, offer_text
from matcher.loader import ensure_index, load_matcher
from matcher.service import Matcher
from tests.fixtures import small_catalogue


class CountingEncoder:
    """The real encoder, counting how many offer texts it is asked to encode."""

    def __init__(self, inner, offer_texts):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.offer_texts = set(offer_texts)
        self.passages = 0

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def fits(self, text):
        return self.inner.fits(text)

    def encode_passages(self, texts):
        self.passages += sum(1 for t in texts if t in self.offer_texts)
        return self.inner.encode_passages(texts)


def test_restart_and_edit(sessions, tmp_path, encoder):
    settings = Settings(instance_dir=tmp_path)
    records = small_catalogue()
    upsert_records(sessions, records, "default")
    edited = dataclasses.replace(records[0], description=records[0].description + " Nu også om aftenen.")
    counting = CountingEncoder(encoder, [offer_text(r) for r in records + [edited]])

    index, report = ensure_index(sessions, settings, counting)
    assert report.encoded == len({offer_text(r) for r in records})
    assert counting.passages == report.encoded and not report.reused_file

    _, again = ensure_index(sessions, settings, counting)         # a restart: file reused
    assert again.reused_file and again.encoded == 0

    report.path.unlink()                                           # a new worker, no index file
    _, rebuilt = ensure_index(sessions, settings, counting)
    assert not rebuilt.reused_file and rebuilt.encoded == 0       # vectors come from the database
    assert rebuilt.themes_encoded == 0

    upsert_records(sessions, [edited], "default")
    before = counting.passages
    index, after_edit = ensure_index(sessions, settings, counting)
    assert after_edit.encoded == 1 and counting.passages - before == 1
    assert index.records[index.positions[edited.id]].description.endswith("om aftenen.")


def test_edited_text_is_what_search_finds(sessions, tmp_path, encoder):
    settings = Settings(instance_dir=tmp_path)
    records = small_catalogue()
    upsert_records(sessions, records, "default")
    target = records[0]
    renamed = dataclasses.replace(target, name="Fuglekiggerklubben", description=(
        "Vi kigger på fugle med kikkert ved søen og lærer hinanden fuglenes navne."))
    upsert_records(sessions, [renamed], "default")
    matcher, _ = load_matcher(sessions, settings, encoder)
    ranking = matcher.rank("fuglekigning med kikkert", Citizen(age=70), 3)
    assert matcher.index.records[int(ranking.positions[0])].id == target.id


def test_incremental_rebuild_matches_the_database(sessions, tmp_path, encoder):
    """A rebuild from the previous index reads only changed offers, yet ends up identical in
    content to a rebuild from scratch."""
    settings = Settings(instance_dir=tmp_path)
    records = small_catalogue()
    upsert_records(sessions, records, "default")
    before, _ = ensure_index(sessions, settings, encoder)
    edited = dataclasses.replace(records[2], name="Ungefællesskabet Spil og Snak")
    added = dataclasses.replace(records[0], id="ny-strikkeklub", name="Strikkeklubben Maske",
                                description="Vi strikker og drikker te hver onsdag.")
    upsert_records(sessions, [edited, added], "default")

    incremental, report = ensure_index(sessions, settings, encoder, previous=before)
    assert report.encoded == 2 and not report.reused_file
    report.path.unlink()
    scratch, _ = ensure_index(sessions, settings, encoder)
    assert incremental.records == scratch.records
    assert incremental.fingerprint == scratch.fingerprint
    assert incremental.records[incremental.positions[edited.id]].name == "Ungefællesskabet Spil og Snak"
    ranking = Matcher(incremental, encoder).rank("strikke", Citizen(age=70), 1)
    assert incremental.records[int(ranking.positions[0])].id == "ny-strikkeklub"


def test_an_index_analysed_with_other_lexicons_is_rebuilt_not_reused(sessions, tmp_path, encoder):
    settings = Settings(instance_dir=tmp_path)
    upsert_records(sessions, small_catalogue(), "default")
    index, report = ensure_index(sessions, settings, encoder)
    index.format = "9-an-older-lexicon"                            # as saved by an older version
    index.save(report.path)
    rebuilt, again = ensure_index(sessions, settings, encoder)
    assert not again.reused_file and again.encoded == 0           # re-analysed, not re-encoded
    assert rebuilt.format == index_stamp()
