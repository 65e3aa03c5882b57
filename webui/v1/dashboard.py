"""``/api/v1/dashboard``: where offers are missing (coverage), what works for whom (outcomes,
groups under five citizens withheld) and which search words found nothing good (counted at
least three times); JSON, or CSV with ``Accept: text/csv`` or ``format=csv``. Coordinators
and admins."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from datetime import date

from flask import Response, jsonify, request

from casework.outcomes import outcomes
from catalogue.coverage import CoverageRow, coverage
from catalogue.search_terms import MIN_COUNT, WEEKS_KEPT, frequent_terms
from ingest.cells import formula_safe
from webui.runtime import runtime
from webui.v1 import bp, error

MAX_NAME = 100
OUTCOME_COLUMNS = ("group", "name", "kind", "citizens", "referrals", "reached", "declined",
                   "conversion", "steps", "steps_done", "checkins_happened")


def coverage_rows(municipality: str | None) -> list[CoverageRow]:
    return coverage(runtime().records.get(), date.today(), runtime().settings.stale_after_days,
                    municipality)


def csv_download(header: list[str] | tuple[str, ...], rows: list[list], filename: str) -> Response:
    """A table as a CSV download; text a spreadsheet would run as a formula is defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([formula_safe(value) if isinstance(value, str) else
                         str(value).lower() if isinstance(value, bool) else
                         "" if value is None else value for value in row])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def coverage_csv(rows: list[CoverageRow]) -> Response:
    return csv_download([f.name for f in fields(CoverageRow)],
                        [list(asdict(row).values()) for row in rows], "daekning.csv")


def outcome_table(results: dict) -> list[list]:
    """One row per kind, then per shown offer (``OUTCOME_COLUMNS``): what the page's tables show."""
    def row(group: str, name: str, item: dict) -> list:
        referrals, steps = item["referrals"], item["steps"]
        return [group, name, item["kind"], item["citizens"], referrals["total"],
                referrals["accepted"] + referrals["started"] + referrals["ended"],
                referrals["declined"], referrals["conversion"], steps["total"], steps["done"],
                item["checkins"]["happened"]]

    return [row("kind", item["kind"], item) for item in results["by_kind"]] + \
           [row("offer", item["name"] or item["offer_id"], item) for item in results["by_offer"]]


def outcomes_csv(results: dict) -> Response:
    return csv_download(OUTCOME_COLUMNS, outcome_table(results), "udfald.csv")


def search_terms() -> dict:
    return {"min_count": MIN_COUNT, "weeks": WEEKS_KEPT, "terms": frequent_terms(runtime().sessions)}


def search_terms_csv(found: dict) -> Response:
    return csv_download(("term", "count"), [[t["term"], t["count"]] for t in found["terms"]],
                        "soegeord.csv")


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
    results = outcomes(runtime().sessions)
    return outcomes_csv(results) if wants_csv() else jsonify(results)


@bp.get("/dashboard/search-terms")
def dashboard_search_terms():
    found = search_terms()
    return search_terms_csv(found) if wants_csv() else jsonify(found)
