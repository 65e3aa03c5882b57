"""How complete an offer's record is: the share of the fields a citizen or a guide relies on
that are filled in (0 to 1). Simple on purpose, so a coordinator can see what raises it."""

from __future__ import annotations

from catalogue.records import OfferRecord

# Each counts once when filled; the required fields (id, name, description, kind) are always
# there and do not count. Coordinates count as one field (lat and lon come together).
QUALITY_FIELDS = ("provider", "categories", "target_groups", "municipalities",
                  "requires_referral", "cost", "address", "postcode", "lat", "schedule",
                  "languages", "contact", "roles", "low_threshold", "capacity", "assured_date")


def quality(record: OfferRecord) -> float:
    """The share of ``QUALITY_FIELDS`` that are filled, rounded to two decimals."""
    filled = sum(1 for name in QUALITY_FIELDS if getattr(record, name) not in (None, "", ()))
    return round(filled / len(QUALITY_FIELDS), 2)
