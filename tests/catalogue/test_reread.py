"""After an edit the running app rereads only the offers that changed, and gets exactly what a
full read would give (``catalogue.repository.reread_records``)."""

from __future__ import annotations

import dataclasses
import json

from catalogue.repository import reread_records
from ingest.importer import import_catalogue
from tests.fixtures import small_catalogue


def _import(sessions, tmp_path, records, name: str, full: bool = False) -> None:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r.to_interchange(), ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    import_catalogue(sessions, path, "jsonl", "kommunen", full=full)


def test_an_edit_rereads_only_the_changed_offer_and_matches_a_full_read(sessions, tmp_path):
    catalogue = small_catalogue()
    _import(sessions, tmp_path, catalogue, "first")
    with sessions() as session:
        before = reread_records(session)
    edited = dataclasses.replace(catalogue[0], description="Nu også om lørdagen.")
    _import(sessions, tmp_path, [edited], "edit")
    with sessions() as session:
        after, full = reread_records(session, before), reread_records(session)
    assert after == full
    changed = [i for i in after if after[i][1] is not before[i][1]]
    assert [after[i][1].description for i in changed] == ["Nu også om lørdagen."]


def test_offers_left_out_of_a_full_import_are_read_as_ended(sessions, tmp_path):
    catalogue = small_catalogue()
    _import(sessions, tmp_path, catalogue, "first")
    with sessions() as session:
        before = reread_records(session)
    _import(sessions, tmp_path, catalogue[1:], "rest", full=True)
    with sessions() as session:
        after, full = reread_records(session, before), reread_records(session)
    assert after == full
    assert [r.status for _, r in after.values() if r.id == catalogue[0].id] == ["ended"]
