"""``POST /api/v1/imports``: one catalogue file (JSONL, CSV, Excel or HSDS JSON), all or nothing,
through the same reader, validator and writer as ``brobygger import``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import jsonify, request

from catalogue.editing import EditError, check_source
from catalogue.records import KINDS
from ingest.formats import READERS
from ingest.importer import import_catalogue
from ingest.problems import ImportRejected, Problem
from ingest.writer import TooManyEnded
from webui.runtime import runtime
from webui.v1 import bp, error

END_LIMIT = 0.1   # a full import may end at most a tenth of a source's offers unless confirmed
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "xlsx": ".xlsx", "hsds": ".json"}
TRUE, FALSE = ("true", "1", "yes", "ja"), ("false", "0", "no", "nej", "")


def _problem(p: Problem) -> dict:
    return {"line": p.line, "field": p.field, "da": p.da, "en": p.en}


def _flag(name: str, default: bool) -> bool | None:
    raw = (request.args.get(name) or ("true" if default else "")).strip().lower()
    return True if raw in TRUE else False if raw in FALSE else None


def _empty_report(dry_run: bool, errors: list[dict]) -> dict:
    return {"dry_run": dry_run, "created": 0, "updated": 0, "unchanged": 0, "ended": 0,
            "warnings": [], "errors": errors}


@bp.post("/imports")
def imports():
    """``?dry_run=true|false&source=NAME&format=auto|jsonl|csv|xlsx|hsds&full=&confirm=
    &default_kind=`` with the file in the multipart field ``file``."""
    flags = {name: _flag(name, False) for name in ("dry_run", "full", "confirm")}
    for name, value in flags.items():
        if value is None:
            return error(400, f"{name} skal være true eller false", f"{name} must be true or false", name)
    source = (request.args.get("source") or "default").strip()
    fmt = (request.args.get("format") or "auto").strip().lower()
    default_kind = request.args.get("default_kind") or None
    try:
        check_source(source)
    except EditError as exc:
        return error(400, exc.da, exc.en, exc.field)
    if fmt != "auto" and fmt not in READERS:
        return error(400, "format skal være auto, jsonl, csv, xlsx eller hsds",
                     "format must be auto, jsonl, csv, xlsx or hsds", "format")
    if default_kind is not None and default_kind not in KINDS:
        return error(400, f"default_kind skal være {', '.join(KINDS)}",
                     f"default_kind must be {', '.join(KINDS)}", "default_kind")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error(400, "Send filen i multipart-feltet »file«",
                     "Send the file in the multipart field 'file'", "file")
    suffix = SUFFIXES[fmt] if fmt != "auto" else Path(upload.filename).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="brobygger-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        try:
            report, warnings = import_catalogue(
                runtime().sessions, path, fmt, source, full=flags["full"],
                dry_run=flags["dry_run"], default_kind=default_kind,
                end_limit=None if flags["confirm"] else END_LIMIT)
        except ImportRejected as rejected:
            errors = [_problem(p) for p in rejected.problems]
            first = rejected.problems[0]
            return error(422, first.da, first.en, first.field,
                         **_empty_report(flags["dry_run"], errors))
        except TooManyEnded as too_many:
            return error(409, too_many.da, too_many.en, "confirm", would_end=too_many.ending,
                         offers_in_source=too_many.total)
    return jsonify({"dry_run": report.dry_run, "created": len(report.new),
                    "updated": len(report.changed), "unchanged": len(report.unchanged),
                    "ended": len(report.ended), "warnings": [_problem(p) for p in warnings],
                    "errors": []})
