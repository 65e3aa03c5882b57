"""Files as coordinators really send them load: BOM, CRLF, Danish decimals, sloppy spelling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.importer import read_catalogue

OFFER = {"id": "t1", "name": "Gågruppe", "description": "Vi går en tur", "kind": "association"}


def write_jsonl(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps({**OFFER, **row}, ensure_ascii=False) + "\n"
                            for row in rows), encoding="utf-8")
    return path


def test_jsonl_with_bom_and_crlf_loads(tmp_path: Path):
    path = tmp_path / "windows.jsonl"
    lines = [json.dumps({**OFFER, "id": "t1"}, ensure_ascii=False),
             json.dumps({**OFFER, "id": "t2", "name": "Strikkeklub"}, ensure_ascii=False)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")

    records, warnings = read_catalogue(path)

    assert [(r.id, r.name, r.description) for r in records] == [
        ("t1", "Gågruppe", "Vi går en tur"), ("t2", "Strikkeklub", "Vi går en tur")]
    assert warnings == []


def test_danish_csv_with_decimal_commas_lists_and_stray_whitespace_loads(tmp_path: Path):
    path = tmp_path / "excel-export.csv"
    path.write_text(
        " id ; name ; description ; kind ; lat ; lon ; target_groups ; languages ; min_age ; "
        "requires_referral ; valid_to\n"
        " a1 ; Gågruppe ;  Vi går en tur  ; Association ; 56,15623 ; 10,20411 ; "
        '"aeldre ;  ensomhed ;" ; "da; en" ;  60 ; Ja ; 2026-11-23 \n'
        "\n"
        "a2;Strikkeklub;Vi strikker;municipal;;;;;;nej;\n", encoding="utf-8")

    records, warnings = read_catalogue(path)

    first, second = records
    assert (first.id, first.name, first.description, first.kind) == (
        "a1", "Gågruppe", "Vi går en tur", "association")
    assert (first.lat, first.lon, first.min_age, first.requires_referral) == (
        56.15623, 10.20411, 60, True)
    assert first.target_groups == ("aeldre", "ensomhed") and first.languages == ("da", "en")
    assert first.valid_to.isoformat() == "2026-11-23"
    assert (second.lat, second.target_groups, second.requires_referral) == (None, (), False)
    assert warnings == []


def test_tab_separated_file_loads(tmp_path: Path):
    path = tmp_path / "offers.tsv"
    path.write_text("id\tname\tdescription\tkind\tcategories\n"
                    "a1\tGågruppe\tVi går, snakker og griner\tassociation\tmotion; natur\n",
                    encoding="utf-8")

    records, _ = read_catalogue(path)

    assert records[0].description == "Vi går, snakker og griner"
    assert records[0].categories == ("motion", "natur")


def test_unknown_column_is_a_warning(tmp_path: Path):
    path = tmp_path / "offers.csv"
    path.write_text("id,name,description,kind,website\na1,Gågruppe,Vi går,association,x.dk\n",
                    encoding="utf-8")

    records, warnings = read_catalogue(path)

    assert len(records) == 1
    assert [(w.line, w.field) for w in warnings] == [(1, "website")]
    assert "Ukendt kolonne 'website'" in warnings[0].da and "Unknown column" in warnings[0].en


@pytest.mark.parametrize("field, written, code", [
    ("target_groups", "paaroerende", "paaroerende"),
    ("target_groups", "paarørende", "paaroerende"),
    ("target_groups", "Pårørende", "paaroerende"),
    ("target_groups", "psykisk sårbarhed", "psykisk_saarbarhed"),
    ("target_groups", "Psykisk Sårbarhed", "psykisk_saarbarhed"),
    ("accessibility", "kørestol", "koerestol"),
    ("accessibility", "Kørestolsvenligt", "koerestol"),
])
def test_vocabulary_values_are_normalised(tmp_path: Path, field: str, written: str, code: str):
    records, _ = read_catalogue(write_jsonl(tmp_path / "offers.jsonl", {field: [written]}))

    assert getattr(records[0], field) == (code,)


def test_csv_with_old_mac_line_ends_loads(tmp_path: Path):
    path = tmp_path / "mac.csv"
    path.write_bytes("id;name;description;kind\ra1;Gågruppe;Vi går;association\r".encode())

    records, _ = read_catalogue(path)

    assert [(r.id, r.name) for r in records] == [("a1", "Gågruppe")]
