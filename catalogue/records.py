"""The plain, validated form of one offer: what readers produce, the writer stores and the matcher reads.

Field names and types follow the interchange catalogue format (``shared/interchange.md``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date

KINDS = ("municipal", "association", "social_economy")
STATUSES = ("active", "paused", "ended")

# Control characters other than tab and line breaks, and lone surrogates (text that is not valid
# Unicode): PostgreSQL refuses both, and no person types them.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def unprintable_problem(value: str) -> tuple[str, str] | None:
    """Danish and English words for what is wrong when ``value`` holds an unprintable character."""
    found = UNPRINTABLE.search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    return (f"Teksten indeholder et ugyldigt tegn ({code}) ved tegn {found.start() + 1}",
            f"The text holds an invalid character ({code}) at character {found.start() + 1}")


@dataclass(frozen=True)
class OfferRecord:
    """One offer as the interchange format describes it, plus where it came from and its status."""

    id: str
    name: str
    description: str
    kind: str
    provider: str = ""
    categories: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    municipalities: tuple[str, ...] = ()
    requires_referral: bool | None = None
    legal_basis: str | None = None
    cost: str = ""
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    schedule: str = ""
    languages: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    valid_to: date | None = None
    contact: str = ""
    roles: tuple[str, ...] = ()
    low_threshold: tuple[str, ...] = ()
    capacity: str | None = None
    assured_date: date | None = None
    status: str = "active"
    source: str = "default"

    def to_interchange(self) -> dict:
        """The JSON-ready dict of the interchange format (dates as ISO strings, lists as lists)."""
        out = {}
        for f in fields(self):
            if f.name == "source":
                continue
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[f.name] = value
        if out["status"] == "active":
            del out["status"]
        return out

    def content_key(self) -> tuple:
        """Everything that defines the offer's content, for change detection on re-import."""
        data = asdict(self)
        data.pop("source")
        return tuple(sorted((k, repr(v)) for k, v in data.items()))


LIST_FIELDS = tuple(f.name for f in fields(OfferRecord) if f.type.startswith("tuple"))
INTERCHANGE_FIELDS = tuple(f.name for f in fields(OfferRecord) if f.name != "source")
REQUIRED_FIELDS = ("id", "name", "description", "kind")


def empty_record(**values) -> OfferRecord:
    """Convenience for tests and fixtures: a record with sensible defaults."""
    base = dict(name="Tilbud", description="Beskrivelse", kind="association")
    base.update(values)
    return OfferRecord(**base)


__all__ = ["OfferRecord", "KINDS", "STATUSES", "LIST_FIELDS", "INTERCHANGE_FIELDS",
           "REQUIRED_FIELDS", "empty_record"]
