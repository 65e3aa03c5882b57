"""Token links for people without accounts (a provider's referral or listing, a citizen's
check-in): 256 random bits, stored only as a SHA-256, expiring. The one home of how a token is
made, hashed and checked, and of what a closed link says; ``casework.links`` builds on it."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def new_token() -> tuple[str, str]:
    """(token for the link, its hash for the database)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: object) -> bool:
    return isinstance(token, str) and bool(TOKEN_SHAPE.match(token))


def provider_link(token: str) -> str:
    """A provider's link, for a referral or a listing alike."""
    return f"/p/{token}"


def link_state(expires_at, now, withdrawn: bool, used: bool) -> str:
    """Why a token link is closed, or ``open``: withdrawn before used before expired."""
    if withdrawn:
        return "withdrawn"
    if used:
        return "used"
    return "expired" if expires_at <= now else "open"


class LinkClosed(Exception):
    """A token link that shows nothing: unknown (404), used (409), expired or withdrawn (410).
    ``reason`` picks the page; the messages say nothing about the person or the offer."""

    MESSAGES = {
        "unknown": (404, "Linket findes ikke. Tjek, at hele linket er kopieret.",
                    "The link does not exist. Check that the whole link was copied."),
        "used": (409, "Linket er allerede brugt: der er svaret via det, og kun det første svar "
                      "gemmes.", "The link has already been used: it has been answered, and only "
                      "the first answer is kept."),
        "expired": (410, "Linket er udløbet. Kontakt den, der sendte det, hvis der stadig er "
                         "brug for et svar.", "The link has expired. Contact whoever sent it if "
                         "an answer is still needed."),
        "withdrawn": (410, "Linket viser ikke længere noget: samtykket er trukket tilbage, eller "
                           "forløbet er slut.", "The link no longer shows anything: the consent "
                           "was withdrawn, or the course has ended."),
        "not_yet": (409, "Det er for tidligt: du kan svare, når dagen for prøvehandlingen er "
                         "kommet.", "It is too early: you can answer once the day of the step "
                         "has come."),
    }

    def __init__(self, reason: str):
        self.status, self.da, self.en = self.MESSAGES[reason]
        self.field, self.reason = "token", reason
        Exception.__init__(self, f"{self.da} / {self.en}")


def row_for(session, column, token: object, closed=LinkClosed):
    """The row whose token-hash ``column`` (e.g. ``Referral.token_hash``) matches ``token``;
    ``closed("unknown")`` when none does (a malformed token finds none). An answer through the
    link is written conditionally (``catalogue.db.write_if``), so the row is not locked."""
    row = None
    if well_formed(token):
        row = session.scalar(select(column.class_).where(column == token_hash(token)))
    if row is None:
        raise closed("unknown")
    return row
