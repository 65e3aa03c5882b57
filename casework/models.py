"""The casework tables: personal data, apart from the catalogue's tables but in the same Alembic
history (migration 0005). Columns ending in ``_sealed`` hold Fernet tokens, never clear text;
ids are random strings so that nothing can be counted or guessed from them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models import Base, utcnow


ID_LENGTH = 32     # a uuid4 in hex


def new_id() -> str:
    return uuid.uuid4().hex


def _id() -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)


def _citizen_fk() -> Mapped[str]:
    return mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)


class Citizen(Base):
    """A citizen in a guide team's course; kept only with a recorded consent (``Consent`` of
    kind ``record``)."""

    __tablename__ = "citizen"

    id: Mapped[str] = _id()
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    name_sealed: Mapped[str] = mapped_column(Text)
    age: Mapped[int | None] = mapped_column(Integer)
    municipality: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(4))
    languages: Mapped[str] = mapped_column(String(200), default="")         # codes, comma-separated
    accessibility_needs: Mapped[str] = mapped_column(String(200), default="")
    busy_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    conversation: Mapped[Conversation | None] = relationship(cascade="all, delete-orphan",
                                                             passive_deletes=True)
    network: Mapped[list[NetworkEntry]] = relationship(cascade="all, delete-orphan",
                                                       passive_deletes=True,
                                                       order_by="NetworkEntry.position")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan",
                                                   passive_deletes=True,
                                                   order_by="Consent.given_at")
    steps: Mapped[list[PlanStep]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                 order_by="PlanStep.created_at")
    referrals: Mapped[list[Referral]] = relationship(cascade="all, delete-orphan",
                                                     passive_deletes=True,
                                                     order_by="Referral.created_at")


class Consent(Base):
    """A consent: ``record`` (to keep the citizen's record at all, for a purpose) or ``share``
    (named pieces of data with one offer's provider)."""

    __tablename__ = "consent"

    id: Mapped[str] = _id()
    citizen_id: Mapped[str] = _citizen_fk()
    kind: Mapped[str] = mapped_column(String(10))
    purpose_sealed: Mapped[str | None] = mapped_column(Text)
    offer_ref: Mapped[str | None] = mapped_column(String(320))
    shares: Mapped[str] = mapped_column(String(300), default="")            # codes, comma-separated
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Conversation(Base):
    """The intake conversation in the citizen's own words (one per citizen)."""

    __tablename__ = "conversation"

    citizen_id: Mapped[str] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"),
                                            primary_key=True)
    dreams_sealed: Mapped[str | None] = mapped_column(Text)
    goals_sealed: Mapped[str | None] = mapped_column(Text)
    what_matters_sealed: Mapped[str | None] = mapped_column(Text)
    barriers: Mapped[str] = mapped_column(String(300), default="")          # codes, comma-separated
    barrier_words_sealed: Mapped[str | None] = mapped_column(Text)
    notes_sealed: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Counted up by every save; an UPDATE names the version it read, so a save that lost a race
    # changes nothing (SQLAlchemy's optimistic versioning raises StaleDataError).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class NetworkEntry(Base):
    """One person on the netværkskort: a ring (family ... online), closeness 1 (closest)-3 and,
    optionally, the offer where the citizen knows them from (``source:id``, sealed: it can say
    as much as a name)."""

    __tablename__ = "network_entry"

    id: Mapped[str] = _id()
    citizen_id: Mapped[str] = _citizen_fk()
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_sealed: Mapped[str] = mapped_column(Text)
    relation_sealed: Mapped[str | None] = mapped_column(Text)
    ring: Mapped[str | None] = mapped_column(String(30))                     # None: not placed yet
    closeness: Mapped[int] = mapped_column(Integer)
    offer_sealed: Mapped[str | None] = mapped_column(Text)


class PlanStep(Base):
    """A prøvehandling in the citizen's plan and, once followed up, its outcome."""

    __tablename__ = "plan_step"
    __table_args__ = (Index("ix_plan_step_follow_up", "follow_up"),)

    id: Mapped[str] = _id()
    citizen_id: Mapped[str] = _citizen_fk()
    offer_ref: Mapped[str | None] = mapped_column(String(320))
    what_sealed: Mapped[str] = mapped_column(Text)
    where_sealed: Mapped[str | None] = mapped_column(Text)
    when: Mapped[str | None] = mapped_column(String(40))                     # ISO date or date-time
    companion_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_entry.id", ondelete="SET NULL"))
    follow_up: Mapped[date | None] = mapped_column(Date)
    checkin_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    checkin_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[str | None] = mapped_column(String(10))                   # done|partly|not_done
    progress: Mapped[int | None] = mapped_column(Integer)                    # the citizen's 1-10
    next: Mapped[str | None] = mapped_column(String(10))                     # continue|adjust|stop
    learned_sealed: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checkin_happened: Mapped[bool | None] = mapped_column(Boolean)          # the check-in's answers
    checkin_feeling: Mapped[str | None] = mapped_column(String(10))         # good|ok|bad
    checkin_again: Mapped[str | None] = mapped_column(String(10))           # yes|maybe|no
    checkin_by: Mapped[str | None] = mapped_column(String(10))              # citizen|guide
    checkin_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Referral(Base):
    """A referral to an offer's provider under a share consent; the provider's link token is
    stored only as its SHA-256."""

    __tablename__ = "referral"

    id: Mapped[str] = _id()
    citizen_id: Mapped[str] = _citizen_fk()
    offer_ref: Mapped[str] = mapped_column(String(320))
    consent_id: Mapped[str] = mapped_column(ForeignKey("consent.id", ondelete="CASCADE"))
    message_sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="sent")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # link used
    proposed_time: Mapped[str | None] = mapped_column(String(40))            # ISO date or date-time
    decline_reason: Mapped[str | None] = mapped_column(String(20))           # a code
    answer_note_sealed: Mapped[str | None] = mapped_column(Text)             # the provider's words
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxMessage(Base):
    """A message waiting for ``brobygger send-mail``: the body (it holds the provider's link) is
    sealed, and blanked once the message is delivered."""

    __tablename__ = "outbox_message"

    id: Mapped[str] = _id()
    referral_id: Mapped[str | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))


class AuditEntry(Base):
    """One read or write of citizen data: who, when, which citizen, what, why. Only ever
    inserted, except that erasure and purge blank ``citizen_id`` and the sealed details."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    account_id: Mapped[int | None] = mapped_column(Integer)
    who: Mapped[str] = mapped_column(String(320))
    team: Mapped[str | None] = mapped_column(String(200))
    citizen_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    action: Mapped[str] = mapped_column(String(40))
    why: Mapped[str] = mapped_column(String(200))
    details_sealed: Mapped[str | None] = mapped_column(Text)
