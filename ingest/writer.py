"""The only bulk writer: a transactional upsert of validated records for one source."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import Offer, Organization
from catalogue.records import OfferRecord
from catalogue.repository import apply_record, content_hash, offers_by_key, to_record


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
                   full: bool = False, dry_run: bool = False) -> ImportReport:
    """Insert new offers, update changed ones in place, and with ``full`` end the missing ones.

    Everything happens in one transaction; a dry run rolls it back.
    """
    report = ImportReport(dry_run=dry_run)
    with sessions() as session:
        session.begin()
        existing = offers_by_key(session, source)
        organizations: dict[str, Organization] = {}
        for record in records:
            offer = existing.get(record.id)
            if offer is None:
                offer = Offer()
                apply_record(session, offer, record, organizations)
                session.add(offer)
                report.new.append(record.id)
            elif offer.content_hash != content_hash(record):
                apply_record(session, offer, record, organizations)
                report.changed.append(record.id)
            else:
                report.unchanged.append(record.id)
        if full:
            present = {record.id for record in records}
            for external_id, offer in existing.items():
                if external_id not in present and offer.status != "ended":
                    offer.status = "ended"
                    offer.content_hash = content_hash(to_record(offer))
                    report.ended.append(external_id)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return report

