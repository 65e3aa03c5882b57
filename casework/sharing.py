"""Consent per share and referrals: nothing reaches a provider without a valid consent for that
offer, and a withdrawal stops the sharing at once (the provider's link shows nothing more)."""

from __future__ import annotations

from datetime import timedelta


from casework.desk import Desk, audit, iso, own_citizen
from casework.errors import Conflict, Invalid, not_found
from casework.links import LinkClosed, new_token, provider_link
from casework.models import Consent, Referral
from casework.offers import canonical_offer
from casework.outbox import queue_referral_mail
from casework.rules import referral_input, share_consent_input
from casework.vocab import codes, vocabularies
from catalogue.db import write_if

OPEN_STATUSES = ("sent", "accepted", "proposed", "started")
FOLLOW_UP_AFTER = timedelta(days=14)


def consent_dict(desk: Desk, consent: Consent) -> dict:
    return {"id": consent.id, "citizen_id": consent.citizen_id, "kind": consent.kind,
            "purpose": desk.vault.open(consent.purpose_sealed),
            "scope": {"offer_id": consent.offer_ref} if consent.offer_ref else None,
            "shares": [c for c in consent.shares.split(",") if c],
            "given_at": iso(consent.given_at), "withdrawn_at": iso(consent.withdrawn_at)}


def referral_dict(desk: Desk, referral: Referral) -> dict:
    return {"id": referral.id, "citizen_id": referral.citizen_id, "offer_id": referral.offer_ref,
            "consent_id": referral.consent_id, "status": referral.status,
            "message": desk.vault.open(referral.message_sealed),
            "follow_up": referral.follow_up.isoformat() if referral.follow_up else None,
            "answer": None if referral.answered_at is None else {
                "proposed_time": referral.proposed_time, "reason": referral.decline_reason,
                "note": desk.vault.open(referral.answer_note_sealed),
                "at": iso(referral.answered_at)},
            "expires_at": iso(referral.expires_at), "created_at": iso(referral.created_at),
            "updated_at": iso(referral.updated_at)}


def give_consent(desk: Desk, citizen_id: str, data: dict) -> str:
    """A consent to share ``shares`` with one offer's provider; its id."""
    given = share_consent_input(data, desk.now())
    offer = canonical_offer(desk.sessions, given.offer_id)
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        consent = Consent(citizen_id=citizen.id, kind="share", offer_ref=offer,
                          shares=",".join(given.shares), given_at=given.given_at)
        session.add(consent)
        session.flush()
        audit(session, desk, citizen.id, "give_consent",
              details={"consent": consent.id, "offer": offer, "shares": list(given.shares)})
        return consent.id


def withdraw_consent(desk: Desk, consent_id: str) -> dict:
    """Withdraw a share consent now: the referrals under it stop sharing at once."""
    with desk.sessions.begin() as session:
        consent = session.get(Consent, consent_id) if isinstance(consent_id, str) else None
        if consent is None:
            raise not_found("Samtykket", "The consent")
        own_citizen(session, desk, consent.citizen_id)
        if consent.kind != "share":
            raise Conflict("Samtykket til at gemme borgerens oplysninger trækkes tilbage ved at "
                           "slette borgeren (DELETE /api/v1/citizens/{id})", "The consent to keep "
                           "the record is withdrawn by erasing the citizen", "id")
        consent.withdrawn_at = consent.withdrawn_at or desk.now()
        audit(session, desk, consent.citizen_id, "withdraw_consent",
              details={"consent": consent.id})
        return consent_dict(desk, consent)


def _valid_consent(session, consent_id: str, citizen_id: str, offer: str) -> Consent:
    consent = session.get(Consent, consent_id)
    if (consent is None or consent.citizen_id != citizen_id or consent.kind != "share"
            or consent.withdrawn_at is not None or consent.offer_ref != offer):
        raise Invalid("Der er intet gyldigt samtykke til at dele med netop dette tilbud",
                      "There is no valid consent to share with this offer", "consent_id")
    return consent


def refer(desk: Desk, data: dict) -> dict:
    """Refer the citizen to an offer under a valid consent for it; the provider's link is
    returned once (only its hash is kept)."""
    given = referral_input(data)
    offer = canonical_offer(desk.sessions, given.offer_id)
    token, hashed = new_token()
    now = desk.now()
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, given.citizen_id)
        consent = _valid_consent(session, given.consent_id, citizen.id, offer)
        referral = Referral(citizen_id=citizen.id, offer_ref=offer, consent_id=consent.id,
                            message_sealed=desk.vault.seal(given.message), status="sent",
                            token_hash=hashed, expires_at=now + timedelta(days=desk.link_days),
                            follow_up=given.follow_up or (now + FOLLOW_UP_AFTER).date(),
                            created_at=now, updated_at=now)
        session.add(referral)
        session.flush()
        mailed = queue_referral_mail(session, desk.vault, referral, desk.actor.team,
                                     desk.public_url + provider_link(token))
        audit(session, desk, citizen.id, "refer", details={"referral": referral.id, "offer": offer,
                                                           "mail": mailed})
        return {"id": referral.id, "status": "sent", "provider_link": provider_link(token),
                "mail": "queued" if mailed else "no_contact"}


def _own_referral(session, desk: Desk, referral_id: str) -> Referral:
    referral = session.get(Referral, referral_id) if isinstance(referral_id, str) else None
    if referral is None:
        raise not_found("Henvisningen", "The referral")
    own_citizen(session, desk, referral.citizen_id)
    return referral


def get_referral(desk: Desk, referral_id: str) -> dict:
    with desk.sessions.begin() as session:
        referral = _own_referral(session, desk, referral_id)
        audit(session, desk, referral.citizen_id, "read_referral", details={"referral": referral.id})
        return referral_dict(desk, referral)


class StatusChanged(Conflict):
    """Someone changed the referral's status between reading it and writing (the provider by
    the link, or another guide): nothing was written (409)."""

    def __init__(self, referral: Referral):
        now_da, now_en = vocabularies()["referral_statuses"][referral.status]
        super().__init__(f"Henvisningens status er ændret i mellemtiden (nu: {now_da}); intet er "
                         "gemt. Se den nye status, og prøv igen.", "The referral's status was "
                         f"changed meanwhile (now: {now_en}); nothing was saved. Look at the new "
                         "status and try again.", "status")
        self.citizen_id = referral.citizen_id


def _status(data: dict, name: str) -> str:
    status = data.get(name)
    if status not in codes("referral_statuses"):
        raise Invalid(f"»{name}« skal være en af: " + ", ".join(codes("referral_statuses")),
                      f"'{name}' must be one of: " + ", ".join(codes("referral_statuses")), name)
    return status


def expected_status(data: dict, read: str) -> str:
    """The status a change is made from: the caller's ``expected_status`` (what their page
    showed) when given, else the one just read. A change is written only while the referral
    still has it, so of two changes at once one wins and the other is told
    (``StatusChanged``), and a change made from a page showing an old status is refused."""
    return read if data.get("expected_status") is None else _status(data, "expected_status")


def set_referral_status(desk: Desk, referral_id: str, data: dict) -> dict:
    """The guide marks what the provider answered (when it came by phone or mail); written only
    from the status ``expected_status`` gives, else ``StatusChanged``."""
    data = data if isinstance(data, dict) else {}
    status = _status(data, "status")
    with desk.sessions.begin() as session:
        referral = _own_referral(session, desk, referral_id)
        if not write_if(session, referral,
                        Referral.status == expected_status(data, referral.status),
                        status=status, updated_at=desk.now()):
            session.refresh(referral)
            raise StatusChanged(referral)
        audit(session, desk, referral.citizen_id, "referral_status",
              details={"referral": referral.id, "status": status})
        return referral_dict(desk, referral)


def provider_view(desk: Desk, token: str) -> dict | None:
    """What the provider's link shows, or None when it shows nothing (``casework.inbox``)."""
    from casework.inbox import open_referral

    try:
        return open_referral(desk, token)
    except LinkClosed:
        return None
