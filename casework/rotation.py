"""``brobygger rotate-key``: every sealed column re-encrypted under the newest key, in one
transaction (all or nothing); running workers pick up a new key file when restarted."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.settings import Settings
from casework.crypto import Vault, key_file, load_keys, write_key_file
from casework.models import (AuditEntry, Citizen, Consent, Conversation, NetworkEntry,
                             OutboxMessage, PlanStep, Referral)

SEALED_MODELS = (Citizen, Consent, Conversation, NetworkEntry, PlanStep, Referral, OutboxMessage,
                 AuditEntry)


def sealed_columns(model) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key.endswith("_sealed")]


def reseal_all(sessions: sessionmaker[Session], vault: Vault) -> int:
    """Re-encrypt everything under ``vault``'s first key; how many values."""
    count = 0
    with sessions.begin() as session:
        for model in SEALED_MODELS:
            columns = sealed_columns(model)
            for row in session.scalars(select(model)):
                for column in columns:
                    value = getattr(row, column)
                    if value is not None:
                        setattr(row, column, vault.reseal(value))
                        count += 1
    return count


def rotate_key(settings: Settings, sessions: sessionmaker[Session]) -> int:
    """With a key file: a new key first in the file, everything re-encrypted under it, then the
    old keys retired. With keys in ``BROBYGGER_CASEWORK_KEY`` (put the new one first): everything
    re-encrypted under the first. Returns how many values were re-encrypted."""
    old = load_keys(settings)
    path = key_file(settings)
    if path is None:
        return reseal_all(sessions, Vault(tuple(old)))
    new = Fernet.generate_key()
    write_key_file(path, [new, *old])          # a crash from here on loses nothing
    count = reseal_all(sessions, Vault((new, *old)))
    write_key_file(path, [new])
    return count
