"""The outbox: a referral writes the message to its provider here (sealed, since it holds the
link), and ``brobygger send-mail`` delivers what is pending over SMTP, marks it sent and blanks
the body. The message names the offer, the team and the link; nothing about the citizen."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import Offer, Organization
from casework.crypto import Vault
from casework.models import OutboxMessage, Referral

MAX_ATTEMPTS = 5


def provider_contact(session: Session, offer_ref: str) -> tuple[str, str | None]:
    """(the offer's name, its organisation's contact e-mail) for a ``source:id``."""
    source, _, external_id = offer_ref.partition(":")
    row = session.execute(select(Offer.name, Organization.contact_email)
                          .outerjoin(Organization, Offer.organization_id == Organization.id)
                          .where(Offer.source == source, Offer.external_id == external_id)).first()
    return (row[0], row[1]) if row else (offer_ref, None)


def referral_mail(offer: str, team: str | None, link: str, expires: datetime) -> tuple[str, str]:
    """(subject, body) in Danish, with a short English paragraph at the end."""
    template = (resources.files("casework") / "data" / "referral_mail.txt").read_text("utf-8")
    body = template.format(offer=offer, team=team or "kommunen", link=link,
                           expires=expires.strftime("%d.%m.%Y"))
    return f"Ny henvisning til {offer}", body


def queue_referral_mail(session: Session, vault: Vault, referral: Referral, team: str | None,
                        link: str) -> bool:
    """Write the provider's message for ``referral``; False when the organisation has no
    contact e-mail (the guide then passes the link on by hand)."""
    offer, address = provider_contact(session, referral.offer_ref)
    if not address:
        return False
    subject, body = referral_mail(offer, team, link, referral.expires_at)
    session.add(OutboxMessage(referral_id=referral.id, to_address=address, subject=subject,
                              body_sealed=vault.seal(body), created_at=referral.created_at))
    return True


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def deliver(sessions: sessionmaker[Session], vault: Vault, host: str, port: int, sender: str,
            now: datetime) -> Delivery:
    """Send every pending message (fewer than ``MAX_ATTEMPTS`` tries) over one SMTP connection;
    each is committed on its own, so a failure halfway never sends a message twice."""
    with sessions() as session:
        pending = list(session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.created_at)))
    if not pending:
        return Delivery(0, 0)
    sent = failed = 0
    try:
        smtp = smtplib.SMTP(host, port, timeout=15)
    except OSError as error:
        _failed_all(sessions, pending, error)
        return Delivery(0, len(pending))
    with smtp:
        for message_id in pending:
            with sessions.begin() as session:
                message = session.get(OutboxMessage, message_id)
                mail = EmailMessage()
                mail["From"], mail["To"], mail["Subject"] = sender, message.to_address, message.subject
                mail.set_content(vault.open(message.body_sealed) or "")
                message.attempts += 1
                try:
                    smtp.send_message(mail)
                except (smtplib.SMTPException, OSError) as error:
                    message.last_error = _why(error)
                    failed += 1
                else:
                    message.sent_at, message.body_sealed, message.last_error = now, None, None
                    sent += 1
    return Delivery(sent, failed)


def _why(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _failed_all(sessions, pending: list[str], error: Exception) -> None:
    with sessions.begin() as session:
        for message in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(pending))):
            message.attempts += 1
            message.last_error = _why(error)
