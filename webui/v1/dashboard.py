"""``/api/v1/dashboard``: where offers are missing (coverage, JSON or CSV) and what works for
whom (outcomes, groups under five citizens withheld); coordinators and admins."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from datetime import date

from flask import Response, jsonify, request

from casework.outcomes import outcomes
from catalogue.coverage import CoverageRow, coverage
from ingest.cells import formula_safe
from webui.runtime import runtime
from webui.v1 import bp, error

MAX_NAME = 100


def coverage_rows(municipality: str | None) -> list[CoverageRow]:
    return coverage(runtime().records.get(), date.today(), runtime().settings.stale_after_days,
                    municipality)


def coverage_csv(rows: list[CoverageRow]) -> Response:
    """The rows as CSV; text a spreadsheet would run as a formula is defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.name for f in fields(CoverageRow)])
    for row in rows:
        writer.writerow([formula_safe(value) if isinstance(value, str) else
                         str(value).lower() if isinstance(value, bool) else value
                         for value in asdict(row).values()])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="daekning.csv"'})


def wants_csv() -> bool:
    return request.args.get("format") == "csv" or request.accept_mimetypes.best == "text/csv"


@bp.get("/dashboard/coverage")
def dashboard_coverage():
    municipality = (request.args.get("municipality") or "").strip() or None
    if municipality and len(municipality) > MAX_NAME:
        return error(400, f"»municipality« er for lang (højst {MAX_NAME} tegn)",
                     f"'municipality' is too long (at most {MAX_NAME} characters)", "municipality")
    rows = coverage_rows(municipality)
    if wants_csv():
        return coverage_csv(rows)
    return jsonify({"rows": [asdict(row) for row in rows]})


@bp.get("/dashboard/outcomes")
def dashboard_outcomes():
    return jsonify(outcomes(runtime().sessions))
