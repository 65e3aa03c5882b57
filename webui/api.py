"""JSON twins of the pages: the same data the HTML shows, for other systems and for tests."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import Blueprint, abort, jsonify, request, url_for

from catalogue.records import OfferRecord
from webui.catalogue import browse
from webui.listing import find_offer, offer_state
from webui.present import suggestions_to_dict
from webui.runtime import runtime
from webui.search import run_search
from webui.searchform import parse_search

bp = Blueprint("api", __name__, url_prefix="/api")


def offer_to_dict(offer: OfferRecord) -> dict:
    """The interchange record plus where it came from, its state today and its page."""
    return {**offer.to_interchange(), "source": offer.source,
            "state": offer_state(offer, date.today()),
            "url": url_for("catalogue.offer", source=offer.source, external_id=offer.id)}


@bp.get("/tilbud")
def offers():
    records, filters, page, stats = browse(request.args)
    return jsonify({"total": len(records), "matched": page.matched, "page": page.number,
                    "pages": page.pages, "filters": filters.args(page=page.number),
                    "counts": asdict(stats),
                    "offers": [offer_to_dict(offer) for offer in page.items]})


@bp.get("/tilbud/<source>/<path:external_id>")
def offer(source: str, external_id: str):
    record = find_offer(runtime().records.get(), source, external_id) or abort(404)
    return jsonify(offer_to_dict(record))


@bp.get("/forslag")
def suggestions():
    form = parse_search(request.args)
    if not form.valid:
        field, first = next(iter(form.errors.items()))
        fields = {name: {"da": e.da, "en": e.en} for name, e in form.errors.items()}
        return jsonify({"error": {"da": first.da, "en": first.en, "field": field,
                                  "fields": fields}}), 400
    return jsonify(suggestions_to_dict(run_search(form)))
