"""Staff accounts: teams, accounts, API tokens and failed logins.

Neither catalogue data nor citizen data, but on the catalogue's ``Base`` so that one Alembic
history covers every table (migration 0002).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models import Base, utcnow

ROLES = ("admin", "coordinator", "guide")


class Team(Base):
    """A municipality's front door; every guide belongs to one and sees only its citizens."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    accounts: Mapped[list[Account]] = relationship(back_populates="team")


class Account(Base):
    """A staff member who logs in: an e-mail address, an argon2 password hash and one role."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A logout ends every session of the account logged in before it, a copied cookie too
    # (the session cookie is signed, not stored: this is what a server can revoke).
    logged_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    team: Mapped[Team | None] = relationship(back_populates="accounts")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="account")


class ApiToken(Base):
    """A bearer token for the API, stored only as its SHA-256 (the token itself is random)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    account: Mapped[Account] = relationship(back_populates="tokens")


class LoginFailure(Base):
    """One failed login for an e-mail address (known or not); in the database so that every
    worker process sees the same lockout."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
