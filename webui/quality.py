"""The listing-quality check with what it needs from the rest of the product: the matcher's own
reading of a text (its need and interest lexicons, as it reads an offer) and the likely
duplicates the coordinators have not decided on. Used by the worklist, the API's ``quality``
and ``brobygger check-listings``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from catalogue.duplicates import pair_key
from catalogue.quality import Finding, findings, score
from catalogue.records import OfferRecord
from matcher.lexicon import interests_lexicon, needs_lexicon


def offer_themes(text: str) -> tuple[set[str], set[str]]:
    """(needs, interests) the matcher reads in an offer's text."""
    return set(needs_lexicon().detect(text)), set(interests_lexicon().detect(text))


@dataclass(frozen=True)
class Checked:
    """One listing with what to fix and its score."""

    record: OfferRecord
    findings: list[Finding]
    score: float


def check_listing(record: OfferRecord, today: date, stale_after_days: int,
                  duplicate: bool = False) -> Checked:
    found = findings(record, today, offer_themes, stale_after_days, duplicate)
    return Checked(record, found, score(record, found))


def open_duplicates(pairs, decided: set[tuple[int, int]]) -> set[int]:
    """Offer keys in a likely-duplicate pair (``Runtime.duplicates``) not decided on yet."""
    return {key for first, second, _ in pairs
            if pair_key(first, second) not in decided for key in (first, second)}


def counts(checked: list[Checked]) -> Counter:
    """How many listings each finding flags (and ``flagged``: listings with any)."""
    tally = Counter(f.code for c in checked for f in c.findings)
    tally["flagged"] = sum(1 for c in checked if c.findings)
    return tally
