"""The yearly confirmation request: every provider contact whose listings nobody has confirmed
within ``stale_after_days`` (12 months, ``catalogue.states.DEFAULT_STALE_AFTER_DAYS``) gets one
message in the outbox with a listing link (``catalogue.listing_links``) per such listing.
A listing that already has an open link is left out, so running it again writes nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from casework.crypto import Vault
from casework.models import OutboxMessage
from catalogue.listing_links import issue_link, open_link_exists
from catalogue.models import Offer, Organization
from catalogue.tokens import provider_link

REQUESTED_BY = "confirmation-request"


@dataclass(frozen=True)
class Requested:
    """How many messages were written, for how many listings."""

    messages: int
    listings: int


def unconfirmed_by_contact(session: Session, today: date, stale_after_days: int
                           ) -> dict[str, list[tuple[int, str]]]:
    """Contact e-mail -> (offer key, name) of each running listing not confirmed since
    ``today - stale_after_days`` (or never)."""
    limit = today - timedelta(days=stale_after_days)
    rows = session.execute(
        select(Organization.contact_email, Offer.id, Offer.name)
        .join(Organization, Offer.organization_id == Organization.id)
        .where(Organization.contact_email.is_not(None), Offer.status == "active",
               or_(Offer.valid_to.is_(None), Offer.valid_to >= today),
               or_(Offer.assured_date.is_(None), Offer.assured_date < limit))
        .order_by(Organization.contact_email, Offer.name, Offer.id))
    grouped: dict[str, list[tuple[int, str]]] = {}
    for address, key, name in rows:
        grouped.setdefault(address, []).append((key, name))
    return grouped


def confirmation_mail(listings: list[tuple[str, str]], expires: datetime) -> tuple[str, str]:
    """(subject, body) for (name, link) pairs: Danish, with a short English paragraph."""
    template = (resources.files("casework") / "data" / "confirmation_mail.txt").read_text("utf-8")
    links = "\n".join(f"- {name}:\n  {link}" for name, link in listings)
    body = template.format(links=links, expires=expires.strftime("%d.%m.%Y"))
    return "Er jeres tilbud stadig rigtige? / Are your listings still true?", body


def request_confirmations(sessions: sessionmaker[Session], vault: Vault, now: datetime,
                          today: date, stale_after_days: int, link_days: int,
                          public_url: str) -> Requested:
    """Write one confirmation request per contact to the outbox (``brobygger send-mail``
    delivers it), in one transaction."""
    messages = listings = 0
    with sessions.begin() as session:
        for address, offers in unconfirmed_by_contact(session, today, stale_after_days).items():
            due = [(key, name) for key, name in offers if not open_link_exists(session, key, now)]
            if not due:
                continue
            links = [(name, public_url + provider_link(
                issue_link(session, key, now, link_days, REQUESTED_BY, sent_to=address)))
                for key, name in due]
            subject, body = confirmation_mail(links, now + timedelta(days=link_days))
            session.add(OutboxMessage(to_address=address, subject=subject,
                                      body_sealed=vault.seal(body), created_at=now))
            messages, listings = messages + 1, listings + len(due)
    return Requested(messages, listings)
