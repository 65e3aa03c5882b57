"""Open Referral HSDS 3.0 catalogues: one JSON file, or a folder of CSV tables (datapackage).

A JSON file may be a list of services with their details nested (organization,
service_at_locations[].location.addresses, schedules, languages, attributes[].taxonomy_term),
an API page ``{"contents": [...]}``, or an object of tables ``{"services": [...], ...}``.
Problems point at the service's position in the JSON, or its line in services.csv.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from catalogue.records import OfferRecord
from ingest.csv_format import read_table
from ingest.hsds_mapping import COLUMNS, TABLES, Tables, hsds_tables, service_rows
from ingest.jsonl import _danish_json_error
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, read_lines
from ingest.validate import RawRow

NESTED = {  # table -> key of a nested object or list -> (its table, the id that links them)
    "service": {"organization": ("organization", "organization_id"),
                "service_at_locations": ("service_at_location", "service_id"),
                "schedules": ("schedule", "service_id"), "languages": ("language", "service_id"),
                "phones": ("phone", "service_id"), "attributes": ("attribute", "link_id")},
    "service_at_location": {"location": ("location", "location_id"),
                            "schedules": ("schedule", "service_at_location_id")},
    "location": {"addresses": ("address", "location_id"),
                 "accessibility": ("accessibility", "location_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id"),
                      "taxonomy_details": ("taxonomy", "taxonomy_id")},
}
FIELD_TYPES = {"minimum_age": "number", "maximum_age": "number", "latitude": "number",
               "longitude": "number", "assured_date": "date"}
OTHER_CSV_NAMES = {"service_at_location": ("service_at_locations.csv",),
                   "address": ("physical_addresses.csv",)}


def read_hsds(path: Path, problems: ProblemCollector, max_bytes: int = DEFAULT_MAX_BYTES
              ) -> list[RawRow]:
    """Raw rows, one per HSDS service, from a JSON file, a CSV folder or its datapackage.json."""
    if path.is_dir():
        tables = _folder_tables(path, {}, problems, max_bytes)
    else:
        data = _read_json(path, problems, max_bytes)
        if data is None:
            return []
        if isinstance(data, dict) and "resources" in data:
            paths = {r.get("name"): r.get("path") for r in data["resources"] if isinstance(r, dict)}
            tables = _folder_tables(path.parent, paths, problems, max_bytes)
        else:
            tables = _json_tables(data, problems)
    if problems.errors:
        return []
    if not tables.get("service"):
        problems.error(None, None, "Filen indeholder ingen services (tilbud)",
                       "The file holds no services (offers)")
        return []
    return service_rows(tables, problems)


def _read_json(path: Path, problems: ProblemCollector, max_bytes: int) -> object | None:
    lines = read_lines(path, problems, max_bytes)
    if problems.errors:
        return None
    try:
        return json.loads("\n".join(text for _, text in lines))
    except json.JSONDecodeError as exc:
        problems.error(exc.lineno, None,
                       f"Ugyldig JSON (kolonne {exc.colno}): {_danish_json_error(exc.msg)}",
                       f"Invalid JSON (column {exc.colno}): {exc.msg}")
        return None


def _json_tables(data: object, problems: ProblemCollector) -> Tables:
    """Flat tables from any of the JSON forms; nested objects are moved to their own tables."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if isinstance(data, list):
        data = {"services": data}
    tables: Tables = {name: [] for name in TABLES}
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        problems.error(None, None, "HSDS-JSON skal være en liste af services eller et objekt "
                                   "med \"services\": [...]",
                       "HSDS JSON must be a list of services or an object with \"services\": [...]")
        return tables
    for name, (key, _) in TABLES.items():
        for position, row in enumerate(data.get(key) or [], start=1):
            _flatten(name, row, position, tables, problems)
    return tables


def _flatten(table: str, row: object, line: int, tables: Tables,
             problems: ProblemCollector) -> str | None:
    """Add ``row`` and everything nested in it to ``tables``; returns the row's id."""
    if not isinstance(row, dict):
        problems.error(line, None, f"Et element i {table!r} er ikke et JSON-objekt",
                       f"An item of {table!r} is not a JSON object")
        return None
    flat = {key: value for key, value in row.items() if not isinstance(value, (dict, list))}
    if table != "service" and not flat.get("id"):  # a nested row needs an id to be linked
        flat["id"] = f"{table}#{len(tables[table]) + 1}"
    for key, (child_table, link) in NESTED.get(table, {}).items():
        nested = row.get(key)
        if isinstance(nested, dict):
            flat[link] = _flatten(child_table, nested, line, tables, problems)
        for child in nested if isinstance(nested, list) else []:
            if isinstance(child, dict):
                child = {**child, link: flat["id"]}
            _flatten(child_table, child, line, tables, problems)
    tables[table].append((line, flat))
    return flat["id"]


def _folder_tables(folder: Path, paths: dict[str, str], problems: ProblemCollector,
                   max_bytes: int) -> Tables:
    """The CSV tables of an HSDS folder; a table's problems name its own file."""
    tables: Tables = {}
    for name, (_, file_name) in TABLES.items():
        candidates = [paths.get(name), file_name, *OTHER_CSV_NAMES.get(name, ())]
        path = next((folder / c for c in candidates if isinstance(c, str) and (folder / c).is_file()
                     and (folder / c).resolve().is_relative_to(folder.resolve())), None)
        if path is None:
            if name == "service":
                problems.error(None, None, f"{file_name} mangler i mappen",
                               f"{file_name} is missing from the folder")
            continue
        table_problems = ProblemCollector(str(path))
        table = read_table(path, table_problems, max_bytes)
        problems.problems.extend(table_problems.problems)
        if table is not None:
            (_, header), rows = table
            names = [column.strip() for column in header]
            tables[name] = [(line, dict(zip(names, cells))) for line, cells in rows]
    return tables


def write_hsds(records: list[OfferRecord], path: Path) -> None:
    """One JSON object of tables when ``path`` ends in .json, else a folder of CSV tables."""
    tables = hsds_tables(records)
    if path.suffix.lower() == ".json":
        data = {TABLES[name][0]: rows for name, rows in tables.items()}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (path / TABLES[name][1]).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    resources = [{"name": name, "path": file_name, "profile": "tabular-data-resource",
                  "schema": {"fields": [{"name": column, "type": FIELD_TYPES.get(column, "string")}
                                        for column in COLUMNS[name]], "primaryKey": "id"}}
                 for name, (_, file_name) in TABLES.items()]
    package = {"name": "brobygger-catalogue", "profile": "tabular-data-package",
               "resources": resources}
    (path / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
