"""The editing layer: optimistic locking, history rows for every change, restore, validation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from catalogue import editing
from catalogue.history import Actor, offer_history
from ingest.importer import import_catalogue
from ingest.writer import TooManyEnded

ANNE = Actor("anne@test.dk", 1)
BO = Actor("bo@test.dk", 2)
RECORD = {"id": "strik/1", "name": "Strikkeklub", "description": "Vi strikker og drikker kaffe.",
          "kind": "association", "municipalities": ["alle"], "capacity": "open"}


def history(sessions, key):
    with sessions() as session:
        return offer_history(session, key)


@pytest.fixture
def created(sqlite_sessions):
    return editing.create_offer(sqlite_sessions, RECORD, "test", ANNE)


def test_create_writes_version_1_and_one_history_row(sqlite_sessions, created):
    assert created.version == 1 and created.record.id == "strik/1"
    [row] = history(sqlite_sessions, created.key)
    assert (row.who, row.action, row.field, row.version) == ("anne@test.dk", "create", None, 1)
    assert row.new["name"] == "Strikkeklub"
    with pytest.raises(editing.OfferExists):
        editing.create_offer(sqlite_sessions, RECORD, "test", ANNE)


def test_invalid_record_names_the_field_in_danish_and_english(sqlite_sessions):
    with pytest.raises(editing.InvalidOffer) as refused:
        editing.create_offer(sqlite_sessions, {**RECORD, "min_age": "tolv"}, "test", ANNE)
    assert refused.value.field == "min_age"
    assert refused.value.da.startswith("Skal være et helt tal")
    assert refused.value.en.startswith("Must be a whole number")


def test_update_bumps_the_version_and_records_old_and_new(sqlite_sessions, created):
    updated = editing.update_offer(sqlite_sessions, created.key, {**RECORD, "capacity": "full"},
                                   1, BO)
    assert updated.version == 2 and updated.record.capacity == "full"
    rows = [r for r in history(sqlite_sessions, created.key) if r.action == "update"]
    assert [(r.who, r.field, r.old, r.new, r.version) for r in rows] == [
        ("bo@test.dk", "capacity", "open", "full", 2)]


def test_an_offer_with_a_provider_moves_one_version_per_change(sqlite_sessions):
    """Looking up the provider must not flush the half-changed offer (a second version bump)."""
    offer = editing.create_offer(sqlite_sessions, {**RECORD, "provider": "Frivilligcenter"},
                                 "test", ANNE)
    updated = editing.update_offer(sqlite_sessions, offer.key,
                                   {**RECORD, "provider": "Frivilligcenter", "name": "Ny"}, 1, BO)
    assert updated.version == 2
    assert [r.version for r in history(sqlite_sessions, offer.key)] == [1, 2]


def test_a_stale_version_keeps_the_others_change_and_reports_both(sqlite_sessions, created):
    editing.update_offer(sqlite_sessions, created.key, {**RECORD, "name": "Annes navn"}, 1, ANNE)
    with pytest.raises(editing.StaleVersion) as conflict:
        editing.update_offer(sqlite_sessions, created.key, {**RECORD, "cost": "gratis"}, 1, BO)
    error = conflict.value
    assert (error.expected_version, error.current.version) == (1, 2)
    assert error.current.record.name == "Annes navn"
    assert error.attempted.cost == "gratis"
    assert {field for field, _, _ in error.differences} == {"name", "cost"}
    now = editing.get_offer(sqlite_sessions, created.key)
    assert (now.version, now.record.name, now.record.cost) == (2, "Annes navn", "")


def test_pause_end_restore_verify_each_write_history(sqlite_sessions, created):
    key = created.key
    editing.pause_offer(sqlite_sessions, key, ANNE)
    editing.end_offer(sqlite_sessions, key, ANNE)
    with pytest.raises(editing.NotAllowed):
        editing.pause_offer(sqlite_sessions, key, ANNE)
    restored = editing.restore_offer(sqlite_sessions, key, BO)
    verified = editing.verify_offer(sqlite_sessions, key, BO, date(2026, 3, 3))
    assert restored.record.status == "active"
    assert (verified.record.assured_date, verified.version) == (date(2026, 3, 3), 5)
    rows = [(r.action, r.field, r.old, r.new) for r in history(sqlite_sessions, key)][1:]
    assert rows == [("pause", "status", "active", "paused"), ("end", "status", "paused", "ended"),
                    ("restore", "status", "ended", "active"),
                    ("verify", "assured_date", None, "2026-03-03")]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_imports_write_history_and_bump_the_version(sqlite_sessions, tmp_path):
    others = [{**RECORD, "id": f"o{i}", "name": f"Tilbud nummer {i} om noget helt andet {i}"}
              for i in range(3)]
    import_catalogue(sqlite_sessions, _write(tmp_path / "a.jsonl", [RECORD, *others]), "jsonl", "kbh")
    key = editing.resolve(sqlite_sessions, "strik/1")
    import_catalogue(sqlite_sessions, _write(tmp_path / "b.jsonl", [{**RECORD, "cost": "gratis"},
                                                                    *others]), "jsonl", "kbh")
    rows = history(sqlite_sessions, key)
    assert [(r.who, r.action, r.field, r.version) for r in rows] == [
        ("import:kbh", "import", None, 1), ("import:kbh", "import", "cost", 2)]
    assert editing.get_offer(sqlite_sessions, key).version == 2
    with pytest.raises(TooManyEnded):   # ending 1 of 4 is more than a tenth
        import_catalogue(sqlite_sessions, _write(tmp_path / "c.jsonl", others), "jsonl", "kbh",
                         full=True, end_limit=0.1)
    report, _ = import_catalogue(sqlite_sessions, tmp_path / "c.jsonl", "jsonl", "kbh", full=True)
    assert report.ended == ["strik/1"]
    assert history(sqlite_sessions, key)[-1].new == "ended"


def test_an_id_in_two_sources_is_addressed_as_source_colon_id(sqlite_sessions, created):
    other = editing.create_offer(sqlite_sessions, RECORD, "aarhus", ANNE)
    with pytest.raises(editing.AmbiguousOfferId):
        editing.resolve(sqlite_sessions, "strik/1")
    assert editing.resolve(sqlite_sessions, "aarhus:strik/1") == other.key
    assert editing.resolve(sqlite_sessions, "test:strik/1") == created.key
    with pytest.raises(editing.OfferNotFound):
        editing.resolve(sqlite_sessions, "findes-ikke")


def test_text_longer_than_its_column_is_refused_by_field(sqlite_sessions):
    with pytest.raises(editing.InvalidOffer) as refused:
        editing.create_offer(sqlite_sessions, {**RECORD, "postcode": "8000 Aarhus C"}, "t", ANNE)
    assert refused.value.field == "postcode"
