"""Where an offer is and whom it is for: its town, read from its address or postcode, and the
one rule for which municipalities' residents may use it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from catalogue.records import OfferRecord
from catalogue.vocab import fold_danish

ALL_MUNICIPALITIES = "alle"     # written in an offer's municipalities: open to every municipality


@lru_cache(maxsize=4096)   # the same few names, asked for on every offer of every search
def municipality_key(name: str) -> str:
    """Compare municipalities the way people write them: "Aarhus Kommune" equals "aarhus"."""
    return fold_danish(name).removesuffix(" kommune").strip()


def means_all_municipalities(name: str) -> bool:
    """Whether one entry of an offer's municipalities is the word for every municipality."""
    return municipality_key(name) == ALL_MUNICIPALITIES


def open_to_all(municipalities: Iterable[str]) -> bool:
    """An offer naming no municipality, or naming ``alle``, is open to residents of every one."""
    keys = {municipality_key(m) for m in municipalities}
    return not keys or ALL_MUNICIPALITIES in keys

POSTCODE_AND_TOWN = re.compile(r"\b\d{4}\s+([^\d,][^,]*)$")


@lru_cache(maxsize=1)
def _ranges() -> list[tuple[int, int, str]]:
    data = json.loads((resources.files("catalogue") / "data" / "postcode_towns.json").read_text("utf-8"))
    return [tuple(row) for row in data["ranges"]]


def town(offer: OfferRecord) -> str | None:
    """The town after the postcode in the address ("Nørregade 1, 8000 Aarhus C"), else the town
    of the postcode from a small table of larger towns, else None."""
    found = POSTCODE_AND_TOWN.search(offer.address.strip())
    if found:
        return found.group(1).strip()
    if re.fullmatch(r"\d{4}", offer.postcode or ""):
        number = int(offer.postcode)
        return next((name for first, last, name in _ranges() if first <= number <= last), None)
    return None
