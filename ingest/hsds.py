"""Open Referral HSDS 3.0 catalogues: one JSON file, or a folder of CSV tables (datapackage).

A JSON file may be one service with its details nested (organization,
service_at_locations[].location.addresses, schedules, languages, attributes[].taxonomy_term),
a list of them, a page of the HSDS API ``{"total_items": ..., "contents": [...]}``, or an object
of tables (``{"services": [...]}``, ``{"service": [...]}`` as compiled/tabular.json, or
``{"services.csv": [...]}``). Problems point at the service's position in the JSON, or at the
line of the CSV table they are in. We write a page of nested services, or a CSV data package.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from catalogue.records import OfferRecord
from ingest.cells import formula_safe
from ingest.csv_format import read_table
from ingest.hsds_mapping import (COLUMNS, TABLES, Tables, drop_impossible_coordinates, flatten,
                                 hsds_page, hsds_tables, service_rows)
from ingest.jsonl import _danish_json_error, nested_too_deeply
from ingest.problems import ProblemCollector
from ingest.textfile import DEFAULT_MAX_BYTES, read_lines
from ingest.validate import RawRow

FIELD_TYPES = {"minimum_age": "number", "maximum_age": "number", "latitude": "number",
               "longitude": "number", "assured_date": "date", "available": "number",
               "updated": "datetime"}
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
    except RecursionError:
        nested_too_deeply(problems, None)
        return None


def _json_tables(data: object, problems: ProblemCollector) -> Tables:
    """Flat tables from any of the JSON forms; nested objects are moved to their own tables."""
    tables: Tables = {name: [] for name in TABLES}
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        _warn_if_partial_page(data, problems)
        data = data["contents"]
    if isinstance(data, dict):
        keys = {name: next((key for key in (plural, name, file_name) if key in data), None)
                for name, (plural, file_name) in TABLES.items()}
        if not keys["service"]:
            data = [data]  # one service document, as examples/service_full.json
    if isinstance(data, list):
        data, keys = {"services": data}, {"service": "services"}
    if not isinstance(data, dict) or not isinstance(data.get(keys["service"]), list):
        problems.error(None, None, "HSDS-JSON skal være en service, en liste af services, en "
                                   "side med \"contents\": [...] eller et objekt af tabeller",
                       "HSDS JSON must be a service, a list of services, a page with "
                       "\"contents\": [...] or an object of tables")
        return tables
    for name, key in keys.items():
        rows = data.get(key) if key else None
        for position, row in enumerate(rows if isinstance(rows, list) else [], start=1):
            flatten(name, row, position, tables, problems)
    drop_impossible_coordinates(tables["location"], problems)
    return tables


def _warn_if_partial_page(page: dict, problems: ProblemCollector) -> None:
    pages = page.get("total_pages")
    if isinstance(pages, int) and pages > 1:
        number, count = page.get("page_number", "?"), len(page["contents"])
        problems.warn(None, None,
                      f"Filen er side {number} af {pages} fra et HSDS-API; kun dens {count} "
                      "services læses. Hent alle sider for at få hele kataloget",
                      f"The file is page {number} of {pages} of an HSDS API; only its {count} "
                      "services are read. Fetch every page to get the whole catalogue")


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
        if name == "service":  # the rows' problems (and the validator's) name services.csv
            problems.file = str(path)
        table_problems = ProblemCollector(str(path))
        table = read_table(path, table_problems, max_bytes)
        if table is not None:
            (_, header), rows = table
            names = [column.strip() for column in header]
            tables[name] = [(line, dict(zip(names, cells))) for line, cells in rows]
        if name == "location":
            drop_impossible_coordinates(tables.get(name, []), table_problems)
        problems.problems.extend(table_problems.problems)
    return tables


def write_hsds(records: list[OfferRecord], path: Path) -> None:
    """A page of nested services when ``path`` ends in .json, else a folder of CSV tables."""
    if path.suffix.lower() == ".json":
        text = json.dumps(hsds_page(records), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")
        return
    tables = hsds_tables(records)
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (path / TABLES[name][1]).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows({key: formula_safe(value) for key, value in row.items()}
                             for row in rows)
    resources = [{"name": name, "path": file_name, "profile": "tabular-data-resource",
                  "schema": {"fields": [{"name": column, "type": FIELD_TYPES.get(column, "string")}
                                        for column in COLUMNS[name]], "primaryKey": "id"}}
                 for name, (_, file_name) in TABLES.items()]
    package = {"name": "brobygger-catalogue", "profile": "tabular-data-package",
               "resources": resources}
    (path / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
