"""A citizen's record and intake conversation: create (only with consent), list, read, update,
end the course. Every read and write leaves an audit entry in the same transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from casework.desk import Desk, audit, iso, own_citizen, team_id
from casework.errors import StaleVersion
from casework.models import Citizen, Consent, Conversation, NetworkEntry
from casework.offers import canonical_offer
from casework.rules import citizen_input, conversation_input

CONVERSATION_FIELDS = ("dreams", "goals", "what_matters", "barriers", "barrier_words", "notes",
                       "network")


def _codes(text: str) -> list[str]:
    return [c for c in text.split(",") if c]


def create_citizen(desk: Desk, data: dict) -> str:
    """A new citizen of the actor's team with the consent to keep the record; their id."""
    now = desk.now()
    given = citizen_input(data, now)
    seal = desk.vault.seal
    with desk.sessions.begin() as session:
        citizen = Citizen(team_id=team_id(session, desk.actor), name_sealed=seal(given.name),
                          age=given.age, municipality=given.municipality, postcode=given.postcode,
                          languages=",".join(given.languages),
                          accessibility_needs=",".join(given.accessibility_needs),
                          busy_sealed=seal(given.busy), created_at=now)
        session.add(citizen)
        session.flush()
        session.add(Consent(citizen_id=citizen.id, kind="record", purpose_sealed=seal(given.purpose),
                            given_at=given.consent_given_at))
        audit(session, desk, citizen.id, "create")
        return citizen.id


def profile(desk: Desk, citizen: Citizen) -> dict:
    """The record as plain data (no conversation)."""
    return {"id": citizen.id, "name": desk.vault.open(citizen.name_sealed), "age": citizen.age,
            "municipality": citizen.municipality, "postcode": citizen.postcode,
            "languages": _codes(citizen.languages),
            "accessibility_needs": _codes(citizen.accessibility_needs),
            "busy": desk.vault.open(citizen.busy_sealed),
            "created_at": iso(citizen.created_at), "ended_at": iso(citizen.ended_at)}


def list_citizens(desk: Desk) -> list[dict]:
    """The team's citizens, newest first (each listed one is a read)."""
    with desk.sessions.begin() as session:
        rows = session.scalars(select(Citizen).where(Citizen.team_id == team_id(session, desk.actor))
                               .order_by(Citizen.created_at.desc())).all()
        for citizen in rows:
            audit(session, desk, citizen.id, "list")
        return [profile(desk, c) for c in rows]


def get_citizen(desk: Desk, citizen_id: str) -> dict:
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "read")
        return profile(desk, citizen)


def conversation_dict(desk: Desk, citizen: Citizen) -> dict:
    """The conversation in clear text, with the network map (each person's ``id`` is what a
    step's ``companion`` names)."""
    talk = citizen.conversation or Conversation()
    text = desk.vault.open
    return {"dreams": text(talk.dreams_sealed), "goals": text(talk.goals_sealed),
            "what_matters": text(talk.what_matters_sealed), "barriers": _codes(talk.barriers or ""),
            "barrier_words": text(talk.barrier_words_sealed), "notes": text(talk.notes_sealed),
            "network": [{"id": p.id, "name": text(p.name_sealed), "relation": text(p.relation_sealed),
                         "ring": p.ring, "closeness": p.closeness,
                         "offer_id": text(p.offer_sealed)} for p in citizen.network],
            "updated_at": iso(talk.updated_at), "version": talk.version or 0}


def get_conversation(desk: Desk, citizen_id: str) -> dict:
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "read_conversation")
        return conversation_dict(desk, citizen)


def save_conversation(desk: Desk, citizen_id: str, data: dict, version: int | None = None) -> dict:
    """Replace the conversation and the network map; a person kept by ``id`` keeps their id
    (steps name them as companions), the others are new. With ``version`` (0: none saved yet)
    the save happens only if that is still the saved version, else ``StaleVersion`` with what is
    saved now; two saves at once never both win, whether a version was named or not."""
    given = conversation_input(data)
    known_from = [canonical_offer(desk.sessions, p.offer_id, "network") if p.offer_id else None
                  for p in given.network]
    ids = [p.get("id") if isinstance(p.get("id"), str) else None for p in data.get("network") or []]
    try:
        with desk.sessions.begin() as session:
            citizen = own_citizen(session, desk, citizen_id)
            saved = citizen.conversation.version if citizen.conversation else 0
            if version is not None and version != saved:
                raise StaleVersion(conversation_dict(desk, citizen))
            _write_conversation(desk, citizen, given, ids, known_from)
            session.flush()
            audit(session, desk, citizen.id, "update_conversation",
                  details={"fields": sorted(k for k in data if k in CONVERSATION_FIELDS)})
            return conversation_dict(desk, citizen)
    except (StaleDataError, IntegrityError):      # another save won the race between read and write
        with desk.sessions() as session:
            raise StaleVersion(conversation_dict(desk, own_citizen(session, desk, citizen_id))
                               ) from None


def _write_conversation(desk: Desk, citizen: Citizen, given, ids: list, known_from: list) -> None:
    seal = desk.vault.seal
    talk = citizen.conversation or Conversation(citizen_id=citizen.id)
    talk.dreams_sealed, talk.goals_sealed = seal(given.dreams), seal(given.goals)
    talk.what_matters_sealed = seal(given.what_matters)
    talk.barriers, talk.barrier_words_sealed = ",".join(given.barriers), seal(given.barrier_words)
    talk.notes_sealed, talk.updated_at = seal(given.notes), desk.now()
    citizen.conversation = talk
    existing = {p.id: p for p in citizen.network}
    kept = []
    for position, (person, wanted_id, offer) in enumerate(zip(given.network, ids, known_from)):
        entry = existing.get(wanted_id) or NetworkEntry(citizen_id=citizen.id)
        entry.position, entry.name_sealed = position, seal(person.name)
        entry.relation_sealed, entry.ring = seal(person.relation), person.ring
        entry.closeness, entry.offer_sealed = person.closeness, seal(offer)
        kept.append(entry)
    citizen.network = kept


def end_course(desk: Desk, citizen_id: str) -> dict:
    """The course ends today; the retention period runs from here (``brobygger purge``)."""
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        citizen.ended_at = citizen.ended_at or desk.now()
        audit(session, desk, citizen.id, "end_course")
        return profile(desk, citizen)
