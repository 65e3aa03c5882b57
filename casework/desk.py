"""The casework desk: what every casework function needs (sessions, the vault, who acts, the
clock) in one plain object, and the one gate to a citizen's record (own team only)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.crypto import Vault
from casework.errors import NotYours, OtherTeamsCitizen, not_found
from casework.models import AuditEntry, Citizen
from catalogue.db import aware
from webui.auth.models import Team


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime | None) -> str | None:
    return aware(moment).isoformat() if moment is not None else None


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff account (by id and e-mail) and its team, or a command (no account)."""

    email: str
    account_id: int | None = None
    team: str | None = None


@dataclass(frozen=True)
class Desk:
    """Sessions, the vault, who acts, how long links and records last, and the clock."""

    sessions: sessionmaker[Session]
    vault: Vault
    actor: Actor
    link_days: int = 30
    retention_days: int = 365
    public_url: str = "http://127.0.0.1:5000"    # where links in mails point
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()

    def with_actor(self, actor: Actor) -> "Desk":
        return replace(self, actor=actor)


def team_id(session: Session, actor: Actor) -> int:
    """The actor's team; a guide without one works with no citizens."""
    found = session.scalar(select(Team.id).where(Team.name == actor.team)) if actor.team else None
    if found is None:
        raise NotYours("Din konto hører ikke til et team; kun et teams vejledere arbejder med "
                       "borgere", "Your account belongs to no team; only a team's guides work "
                       "with citizens")
    return found


def own_citizen(session: Session, desk: Desk, citizen_id: str) -> Citizen:
    """The citizen, if they belong to the actor's team: 404 when unknown, 403 when another's."""
    citizen = session.get(Citizen, citizen_id) if isinstance(citizen_id, str) else None
    if citizen is None:
        raise not_found("Borgeren", "The citizen")
    if citizen.team_id != team_id(session, desk.actor):
        raise OtherTeamsCitizen(citizen.id)
    return citizen


def audit_refusal(desk: Desk, error: Exception) -> None:
    """Log a refused attempt on another team's citizen, in a transaction of its own."""
    if isinstance(error, OtherTeamsCitizen):
        with desk.sessions.begin() as session:
            audit(session, desk, error.citizen_id, "refused", why="not_own_team")


def audit(session: Session, desk: Desk, citizen_id: str | None, action: str, why: str = "course",
          details: dict | None = None) -> None:
    """Append one audit entry; details are sealed (they may name fields or hold words)."""
    actor = desk.actor
    session.add(AuditEntry(at=desk.now(), account_id=actor.account_id, who=actor.email,
                           team=actor.team, citizen_id=citizen_id, action=action, why=why,
                           details_sealed=desk.vault.seal(json.dumps(details, ensure_ascii=False))
                           if details else None))
