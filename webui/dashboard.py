"""The coordinators' dashboard (``/koordinator/oversigt``): the coverage table of one
municipality with gaps marked in words, its CSV, and what works per kind and offer (groups under
five citizens withheld). The same numbers as ``/api/v1/dashboard``."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Blueprint, render_template, request

from casework.outcomes import outcomes
from catalogue.coverage import GAP_BELOW, named_municipalities, open_to
from catalogue.states import offer_state
from webui.listing import STATE_LABELS
from webui.runtime import runtime
from webui.v1.dashboard import MAX_NAME, coverage_csv, coverage_rows

bp = Blueprint("dashboard", __name__, url_prefix="/koordinator/oversigt")


def _municipality() -> tuple[str | None, list[str]]:
    names = named_municipalities(runtime().records.get())
    chosen = (request.args.get("municipality") or "").strip()[:MAX_NAME] \
        or runtime().settings.default_municipality or (names[0] if names else None)
    return chosen, names


def states_in(municipality: str | None) -> list[tuple[str, int]]:
    """How many of the offers open to the municipality are in each state (the worklists'
    stale and expiring among them)."""
    today, days = date.today(), runtime().settings.stale_after_days
    counted = Counter(offer_state(r, today, days) for r in runtime().records.get()
                      if municipality and open_to(r, municipality))
    return [(state, counted[state]) for state in STATE_LABELS]


@bp.get("/")
def overview():
    chosen, names = _municipality()
    rows = coverage_rows(chosen) if chosen else []
    return render_template("coordinator/dashboard.html", rows=rows, chosen=chosen, names=names,
                           gap_below=GAP_BELOW, results=outcomes(runtime().sessions),
                           states=states_in(chosen))


@bp.get("/daekning.csv")
def coverage_download():
    """Every municipality, or the one asked for, as CSV (formula-safe cells)."""
    municipality = (request.args.get("municipality") or "").strip()[:MAX_NAME] or None
    return coverage_csv(coverage_rows(municipality))
