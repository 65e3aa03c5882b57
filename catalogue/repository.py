"""Catalogue queries and the mapping between ``OfferRecord`` and the ORM models."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import Eligibility, Location, Offer, Organization, Schedule
from catalogue.records import OfferRecord
from catalogue.schedule import parse_schedule
from catalogue.states import offer_state


def content_hash(record: OfferRecord) -> str:
    """A stable hash of the offer's content; equal hashes mean an import changes nothing."""
    return hashlib.sha256(repr(record.content_key()).encode("utf-8")).hexdigest()


def _organization(session: Session, name: str, cache: dict[str, Organization]) -> Organization | None:
    if not name:
        return None
    if name not in cache:
        # no autoflush: flushing the offer half-changed would bump its version twice
        with session.no_autoflush:
            found = session.scalar(select(Organization).where(Organization.name == name))
        cache[name] = found or Organization(name=name)
        session.add(cache[name])
    return cache[name]


def apply_record(session: Session, offer: Offer, record: OfferRecord,
                 organizations: dict[str, Organization]) -> None:
    """Write every field of ``record`` onto ``offer`` (new or existing), child rows included."""
    offer.source = record.source
    offer.external_id = record.id
    offer.name = record.name
    offer.description = record.description
    offer.kind = record.kind
    offer.organization = _organization(session, record.provider, organizations)
    for name in ("categories", "target_groups", "languages", "accessibility", "roles",
                 "low_threshold"):
        setattr(offer, name, list(getattr(record, name)))
    offer.cost = record.cost
    offer.contact = record.contact
    offer.capacity = record.capacity
    offer.status = record.status
    offer.valid_to = record.valid_to
    offer.assured_date = record.assured_date
    offer.schedule_text = record.schedule
    offer.content_hash = content_hash(record)
    eligibility = offer.eligibility or Eligibility()
    eligibility.minimum_age = record.min_age
    eligibility.maximum_age = record.max_age
    eligibility.municipalities = list(record.municipalities)
    eligibility.requires_referral = record.requires_referral
    eligibility.legal_basis = record.legal_basis
    offer.eligibility = eligibility
    offer.locations = [Location(address=record.address, postcode=record.postcode,
                                latitude=record.lat, longitude=record.lon)]
    offer.schedules = [Schedule(weekday=w.weekday, opens_at_minute=w.start,
                                closes_at_minute=w.end, recurrence=w.recurrence)
                       for w in parse_schedule(record.schedule)]


def to_record(offer: Offer) -> OfferRecord:
    """The plain record of a stored offer (what exporters and the matcher read)."""
    location = offer.locations[0] if offer.locations else Location(address="", postcode="")
    eligibility = offer.eligibility
    return OfferRecord(
        id=offer.external_id, name=offer.name, description=offer.description, kind=offer.kind,
        provider=offer.organization.name if offer.organization else "",
        categories=tuple(offer.categories), target_groups=tuple(offer.target_groups),
        min_age=eligibility.minimum_age if eligibility else None,
        max_age=eligibility.maximum_age if eligibility else None,
        municipalities=tuple(eligibility.municipalities) if eligibility else (),
        requires_referral=eligibility.requires_referral if eligibility else None,
        legal_basis=eligibility.legal_basis if eligibility else None,
        cost=offer.cost, address=location.address or "", postcode=location.postcode or "",
        lat=location.latitude, lon=location.longitude, schedule=offer.schedule_text,
        languages=tuple(offer.languages), accessibility=tuple(offer.accessibility),
        valid_to=offer.valid_to, contact=offer.contact, roles=tuple(offer.roles),
        low_threshold=tuple(offer.low_threshold), capacity=offer.capacity,
        assured_date=offer.assured_date, status=offer.status, source=offer.source,
    )


def _offers_query(source: str | None = None):
    query = select(Offer).options(selectinload(Offer.eligibility), selectinload(Offer.locations),
                                  selectinload(Offer.organization)).order_by(Offer.id)
    if source is not None:
        query = query.where(Offer.source == source)
    return query


def load_records(session: Session, source: str | None = None) -> list[OfferRecord]:
    """Every stored offer as a record, in a stable order."""
    return [record for _, record in load_keyed_records(session, source)]


def load_keyed_records(session: Session, source: str | None = None,
                       offer_ids: list[int] | None = None) -> list[tuple[int, OfferRecord]]:
    """(database id, record) for every stored offer (or only ``offer_ids``), in a stable order."""
    if offer_ids is None:
        return [(offer.id, to_record(offer)) for offer in session.scalars(_offers_query(source))]
    found: list[tuple[int, OfferRecord]] = []
    for start in range(0, len(offer_ids), 500):
        query = _offers_query(source).where(Offer.id.in_(offer_ids[start:start + 500]))
        found += [(offer.id, to_record(offer)) for offer in session.scalars(query)]
    return sorted(found, key=lambda pair: pair[0])


def reread_records(session: Session, previous: dict[int, tuple[str, OfferRecord]] | None = None
                   ) -> dict[int, tuple[str, OfferRecord]]:
    """Database id -> (content hash, record) of every offer, reading from the database only the
    offers added or changed since ``previous`` (an earlier answer of this function)."""
    versions = offer_versions(session)
    if not previous:
        records = dict(load_keyed_records(session))
        return {offer_id: (hash_, records[offer_id]) for offer_id, hash_ in versions
                if offer_id in records}
    changed = [offer_id for offer_id, hash_ in versions
               if previous.get(offer_id, ("",))[0] != hash_]
    fresh = dict(load_keyed_records(session, offer_ids=changed)) if changed else {}
    return {offer_id: (hash_, fresh[offer_id] if offer_id in fresh else previous[offer_id][1])
            for offer_id, hash_ in versions if offer_id in fresh or offer_id in previous}


def content_hashes(session: Session, source: str) -> dict[str, str]:
    """External id -> content hash for one source: enough to tell what an import changes."""
    rows = session.execute(select(Offer.external_id, Offer.content_hash).where(Offer.source == source))
    return dict(rows.all())


def offers_by_key(session: Session, source: str, external_ids: list[str]) -> dict[str, Offer]:
    """The named offers of one source keyed by external id, ready for an update."""
    found: dict[str, Offer] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start:start + 500]
        query = _offers_query(source).options(selectinload(Offer.schedules)).where(
            Offer.external_id.in_(chunk))
        found.update((offer.external_id, offer) for offer in session.scalars(query))
    return found


def offer_versions(session: Session) -> list[tuple[int, str]]:
    """(database id, content hash) of every offer, in id order: cheap to read at any size."""
    return [tuple(row) for row in session.execute(
        select(Offer.id, Offer.content_hash).order_by(Offer.id)).all()]


def fingerprint_of(versions: list[tuple[int, str]]) -> str:
    digest = hashlib.sha256()
    for offer_id, hash_ in versions:
        digest.update(f"{offer_id}:{hash_};".encode())
    return digest.hexdigest()


def fingerprint(session: Session) -> str:
    """Changes whenever any offer is added, changed or removed: tells an index it is stale."""
    return fingerprint_of(offer_versions(session))


def count_offers(session: Session) -> int:
    return session.scalar(select(func.count(Offer.id))) or 0


@dataclass(frozen=True)
class CatalogueStats:
    total: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_target_group: dict[str, int]
    by_municipality: dict[str, int]
    stale: int
    expired: int
    expiring: int


def catalogue_stats(records: list[OfferRecord], today: date, stale_after_days: int) -> CatalogueStats:
    """Counts a coordinator needs: what is there, and what needs checking. ``by_status`` counts
    each offer once by its state (``catalogue.states.offer_state``), so an expired offer is
    counted as expired, never also as active."""
    by_state = Counter(offer_state(r, today, stale_after_days) for r in records)
    return CatalogueStats(
        total=len(records),
        by_kind=dict(Counter(r.kind for r in records)),
        by_status=dict(by_state),
        by_target_group=dict(Counter(g for r in records for g in r.target_groups)),
        by_municipality=dict(Counter(m for r in records for m in r.municipalities)),
        stale=by_state["stale"], expired=by_state["expired"], expiring=by_state["expiring"],
    )
