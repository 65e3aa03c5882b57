"""Open Referral's compiled HSDS 3.0 schemas, applied as the specification's own CI applies them:
formats checked (uuid, email) and no property the schema does not name. A service's capacities
(HSDS 3.1, which 3.0 does not name) are checked against 3.1's ``service_capacity`` instead."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

HSDS = Path(__file__).parent / "data" / "hsds"
PAGE_KEYS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"]  # as examples/service_list.json and openapi.json's Page


def _strict(schema: object) -> object:
    """additionalProperties false everywhere (compiletojsonschema's option in the spec's CI)."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict):
        strict["additionalProperties"] = False
    return strict


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((HSDS / "schema" / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(_strict(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(document: object, name: str) -> list[str]:
    """Every way ``document`` breaks schema/``name``.json, each as "path: message"."""
    return _errors(validator(name), document, "")


CAPACITY_TABLES = ("service_capacity", "unit")   # HSDS 3.1 tables


@cache
def capacity_validators() -> dict[str, Draft202012Validator]:
    """3.1's service_capacity as nested in a service, as a flat row, and its unit row."""
    nested = _strict(json.loads((HSDS / "schema" / "service_capacity.json").read_text("utf-8")))
    row = {**nested, "required": [name for name in nested["required"] if name != "unit"]
           + nested.get("tabular_required", [])}
    check = Draft202012Validator.FORMAT_CHECKER
    return {"nested": Draft202012Validator(nested, format_checker=check),
            "service_capacity": Draft202012Validator(row, format_checker=check),
            "unit": Draft202012Validator(nested["properties"]["unit"], format_checker=check)}


def _errors(validator: Draft202012Validator, document: object, prefix: str) -> list[str]:
    return [f"{prefix}/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)]


def service_errors(service: dict) -> list[str]:
    """One service against 3.0's compiled/service.json, its capacities against 3.1's."""
    capacities = service.get("capacities", [])
    without = {key: value for key, value in service.items() if key != "capacities"}
    return schema_errors(without, "service") + [
        error for number, capacity in enumerate(capacities)
        for error in _errors(capacity_validators()["nested"], capacity, f"/capacities/{number}")]


def page_errors(page: dict) -> list[str]:
    """A page of the API's /services: its keys, and every service (``service_errors``)."""
    errors = [] if list(page) == PAGE_KEYS else [f"page keys {list(page)} are not {PAGE_KEYS}"]
    return errors + [f"/contents/{number}{error}" for number, service in enumerate(page["contents"])
                     for error in service_errors(service)]


def folder_errors(folder: Path) -> list[str]:
    """A CSV data package as its tables of rows against compiled/tabular.json.

    Cells are typed as the package's datapackage.json declares them; an empty cell is missing,
    as Table Schema reads it.
    """
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = {}
    for resource in package["resources"]:
        types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as table:
            tables[resource["name"]] = [
                {name: float(cell) if types[name] == "number" else cell
                 for name, cell in row.items() if cell}
                for row in csv.DictReader(table)]
    capacity_errors = [error for name in CAPACITY_TABLES for number, row in
                       enumerate(tables.pop(name, [])) for error in
                       _errors(capacity_validators()[name], row, f"/{name}/{number}")]
    return schema_errors(tables, "tabular") + capacity_errors
