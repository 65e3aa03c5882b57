"""Coverage counted by hand on a small made-up catalogue: what runs, where, for whom; an offer for
``alle`` municipalities counts in every one, an offer for every target group in none (it is not
made for the group); a gap is fewer than two civil-society offers."""

from __future__ import annotations

from datetime import date

from catalogue.coverage import coverage, named_municipalities
from catalogue.records import empty_record

TODAY = date(2026, 12, 6)
FRESH = date(2026, 11, 1)
OFFERS = [
    empty_record(id="a1", kind="association", municipalities=("Aarhus",),
                 target_groups=("misbrug",), assured_date=FRESH),
    empty_record(id="a2", kind="association", municipalities=("alle",),
                 target_groups=("misbrug", "ensomhed"), assured_date=FRESH),
    empty_record(id="m1", kind="municipal", municipalities=("Aarhus Kommune",),
                 target_groups=("misbrug",), assured_date=FRESH),
    empty_record(id="s1", kind="social_economy", municipalities=("Odense",),
                 target_groups=("alle",)),                                  # stale still runs
    empty_record(id="old", kind="association", municipalities=("Odense",),
                 target_groups=("ensomhed",), valid_to=date(2025, 1, 1)),    # expired
    empty_record(id="paused", kind="association", municipalities=("Aarhus",),
                 target_groups=("ensomhed",), status="paused"),
]


def _cell(rows, municipality, group):
    [row] = [r for r in rows if r.municipality == municipality and r.target_group == group]
    return row.offers, row.civil_society_offers, row.gap


def test_coverage_on_a_small_catalogue():
    rows = coverage(OFFERS, TODAY, 365)
    assert named_municipalities(OFFERS) == ["Aarhus", "Odense"]
    assert _cell(rows, "Aarhus", "misbrug") == (3, 2, False)     # a1, a2 (alle), m1
    assert _cell(rows, "Aarhus", "ensomhed") == (1, 1, True)     # a2 only; paused does not run
    assert _cell(rows, "Odense", "misbrug") == (1, 1, True)      # a2; s1 is for every group
    assert _cell(rows, "Odense", "ensomhed") == (1, 1, True)     # expired one left out
    assert _cell(rows, "Odense", "hjemloeshed") == (0, 0, True)
    assert {r.target_group for r in rows} >= {"misbrug", "hjemloeshed"}
    assert "alle" not in {r.target_group for r in rows}


def test_one_municipality_even_one_no_offer_names():
    rows = coverage(OFFERS, TODAY, 365, municipality="Vejle")
    assert {r.municipality for r in rows} == {"Vejle"}
    assert _cell(rows, "Vejle", "misbrug") == (1, 1, True)       # a2 is for every municipality
