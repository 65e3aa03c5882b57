"""The town an offer takes place in, read from its address or postcode."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from catalogue.records import OfferRecord

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
