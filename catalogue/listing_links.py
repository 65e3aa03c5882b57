"""A provider's token link for one listing (``/p/{token}``, no account): it shows the listing as
the catalogue holds it and takes one answer: "this is true, and this is our room now", which
sets ``assured_date`` to today and ``capacity`` in one change that the offer's history names
as the provider's link, or "something is wrong" (``catalogue.listing_reports``). A used,
expired or unknown link shows nothing (``LinkClosed``); of two answers at once only the first
uses the link (``use_link``), the other finds it used and writes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import aware, write_if
from catalogue.editing import EditError, apply_change, load_offer, stored
from catalogue.history import Actor
from catalogue.models import ListingLink
from catalogue.tokens import (LinkClosed, link_state, new_token, row_for, token_hash,
                              well_formed)

LISTING_LINK = Actor("provider-link")
CONFIRM_ACTION = "provider_confirm"
CAPACITIES = ("open", "waitlist", "full")


class InvalidAnswer(EditError):
    """The provider's answer breaks a rule (422)."""

    status = 422


def issue_link(session: Session, offer_key: int, now: datetime, days: int, made_by: str,
               sent_to: str | None = None) -> str:
    """A new listing link for the offer, open for ``days``; returns the token (only its hash
    is stored)."""
    token, hashed = new_token()
    session.add(ListingLink(offer_id=offer_key, token_hash=hashed, made_by=made_by,
                            sent_to=sent_to, created_at=now,
                            expires_at=now + timedelta(days=days)))
    return token


def is_listing_token(sessions: sessionmaker[Session], token: str) -> bool:
    """Whether ``token`` belongs to a listing link (open or not): the provider's page then
    shows a listing, not a referral."""
    if not well_formed(token):
        return False
    with sessions() as session:
        return session.scalar(select(ListingLink.id).where(
            ListingLink.token_hash == token_hash(token))) is not None


def open_link(session: Session, token: str, now: datetime) -> ListingLink:
    """The listing link of ``token`` while it is open, else ``LinkClosed``."""
    link = row_for(session, ListingLink.token_hash, token)
    state = link_state(aware(link.expires_at), now, withdrawn=False,
                       used=link.used_at is not None)
    if state != "open":
        raise LinkClosed(state)
    return link


def use_link(session: Session, link: ListingLink, now: datetime) -> None:
    """Mark the link used, as the answer's first write: only while it is still unused in the
    database (UPDATE ... WHERE), so an answer that got there first leaves this one
    ``LinkClosed("used")`` and its transaction writes nothing."""
    if not write_if(session, link, ListingLink.used_at.is_(None), used_at=now):
        raise LinkClosed("used")


def _view(link: ListingLink, record) -> dict:
    return {"offer_id": record.id, "source": record.source, "name": record.name,
            "provider": record.provider, "description": record.description,
            "schedule": record.schedule, "address": record.address, "postcode": record.postcode,
            "contact": record.contact, "cost": record.cost,
            "target_groups": list(record.target_groups), "capacity": record.capacity,
            "assured_date": record.assured_date.isoformat() if record.assured_date else None,
            "expires_at": aware(link.expires_at).isoformat()}


def open_listing(sessions: sessionmaker[Session], token: str, now: datetime) -> dict:
    """What the provider's listing link shows; ``LinkClosed`` when it shows nothing."""
    with sessions() as session:
        link = open_link(session, token, now)
        return _view(link, stored(load_offer(session, link.offer_id)).record)


def listing_answer(data: object) -> str:
    """The capacity from ``{"action": "confirm", "capacity": "open|waitlist|full"}``."""
    if not isinstance(data, dict):
        raise InvalidAnswer("Send ét JSON-objekt", "Send one JSON object", "body")
    if data.get("action") != "confirm":
        raise InvalidAnswer("»action« skal være confirm eller report",
                            "'action' must be confirm or report", "action")
    if data.get("capacity") not in CAPACITIES:
        raise InvalidAnswer("Vælg, om der er plads: open, waitlist eller full",
                            "Choose whether there is room: open, waitlist or full", "capacity")
    return data["capacity"]


def confirm_listing(sessions: sessionmaker[Session], token: str, data: object, now: datetime,
                    today: date) -> dict:
    """The provider's one answer: the listing is true today and has ``capacity``; the link is
    used afterwards."""
    capacity = listing_answer(data)
    with sessions.begin() as session:
        link = open_link(session, token, now)
        use_link(session, link, now)
        offer = load_offer(session, link.offer_id)
        record = replace(stored(offer).record, assured_date=today, capacity=capacity)
        apply_change(session, offer, LISTING_LINK, CONFIRM_ACTION, record)
        return {"offer_id": record.id, "assured_date": today.isoformat(), "capacity": capacity}


def open_link_exists(session: Session, offer_key: int, now: datetime) -> bool:
    """Whether the offer already has a link that is neither used nor expired."""
    return session.scalar(select(ListingLink.id).where(
        ListingLink.offer_id == offer_key, ListingLink.used_at.is_(None),
        ListingLink.expires_at > now).limit(1)) is not None
