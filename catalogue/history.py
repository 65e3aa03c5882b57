"""Who changed which field of an offer, when, from what to what: the ``offer_changes`` rows.

Written by the editing layer (``catalogue.editing``) and by imports (``ingest.writer``), read by
the API's history endpoint and, later, the coordinator pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.db import aware
from catalogue.models import Offer, OfferChange, utcnow
from catalogue.records import OfferRecord


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff account (its e-mail and id) or an import of one source."""

    who: str
    account_id: int | None = None

    @classmethod
    def importer(cls, source: str) -> "Actor":
        return cls(f"import:{source}")


@dataclass(frozen=True)
class Change:
    """One history row as plain data."""

    at: datetime
    who: str
    account_id: int | None
    action: str
    field: str | None
    old: object
    new: object
    version: int

    def to_dict(self) -> dict:
        return {"at": self.at.isoformat(), "who": self.who, "account_id": self.account_id,
                "action": self.action, "field": self.field, "old": self.old, "new": self.new,
                "version": self.version}


def record_values(record: OfferRecord) -> dict:
    """The record's fields as JSON-ready values, ``status`` always included."""
    return {**record.to_interchange(), "status": record.status}


def differences(before: OfferRecord, after: OfferRecord) -> list[tuple[str, object, object]]:
    """(field, old value, new value) for every field that differs, in the record's field order."""
    old, new = record_values(before), record_values(after)
    return [(name, old.get(name), new.get(name)) for name in new if old.get(name) != new.get(name)]


def next_version(offer: Offer) -> int:
    """The version the pending change gives ``offer`` (the ORM bumps it when it flushes)."""
    return (offer.version or 0) + 1


def write_changes(session: Session, offer: Offer, actor: Actor, action: str,
                  before: OfferRecord | None, after: OfferRecord, at: datetime | None = None) -> int:
    """History rows for changing ``offer`` from ``before`` (None: a new offer) to ``after``;
    returns how many rows were written."""
    at = at or utcnow()
    version = 1 if before is None else next_version(offer)
    if before is None:
        rows = [(None, None, record_values(after))]
    else:
        rows = differences(before, after)
    session.add_all(OfferChange(offer=offer, changed_at=at, who=actor.who,
                                account_id=actor.account_id, action=action, field=field,
                                old_value=old, new_value=new, version=version)
                    for field, old, new in rows)
    return len(rows)


def offer_history(session: Session, offer_id: int) -> list[Change]:
    """Every change of one offer, oldest first."""
    rows = session.scalars(select(OfferChange).where(OfferChange.offer_id == offer_id)
                           .order_by(OfferChange.changed_at, OfferChange.id))
    return [Change(aware(r.changed_at), r.who, r.account_id, r.action, r.field, r.old_value,
                   r.new_value, r.version) for r in rows]
