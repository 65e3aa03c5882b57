"""Likely duplicates: alike name, provider and address; flagged as a warning, never a rejection."""

from __future__ import annotations

import random
from pathlib import Path

from catalogue.records import OfferRecord, empty_record
from ingest.duplicates import likely_duplicates
from ingest.importer import import_catalogue
from ingest.jsonl import write_jsonl
from tests.fixtures import small_catalogue
from tests.ingest.helpers import Cli

WALK = dict(name="Gågruppe for seniorer", provider="Ældre Sagen Aarhus", address="Vestergade 5",
            postcode="8000")


def test_near_duplicate_is_found_with_sorted_ids():
    offers = [empty_record(id="b-walk", **WALK),
              empty_record(id="a-walk", **{**WALK, "name": "Gaagruppe for Seniorer",
                                           "provider": "Ældre Sagen, Aarhus"})]

    assert likely_duplicates(offers) == [("a-walk", "b-walk", 100.0)]


def test_different_offers_of_one_provider_at_one_address_are_not_flagged():
    offers = [empty_record(id="walk", **WALK),
              empty_record(id="knit", **{**WALK, "name": "Strikkeklub"})]

    assert likely_duplicates(offers) == []


def test_same_name_elsewhere_is_not_flagged():
    offers = [empty_record(id="aarhus", **WALK),
              empty_record(id="odense", name=WALK["name"], provider="DGI Fyn",
                           address="Kongensgade 10", postcode="5000")]

    assert likely_duplicates(offers) == []


def test_the_small_catalogue_has_no_duplicates():
    assert likely_duplicates(small_catalogue()) == []


def varied_catalogue(size: int, seed: int = 7) -> list[OfferRecord]:
    """``size`` offers with varied names, providers and addresses in 60 postcodes."""
    rng = random.Random(seed)
    activities = ["Gågruppe", "Strikkeklub", "Sprogcafé", "Gældsrådgivning", "Værested",
                  "Fodbold", "Kor", "Madklub", "Lektiecafé", "Mentorordning", "Sorggruppe",
                  "Yoga", "Havefællesskab", "Cykelværksted", "Netværksgruppe", "Praktik i café"]
    audiences = ["for seniorer", "for unge", "for pårørende", "for alle", "for mænd",
                 "for kvinder", "for nydanskere", "for ledige", "i weekenden", "om aftenen"]
    providers = ["Ældre Sagen", "Røde Kors", "DGI", "KFUM", "Frivilligcenter", "Kommune",
                 "Kirkens Korshær", "Blå Kors", "Dansk Flygtningehjælp", "Headspace"]
    streets = ["Vestergade", "Østergade", "Nørregade", "Søndergade", "Algade", "Kirkevej",
               "Skolevej", "Møllevej", "Banegårdsgade", "Strandvejen"]
    postcodes = [str(1000 + 150 * n) for n in range(60)]
    return [empty_record(
        id=f"offer-{n}",
        name=f"{rng.choice(activities)} {rng.choice(audiences)} {rng.randint(1, 999)}",
        provider=f"{rng.choice(providers)} {rng.choice(postcodes)}",
        address=f"{rng.choice(streets)} {rng.randint(1, 200)}", postcode=rng.choice(postcodes))
        for n in range(size)]


def test_a_duplicate_among_ten_thousand_offers_is_found():
    """Speed at this size is measured by ``brobygger bench`` (duplicates_10k_s), not here."""
    offers = varied_catalogue(10_000)
    planted = empty_record(id="walk-copy", **WALK)
    offers[4_321] = empty_record(id="walk-original", **WALK)

    pairs = likely_duplicates(offers + [planted])

    assert ("walk-copy", "walk-original") in {(first, second) for first, second, _ in pairs}


def test_import_warns_about_a_near_duplicate_and_still_succeeds(tmp_path: Path):
    offers = [empty_record(id="walk-1", **WALK), empty_record(id="walk-2", **WALK),
              empty_record(id="knit", **{**WALK, "name": "Strikkeklub"})]
    write_jsonl(offers, tmp_path / "offers.jsonl")
    cli = Cli(tmp_path / "brobygger.db")

    result = cli("import", tmp_path / "offers.jsonl")

    assert result.exit_code == 0
    assert "Ligner en dublet: 'walk-1' og 'walk-2'" in result.output
    assert "Looks like a duplicate: 'walk-1' and 'walk-2'" in result.output
    assert "knit" not in result.output
    assert [record.id for record in cli.records()] == ["walk-1", "walk-2", "knit"]


def test_the_same_offers_under_another_source_are_named_as_already_in_the_catalogue(
        sqlite_sessions, tmp_path: Path):
    write_jsonl(small_catalogue(), tmp_path / "kommunen.jsonl")
    _, first = import_catalogue(sqlite_sessions, tmp_path / "kommunen.jsonl", source="kommunen")
    _, again = import_catalogue(sqlite_sessions, tmp_path / "kommunen.jsonl", source="kommunen")
    _, other = import_catalogue(sqlite_sessions, tmp_path / "kommunen.jsonl", source="frivillig")

    assert not [w for w in first + again if "allerede er i kataloget" in w.da]   # updates, not copies
    across = [w for w in other if "allerede er i kataloget" in w.da]
    assert len(across) == len(small_catalogue())
    assert "'aalborg-strikkeklub' ligner 'aalborg-strikkeklub' fra kilden 'kommunen'" in \
        "\n".join(w.da for w in across)
    assert all("already in the catalogue" in w.en for w in across)
