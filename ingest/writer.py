"""The only bulk writer: a transactional upsert of validated records for one source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from catalogue.history import Actor, write_changes
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


class TooManyEnded(Exception):
    """A full import would end more of a source's offers than allowed; nothing was written."""

    def __init__(self, ending: int, total: int, source: str):
        self.ending, self.total, self.source = ending, total, source
        self.da = (f"Importen ville afslutte {ending} af kildens {total} tilbud i {source!r}; "
                   "bekræft for at fortsætte")
        self.en = (f"The import would end {ending} of the {total} offers of source {source!r}; "
                   "confirm to go ahead")
        super().__init__(f"{self.da} / {self.en}")


def upsert_records(sessions: sessionmaker[Session], records: list[OfferRecord], source: str,
                   full: bool = False, dry_run: bool = False,
                   progress: Callable[[int, int], None] | None = None,
                   end_limit: float | None = None) -> ImportReport:
    """Insert new offers, update changed ones in place, and with ``full`` end the missing ones.

    Everything happens in one transaction; a dry run rolls it back. Every change writes history
    rows by ``import:SOURCE`` and bumps the offer's version. With ``end_limit`` (a share, e.g.
    0.1), a full import that would end more than that share of the source's offers raises
    ``TooManyEnded`` before writing anything. ``progress`` hears (records written, records).
    """
    report = ImportReport(dry_run=dry_run)
    actor = Actor.importer(source)
    with sessions() as session:
        session.begin()
        stored = content_hashes(session, source)
        present = {record.id for record in records}
        changed = [r for r in records if r.id in stored and stored[r.id] != content_hash(r)]
        missing = [key for key in stored if key not in present] if full else []
        existing = offers_by_key(session, source, [r.id for r in changed] + missing)
        ending = [key for key in missing if existing[key].status != "ended"]
        if end_limit is not None and len(ending) > end_limit * len(stored):
            session.rollback()
            raise TooManyEnded(len(ending), len(stored), source)
        organizations: dict[str, Organization] = {}
        for done, record in enumerate(records):
            if progress is not None:
                progress(done, len(records))
            if record.id not in stored:
                offer = Offer()
                apply_record(session, offer, record, organizations)
                session.add(offer)
                write_changes(session, offer, actor, "import", None, record)
                report.new.append(record.id)
            elif record.id in existing:
                offer = existing[record.id]
                write_changes(session, offer, actor, "import", to_record(offer), record)
                apply_record(session, offer, record, organizations)
                report.changed.append(record.id)
            else:
                report.unchanged.append(record.id)
        for external_id in ending:
            offer = existing[external_id]
            before = to_record(offer)
            write_changes(session, offer, actor, "import", before, replace(before, status="ended"))
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

