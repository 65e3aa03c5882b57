"""Browsing the catalogue: the offer list with filters and one page per offer."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for

from catalogue.repository import catalogue_stats
from catalogue.vocab import vocabularies
from webui.listing import STATE_LABELS, OfferFilters, filter_offers, find_offer, municipalities
from webui.runtime import runtime

bp = Blueprint("catalogue", __name__)


def browse(args):
    """The filters, the matching offers, the page to show, and counts of the matches."""
    state, today = runtime(), date.today()
    records = state.records.get()
    filters = OfferFilters.from_args(args, state.settings.stale_after_days)
    matched, page = filter_offers(records, filters, today)
    stats = catalogue_stats(matched, today, state.settings.stale_after_days)
    return records, filters, page, stats


@bp.get("/")
def index():
    return redirect(url_for("catalogue.offers"))


@bp.get("/tilbud")
def offers():
    records, filters, page, stats = browse(request.args)
    vocab = vocabularies()
    return render_template("catalogue/list.html", filters=filters, page=page, stats=stats,
                           total=len(records), municipalities=municipalities(records),
                           kinds=vocab["kind"], target_groups=vocab["target_groups"],
                           states=STATE_LABELS)


@bp.get("/tilbud/<source>/<path:external_id>")
def offer(source: str, external_id: str):
    record = find_offer(runtime().records.get(), source, external_id) or abort(404)
    return render_template("catalogue/detail.html", offer=record)
