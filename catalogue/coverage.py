"""Where offers are missing: for each municipality × target group, the running offers its
residents may use that are made for the group, and how many of them are civil society's. Pure functions over offer records;
the dashboard (``GET /api/v1/dashboard/coverage``) and the coordinators' page show the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalogue.places import ALL_MUNICIPALITIES, municipality_key, open_to_all
from catalogue.records import OfferRecord
from catalogue.states import offer_state
from catalogue.vocab import codes

RUNNING = ("active", "stale", "expiring")   # not ended, paused or past valid_to
CIVIL_SOCIETY = "association"
GAP_BELOW = 2                               # fewer civil-society offers than this: a gap
ALL_GROUPS = "alle"


@dataclass(frozen=True)
class CoverageRow:
    municipality: str
    target_group: str
    offers: int
    civil_society_offers: int
    gap: bool


def open_to(offer: OfferRecord, municipality: str) -> bool:
    """Open to the municipality's residents: named there, or open to every municipality."""
    return open_to_all(offer.municipalities) or municipality_key(municipality) in {
        municipality_key(m) for m in offer.municipalities}


def serves(offer: OfferRecord, target_group: str) -> bool:
    """Made for the target group: it names the group. An offer for everyone (``alle``, or no
    group named) is open to the group too, but counting it would hide exactly the gaps this
    table is for (a knitting club is not an offer made for heavy drug users)."""
    return target_group in offer.target_groups


def named_municipalities(records: list[OfferRecord]) -> list[str]:
    """Every municipality an offer names (one spelling each, ``alle`` left out), sorted."""
    names: dict[str, str] = {}
    for record in records:
        for name in record.municipalities:
            if municipality_key(name) != ALL_MUNICIPALITIES:
                names.setdefault(municipality_key(name), name)
    return sorted(names.values(), key=municipality_key)


def coverage(records: list[OfferRecord], today: date, stale_after_days: int,
             municipality: str | None = None) -> list[CoverageRow]:
    """Rows for ``municipality`` (or every municipality the catalogue names) × every target
    group, counting running offers only."""
    running = [r for r in records if offer_state(r, today, stale_after_days) in RUNNING]
    places = [municipality] if municipality else named_municipalities(records)
    groups = sorted(codes("target_groups") - {ALL_GROUPS})
    rows = []
    for place in places:
        here = [r for r in running if open_to(r, place)]
        for group in groups:
            found = [r for r in here if serves(r, group)]
            civil = sum(1 for r in found if r.kind == CIVIL_SOCIETY)
            rows.append(CoverageRow(place, group, len(found), civil, civil < GAP_BELOW))
    return rows
