"""Which reader and writer belong to which file format, and guessing the format from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from catalogue.records import OfferRecord
from ingest.csv_format import read_csv, write_csv
from ingest.hsds import read_hsds, write_hsds
from ingest.jsonl import read_jsonl, write_jsonl
from ingest.problems import ImportRejected, Problem, ProblemCollector
from ingest.validate import RawRow
from ingest.xlsx_format import read_xlsx, write_xlsx

Reader = Callable[[Path, ProblemCollector, int], list[RawRow]]
READERS: dict[str, Reader] = {"jsonl": read_jsonl, "csv": read_csv, "xlsx": read_xlsx,
                              "hsds": read_hsds}
WRITERS: dict[str, Callable[[list[OfferRecord], Path], None]] = {
    "jsonl": write_jsonl, "csv": write_csv, "xlsx": write_xlsx, "hsds": write_hsds}


def detect_format(path: Path) -> str:
    """Guess the format from the name (and for a folder or .json, HSDS)."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".json" or path.name.endswith("datapackage.json"):
        return "hsds"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise ImportRejected([Problem(str(path), None, None,
                                  "Kan ikke se filformatet; brug --format jsonl|csv|xlsx|hsds",
                                  "Cannot tell the file format; use --format jsonl|csv|xlsx|hsds")])


def reader_for(fmt: str) -> Reader:
    return READERS[fmt]


def writer_for(fmt: str) -> Callable[[list[OfferRecord], Path], None]:
    return WRITERS[fmt]
