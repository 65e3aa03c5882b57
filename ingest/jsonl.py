"""Reader and writer for the interchange catalogue format: JSON Lines, one offer per line."""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.records import OfferRecord
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, read_lines
from ingest.validate import RawRow


def read_jsonl(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> list[RawRow]:
    """Every non-blank line parsed as a JSON object; broken lines become problems."""
    rows: list[RawRow] = []
    for number, text in read_lines(path, problems, max_bytes):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.error(number, None,
                           f"Ugyldig JSON (kolonne {exc.colno}): {_danish_json_error(exc.msg)}",
                           f"Invalid JSON (column {exc.colno}): {exc.msg}")
            continue
        except RecursionError:
            nested_too_deeply(problems, number)
            continue
        if not isinstance(data, dict):
            problems.error(number, None, "Linjen skal være et JSON-objekt {...}",
                           "The line must be a JSON object {...}")
            continue
        rows.append(RawRow(number, data))
    return rows


def nested_too_deeply(problems: ProblemCollector, line: int | None) -> None:
    """Python's parser gives up on JSON nested thousands of levels deep; no offer is."""
    problems.error(line, None, "JSON'en er indlejret for dybt (lister eller objekter i tusindvis af lag)",
                   "The JSON is nested too deeply (thousands of levels of lists or objects)")


def _danish_json_error(message: str) -> str:
    known = {
        "Unterminated string": "tekst uden afsluttende anførselstegn",
        "Expecting value": "der mangler en værdi",
        "Expecting ',' delimiter": "der mangler et komma",
        "Expecting property name enclosed in double quotes": "feltnavne skal stå i dobbelte anførselstegn",
        "Extra data": "der står mere efter objektet",
    }
    for english, danish in known.items():
        if message.startswith(english):
            return danish
    return message


def write_jsonl(records: list[OfferRecord], path: Path) -> None:
    """Write records in the interchange format, one compact line each."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record.to_interchange(), ensure_ascii=False) + "\n")
