"""An offer's state, counted one way everywhere (listing filters, statistics, the API).

Precedence: ended > paused > expired > expiring > stale > active.
"""

from __future__ import annotations

from datetime import date, timedelta

from catalogue.records import OfferRecord
from catalogue.vocab import label

STATES = ("active", "stale", "expiring", "expired", "paused", "ended")
# Danish first (what a person reads), English second; the words live in vocabularies.json
# ("status"), the one home of every state's and stored status's label.
STATE_LABELS = {code: (label("status", code), label("status", code, "en")) for code in STATES}
EXPIRING_WITHIN_DAYS = 30
DEFAULT_STALE_AFTER_DAYS = 365   # 12 months: unconfirmed after this (state, quality, requests)


def offer_state(offer: OfferRecord, today: date,
                stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> str:
    """``ended`` or ``paused`` (as set by a person or an import), ``expired`` (``valid_to`` has
    passed), ``expiring`` (``valid_to`` within 30 days), ``stale`` (``assured_date`` missing or
    older than ``stale_after_days``), else ``active``."""
    if offer.status in ("ended", "paused"):
        return offer.status
    if offer.valid_to is not None:
        if offer.valid_to < today:
            return "expired"
        if offer.valid_to <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
            return "expiring"
    if offer.assured_date is None or offer.assured_date < today - timedelta(days=stale_after_days):
        return "stale"
    return "active"
