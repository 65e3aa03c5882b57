"""Offers named by the casework API, checked against the catalogue (read only) and kept as one
canonical ``source:id`` so that a consent and a referral for the same offer always match."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from catalogue import editing
from catalogue.models import Offer
from casework.errors import Invalid


def canonical_offer(sessions: sessionmaker[Session], ref: str, field: str = "offer_id") -> str:
    try:
        key = editing.resolve(sessions, ref)
    except editing.EditError:
        raise Invalid(f"Tilbuddet »{ref}« findes ikke i kataloget (eller id'et bruges af flere "
                      "kilder: skriv kilde:id)", f"The offer '{ref}' is not in the catalogue (or "
                      "several sources use that id: write source:id)", field) from None
    with sessions() as session:
        offer = session.get(Offer, key)
        return f"{offer.source}:{offer.external_id}"
