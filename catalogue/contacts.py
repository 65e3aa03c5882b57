"""Providers' contact e-mail per organisation, kept by coordinators: where a referral's link is
mailed. An organisation without one gets no mail (the guide passes the link on by hand)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.editing import EditError
from catalogue.models import Offer, Organization

EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


@dataclass(frozen=True)
class OrganizationContact:
    id: int
    name: str
    contact_email: str | None
    offers: int


class OrganizationNotFound(EditError):
    def __init__(self):
        super().__init__("Organisationen findes ikke", "The organisation does not exist", "id")


def list_contacts(sessions: sessionmaker[Session]) -> list[OrganizationContact]:
    """Every organisation with its contact e-mail and how many offers it runs, by name."""
    with sessions() as session:
        rows = session.execute(
            select(Organization.id, Organization.name, Organization.contact_email,
                   func.count(Offer.id))
            .outerjoin(Offer, Offer.organization_id == Organization.id)
            .group_by(Organization.id, Organization.name, Organization.contact_email)
            .order_by(Organization.name)).all()
    return [OrganizationContact(*row) for row in rows]


def valid_email(value: object) -> str | None:
    """A trimmed address, None for an empty one; ``EditError`` naming ``contact_email``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value.strip()) > 320 or not EMAIL.match(value.strip()):
        raise EditError("»contact_email« skal være en e-mailadresse som navn@forening.dk",
                        "'contact_email' must be an e-mail address such as name@association.dk",
                        "contact_email")
    return value.strip()


def set_contact(sessions: sessionmaker[Session], organization_id: object,
                email: object) -> OrganizationContact:
    """Set (or with an empty value, remove) an organisation's contact e-mail."""
    address = valid_email(email)
    with sessions.begin() as session:
        organization = session.get(Organization, organization_id) \
            if isinstance(organization_id, int) else None
        if organization is None:
            raise OrganizationNotFound()
        organization.contact_email = address
        offers = session.scalar(select(func.count(Offer.id))
                                .where(Offer.organization_id == organization.id))
        return OrganizationContact(organization.id, organization.name, address, offers)
