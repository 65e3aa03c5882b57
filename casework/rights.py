"""The citizen's rights and the record's end: export everything held (right of access), erase
it (right to erasure, reaching referrals, outcomes, consents and the audit log's details), and
purge the records whose retention period has run out after the course ended."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.citizens import conversation_dict, profile
from casework.desk import Desk, audit, iso, own_citizen
from casework.models import ID_LENGTH, AuditEntry, Citizen
from casework.plan import step_dict
from casework.sharing import consent_dict, referral_dict
from catalogue.db import aware


def entry_dict(desk: Desk, entry: AuditEntry) -> dict:
    details = desk.vault.open(entry.details_sealed)
    return {"id": entry.id, "at": iso(entry.at), "who": entry.who, "account_id": entry.account_id,
            "team": entry.team, "citizen_id": entry.citizen_id, "action": entry.action,
            "why": entry.why, "details": json.loads(details) if details else None}


def export_citizen(desk: Desk, citizen_id: str) -> dict:
    """Everything held on the citizen, in clear text, with who has read or changed it."""
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "export", why="right_of_access")
        session.flush()
        entries = session.scalars(select(AuditEntry).where(AuditEntry.citizen_id == citizen.id)
                                  .order_by(AuditEntry.id)).all()
        return {"citizen": profile(desk, citizen), "conversation": conversation_dict(desk, citizen),
                "consents": [consent_dict(desk, c) for c in citizen.consents],
                "steps": [step_dict(desk, s) for s in citizen.steps],
                "referrals": [referral_dict(desk, r) for r in citizen.referrals],
                "audit": [entry_dict(desk, e) for e in entries]}


def _erase(session: Session, desk: Desk, citizen: Citizen, why: str) -> None:
    """Delete the citizen with everything hanging on them (the database cascades), and blank the
    audit entries that named them: the log keeps that something happened, not to whom."""
    citizen_id = citizen.id
    session.delete(citizen)
    session.execute(update(AuditEntry).where(AuditEntry.citizen_id == citizen_id)
                    .values(citizen_id=None, details_sealed=None))
    audit(session, desk, None, "erase", why=why)


def erase_citizen(desk: Desk, citizen_id: str) -> None:
    with desk.sessions.begin() as session:
        _erase(session, desk, own_citizen(session, desk, citizen_id), "right_to_erasure")


def purge(desk: Desk) -> int:
    """Erase every citizen whose course ended more than ``retention_days`` ago; how many."""
    limit = desk.now() - timedelta(days=desk.retention_days)
    with desk.sessions.begin() as session:
        ended = session.scalars(select(Citizen).where(Citizen.ended_at.is_not(None))).all()
        due = [c for c in ended if aware(c.ended_at) <= limit]
        for citizen in due:
            _erase(session, desk, citizen, "retention")
        return len(due)


def audit_log(desk: Desk, citizen_id: str | None = None) -> list[dict]:
    """The audit log, newest first, for an admin (reading it is itself logged). A citizen id
    longer than any id matches nothing, and is not written into the log (its column would
    refuse it on PostgreSQL)."""
    possible = citizen_id if citizen_id and len(citizen_id) <= ID_LENGTH else None
    with desk.sessions.begin() as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc())
        if citizen_id:
            query = query.where(AuditEntry.citizen_id == possible)
        entries = session.scalars(query).all() if possible or not citizen_id else []
        result = [entry_dict(desk, e) for e in entries]
        audit(session, desk, possible, "read_audit", why="audit_review")
        return result
