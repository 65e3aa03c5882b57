"""Changing one offer at a time: create, update with optimistic locking, pause, end, restore,
verify. Pure of Flask: the API calls it now, the coordinator pages later.

Every change bumps the offer's ``version`` (SQLAlchemy's version counter, so two writers can
never both win) and writes history rows (``catalogue.history``). A single record is validated
by the same code an import uses (``ingest.validate``), so both accept and refuse the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from catalogue.db import aware
from catalogue.history import Actor, differences, write_changes
from catalogue.models import Offer
from catalogue.records import OfferRecord
from catalogue.repository import apply_record, to_record


class EditError(Exception):
    """A refused change, said in Danish and English, naming the field when there is one."""

    def __init__(self, da: str, en: str, field: str | None = None):
        super().__init__(f"{da} / {en}")
        self.da, self.en, self.field = da, en, field


class OfferNotFound(EditError):
    def __init__(self, ref: object):
        super().__init__(f"Tilbuddet {ref!s} findes ikke", f"The offer {ref!s} does not exist", "id")


class AmbiguousOfferId(EditError):
    """Several sources use the same catalogue id: address the offer as ``source:id``."""

    def __init__(self, ref: str, sources: list[str]):
        super().__init__(
            f"Id {ref!r} findes i flere kilder ({', '.join(sources)}); skriv kilde:id",
            f"Id {ref!r} exists in several sources ({', '.join(sources)}); write source:id", "id")
        self.sources = sources


class OfferExists(EditError):
    def __init__(self, source: str, external_id: str):
        super().__init__(f"Kilden {source!r} har allerede et tilbud med id {external_id!r}",
                         f"Source {source!r} already has an offer with id {external_id!r}", "id")


class InvalidOffer(EditError):
    """The record does not validate; ``problems`` holds every problem, the first is named."""

    def __init__(self, problems: list):
        first = problems[0]
        super().__init__(first.da, first.en, first.field)
        self.problems = problems


class NotAllowed(EditError):
    """The change does not fit the offer's state (e.g. restoring an offer that is not ended)."""


@dataclass(frozen=True)
class StoredOffer:
    """An offer as stored: its database key, its record and its version."""

    key: int
    record: OfferRecord
    version: int
    updated_at: datetime


class StaleVersion(EditError):
    """Someone changed the offer after ``expected_version`` was read; nothing was written.

    Carries the current offer and what the caller tried to write, so both versions and the
    fields where they differ can be shown side by side."""

    def __init__(self, current: StoredOffer, expected_version: int,
                 attempted: OfferRecord | None = None):
        super().__init__(
            f"Tilbuddet er ændret af en anden (version {current.version}, du startede fra "
            f"version {expected_version}); intet er gemt",
            f"The offer was changed by someone else (version {current.version}, you started "
            f"from version {expected_version}); nothing was saved", "version")
        self.current, self.expected_version, self.attempted = current, expected_version, attempted
        self.differences = differences(attempted, current.record) if attempted else []


def stored(offer: Offer) -> StoredOffer:
    return StoredOffer(offer.id, to_record(offer), offer.version, aware(offer.updated_at))


def load_offer(session: Session, key: int) -> Offer:
    """The offer with everything its record needs, or ``OfferNotFound``."""
    offer = session.scalar(select(Offer).where(Offer.id == key).options(
        selectinload(Offer.eligibility), selectinload(Offer.locations),
        selectinload(Offer.organization), selectinload(Offer.schedules)))
    if offer is None:
        raise OfferNotFound(key)
    return offer


def list_offers(sessions: sessionmaker[Session]) -> list[StoredOffer]:
    """Every stored offer with its version, in database order."""
    with sessions() as session:
        return [stored(offer) for offer in session.scalars(select(Offer).order_by(Offer.id).options(
            selectinload(Offer.eligibility), selectinload(Offer.locations),
            selectinload(Offer.organization)))]


def get_offer(sessions: sessionmaker[Session], key: int) -> StoredOffer:
    with sessions() as session:
        return stored(load_offer(session, key))


def resolve(sessions: sessionmaker[Session], ref: str) -> int:
    """The database key of the offer ``ref`` names: its catalogue id when only one source uses
    that id, else ``source:id`` (a source never holds ":" or "/")."""
    with sessions() as session:
        rows = session.execute(select(Offer.id, Offer.source).where(Offer.external_id == ref)
                               .order_by(Offer.source)).all()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise AmbiguousOfferId(ref, [source for _, source in rows])
        source, colon, external_id = ref.partition(":")
        if colon:
            key = session.scalar(select(Offer.id).where(Offer.source == source,
                                                        Offer.external_id == external_id))
            if key is not None:
                return key
    raise OfferNotFound(ref)


def shared_ids(session: Session) -> set[str]:
    """Catalogue ids used by more than one source (those offers are addressed as ``source:id``)."""
    return set(session.scalars(select(Offer.external_id).group_by(Offer.external_id)
                               .having(func.count(Offer.id) > 1)))


def public_ref(record: OfferRecord, shared: set[str]) -> str:
    return f"{record.source}:{record.id}" if record.id in shared else record.id


def validate_offer(data: dict, source: str) -> OfferRecord:
    """One interchange record checked exactly as an import checks each line."""
    from ingest.problems import ProblemCollector
    from ingest.validate import RawRow, validate_row

    if not isinstance(data, dict):
        raise EditError("Skal være ét JSON-objekt (et tilbud)", "Must be one JSON object (an offer)")
    problems = ProblemCollector("request")
    record = validate_row(RawRow(1, data), source, problems)
    if record is None:
        raise InvalidOffer(problems.errors)
    return record


def check_source(source: str) -> None:
    if not source.strip() or "/" in source or ":" in source or len(source) > 100:
        raise EditError(f"Kilden {source!r} skal være et navn uden '/' og ':'",
                        f"The source {source!r} must be a name without '/' and ':'", "source")


def create_offer(sessions: sessionmaker[Session], data: dict, source: str, actor: Actor
                 ) -> StoredOffer:
    """A new offer from an interchange record; ``OfferExists`` when the source has its id."""
    check_source(source)
    record = validate_offer(data, source)
    with sessions.begin() as session:
        if session.scalar(select(Offer.id).where(Offer.source == source,
                                                 Offer.external_id == record.id)) is not None:
            raise OfferExists(source, record.id)
        offer = Offer()
        apply_record(session, offer, record, {})
        session.add(offer)
        write_changes(session, offer, actor, "create", None, record)
        session.flush()
        return stored(offer)


def apply_change(session: Session, offer: Offer, actor: Actor, action: str,
                 record: OfferRecord) -> StoredOffer:
    """Write ``record`` over ``offer`` inside the caller's transaction, with its history rows
    (nothing when the record is unchanged)."""
    current = stored(offer)
    if record == current.record:
        return current
    write_changes(session, offer, actor, action, current.record, record)
    apply_record(session, offer, record, {})
    session.flush()
    return stored(offer)


def _change(sessions: sessionmaker[Session], key: int, actor: Actor, action: str,
            expected_version: int | None, new_record: Callable[[OfferRecord], OfferRecord],
            attempted: OfferRecord | None = None) -> StoredOffer:
    """Apply ``new_record(current)`` to the offer in one transaction, if the version matches."""
    try:
        with sessions.begin() as session:
            offer = load_offer(session, key)
            current = stored(offer)
            if expected_version is not None and expected_version != current.version:
                raise StaleVersion(current, expected_version, attempted)
            return apply_change(session, offer, actor, action, new_record(current.record))
    except StaleDataError:   # another writer committed between our read and our write
        raise StaleVersion(get_offer(sessions, key), expected_version or 0, attempted) from None


def update_offer(sessions: sessionmaker[Session], key: int, data: dict, expected_version: int,
                 actor: Actor) -> StoredOffer:
    """Replace the offer's record with ``data`` if it is still at ``expected_version``.

    The id may be left out but not changed; a left-out ``status`` keeps the current one."""
    current = get_offer(sessions, key)
    if not isinstance(data, dict):
        raise EditError("Skal være ét JSON-objekt (et tilbud)", "Must be one JSON object (an offer)")
    data = {"id": current.record.id, "status": current.record.status, **data}
    if data["id"] != current.record.id:
        raise EditError("Et tilbuds id kan ikke ændres", "An offer's id cannot be changed", "id")
    record = validate_offer(data, current.record.source)
    return _change(sessions, key, actor, "update", expected_version, lambda _: record, record)


def _set_status(action: str, status: str, allowed_from: tuple[str, ...], da: str, en: str):
    """A change of status only, allowed from the statuses in ``allowed_from``."""
    def change(sessions: sessionmaker[Session], key: int, actor: Actor,
               expected_version: int | None = None) -> StoredOffer:
        def new_record(record: OfferRecord) -> OfferRecord:
            if record.status not in allowed_from:
                raise NotAllowed(da.format(record.status), en.format(record.status), "status")
            return replace(record, status=status)
        return _change(sessions, key, actor, action, expected_version, new_record)
    change.__doc__ = f"Set the offer's status to {status!r} (from {', '.join(allowed_from)})."
    return change


pause_offer = _set_status("pause", "paused", ("active", "paused"),
                          "Kun et aktivt tilbud kan sættes på pause (status: {})",
                          "Only an active offer can be paused (status: {})")
end_offer = _set_status("end", "ended", ("active", "paused", "ended"), "", "")
restore_offer = _set_status("restore", "active", ("ended", "paused", "active"), "", "")


def verify_offer(sessions: sessionmaker[Session], key: int, actor: Actor, today: date,
                 expected_version: int | None = None) -> StoredOffer:
    """Someone confirmed the information is true today: ``assured_date`` = ``today``."""
    return _change(sessions, key, actor, "verify", expected_version,
                   lambda record: replace(record, assured_date=today))
