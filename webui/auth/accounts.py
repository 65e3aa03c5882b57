"""Staff accounts as plain functions over a session factory: create, log in, tokens, lockout.

No Flask here: the CLI, the web app and the tests call the same functions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import aware
from webui.auth.models import ROLES, Account, ApiToken, LoginFailure, Team

MIN_PASSWORD_CHARS = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FORGET_FAILURES_AFTER = timedelta(days=1)
hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that a wrong address takes as long as a wrong
# password and the answer tells nothing about which accounts exist.
_UNKNOWN_ACCOUNT_HASH = hasher.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    """A refused account operation, with a Danish and an English message."""

    def __init__(self, da: str, en: str):
        super().__init__(f"{da} / {en}")
        self.da, self.en = da, en


@dataclass(frozen=True, eq=False)
class StaffUser(UserMixin):
    """Who is logged in, as plain data (no ORM object leaves this module)."""

    id: int
    email: str
    role: str
    team: str | None

    def get_id(self) -> str:
        return str(self.id)


@dataclass(frozen=True)
class LockoutPolicy:
    """``max_failures`` failed logins within ``lockout`` lock the address for ``lockout`` after
    the last of them."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None = None
    locked_until: datetime | None = None


def _user(account: Account) -> StaffUser:
    return StaffUser(account.id, account.email, account.role,
                     account.team.name if account.team else None)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise AccountError(f"»{email}« er ikke en e-mailadresse.", f"'{email}' is not an e-mail address.")
    return email


def token_hash(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is as good as a slow hash here."""
    return hashlib.sha256(token.encode()).hexdigest()


def generate_password() -> str:
    """120 random bits, written in URL-safe characters."""
    return secrets.token_urlsafe(15)


def create_user(sessions: sessionmaker[Session], email: str, role: str, team: str | None,
                password: str | None = None) -> tuple[StaffUser, str]:
    """Create an account; returns it with its password (a generated one when none was given)."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Ukendt rolle: {role}.", f"Unknown role: {role}.")
    if role == "guide" and not team:
        raise AccountError("En vejleder skal høre til et team (--team).",
                           "A guide must belong to a team (--team).")
    if role != "guide" and team:
        raise AccountError("Kun vejledere hører til et team.", "Only guides belong to a team.")
    if password is None:
        password = generate_password()
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Adgangskoden skal have mindst {MIN_PASSWORD_CHARS} tegn.",
                           f"The password must have at least {MIN_PASSWORD_CHARS} characters.")
    with sessions.begin() as session:
        if session.scalar(select(Account.id).where(Account.email == email)) is not None:
            raise AccountError(f"Der findes allerede en konto for {email}.",
                               f"An account for {email} already exists.")
        team_row = None
        if team:
            team_row = session.scalar(select(Team).where(Team.name == team)) or Team(name=team)
        account = Account(email=email, password_hash=hasher.hash(password), role=role,
                          team=team_row, active=True)
        session.add(account)
        session.flush()
        return _user(account), password


def set_password(sessions: sessionmaker[Session], email: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Adgangskoden skal have mindst {MIN_PASSWORD_CHARS} tegn.",
                           f"The password must have at least {MIN_PASSWORD_CHARS} characters.")
    with sessions.begin() as session:
        _account(session, email).password_hash = hasher.hash(password)


def _account(session: Session, email: str) -> Account:
    account = session.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        raise AccountError(f"Ingen konto for {email}.", f"No account for {email}.")
    return account


def load_user(sessions: sessionmaker[Session], account_id: str,
              logged_in_at: datetime | None = None) -> StaffUser | None:
    """The account of a session logged in at ``logged_in_at``; None when it is unknown,
    inactive, or logged out since (a session without a login time counts as before)."""
    if not account_id.isdigit():
        return None
    with sessions() as session:
        account = session.get(Account, int(account_id))
        if account is None or not account.active:
            return None
        ended = account.logged_out_at and aware(account.logged_out_at)
        if ended and (logged_in_at is None or logged_in_at <= ended):
            return None
        return _user(account)


def end_sessions(sessions: sessionmaker[Session], account_id: int, now: datetime) -> None:
    """Log the account out everywhere: every session logged in before ``now`` stops working."""
    with sessions.begin() as session:
        account = session.get(Account, account_id)
        if account is not None:
            account.logged_out_at = now


def locked_until(session: Session, email: str, now: datetime, policy: LockoutPolicy
                 ) -> datetime | None:
    """When the lockout for ``email`` ends, or None when it is not locked."""
    recent = [aware(at) for at in session.scalars(
        select(LoginFailure.at).where(LoginFailure.email == email)
        .order_by(LoginFailure.at.desc()).limit(policy.max_failures))]
    if len(recent) < policy.max_failures or recent[0] - recent[-1] > policy.lockout:
        return None
    until = recent[0] + policy.lockout
    return until if now < until else None


def authenticate(sessions: sessionmaker[Session], email: str, password: str, now: datetime,
                 policy: LockoutPolicy) -> LoginResult:
    """Check a login; every failure is recorded, and a locked address is refused unchecked."""
    email = email.strip().lower()
    with sessions.begin() as session:
        until = locked_until(session, email, now, policy)
        if until is not None:
            return LoginResult(locked_until=until)
        account = session.scalar(select(Account).where(Account.email == email))
        if _password_matches(account.password_hash if account else _UNKNOWN_ACCOUNT_HASH,
                             password) and account is not None and account.active:
            if hasher.check_needs_rehash(account.password_hash):
                account.password_hash = hasher.hash(password)
            session.execute(delete(LoginFailure).where(LoginFailure.email == email))
            return LoginResult(user=_user(account))
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - FORGET_FAILURES_AFTER))
        session.add(LoginFailure(email=email, at=now))
        session.flush()
        return LoginResult(locked_until=locked_until(session, email, now, policy))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


TOKEN_PREFIX = "bb_"   # a staff API token's start: never read as a command-line option ("-x...")


def create_token(sessions: sessionmaker[Session], email: str) -> str:
    """A new API token for the account; only its hash is stored, so it is shown once. It
    starts with ``TOKEN_PREFIX``: a random start may be "-", which ``revoke-token TOKEN``
    would read as an option."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.add(ApiToken(account=_account(session, email), token_hash=token_hash(token)))
    return token


def revoke_token(sessions: sessionmaker[Session], token: str, now: datetime) -> bool:
    """End one token; False when it is unknown or already ended."""
    with sessions.begin() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token.strip()),
                                                    ApiToken.revoked_at.is_(None)))
        if row is not None:
            row.revoked_at = now
        return row is not None


def revoke_tokens_of(sessions: sessionmaker[Session], email: str, now: datetime) -> int:
    """End every token of an account; returns how many were live."""
    with sessions.begin() as session:
        live = [t for t in _account(session, email).tokens if t.revoked_at is None]
        for row in live:
            row.revoked_at = now
        return len(live)


def user_for_token(sessions: sessionmaker[Session], token: str) -> StaffUser | None:
    with sessions() as session:
        account = session.scalar(
            select(Account).join(ApiToken).where(ApiToken.token_hash == token_hash(token),
                                                 ApiToken.revoked_at.is_(None)))
        return _user(account) if account is not None and account.active else None
