"""The provider's inbox without an account: one referral behind one token link. The link shows
only what the consent shares, takes one answer (accept, propose a time, decline with a reason),
and afterwards, or once expired or withdrawn, shows nothing at all."""

from __future__ import annotations

from casework.citizens import conversation_dict, profile
from casework.desk import Desk, audit, iso
from casework.links import LinkClosed
from casework.models import Citizen, Consent, Referral
from casework.rules import provider_answer_input
from casework.sharing import StatusChanged, expected_status
from catalogue.db import aware, write_if
from catalogue.tokens import link_state, row_for
from webui.auth.models import Team


def _referral(session, desk: Desk, token: str) -> Referral:
    """The referral behind an open link, or ``LinkClosed`` saying why not."""
    referral = row_for(session, Referral.token_hash, token, closed=LinkClosed)
    consent = session.get(Consent, referral.consent_id)
    citizen = session.get(Citizen, referral.citizen_id)
    state = link_state(aware(referral.expires_at), desk.now(),
                       withdrawn=consent.withdrawn_at is not None or citizen.ended_at is not None,
                       used=referral.answered_at is not None)
    if state != "open":
        raise LinkClosed(state)
    return referral


def _shown(desk: Desk, session, referral: Referral) -> dict:
    consent = session.get(Consent, referral.consent_id)
    citizen = session.get(Citizen, referral.citizen_id)
    known = {**profile(desk, citizen), **conversation_dict(desk, citizen)}
    team = session.get(Team, citizen.team_id)
    return {"offer_id": referral.offer_ref, "team": team.name if team else None,
            "message": desk.vault.open(referral.message_sealed), "status": referral.status,
            "expires_at": iso(referral.expires_at),
            "citizen": {piece: known[piece] for piece in consent.shares.split(",") if piece}}


def open_referral(desk: Desk, token: str) -> dict:
    """What the provider's link shows (an audit entry names the link); ``LinkClosed`` when it
    shows nothing."""
    with desk.sessions.begin() as session:
        referral = _referral(session, desk, token)
        audit(session, desk, referral.citizen_id, "provider_view", why="referral",
              details={"referral": referral.id})
        return _shown(desk, session, referral)


def answer_referral(desk: Desk, token: str, data: dict) -> dict:
    """The provider's one answer; the status is the guide's to see at once. The link is used
    afterwards. Written only while the link is unanswered and the status is the expected one
    (``casework.sharing.expected_status``), so of two answers at once the second finds the link
    used, and an answer crossing a guide's change of status is refused (``StatusChanged``);
    nothing is written for either."""
    given = provider_answer_input(data)
    with desk.sessions.begin() as session:
        referral = _referral(session, desk, token)
        now = desk.now()
        if not write_if(session, referral, Referral.answered_at.is_(None),
                        Referral.status == expected_status(data, referral.status),
                        status=given.status, answered_at=now, updated_at=now,
                        proposed_time=given.proposed_time, decline_reason=given.decline_reason,
                        answer_note_sealed=desk.vault.seal(given.note)):
            session.refresh(referral)
            raise LinkClosed("used") if referral.answered_at is not None \
                else StatusChanged(referral)
        audit(session, desk, referral.citizen_id, "provider_answer", why="referral",
              details={"referral": referral.id, "status": given.status})
        return {"status": given.status, "proposed_time": given.proposed_time,
                "reason": given.decline_reason}
