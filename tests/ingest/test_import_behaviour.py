"""What an import does to the catalogue, on SQLite and PostgreSQL: new, changed, ended."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from catalogue.records import OfferRecord
from catalogue.repository import count_offers, load_records
from ingest.importer import import_catalogue
from ingest.jsonl import write_jsonl
from tests.fixtures import small_catalogue


def stored(sessions: sessionmaker[Session], source: str | None = None) -> dict[str, OfferRecord]:
    with sessions() as session:
        return {record.id: record for record in load_records(session, source)}


def test_import_loads_every_offer(sessions, catalogue_file: Path):
    report, warnings = import_catalogue(sessions, catalogue_file)

    lines = catalogue_file.read_text(encoding="utf-8").splitlines()
    with sessions() as session:
        assert count_offers(session) == len(lines) == len(report.new)
    assert warnings == []


def test_second_identical_import_changes_nothing(sessions, catalogue_file: Path):
    import_catalogue(sessions, catalogue_file)

    report, _ = import_catalogue(sessions, catalogue_file)

    assert (len(report.new), len(report.changed), len(report.ended)) == (0, 0, 0)
    assert len(report.unchanged) == len(small_catalogue())


def test_changing_one_field_changes_exactly_that_offer(sessions, tmp_path: Path,
                                                       catalogue_file: Path):
    import_catalogue(sessions, catalogue_file)
    offers = small_catalogue()
    offers[1] = replace(offers[1], schedule="mandag-fredag kl. 9-12")
    write_jsonl(offers, tmp_path / "changed.jsonl")

    report, _ = import_catalogue(sessions, tmp_path / "changed.jsonl")

    assert (report.new, report.changed) == ([], [offers[1].id])
    assert stored(sessions)[offers[1].id].schedule == "mandag-fredag kl. 9-12"


def test_full_import_ends_missing_offers_and_never_deletes(sessions, tmp_path: Path,
                                                           catalogue_file: Path):
    import_catalogue(sessions, catalogue_file)
    offers = small_catalogue()
    write_jsonl(offers[2:], tmp_path / "fewer.jsonl")

    report, _ = import_catalogue(sessions, tmp_path / "fewer.jsonl", full=True)

    missing = [offer.id for offer in offers[:2]]
    assert sorted(report.ended) == sorted(missing)
    after = stored(sessions)
    assert len(after) == len(offers)
    assert [after[offer_id].status for offer_id in missing] == ["ended", "ended"]
    assert all(after[offer.id].status == offer.status for offer in offers[2:])


def test_dry_run_reports_and_writes_nothing(sessions, tmp_path: Path, catalogue_file: Path):
    import_catalogue(sessions, catalogue_file)
    before = stored(sessions)
    offers = small_catalogue()
    new = replace(offers[0], id="aarhus-gaagruppe-2", name="Vinterbadning ved Den Permanente")
    changed = replace(offers[1], cost="50 kr.")
    write_jsonl([new, changed, *offers[3:]], tmp_path / "next.jsonl")

    report, _ = import_catalogue(sessions, tmp_path / "next.jsonl", full=True, dry_run=True)

    assert report.new == [new.id] and report.changed == [changed.id]
    assert sorted(report.ended) == sorted([offers[0].id, offers[2].id])
    assert report.unchanged == [offer.id for offer in offers[3:]]
    assert stored(sessions) == before


def test_two_sources_with_the_same_external_id_coexist(sessions, catalogue_file: Path):
    import_catalogue(sessions, catalogue_file, source="aarhus")
    import_catalogue(sessions, catalogue_file, source="frivillignet")

    assert len(stored(sessions, "aarhus")) == len(stored(sessions, "frivillignet")) \
        == len(small_catalogue())
    with sessions() as session:
        assert count_offers(session) == 2 * len(small_catalogue())
