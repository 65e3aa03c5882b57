"""The coordinators' dashboard (``/koordinator/oversigt``): the coverage table of one
municipality with gaps marked in words, what works per kind and offer (groups under five
citizens withheld) and the search words that found nothing good (counted at least three
times); each table with its chart (SVG drawn on the server) and CSV. The same numbers as
``/api/v1/dashboard``."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext

from casework.outcomes import outcomes
from catalogue.coverage import GAP_BELOW, CoverageRow, named_municipalities, open_to
from catalogue.states import offer_state
from webui.listing import STATE_LABELS
from webui.runtime import runtime
from webui.templating import vocab_label
from webui.v1.dashboard import (MAX_NAME, coverage_csv, coverage_rows, outcomes_csv,
                                search_terms, search_terms_csv)

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


def coverage_chart(rows: list[CoverageRow], municipality: str | None):
    from webui.charts import BarChart

    gaps = frozenset(i for i, row in enumerate(rows) if row.gap)
    return BarChart(
        gettext("Tilbud i %(municipality)s pr. målgruppe", municipality=municipality or "–"),
        gettext("Vandrette søjler: tilbud i alt og tilbud fra civilsamfundet for hver målgruppe; "
                "den stiplede linje er grænsen for et hul (%(n)s). %(gaps)s af %(groups)s "
                "målgrupper har et hul (markeret med rødt). Tallene står i tabellen under "
                "diagrammet.", n=GAP_BELOW, gaps=len(gaps), groups=len(rows)),
        [vocab_label("target_groups", row.target_group) for row in rows],
        {gettext("Tilbud i alt"): [row.offers for row in rows],
         gettext("Fra civilsamfundet"): [row.civil_society_offers for row in rows]},
        gaps, GAP_BELOW, gettext("Grænse for et hul"))


def outcomes_chart(results: dict):
    from webui.charts import BarChart

    kinds = results["by_kind"]
    return BarChart(
        gettext("Henvisninger og prøvehandlinger efter slags tilbud"),
        gettext("Vandrette søjler for hver slags tilbud med mindst %(n)s borgere: henvisninger, "
                "taget imod, afvist, prøvehandlinger og gennemførte. Tallene står i tabellen "
                "under diagrammet.", n=results["min_group"]),
        [vocab_label("kind", kind["kind"]) for kind in kinds],
        {gettext("Henvisninger"): [k["referrals"]["total"] for k in kinds],
         gettext("Taget imod"): [k["referrals"]["accepted"] + k["referrals"]["started"]
                                 + k["referrals"]["ended"] for k in kinds],
         gettext("Afvist"): [k["referrals"]["declined"] for k in kinds],
         gettext("Prøvehandlinger"): [k["steps"]["total"] for k in kinds],
         gettext("Gennemført"): [k["steps"]["done"] for k in kinds]})


def search_terms_chart(found: dict):
    from webui.charts import BarChart

    return BarChart(
        gettext("Søgeord, der ikke fandt noget godt"),
        gettext("Vandrette søjler: hvor mange gange hvert ord var i en søgning uden gode "
                "resultater de seneste %(weeks)s uger (kun ord talt mindst %(n)s gange). Tallene "
                "står i tabellen under diagrammet.", weeks=found["weeks"], n=found["min_count"]),
        [term["term"] for term in found["terms"]],
        {gettext("Søgninger"): [term["count"] for term in found["terms"]]})


@bp.get("/")
def overview():
    chosen, names = _municipality()
    rows = coverage_rows(chosen) if chosen else []
    results, found = outcomes(runtime().sessions), search_terms()
    return render_template("coordinator/dashboard.html", rows=rows, chosen=chosen, names=names,
                           gap_below=GAP_BELOW, results=results, found=found,
                           states=states_in(chosen), charts={
                               "daekning": coverage_chart(rows, chosen),
                               "udfald": outcomes_chart(results),
                               "soegeord": search_terms_chart(found)})


@bp.get("/diagram/<name>.svg")
def chart(name: str):
    """One chart as SVG: ``daekning`` (of ``?municipality=``), ``udfald`` or ``soegeord``."""
    from webui.charts import svg

    if name == "daekning":
        chosen, _ = _municipality()
        drawn = coverage_chart(coverage_rows(chosen) if chosen else [], chosen)
    elif name == "udfald":
        drawn = outcomes_chart(outcomes(runtime().sessions))
    elif name == "soegeord":
        drawn = search_terms_chart(search_terms())
    else:
        abort(404)
    return Response(svg(drawn), mimetype="image/svg+xml")


@bp.get("/daekning.csv")
def coverage_download():
    """Every municipality, or the one asked for, as CSV (formula-safe cells)."""
    municipality = (request.args.get("municipality") or "").strip()[:MAX_NAME] or None
    return coverage_csv(coverage_rows(municipality))


@bp.get("/udfald.csv")
def outcomes_download():
    return outcomes_csv(outcomes(runtime().sessions))


@bp.get("/soegeord.csv")
def search_terms_download():
    return search_terms_csv(search_terms())
