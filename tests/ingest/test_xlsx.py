"""Excel workbooks as people make them: typed cells, a notes sheet first, text that looks like =."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from ingest.importer import read_catalogue
from ingest.xlsx_format import write_xlsx
from tests.fixtures import small_catalogue


def test_offers_sheet_with_excel_typed_cells_is_read(tmp_path: Path):
    workbook = Workbook()
    workbook.active.title = "Noter"
    workbook.active.append(["Husk at opdatere listen hver måned"])
    sheet = workbook.create_sheet("Offers")
    sheet.append(["id", "name", "description", "kind", "min_age", "lat", "lon",
                  "requires_referral", "valid_to", "postcode"])
    sheet.append([])  # a blank row is skipped
    sheet.append([17, "Gågruppe", "Vi går", "association", 60, 56.15623, 10.20411, True,
                  datetime(2026, 11, 23), 8000])
    workbook.save(tmp_path / "tilbud.xlsx")

    (record,), _ = read_catalogue(tmp_path / "tilbud.xlsx")

    assert (record.id, record.min_age, record.lat, record.requires_referral) == (
        "17", 60, 56.15623, True)
    assert (record.valid_to, record.postcode) == (date(2026, 11, 23), "8000")


def test_text_starting_with_equals_stays_text(tmp_path: Path):
    offer = replace(small_catalogue()[0], description="=Gå med, det er gratis")

    write_xlsx([offer], tmp_path / "tilbud.xlsx")

    assert read_catalogue(tmp_path / "tilbud.xlsx")[0] == [offer]
