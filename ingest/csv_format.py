"""CSV catalogues: a header of interchange field names, ``,`` ``;`` or tab between cells."""

from __future__ import annotations

import csv
from pathlib import Path

from catalogue.records import INTERCHANGE_FIELDS, OfferRecord
from ingest.cells import blank, formula_safe, formula_text, record_cells, table_rows
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, read_lines
from ingest.validate import RawRow

DELIMITERS = (",", ";", "\t")
Table = tuple[tuple[int, list[str]], list[tuple[int, list[str]]]]


def read_table(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> Table | None:
    """The header and the rows of a CSV file, each with the line it starts on; None if unreadable.

    The delimiter is the one used most in the header line (the first non-blank line). Spaces
    around quoted cells are tolerated; a quote that is never closed is reported.
    """
    lines = read_lines(path, problems, max_bytes)
    header = next((text for _, text in lines if text.strip()), None)
    if header is None:
        return None
    reader = csv.reader((text + "\n" for _, text in lines),
                        delimiter=max(DELIMITERS, key=header.count), skipinitialspace=True)
    rows: list[tuple[int, list[str]]] = []
    start = last_start = last_end = 0
    try:
        for cells in reader:
            if not all(map(blank, cells)):
                rows.append((lines[start][0], [formula_text(cell) for cell in cells]))
                last_start, last_end = start, reader.line_num
            start = reader.line_num
    except csv.Error as exc:
        problems.error(lines[start][0], None, f"CSV kan ikke læses ({exc})",
                       f"Cannot read the CSV: {exc}")
        return None
    spanned = lines[last_start:last_end]
    if len(spanned) > 1 and sum(text.count('"') for _, text in spanned) % 2:
        problems.error(lines[last_start][0], None,
                       'CSV kan ikke læses: et anførselstegn (") bliver aldrig lukket',
                       'Cannot read the CSV: a quote (") is never closed')
        return None
    return (rows[0], rows[1:]) if rows else None


def read_csv(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
             ) -> list[RawRow]:
    """Raw rows of a CSV catalogue; line numbers are the file's (the header is line 1)."""
    table = read_table(path, problems, max_bytes)
    if table is None:
        return []
    header, rows = table
    return table_rows(header, rows, problems)


def write_csv(records: list[OfferRecord], path: Path) -> None:
    """Comma-separated UTF-8 with a header; lists joined by "; ", booleans as true/false.

    Text that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``@SUM(...)``,
    ``+cmd|...``) is written with a leading apostrophe; the reader removes it again.
    """
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(INTERCHANGE_FIELDS)
        for record in records:
            writer.writerow(_csv_text(cell) for cell in record_cells(record))


def _csv_text(cell: object) -> object:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return formula_safe(cell)
