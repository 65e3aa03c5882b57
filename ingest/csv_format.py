"""CSV catalogues: a header of interchange field names, ``,`` ``;`` or tab between cells."""

from __future__ import annotations

import csv
from pathlib import Path

from catalogue.records import INTERCHANGE_FIELDS, OfferRecord
from ingest.cells import record_cells, table_rows
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, read_lines
from ingest.validate import RawRow

DELIMITERS = (",", ";", "\t")
Table = tuple[tuple[int, list[str]], list[tuple[int, list[str]]]]


def read_table(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> Table | None:
    """The header and the rows of a CSV file, each with the line it starts on; None if unreadable.

    The delimiter is the one used most in the header line (the first non-blank line).
    """
    lines = read_lines(path, problems, max_bytes)
    while lines and not lines[0][1].strip():
        lines.pop(0)
    if not lines:
        return None
    delimiter = max(DELIMITERS, key=lines[0][1].count)
    numbers = [number for number, _ in lines]
    reader = csv.reader((text + "\n" for _, text in lines), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    consumed = 0
    try:
        for cells in reader:
            rows.append((numbers[consumed], cells))
            consumed = reader.line_num
    except csv.Error as exc:
        problems.error(numbers[consumed], None, f"CSV kan ikke læses: {_danish_csv_error(exc)}",
                       f"Cannot read the CSV: {exc}")
        return None
    return rows[0], rows[1:]


def _danish_csv_error(exc: csv.Error) -> str:
    known = {"unexpected end of data": "et anførselstegn (\") bliver aldrig lukket",
             "expected after": "der står tekst lige efter et afsluttende anførselstegn (\")",
             "NUL": "linjen indeholder et NUL-tegn",
             "field larger than field limit": "en celle er for lang"}
    return next((danish for english, danish in known.items() if english in str(exc)), str(exc))


def read_csv(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
             ) -> list[RawRow]:
    """Raw rows of a CSV catalogue; line numbers are the file's (the header is line 1)."""
    table = read_table(path, problems, max_bytes)
    if table is None:
        return []
    header, rows = table
    return table_rows(header, rows, problems)


def write_csv(records: list[OfferRecord], path: Path) -> None:
    """Comma-separated UTF-8 with a header; lists joined by "; ", booleans as true/false."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(INTERCHANGE_FIELDS)
        for record in records:
            writer.writerow(_csv_text(cell) for cell in record_cells(record))


def _csv_text(cell: object) -> object:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return cell
