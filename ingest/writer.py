"""The only bulk writer: a transactional upsert of validated records for one source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import Offer, Organization
from catalogue.records import OfferRecord
from catalogue.repository import (apply_record, content_hash, content_hashes, offers_by_key,
                                  to_record)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "ville blive / would be" if self.dry_run else ""
        return (f"{verb} nye/new: {len(self.new)}, ændrede/changed: {len(self.changed)}, "
                f"uændrede/unchanged: {len(self.unchanged)}, afsluttede/ended: {len(self.ended)}"
                ).strip()


def upsert_records(sessions: sessionmaker[Session], records: list[OfferRecord], source: str,
                   full: bool = False, dry_run: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Insert new offers, update changed ones in place, and with ``full`` end the missing ones.

    Everything happens in one transaction; a dry run rolls it back. ``progress`` hears
    (records written, records) as it goes.
    """
    report = ImportReport(dry_run=dry_run)
    with sessions() as session:
        session.begin()
        stored = content_hashes(session, source)
        present = {record.id for record in records}
        changed = [r for r in records if r.id in stored and stored[r.id] != content_hash(r)]
        missing = [key for key in stored if key not in present] if full else []
        existing = offers_by_key(session, source, [r.id for r in changed] + missing)
        organizations: dict[str, Organization] = {}
        for done, record in enumerate(records):
            if progress is not None:
                progress(done, len(records))
            if record.id not in stored:
                offer = Offer()
                apply_record(session, offer, record, organizations)
                session.add(offer)
                report.new.append(record.id)
            elif record.id in existing:
                apply_record(session, existing[record.id], record, organizations)
                report.changed.append(record.id)
            else:
                report.unchanged.append(record.id)
        for external_id in missing:
            offer = existing[external_id]
            if offer.status != "ended":
                offer.status = "ended"
                offer.content_hash = content_hash(to_record(offer))
                report.ended.append(external_id)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    if progress is not None:
        progress(len(records), len(records))
    return report

