"""Excel catalogues: the sheet "tilbud" or "offers" (else the first), columns as in CSV."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from catalogue.records import INTERCHANGE_FIELDS, OfferRecord
from ingest.cells import Cell, blank, formula_safe, formula_text, record_cells, table_rows
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, check_size
from ingest.validate import RawRow

SHEET_NAMES = ("tilbud", "offers")
# A workbook unpacks to at most 20 times the size limit, and at most 100 times its own size
# (10 MB always allowed): real catalogues pack about tenfold, a zip bomb a thousandfold and more.
UNPACKED_FACTOR = 20
UNPACKED_RATIO = 100
UNPACKED_FLOOR = 10 * 1024 * 1024
CHUNK = 1 << 20


def read_xlsx(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
              ) -> list[RawRow]:
    """Raw rows of the offers sheet; line numbers are Excel's row numbers."""
    if not check_size(path, problems, max_bytes):
        return []
    limit = min(max_bytes * UNPACKED_FACTOR,
                max(path.stat().st_size * UNPACKED_RATIO, UNPACKED_FLOOR))
    try:
        rows = _sheet_rows(path) if _unpacks_within(path, limit) else None
    except Exception as exc:  # openpyxl and zipfile raise many kinds of errors for a broken file
        problems.error(None, None,
                       "Filen er ikke en gyldig Excel-fil (.xlsx); gem den igen som "
                       "Excel-projektmappe",
                       f"The file is not a valid Excel workbook (.xlsx): {exc}; save it again "
                       "as an Excel workbook")
        return []
    if rows is None:
        problems.error(None, None, "Regnearket fylder for meget udpakket; del det op",
                       "The workbook is too large when unpacked; split it")
        return []
    rows = [(number, cells) for number, cells in rows if not all(map(blank, cells))]
    if not rows:
        problems.error(None, None, "Filen indeholder ingen tilbud", "The file holds no offers")
        return []
    return table_rows(rows[0], rows[1:], problems)


def _unpacks_within(path: Path, limit: int) -> bool:
    """Whether every member together unpacks to at most ``limit`` bytes. The zip's directory is
    checked first, then the members are inflated and counted (a directory can lie about sizes),
    stopping at the limit, before openpyxl parses anything."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > limit:
            return False
        unpacked = 0
        for member in members:
            with archive.open(member) as data:
                while chunk := data.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limit:
                        return False
    return True


def _sheet_rows(path: Path) -> list[tuple[int, list[Cell]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        sheet = next((sheets[name] for name in SHEET_NAMES if name in sheets),
                     workbook.worksheets[0])
        return [(number, [formula_text(cell) if isinstance(cell, str) else cell for cell in cells])
                for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def write_xlsx(records: list[OfferRecord], path: Path) -> None:
    """One sheet "tilbud" with a header row; numbers, booleans and dates as Excel values.

    Formula-like text is stored as text with Excel's quote prefix, so it never runs, not even
    after the cell is edited; only text that already starts with an apostrophe gets one more
    (as in CSV), so that reading gives back exactly what was written.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[0]
    sheet.append(INTERCHANGE_FIELDS)
    sheet.freeze_panes = "A2"
    for record in records:
        sheet.append([_xlsx_text(cell) if isinstance(cell, str) else cell
                      for cell in record_cells(record)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and formula_safe(cell.value) != cell.value:
                cell.data_type, cell.quotePrefix = "s", True  # text, not a formula
    workbook.save(path)


def _xlsx_text(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return formula_safe(text) if text.startswith("'") else text
