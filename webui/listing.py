"""Browsing the catalogue: filters read from the query string, filtering and pagination.

Pure functions over ``OfferRecord``s, shared by the HTML page and its JSON twin.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date

from flask_babel import LazyString

from catalogue.listing_reports import PARTS as REPORT_PARTS
from catalogue.places import ALL_MUNICIPALITIES, municipality_key, open_to_all
from catalogue.records import OfferRecord
from catalogue.states import DEFAULT_STALE_AFTER_DAYS, STATES
from catalogue.states import STATE_LABELS as BILINGUAL_STATE_LABELS
from catalogue.states import offer_state
from catalogue.vocab import codes, fold_danish
from webui.i18n import localized
from webui.params import whole_number

PER_PAGE = 25
MAX_PAGE = 999_999
# the state vocabulary is catalogue data (Danish and English); a page shows the reader's label
def state_label(code: str) -> str:
    return localized(dict(zip(("da", "en"), BILINGUAL_STATE_LABELS[code])))


STATE_LABELS = {code: LazyString(state_label, code) for code in BILINGUAL_STATE_LABELS}


def report_part_label(code: str) -> str:
    """The reader's label of a part a provider said is wrong (``catalogue.listing_reports``)."""
    return localized(dict(zip(("da", "en"), REPORT_PARTS[code])))


REPORT_PART_LABELS = {code: LazyString(report_part_label, code) for code in REPORT_PARTS}


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def danish_key(text: str) -> str:
    """Sort key that puts æ, ø, å after z, as a Danish reader expects."""
    return text.casefold().translate(_DANISH_ORDER)


def municipalities(records: list[OfferRecord]) -> list[str]:
    """The catalogue's municipalities, one spelling each, in Danish alphabetical order."""
    names: dict[str, str] = {}
    for record in records:
        for name in record.municipalities:
            names.setdefault(municipality_key(name), name)
    names.pop(ALL_MUNICIPALITIES, None)
    return sorted(names.values(), key=danish_key)


def _page_number(value: str | None) -> int:
    return whole_number(value, 1, MAX_PAGE) or 1


def _known(value: str | None, allowed) -> str:
    return value if value in allowed else ""


@dataclass(frozen=True)
class OfferFilters:
    """What the user narrowed the list to; empty strings mean "no filter"."""

    text: str = ""
    kind: str = ""
    municipality: str = ""
    target_group: str = ""
    status: str = ""
    page: int = 1
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS

    @classmethod
    def from_args(cls, args, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> "OfferFilters":
        """Read ``?q=&kind=&municipality=&target_group=&status=&page=`` (``state=`` is the same as
        ``status=``); unknown codes are ignored."""
        return cls(text=(args.get("q") or "").strip(),
                   kind=_known(args.get("kind"), codes("kind")),
                   municipality=(args.get("municipality") or "").strip(),
                   target_group=_known(args.get("target_group"), codes("target_groups")),
                   status=_known(args.get("status") or args.get("state"), STATES),
                   page=_page_number(args.get("page")), stale_after_days=stale_after_days)

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to these filters (with ``changes``)."""
        data = asdict(replace(self, **changes))
        data["q"] = data.pop("text")
        del data["stale_after_days"]
        if data["page"] == 1:
            del data["page"]
        return {k: v for k, v in data.items() if v}

    def matches(self, offer: OfferRecord, today: date) -> bool:
        if self.text:
            needle = fold_danish(self.text)
            if needle not in fold_danish(offer.name) and needle not in fold_danish(offer.description):
                return False
        if self.kind and offer.kind != self.kind:
            return False
        if self.target_group and self.target_group not in offer.target_groups:
            return False
        if self.status and offer_state(offer, today, self.stale_after_days) != self.status:
            return False
        if self.municipality:
            return (open_to_all(offer.municipalities) or municipality_key(self.municipality)
                    in {municipality_key(m) for m in offer.municipalities})
        return True


@dataclass(frozen=True)
class Page:
    """One page of a filtered list."""

    items: list[OfferRecord]
    number: int
    pages: int
    matched: int

    @property
    def first(self) -> int:
        return (self.number - 1) * PER_PAGE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def filter_offers(records: list[OfferRecord], filters: OfferFilters, today: date
                  ) -> tuple[list[OfferRecord], Page]:
    """All offers matching ``filters``, and the page of them the filters ask for."""
    matched = [r for r in records if filters.matches(r, today)]
    pages = max(1, math.ceil(len(matched) / PER_PAGE))
    number = min(filters.page, pages)
    items = matched[(number - 1) * PER_PAGE: number * PER_PAGE]
    return matched, Page(items, number, pages, len(matched))


def find_offer(records: list[OfferRecord], source: str, external_id: str) -> OfferRecord | None:
    return next((r for r in records if r.source == source and r.id == external_id), None)
