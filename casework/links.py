"""Token links for people without accounts (a provider's referral, a citizen's check-in):
256 random bits, stored only as a SHA-256, expiring."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """(token for the link, its hash for the database)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def provider_link(token: str) -> str:
    return f"/p/{token}"


def checkin_link(token: str) -> str:
    return f"/c/{token}"
