"""Export, import into a fresh database and export again: every field survives, in every format."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue.repository import load_records
from ingest.formats import writer_for
from ingest.importer import read_catalogue
from ingest.writer import upsert_records
from ingest.xlsx_format import write_xlsx
from tests.fixtures import small_catalogue
from tests.ingest.helpers import Cli

FORMATS = [  # format, file name; for xlsx the files differ in their timestamps only
    ("jsonl", "catalogue.jsonl"),
    ("csv", "catalogue.csv"),
    ("xlsx", "catalogue.xlsx"),
    ("hsds", "catalogue.json"),
    ("hsds", "hsds-folder"),
]


def test_database_keeps_every_field(sessions):
    upsert_records(sessions, small_catalogue(), "default")

    with sessions() as session:
        assert load_records(session) == small_catalogue()


def contents(path: Path) -> dict[str, bytes]:
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return {file.name: file.read_bytes() for file in files}


@pytest.mark.parametrize("fmt, name", FORMATS, ids=[name for _, name in FORMATS])
def test_export_import_export_keeps_every_field(catalogue_file: Path, tmp_path: Path, fmt: str,
                                                name: str):
    original, fresh = Cli(tmp_path / "original.db"), Cli(tmp_path / "fresh.db")
    first, second = tmp_path / "first" / name, tmp_path / "second" / name
    first.parent.mkdir(), second.parent.mkdir()
    assert original("import", catalogue_file).exit_code == 0

    assert original("export", "--format", fmt, first).exit_code == 0
    imported = fresh("import", "--format", fmt, first)
    assert imported.exit_code == 0, imported.output
    assert fresh("export", "--format", fmt, second).exit_code == 0

    assert fresh.records() == small_catalogue()
    if fmt == "xlsx":
        assert read_catalogue(first)[0] == read_catalogue(second)[0] == small_catalogue()
    else:
        assert contents(first) == contents(second)


FORMULAS = ['=HYPERLINK("http://example.com/x";"Klik her")', "@SUM(A1:A9)", "+cmd|' /C calc'!A0",
            "-2+3", "'=allerede med apostrof"]


@pytest.mark.parametrize("fmt, name, table", [("csv", "catalogue.csv", "catalogue.csv"),
                                              ("hsds", "hsds-folder", "services.csv")])
def test_csv_export_escapes_formulas_and_reads_them_back(tmp_path: Path, fmt: str, name: str,
                                                         table: str):
    offers = [replace(offer, name=text, contact="+45 65 51 00 00")
              for offer, text in zip(small_catalogue(), FORMULAS)]
    path = tmp_path / name

    writer_for(fmt)(offers, path)

    with (path / table if path.is_dir() else path).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["name"] for row in rows] == ["'" + text for text in FORMULAS]
    assert {row.get("contact", "+45 65 51 00 00") for row in rows} == {"+45 65 51 00 00"}
    assert read_catalogue(path, fmt)[0] == offers


def test_excel_export_keeps_formulas_as_text(tmp_path: Path):
    offers = [replace(offer, name=text) for offer, text in zip(small_catalogue(), FORMULAS)]

    write_xlsx(offers, tmp_path / "catalogue.xlsx")

    sheet = load_workbook(tmp_path / "catalogue.xlsx").active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        (text, "s", True) for text in [*FORMULAS[:-1], "'" + FORMULAS[-1]]]
    assert read_catalogue(tmp_path / "catalogue.xlsx")[0] == offers
