"""Filtering and paging the catalogue, without the web."""

from __future__ import annotations

from datetime import date

from catalogue.records import empty_record
from webui.listing import (PER_PAGE, OfferFilters, danish_key, filter_offers, municipalities,
                           offer_state)
from werkzeug.datastructures import MultiDict

TODAY = date(2026, 1, 1)


def test_pages_hold_25_offers_and_a_too_high_page_shows_the_last():
    records = [empty_record(id=f"o{i}") for i in range(60)]
    _, first = filter_offers(records, OfferFilters(), TODAY)
    _, last = filter_offers(records, OfferFilters(page=9), TODAY)
    assert (len(first.items), first.pages, first.first, first.last) == (PER_PAGE, 3, 1, 25)
    assert (last.number, len(last.items), last.first, last.last) == (3, 10, 51, 60)


def test_unknown_filter_codes_and_bad_pages_are_ignored():
    filters = OfferFilters.from_args(MultiDict({"kind": "x", "status": "y", "page": "-2",
                                                "target_group": "unge", "q": "  kor "}))
    assert filters == OfferFilters(text="kor", target_group="unge")
    assert filters.args(page=2) == {"q": "kor", "target_group": "unge", "page": 2}


def test_the_listing_uses_the_one_state_function():
    assert offer_state(empty_record(id="a", assured_date=TODAY), TODAY) == "active"
    assert offer_state(empty_record(id="a", valid_to=date(2025, 12, 31)), TODAY) == "expired"


def test_state_filter_reads_status_or_state_and_knows_every_state():
    records = [empty_record(id="fresh", assured_date=TODAY), empty_record(id="old")]
    for name in ("status", "state"):
        filters = OfferFilters.from_args(MultiDict({name: "stale"}))
        assert [r.id for r in filter_offers(records, filters, TODAY)[0]] == ["old"]


def test_municipalities_once_each_in_danish_order():
    records = [empty_record(id="a", municipalities=("Århus", "alle")),
               empty_record(id="b", municipalities=("Ærø", "Odense Kommune", "odense"))]
    assert municipalities(records) == ["Odense Kommune", "Ærø", "Århus"]
    assert sorted(["å", "z", "æ", "ø"], key=danish_key) == ["z", "æ", "ø", "å"]


def test_text_filter_reads_aa_and_ae_like_danish_letters():
    records = [empty_record(id="a", name="Gældsrådgivning")]
    assert filter_offers(records, OfferFilters(text="gaeldsraad"), TODAY)[0]
