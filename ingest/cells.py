"""Tables of cells (CSV, Excel, HSDS tables) to raw rows: one header check, one cell conversion.

Cells arrive as text (CSV) or as Excel values; ``convert_cell`` types them as well as it can and
leaves anything it cannot read as the original text, so the validator reports the wrong type.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable

from catalogue.records import INTERCHANGE_FIELDS, LIST_FIELDS, REQUIRED_FIELDS, OfferRecord
from ingest.problems import ProblemCollector
from ingest.validate import DATE_FIELDS, RawRow

INTEGER_FIELDS = ("min_age", "max_age")
NUMBER_FIELDS = ("lat", "lon")
BOOLEAN_WORDS = {"true": True, "ja": True, "yes": True, "1": True,
                 "false": False, "nej": False, "no": False, "0": False}
LIST_SEPARATOR = ";"
Cell = str | int | float | bool | date | None
# Text a spreadsheet would run as a formula (OWASP "CSV injection"); a phone number or a plain
# signed number starting with + or - is harmless and is left as it is.
_FORMULA = re.compile(r"[=@\t\r]|[+-](?![\d\s().,/]*$)")


def convert_cell(field: str, value: Cell) -> object:
    """The typed value of one cell of an interchange column; empty cells become None."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    if field in LIST_FIELDS:
        return [part.strip() for part in _text(value).split(LIST_SEPARATOR) if part.strip()]
    if field in INTEGER_FIELDS:
        return int(value) if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value) else value
    if field in NUMBER_FIELDS:
        return _decimal(value) if isinstance(value, str) else value
    if field == "requires_referral":
        if isinstance(value, str):
            return BOOLEAN_WORDS.get(value.lower(), value)
        return bool(value) if value in (0, 1) else value
    if field in DATE_FIELDS:
        return value.date() if isinstance(value, datetime) else value
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return _text(value)
    return value


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def _decimal(text: str) -> float | str:
    """"56.15623" or the Danish "56,15623" as a float; the text itself when it is no number."""
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return text


def table_rows(header: tuple[int, list[Cell]], rows: Iterable[tuple[int, list[Cell]]],
               problems: ProblemCollector) -> list[RawRow]:
    """Raw rows of a table whose header names interchange fields; rows keep their line numbers.

    ``rows`` hold no blank rows; the readers leave them out.
    """
    header_line, names = header
    columns = [_text(name).strip().lower() if name is not None else "" for name in names]
    for name in columns:
        if name and name not in INTERCHANGE_FIELDS:
            problems.warn(header_line, name, f"Ukendt kolonne {name!r} ignoreres",
                          f"Unknown column {name!r} is ignored")
    for name in sorted({name for name in columns if name and columns.count(name) > 1}):
        problems.error(header_line, name, f"Kolonnen {name!r} står flere gange",
                       f"The column {name!r} appears more than once")
    for name in REQUIRED_FIELDS:
        if name not in columns:
            problems.error(header_line, name, f"Kolonnen {name!r} mangler",
                           f"The column {name!r} is missing")
    if problems.errors:
        return []
    result = []
    for line, cells in rows:
        if any(not blank(cell) for cell in cells[len(columns):]):
            problems.error(line, None,
                           f"Rækken har {len(cells)} celler, men overskriften kun {len(columns)}",
                           f"The row has {len(cells)} cells but the header only {len(columns)}")
            continue
        data = {name: convert_cell(name, cell) for name, cell in zip(columns, cells)
                if name in INTERCHANGE_FIELDS}
        result.append(RawRow(line, data))
    if not result and not problems.errors:
        problems.error(None, None, "Filen indeholder ingen tilbud", "The file holds no offers")
    return result


def formula_safe(cell: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed by an apostrophe (``formula_text``
    removes it again). Text already starting with apostrophes gets one more, so that reading
    gives back exactly what was written."""
    if isinstance(cell, str) and _FORMULA.match(cell.lstrip("'")):
        return "'" + cell
    return cell


def formula_text(cell: str) -> str:
    """The text ``formula_safe`` was given: one apostrophe before formula-like text removed."""
    if cell.startswith("'") and _FORMULA.match(cell.lstrip("'")):
        return cell[1:]
    return cell


def blank(cell: Cell) -> bool:
    """True for a cell with nothing in it."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def record_cells(record: OfferRecord) -> list[Cell]:
    """One record as a row of cells in ``INTERCHANGE_FIELDS`` order (lists joined by "; ")."""
    values = [getattr(record, name) for name in INTERCHANGE_FIELDS]
    return [f"{LIST_SEPARATOR} ".join(value) if isinstance(value, tuple) else value
            for value in values]
